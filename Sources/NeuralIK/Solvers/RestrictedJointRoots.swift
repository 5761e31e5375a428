/// A seven-joint arm with one joint locked, or held within tighter limits, that its closed form
/// cannot take as its free joint: the configurations that reach a pose with that joint at its
/// value (or at a bound), found exactly along the closed form's free joint.
///
/// With the restriction relaxed, each branch of the closed form traces a curve as its free joint
/// turns, and the restricted joint's value along it is a smooth function of the free joint's. A
/// lock holds where that function meets the locked value; tighter limits hold on stretches of the
/// curve that begin and end where it meets a bound (or at a fold, below). A grid of the free joint
/// brackets each crossing (consecutive values on one branch, matched as the nearest configurations,
/// on either side of the value), and bisection finds it to rounding. Where two branches meet (a
/// fold: the end of the free joint's reach for the pose), a crossing can lie on one branch at one
/// grid value and on the other at the next; the fold is bisected and its pair is a bracket too.
/// Without the search, such a request is the network's and Levenberg–Marquardt's, which missed 21
/// of 10,000 Panda poses whose own configuration meets the lock (`make partial`,
/// Docs/Partial.md); with the grid, 1; with the folds as well, none. With one joint held within
/// ±0.2 of its value, the Panda missed 1 of 10,000 without it, none with it.
struct RestrictedJointRoots: Sendable {
  /// The closed form of the robot with the restriction relaxed to the joint's own limits (other
  /// restrictions kept); its free joint is not the restricted one.
  let closedForm: AnalyticSolver
  /// The solver's robot, the restrictions included: answers are measured and kept inside its
  /// limits.
  let restricted: RobotModel
  /// The restricted joint's index among the movable joints.
  let joint: Int
  /// The values of the restricted joint whose crossings are looked for (radians or metres): the
  /// locked value, or the tighter limits' bounds.
  let bounds: [Double]
  let tolerance: ReachTolerance
  /// The weight of the rotation error against the position error in the Newton steps that finish
  /// a crossing (``PoseResidual``).
  let rotationWeight: Double
  /// The joint distance of `closedForm`'s robot, which follows a branch from one free-joint value
  /// to the next.
  let distance: JointDistance
  /// Values of the free joint that bracket the crossings, evenly across its limits: a branch can
  /// meet the target over as little as a tenth of a radian of the free joint (seen on the Panda),
  /// which 64 values missed on 5 of 43 random locked poses, 256 on none of them (and on 8 of 215
  /// in a larger draw).
  static let gridValues = 256
  /// Halvings of a bracket: from a 255th of a 6-rad range to rounding (each loop also stops where
  /// a half is one of its ends).
  static let bisections = 48
  /// Folds looked for between two grid values; more only where the closed form's branches come
  /// and go from one value to the next, which no smooth curve does. A fold and its return within
  /// one grid step (the number of branches the same at both ends) is not seen.
  static let foldsPerStep = 4
  /// Two configurations this near (joint distance) at a bisected fold are the two branches
  /// meeting there: a fold found to rounding of the free joint (about 1e-16 rad) leaves them
  /// about the square root of that apart (1e-8) times the curve's bend.
  static let foldGap = 1e-3
  /// Newton steps that finish a crossing that does not reach as found (near a fold).
  static let polishSteps = 8
  /// Configurations inside tighter limits noted from the grid, and the most of them kept.
  static let insideCandidates = 64
  static let keptInside = 8

  /// The search for `restricted` when `restrictedClosedForm` (the closed form of `restricted`
  /// itself) frees another joint than the one searched: the locked joint when one is locked, else
  /// the one joint other than the free joint held within tighter limits. `nil` otherwise (two locks,
  /// tighter limits on two joints, or a lock the closed form frees with tighter limits on another
  /// joint), or when the robot with that restriction relaxed has no closed form that frees a
  /// different joint.
  static func make(
    robot: RobotModel, restrictions: [JointRestriction], restricted: RobotModel,
    restrictedClosedForm: AnalyticSolver?,
    tolerance: ReachTolerance, rotationWeight: Double
  ) -> RestrictedJointRoots? {
    guard let free = restrictedClosedForm?.freeJointIndex else { return nil }
    let index = { (name: String) in robot.movableJoints.firstIndex { $0.name == name } }
    let locks = restrictions.filter { $0.lower == $0.upper }
    let narrowed = restrictions.filter { $0.lower < $0.upper && index($0.joint) != free }
    let searched: JointRestriction
    if locks.count == 1, let lock = locks.first {
      searched = lock
    } else if locks.isEmpty, narrowed.count == 1, let only = narrowed.first {
      searched = only
    } else {
      return nil
    }
    guard let joint = index(searched.joint), joint != free,
      let relaxed = try? robot.restricted(restrictions.filter { $0 != searched }),
      let closedForm = try? AnalyticSolver(robot: relaxed, tolerance: tolerance),
      let relaxedFree = closedForm.freeJointIndex, relaxedFree != joint
    else { return nil }
    let bounds = searched.lower == searched.upper ? [searched.lower] : [searched.lower, searched.upper]
    return RestrictedJointRoots(
      closedForm: closedForm, restricted: restricted, joint: joint, bounds: bounds,
      tolerance: tolerance, rotationWeight: rotationWeight, distance: JointDistance(robot: closedForm.robot))
  }

