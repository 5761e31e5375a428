/// A stretch of a path of pose targets on a seven-joint arm without a closed form that frees a
/// joint: ``PathPlanner``'s plan, over each target's curves of self-motion sampled numerically
/// instead of the closed form's branches along its free joint.
///
/// Following each target from the answer before, the nearest member of the self-motion can drift
/// into a joint limit, and the path must jump to another stretch of the curve there; the elastic
/// band (``SelfMotionBand``) only moves answers along their own stretch. Knowing every target, the
/// plan can leave room ahead of the limit. Each target's layer is its curves inside the limits
/// (``LevenbergMarquardtSolver/selfMotionSamples(_:seeds:spacing:most:beside:holdingLimits:)``)
/// through the followed answer and through configurations of the layer before, so that curves are
/// carried on from target to target (continuation) rather than found afresh (and, sampled apart,
/// through the ends at a limit of stretches those pass over: ``carriedSeeds(of:spreadCount:)``);
/// the least largest step over the layers is then chosen as ``PathPlanner`` chooses it, and the
/// band relaxes the result.
struct SelfMotionPlanner {
  let lm: LevenbergMarquardtSolver
  let distance: JointDistance
  /// The spacing of the samples along a curve (joint distance): ``PathPlanner/largestGap``.
  static let spacing = PathPlanner.largestGap
  /// The most samples per target in a layer's spread part (``mostStretchSamples`` more at most).
  static let mostSamples = 2048
  /// Configurations of each layer projected onto the next target, evenly spread over it (at most
  /// this many): near a singularity, where a curve bends sharply, the projections of a few land
  /// on one stretch of the next target's curves and miss the others. On 30 paths of the Gen3-like
  /// arm the flagged steps were 76 with 16, 17 with 32, 5 with 64 and 5 with 128.
  static let carriedSeeds = 64

  /// The most samples per target that the stretches passed over add (``carriedSeeds(of:spreadCount:)``).
  static let mostStretchSamples = 512

  /// The configurations of `layer` projected onto the next target: ``carriedSeeds`` evenly spread
  /// over its first `spreadCount` (its spread part), and each end within ``spacing`` of a limit of
  /// each stretch of the whole layer (consecutive samples within twice the spacing) that holds
  /// none of those.
  ///
  /// Where limits pin two joints of a path at once, a target's curve inside the limits can shrink
  /// to one point or a short stretch ending on them, the path's only way on, which only a seed
  /// from there finds: on a seven-joint arm with skewed axes, a path of 300 poses lost it when its
  /// sample, alone among 155, fell between the spread seeds, and jumped 2.9 rad 90 targets on.
  /// Stretches away from the limits are left to the spread: carried too (their middle and ends),
  /// they took the planning of a Gen3-like path whose curves fill the layers past its time in a
  /// debug build. The stretch seeds are sampled apart, after the spread part and beside it, so
  /// that the spread part of every layer is what it would be without them and each layer only
  /// gains: a least largest step over the layers can then only fall, unless the added sampling
  /// runs the plan out of its time. (Seeded together, the two changed which walk met which stretch
  /// first, and one of 12 clipped Gen3-like paths lost its way where it had kept it.)
  func carriedSeeds(of layer: [[Double]], spreadCount: Int) -> (spread: [[Double]], stretches: [[Double]]) {
    let stride = max(1, (spreadCount + Self.carriedSeeds - 1) / Self.carriedSeeds)
    let spread = Swift.stride(from: 0, to: spreadCount, by: stride).map { layer[$0] }
    var stretches: [[Double]] = []
    var stretchStart = 0
    for index in layer.indices {
      let ends =
        index + 1 == layer.count || distance.largestChange(layer[index], layer[index + 1]) > 2 * Self.spacing
      guard ends else { continue }
      // The first spread seed at or after the stretch's start lies past its end.
      let firstSpread = (stretchStart + stride - 1) / stride * stride
      if firstSpread > index || firstSpread >= spreadCount {
        for member in Set([stretchStart, index]).sorted() where nearLimit(layer[member]) {
          stretches.append(layer[member])
        }
      }
      stretchStart = index + 1
    }
    return (spread, stretches)
  }

  /// Whether a joint of `q` lies within ``spacing`` of a limit: where a walk stops at a limit, or
  /// a path riding it runs.
  private func nearLimit(_ q: [Double]) -> Bool {
    zip(q, lm.robot.movableJoints).contains { value, joint in
      // A joint that cannot move (a lock) rides no limit.
      guard let limits = joint.limits, limits.range > 0 else { return false }
      return value <= limits.lower + Self.spacing || value >= limits.upper - Self.spacing
    }
  }

  /// The configurations, one per target, the first `first` itself, chosen so that the chain from
  /// `first` through them (and on into `next`, when given) has the least largest step; `nil` when a
  /// target's curves have no sample, when no chain's largest step is below `bound`, or when
  /// `deadline` passes.
  ///
  /// - Parameters:
  ///   - targets: pose targets in path order, the first `first`'s.
  ///   - current: the path's configurations for `targets` so far (one per target), which seed each
  ///     target's curves.
  ///   - first: the configuration the chain starts from.
  ///   - next: the configuration the chain must step into after the last target, or `nil`.
  ///   - bound: the largest step to beat.
  ///   - deadline: when to give up.
  func plan(
    _ targets: [IKTarget], along current: [[Double]], from first: [Double], into next: [Double]?,
    bound: Double, until deadline: Deadline
  ) -> [[Double]]? {
    guard targets.count >= 2, current.count == targets.count, bound > 0 else { return nil }
    var layers: [[[Double]]] = [[first]]
    // Each layer is its spread part (from the followed answer and seeds spread over the spread
    // part before), then what the stretches the spread passed over add.
    var spreadCounts = [1]
    for index in 1..<targets.count {
      guard !deadline.hasPassed else { return nil }
      let (spreadSeeds, stretchSeeds) = carriedSeeds(
        of: layers[index - 1], spreadCount: spreadCounts[index - 1])
      let spread = lm.selfMotionSamples(
        targets[index], seeds: [current[index]] + spreadSeeds, spacing: Self.spacing, most: Self.mostSamples)
      let added =
        stretchSeeds.isEmpty
        ? []
        : lm.selfMotionSamples(
          targets[index], seeds: stretchSeeds, spacing: Self.spacing, most: Self.mostStretchSamples,
          beside: spread, holdingLimits: Self.spacing / 16)
      guard !spread.isEmpty || !added.isEmpty else { return nil }
      layers.append(spread + added)
      spreadCounts.append(spread.count)
    }
    if let next { layers.append([next]) }
    // The joint that moves most along the curves within a layer (summed over the layers: the
    // path's own motion does not count) prunes the search best.
    let n = first.count
    var spread = [Double](repeating: 0, count: n)
    for layer in layers where layer.count > 1 {
      for joint in 0..<n {
        let values = layer.map { $0[joint] }
        spread[joint] += (values.max() ?? 0) - (values.min() ?? 0)
      }
    }
    let key = (0..<n).max { spread[$0] < spread[$1] } ?? 0
    return PathPlanner.leastChain(
      through: layers, key: key, robot: lm.robot, distance: distance, bound: bound, intoNext: next != nil,
      until: deadline)
  }
}
