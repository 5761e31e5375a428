/// A seven-joint arm with one joint locked that its closed form cannot take as its free joint:
/// the configurations that reach a pose with that joint at its value, found exactly along the
/// closed form's free joint.
///
/// With the lock relaxed, each branch of the closed form traces a curve as its free joint turns,
/// and the locked joint's value along it is a smooth function of the free joint's. The lock holds
/// where that function meets the locked value: a grid of the free joint brackets each crossing
/// (consecutive values on one branch, matched as the nearest configurations, on either side of
/// the value), and bisection finds it to rounding. Without it, such a request is the network's and
/// Levenberg–Marquardt's, which missed 21 of 10,000 Panda poses whose own configuration meets the
/// lock (`make partial`, Docs/Partial.md); with it, 1.
struct LockedJointRoots: Sendable {
  /// The closed form of the robot with the lock relaxed to the joint's own limits (other
  /// restrictions kept); its free joint is not the locked one.
  let closedForm: AnalyticSolver
  /// The solver's robot, the lock included: answers are measured and kept inside its limits.
  let restricted: RobotModel
  /// The locked joint's index among the movable joints, and its value (radians or metres).
  let joint: Int
  let value: Double
  let tolerance: ReachTolerance
  /// The joint distance of `closedForm`'s robot, which follows a branch from one free-joint value
  /// to the next.
  let distance: JointDistance
  /// Values of the free joint that bracket the crossings, evenly across its limits: a branch can
  /// meet the target over as little as a tenth of a radian of the free joint (seen on the Panda),
  /// which 64 values missed on 5 of 43 random locked poses, 256 on none of them (and on 8 of 215
  /// in a larger draw).
  static let gridValues = 256
  /// Halvings of a bracket: from a 255th of a 6-rad range to below 1e-13 rad.
  static let bisections = 48

  /// The closed form for `restricted` when one joint is locked and `lockedClosedForm` (the closed
  /// form of `restricted` itself) frees another: `nil` otherwise, or when the robot with the lock
  /// relaxed has no closed form that frees a different joint.
  static func make(
    robot: RobotModel, restrictions: [JointRestriction], restricted: RobotModel,
    lockedClosedForm: AnalyticSolver?,
    tolerance: ReachTolerance
  ) -> LockedJointRoots? {
    let locks = restrictions.filter { $0.lower == $0.upper }
    guard locks.count == 1, let lock = locks.first, let free = lockedClosedForm?.freeJointIndex,
      let joint = robot.movableJoints.firstIndex(where: { $0.name == lock.joint }), joint != free,
      let relaxed = try? robot.restricted(restrictions.filter { $0 != lock }),
      let closedForm = try? AnalyticSolver(robot: relaxed, tolerance: tolerance),
      let relaxedFree = closedForm.freeJointIndex, relaxedFree != joint
    else { return nil }
    return LockedJointRoots(
      closedForm: closedForm, restricted: restricted, joint: joint, value: lock.lower, tolerance: tolerance,
      distance: JointDistance(robot: closedForm.robot))
  }

  /// Every configuration found that reaches `target` with the joint at its value, inside the
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
    // The locked joint's offset from its value, the short way round for a full-turn joint.
    func offset(_ q: [Double]) -> Double { distance.signedChange(from: value, to: q[joint], joint: joint) }
    var found: [Solution] = []
    var previousValue = lower
    var previous = branches(at: lower)
    for step in 1..<Self.gridValues where !deadline.hasPassed {
      let freeValue = lower + Double(step) / Double(Self.gridValues - 1) * (upper - lower)
      let current = branches(at: freeValue)
      defer { (previousValue, previous) = (freeValue, current) }
      for q in previous {
        guard let next = nearest(q, among: current) else { continue }
        let (a, b) = (offset(q), offset(next))
        // A sign change by a whole turn's jump is no crossing.
        guard a * b <= 0, abs(a - b) < .pi else { continue }
        if let root = crossing(
          from: (previousValue, q, a), to: freeValue, branches: branches, offset: offset),
          let solution = measured(root, target: target),
          !found.contains(where: { distance($0.jointValues, solution.jointValues) < 1e-9 })
        {
          found.append(solution)
        }
      }
    }
    return found
  }

  /// Bisection of the bracket from `low` (free-joint value, configuration, offset) to `high`,
  /// following the branch as the configuration nearest the last one found; the configuration of
  /// least offset found.
  private func crossing(
    from low: (Double, [Double], Double), to high: Double, branches: (Double) -> [[Double]],
    offset: ([Double]) -> Double
  ) -> [Double]? {
    var (lowValue, reference, lowOffset) = low
    var highValue = high
    var (best, bestOffset) = (reference, abs(lowOffset))
    for _ in 0..<Self.bisections where bestOffset > 0 {
      let middle = (lowValue + highValue) / 2
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

  /// `q` with the joint set exactly to its value, measured on the restricted robot: `nil` unless
  /// it reaches and stays inside the restricted limits.
  private func measured(_ root: [Double], target: IKTarget) -> Solution? {
    var q = root
    q[joint] = value
    guard q == restricted.clampedToLimits(q) else { return nil }
    let solution = Solution(
      robot: restricted, target: target, jointValues: q, tolerance: tolerance, iterations: 0,
      solver: .analytic)
    return solution.reachable ? solution : nil
  }
}