  /// Every configuration found that reaches `target` with the joint at its locked value or at a
  /// bound of its tighter limits (or, where no crossing is found, inside them), inside the
  /// restricted limits, full-turn joints in their copies nearest `start`; empty for a target other
  /// than a pose, or when none is found. The grid stops at `deadline`.
  func solutions(for target: IKTarget, near start: [Double], until deadline: Deadline) -> [Solution] {
    guard target.kind == .pose, let free = closedForm.freeJointIndex else { return [] }
    let limits = closedForm.robot.movableJoints[free].limits
    let (lower, upper) = (limits?.lower ?? -.pi, limits?.upper ?? .pi)
    // Followed outside the limits too (a joint held at its nearest limit): a branch that leaves
    // them between two grid values would otherwise break the bracket of a crossing inside them.
    func branches(at freeValue: Double) -> [[Double]] {
      closedForm.exactBranchConfigurations(for: target, freeJointValue: freeValue, near: start)
    }
    let polish = NewtonPolish(
      robot: restricted,
      residual: PoseResidual(robot: restricted, target: target, rotationWeight: rotationWeight))
    var found: [Solution] = []
    func keep(_ root: [Double], at bound: Double?) {
      guard let solution = measured(root, at: bound, target: target, polish: bound == nil ? nil : polish),
        !found.contains(where: { distance($0.jointValues, solution.jointValues) < 1e-9 })
      else { return }
      found.append(solution)
    }
    // Configurations of the samples already inside the restricted limits, measured only if no
    // bound is crossed: a stretch of a branch inside tighter limits from fold to fold crosses none.
    // (Some only look inside: a joint that no whole turn brings into its limits is held at one.)
    var inside: [[Double]] = []
    func note(_ sample: Sample) {
      for q in sample.configurations
      where inside.count < Self.insideCandidates && restricted.clampedToLimits(q) == q {
        inside.append(q)
      }
    }
    // The crossings between two values of the free joint, each configuration at one matched as the
    // nearest at the other (`bothWays`: from either side, next to a fold, where the two branches
    // that meet there are one configuration and the nearest cannot tell them apart). Each
    // bisection starts from the configuration it was matched from.
    func bracket(_ low: Sample, _ high: Sample, bothWays: Bool) {
      var pairs: [(from: (value: Double, configuration: [Double]), to: [Double], toValue: Double)] = []
      for q in low.configurations {
        if let next = nearest(q, among: high.configurations) {
          pairs.append(((low.value, q), next, high.value))
        }
      }
      for q in high.configurations where bothWays {
        if let next = nearest(q, among: low.configurations) {
          pairs.append(((high.value, q), next, low.value))
        }
      }
      for bound in bounds {
        let offset = { (q: [Double]) in self.offset(q, from: bound) }
        for (from, to, toValue) in pairs where crosses(offset(from.configuration), offset(to)) {
          if let root = crossing(
            from: (from.value, from.configuration, offset(from.configuration)), to: toValue,
            branches: branches,
            offset: offset)
          {
            keep(root, at: bound)
          }
        }
      }
    }
    var previous = Sample(value: lower, configurations: branches(at: lower))
    note(previous)
    for step in 1..<Self.gridValues where !deadline.hasPassed {
      let freeValue = lower + Double(step) / Double(Self.gridValues - 1) * (upper - lower)
      let current = Sample(value: freeValue, configurations: branches(at: freeValue))
      defer { previous = current }
      note(current)
      // Where the number of branches changes, two of them meet at a fold of the curve (the
      // reach of the elbow ends there) and the curve turns back: a crossing near the fold lies on
      // one branch on one side of the grid value and on the other branch on the other, so no
      // bracket of one branch holds it. Each fold is found by bisection, its values either side
      // join the grid, and the pair that meets there is a bracket of its own.
      var segmentStart = previous
      var nextToFold = false
      for _ in 0..<Self.foldsPerStep where segmentStart.configurations.count != current.configurations.count {
        let (before, after) = fold(from: segmentStart, to: current, branches: branches)
        note(before)
        note(after)
        bracket(segmentStart, before, bothWays: nextToFold)
        let meeting = before.configurations.count > after.configurations.count ? before : after
        for (i, a) in meeting.configurations.enumerated() {
          for b in meeting.configurations[(i + 1)...] where distance(a, b) < Self.foldGap {
            for bound in bounds where crosses(offset(a, from: bound), offset(b, from: bound)) {
              keep(abs(offset(a, from: bound)) < abs(offset(b, from: bound)) ? a : b, at: bound)
            }
          }
        }
        (segmentStart, nextToFold) = (after, true)
      }
      bracket(segmentStart, current, bothWays: nextToFold)
    }
    if found.isEmpty {
      for q in inside where found.count < Self.keptInside { keep(q, at: nil) }
    }
    return found
  }

