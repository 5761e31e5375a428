/// A stretch of a path of pose targets on a seven-joint arm without a closed form that frees a
/// joint: ``PathPlanner``'s plan, over each target's curves of self-motion sampled numerically
/// instead of the closed form's branches along its free joint.
///
/// Following each target from the answer before, the nearest member of the self-motion can drift
/// into a joint limit, and the path must jump to another stretch of the curve there; the elastic
/// band (``SelfMotionBand``) only moves answers along their own stretch. Knowing every target, the
/// plan can leave room ahead of the limit. Each target's layer is its curves inside the limits
/// (``LevenbergMarquardtSolver/selfMotionSamples(_:seeds:spacing:most:)``) through the followed
/// answer and through configurations of the layer before, so that curves are carried on from
/// target to target (continuation) rather than found afresh; the least largest step over the
/// layers is then chosen as ``PathPlanner`` chooses it, and the band relaxes the result.
struct SelfMotionPlanner {
  let lm: LevenbergMarquardtSolver
  let distance: JointDistance
  /// The spacing of the samples along a curve (joint distance): ``PathPlanner/largestGap``.
  static let spacing = PathPlanner.largestGap
  /// The most samples per target.
  static let mostSamples = 2048
  /// Configurations of each layer projected onto the next target, evenly spread over it (at most
  /// this many): near a singularity, where a curve bends sharply, the projections of a few land
  /// on one stretch of the next target's curves and miss the others. On 30 paths of the Gen3-like
  /// arm the flagged steps were 76 with 16, 17 with 32, 5 with 64 and 5 with 128.
  static let carriedSeeds = 64

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
    for index in 1..<targets.count {
      guard !deadline.hasPassed else { return nil }
      let previous = layers[index - 1]
      let stride = max(1, (previous.count + Self.carriedSeeds - 1) / Self.carriedSeeds)
      let carried = Swift.stride(from: 0, to: previous.count, by: stride).map { previous[$0] }
      let layer = lm.selfMotionSamples(
        targets[index], seeds: [current[index]] + carried, spacing: Self.spacing, most: Self.mostSamples)
      guard !layer.isEmpty else { return nil }
      layers.append(layer)
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