  /// The restricted joint's offset from `bound`, the short way round for a full-turn joint.
  private func offset(_ q: [Double], from bound: Double) -> Double {
    distance.signedChange(from: bound, to: q[joint], joint: joint)
  }

  /// A value of the free joint and the configurations of its branches there.
  private struct Sample {
    typealias Point = (value: Double, configuration: [Double], offset: Double)
    var value: Double
    var configurations: [[Double]]
  }

  /// Whether the restricted joint's offset from a bound changes sign between two configurations
  /// (consecutive on one branch, or the two branches meeting at a fold). A sign change by a whole
  /// turn's jump is no crossing, nor are two zeros: a stretch held at a limit that is the bound.
  private func crosses(_ a: Double, _ b: Double) -> Bool {
    a * b <= 0 && (a != 0 || b != 0) && abs(a - b) < .pi
  }

  /// The values either side of a change in the number of branches between `low` and `high` (whose
  /// numbers differ), by bisection.
  private func fold(from low: Sample, to high: Sample, branches: (Double) -> [[Double]]) -> (Sample, Sample) {
    var (before, after) = (low, high)
    for _ in 0..<Self.bisections {
      let middle = (before.value + after.value) / 2
      // Below a unit in the last place the halves are the ends again.
      guard middle != before.value && middle != after.value else { break }
      let sample = Sample(value: middle, configurations: branches(middle))
      if sample.configurations.count == low.configurations.count { before = sample } else { after = sample }
    }
    return (before, after)
  }

  /// Bisection of the bracket from `low` (free-joint value, configuration, offset) to `high`,
  /// following the branch as the configuration nearest the last one found; the configuration of
  /// least offset found.
  private func crossing(
    from low: Sample.Point, to high: Double, branches: (Double) -> [[Double]],
    offset: ([Double]) -> Double
  ) -> [Double]? {
    var (lowValue, reference, lowOffset) = low
    var highValue = high
    var (best, bestOffset) = (reference, abs(lowOffset))
    for _ in 0..<Self.bisections where bestOffset > 0 {
      let middle = (lowValue + highValue) / 2
      guard middle != lowValue && middle != highValue else { break }
      guard let next = nearest(reference, among: branches(middle)) else { return nil }
      reference = next
      let nextOffset = offset(next)
      if abs(nextOffset) < bestOffset { (best, bestOffset) = (next, abs(nextOffset)) }
      if (nextOffset < 0) == (lowOffset < 0) {
        (lowValue, lowOffset) = (middle, nextOffset)
      } else {
        highValue = middle
      }
    }
    return best
  }

  /// The configuration of `candidates` nearest `q`: the same branch, one grid step on.
  private func nearest(_ q: [Double], among candidates: [[Double]]) -> [Double]? {
    candidates.min { distance($0, q) < distance($1, q) }
  }

  /// `q` with the joint set exactly to `bound` (none: as it is), measured on the restricted robot,
  /// after Newton steps inside the restricted limits (`polish`; a lock holds its joint) when that
  /// alone does not reach (a crossing near a fold, where the branch is steep in the free joint and
  /// its bisection ends a little off): `nil` unless it reaches and stays inside those limits.
  private func measured(_ root: [Double], at bound: Double?, target: IKTarget, polish: NewtonPolish?)
    -> Solution?
  {
    var q = root
    if let bound { q[joint] = bound }
    guard q == restricted.clampedToLimits(q) else { return nil }
    var solution = Solution(
      robot: restricted, target: target, jointValues: q, tolerance: tolerance, iterations: 0,
      solver: .analytic)
    if !solution.reachable, let polish {
      let polished = polish.polish(q, iterations: Self.polishSteps)
      solution = Solution(
        robot: restricted, target: target, jointValues: polished.q, tolerance: tolerance,
        iterations: polished.iterations, solver: .analytic)
    }
    return solution.reachable ? solution : nil
  }
}
