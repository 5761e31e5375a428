import Foundation

/// The closed-form solvers: exact, every solution branch.
///
/// - Position targets: planar 2-link arms and a yaw joint carrying one or two pitch links (the
///   seed arm, the 3-DoF arm). For a target out of reach it returns every configuration whose tip
///   is the closest reachable point, with the limits taken into account (see `Docs/Solvers.md`).
/// - Pose targets: six revolute joints of a family found from the axes (spherical wrist, spherical
///   shoulder, three parallel axes next to two meeting ones), and seven with one free joint given
///   (chosen automatically: the first whose locking leaves such a family).
public struct AnalyticSolver: IKSolver, Sendable {
  public let robot: RobotModel
  /// When a solution counts as reaching its target.
  public var tolerance: ReachTolerance
  /// Seven-joint arms: how many values of the free joint a sweep visits, evenly across its limits.
  public var freeJointSweep: Int
  let model: Model

  enum Model: Sendable {
    case position(ClosedFormModel)
    case pose(PoseClosedForm)
  }

  /// The default ``freeJointSweep``: enough that, on the fixture arms, every pose target whose
  /// self-motion stays inside the limits over a few degrees of the free joint is met.
  public static let defaultFreeJointSweep = 64

  /// Builds the solver, checking that the robot has a geometry it can solve exactly.
  ///
  /// - Throws: ``IKError/noClosedForm(robot:reason:)`` for any other robot, naming what was checked.
  package init(
    robot: RobotModel, tolerance: ReachTolerance = .exact, freeJointSweep: Int = defaultFreeJointSweep
  )
    throws(IKError)
  {
    self.robot = robot
    self.tolerance = tolerance
    self.freeJointSweep = max(1, freeJointSweep)
    switch robot.degreesOfFreedom {
    case 2, 3: self.model = .position(try ClosedFormModel(robot: robot))
    case 6, 7: self.model = .pose(try PoseClosedForm(robot: robot))
    default:
      throw .noClosedForm(
        robot: robot.name,
        reason:
          "closed forms cover 2- and 3-joint arms (positions) and 6-joint arms or 7 with one joint given (poses), not \(robot.degreesOfFreedom) joints"
      )
    }
  }

  /// The geometry the solver recognised, in words.
  public var family: String {
    switch model {
    case .position(let model): return model.description
    case .pose(let model): return model.family.description
    }
  }

  /// The targets the solver takes: positions (2- and 3-joint arms) or poses (6 and 7 joints).
  public var targetKind: TargetKind {
    switch model {
    case .position: return .position
    case .pose: return .pose
    }
  }

  /// Seven-joint arms: the movable joint whose value is given (or swept); `nil` otherwise.
  public var freeJoint: String? {
    guard case .pose(let model) = model, let index = model.freeJoint else { return nil }
    return robot.movableJoints[index].name
  }

  /// The best solution: of the closest configurations, the one nearest `initialGuess`. A
  /// seven-joint arm is solved at the guess's free-joint value first, then swept.
  ///
  /// - Parameters:
  ///   - target: a position target (2- and 3-joint arms) or a pose target (6- and 7-joint arms),
  ///     metres in the base frame.
  ///   - initialGuess: one value per movable joint: where the robot is.
  /// - Returns: the solution of ``allSolutions(for:)`` nearest `initialGuess` in joint space.
  /// - Throws: ``IKError`` for a guess of the wrong size or with non-finite values, or a target of
  ///   the other kind.
  public func solve(_ target: IKTarget, from initialGuess: [Double]) throws(IKError) -> Solution {
    try robot.checkConfiguration(initialGuess)
    let all = try allSolutions(for: target, from: initialGuess, sweep: false, everyCopy: false)
    guard
      let nearest = all.min(by: {
        distance($0.jointValues, initialGuess) < distance($1.jointValues, initialGuess)
      })
    else { throw .numerical("closed-form solver found no candidate for robot '\(robot.name)'") }
    return nearest
  }

  /// Every solution: all configurations within the limits that reach the target, or, out of
  /// reach, the closest configurations found. Never empty. A seven-joint arm sweeps its free
  /// joint (``freeJointSweep`` values).
  ///
  /// Where the solutions form a continuum (a target on the yaw axis) returns representatives.
  ///
  /// - Parameter target: a position target (2- and 3-joint arms) or a pose target (6- and 7-joint
  ///   arms), metres in the base frame.
  /// - Returns: every branch, each inside the limits and measured by the robot's own forward
  ///   kinematics.
  /// - Throws: ``IKError/wrongTargetKind(expected:got:reason:)`` for a target of the other kind.
  public func allSolutions(for target: IKTarget) throws(IKError) -> [Solution] {
    try allSolutions(for: target, from: nil, sweep: true, everyCopy: true)
  }

  /// Every solution, as ``allSolutions(for:)``; a seven-joint arm is solved at `start`'s value of
  /// its free joint first, and swept when `sweep` is set or nothing reaches the target there. On
  /// the yaw axis of a closed form of positions, the representatives keep `start`'s yaw.
  ///
  /// - Parameters:
  ///   - target: as ``allSolutions(for:)``.
  ///   - start: where the robot is (one value per joint), or `nil`.
  ///   - sweep: whether a seven-joint arm sweeps its free joint even when the start's value reaches.
  ///   - everyCopy: whether every in-limit copy of a full-turn joint is listed (at most two a
  ///     joint, those nearest the middle of its limits); without it, each branch comes once, with
  ///     the copy nearest `start` (or the middle of the limits).
  /// - Returns: as ``allSolutions(for:)``.
  /// - Throws: as ``allSolutions(for:)``, and ``IKError`` for a start of the wrong size or with a
  ///   non-finite value.
  public func allSolutions(for target: IKTarget, from start: [Double]?, sweep: Bool, everyCopy: Bool = true)
    throws(IKError) -> [Solution]
  {
    if let start { try robot.checkConfiguration(start) }
    switch model {
    case .position(let model):
      return try positionSolutions(for: target, model: model, near: start)
    case .pose(let model):
      let pose = try poseOf(target)
      let near = everyCopy ? nil : (start ?? robot.middleConfiguration)
      // Each configuration measured by the robot's FK as it is listed. Copies of a branch that
      // differ by whole turns only share one FK evaluation, since revolute joints repeat every 2π.
      let measured = { (values: [Double?], clamping: Bool) -> [Solution] in
        var result: [Solution] = []
        result.reserveCapacity(8 * values.count)
        // Branches share joint values (a shoulder, a wrist): their FK shares partial products.
        var kinematics = SharedForwardKinematics(robot: robot)
        for value in values {
          if let near, !clamping {
            model.forEachNearestConfiguration(for: pose, freeValue: value, near: near) {
              result.append(measure($0, target, pose: pose, sharing: &kinematics))
            }
            continue
          }
          for branch in model.configurations(for: pose, freeValue: value, clamping: clamping, near: near) {
            for (number, q) in branch.copies.enumerated() {
              // A copy moved onto a limit (``AngleJoint/limitTolerance``) is no whole-turn copy:
              // measured on its own, so that its error is its own.
              if number > 0, !clamping, var copy = result.last,
                Self.differsByWholeTurns(q, copy.jointValues)
              {
                copy.jointValues = q
                result.append(copy)
              } else {
                result.append(measure(q, target, pose: pose, sharing: &kinematics))
              }
            }
          }
        }
        return result
      }
      // At one value, each branch once in its copy nearest `near`: distinct by construction (the
      // branches differ by more than 1e-9 in some angle, so do their copies).
      let distinctAtOneValue = { (values: [Double?]) in near != nil && values.count == 1 }
      var values: [Double?] = [nil]
      var searched = false
      if let free = model.freeJoint {
        let freeValues = (start.map { [$0[free]] } ?? []) + model.sweep(freeJointSweep)
        values = freeValues
        if !sweep {
          // Nearest the start's value first, and the first value that reaches ends the sweep: the
          // free joint moves least, and a target met over a range of it costs one value or a few.
          let centre = start?[free] ?? robot.middleConfiguration[free]
          let order = freeValues.indices.sorted {
            (abs(freeValues[$0] - centre), $0) < (abs(freeValues[$1] - centre), $1)
          }
          for value in order.map({ freeValues[$0] }) {
            let found = closest(measured([value], false), target: target, distinct: near != nil)
            if found.contains(where: \.reachable) { return found }
          }
          searched = true
        }
      }
      // A sweep that stopped at no value has solved every value already.
      if !searched {
        let found = closest(measured(values, false), target: target, distinct: distinctAtOneValue(values))
        if found.contains(where: \.reachable) { return found }
      }
      // Nothing reaches: the closest guess among every branch, joints clamped into their limits.
      return closest(measured(values, true), target: target, distinct: false)
    }
  }

  /// Seven-joint arms: the index of the free joint among the movable joints; `nil` otherwise.
  public var freeJointIndex: Int? {
    guard case .pose(let model) = model else { return nil }
    return model.freeJoint
  }

  /// The reaching solution nearest `start` by `distance`, at the first of `freeJointValues` where
  /// any reaches (a six-joint arm ignores them; each branch in its copy nearest `start`): the
  /// bounded closed-form stage of the hybrid, which never sweeps. The branches are walked by branch
  /// and bound, and the robot's FK measures only a branch nearer than the nearest that reached so
  /// far, so a start near an answer usually costs one branch's subproblems and one FK pass.
  ///
  /// - Parameters:
  ///   - target: a pose target, metres in the base frame.
  ///   - freeJointValues: a seven-joint arm's free-joint values to try, in order.
  ///   - start: one value per movable joint: where the robot is.
  ///   - distance: the joint-space distance that ranks the branches: no less than the root of the
  ///     summed squares of each joint's change the short way round, which bounds it (NeuralIK's
  ///     `JointDistance`, passed as `{ distance($0, $1) }`).
  /// - Returns: the nearest reaching solution, inside the limits; `nil` when none reaches (out of
  ///   reach, outside the limits, or at none of the values).
  /// - Throws: ``IKError/wrongTargetKind(expected:got:reason:)`` for a robot without a pose closed
  ///   form or a target without an orientation; ``IKError`` for a start of the wrong size or with
  ///   a non-finite value, or a non-finite free-joint value.
  public func nearestReachingSolution(
    for target: IKTarget, freeJointValues: [Double], near start: [Double],
    distance: ([Double], [Double]) -> Double
  ) throws(IKError) -> Solution? {
    guard case .pose(let model) = model else {
      throw .wrongTargetKind(
        expected: .position, got: target.kind, reason: "the closed form of '\(robot.name)'")
    }
    let pose = try poseOf(target)
    try check(start: start, freeJointValues: freeJointValues)
    // Per value of the free joint (six joints: one pass without), the nearest reaching branch,
    // found by branch and bound: the robot's FK measures only branches nearer than the nearest
    // that reached so far.
    func nearestReaching(at value: Double?) -> Solution? {
      var found: Solution?
      _ = model.nearestConfiguration(for: pose, freeValue: value, near: start, distance: distance) { q in
        let solution = Solution(
          robot: robot, target: target, jointValues: q, tolerance: tolerance, iterations: 0, solver: .analytic
        )
        guard solution.reachable else { return false }
        found = solution
        return true
      }
      return found
    }
    guard model.freeJoint != nil else { return nearestReaching(at: nil) }
    for value in freeJointValues {
      if let solution = nearestReaching(at: value) { return solution }
    }
    return nil
  }

  /// Every reaching branch of a pose target at each of `freeJointValues` (six joints: one pass,
  /// the values ignored), each in its in-limit copy nearest `start`: the candidates a search for
  /// the nearest answer slides along the self-motion.
  ///
  /// - Returns: the reaching solutions, value by value, inside the limits and measured by the
  ///   robot's forward kinematics.
  /// - Throws: ``IKError/wrongTargetKind(expected:got:reason:)`` for a robot without a pose closed
  ///   form or a target without an orientation; ``IKError`` for a start of the wrong size or with
  ///   a non-finite value, or a non-finite free-joint value.
  public func reachingSolutions(for target: IKTarget, freeJointValues: [Double], near start: [Double])
    throws(IKError) -> [Solution]
  {
    guard case .pose(let model) = model else {
      throw .wrongTargetKind(
        expected: .position, got: target.kind, reason: "the closed form of '\(robot.name)'")
    }
    let pose = try poseOf(target)
    try check(start: start, freeJointValues: freeJointValues)
    let values: [Double?] = model.freeJoint == nil ? [nil] : freeJointValues
    var result: [Solution] = []
    for value in values {
      model.forEachNearestConfiguration(for: pose, freeValue: value, near: start) { q in
        let solution = Solution(
          robot: robot, target: target, jointValues: q, tolerance: tolerance, iterations: 0, solver: .analytic
        )
        if solution.reachable { result.append(solution) }
      }
    }
    return result
  }

  /// For each distinct branch of a pose `target` with the free joint at `freeJointValue`, in the
  /// closed form's order, a bit for each movable joint (by index) that no turn brings into its
  /// limits (0: the branch lies inside them); empty for a closed form of positions or a target it
  /// cannot take. A path planner halves an interval of the free joint where a branch is blocked by
  /// different joints at its ends.
  package func blockedJoints(for target: IKTarget, freeJointValue: Double) -> [UInt64] {
    guard case .pose(let model) = model, freeJointValue.isFinite, let pose = try? poseOf(target) else {
      return []
    }
    return model.blockedJoints(for: pose, freeValue: freeJointValue)
  }

  /// A start of one finite value per joint, and finite free-joint values.
  private func check(start: [Double], freeJointValues: [Double]) throws(IKError) {
    try robot.checkConfiguration(start)
    guard freeJointValues.allSatisfy(\.isFinite) else {
      throw .nonFinite("free-joint values \(freeJointValues)")
    }
  }

  /// Every branch of a pose target at one value of the free joint (six joints: `nil`), with its
  /// condition, reaching or not: the raw closed form, for tests and benchmarks.
  ///
  /// - Throws: ``IKError/wrongTargetKind(expected:got:reason:)`` for a target without an
  ///   orientation, or a pose for a closed form of positions; ``IKError/invalidTarget(_:)`` for a
  ///   position and a closed form of positions, whose solutions ``allSolutions(for:)`` lists.
  public func branches(for target: IKTarget, freeJointValue: Double? = nil) throws(IKError)
    -> [ClosedFormBranch]
  {
    guard case .pose(let model) = model else {
      guard target.kind == .position else {
        throw .wrongTargetKind(
          expected: .position, got: target.kind, reason: "the closed form of '\(robot.name)'")
      }
      throw .invalidTarget(
        "branches(for:) lists the raw branches of a closed form of poses, and the closed form of "
          + "'\(robot.name)' is of positions: allSolutions(for:) lists its solutions")
    }
    let pose = try poseOf(target)
    return model.configurations(for: pose, freeValue: freeJointValue).flatMap { branch in
      branch.copies.map {
        ClosedFormBranch(
          solution: Solution(
            robot: robot, target: target, jointValues: $0, tolerance: tolerance, iterations: 0,
            solver: .analytic),
          condition: branch.condition)
      }
    }
  }

  /// Whether a branch of a pose target that reaches it, limits aside, lies at a singularity (a UR
  /// arm's wrist straight), where it is one representative of a continuum of configurations whose
  /// other members may keep a limit or a lock that it misses; `false` for a closed form of
  /// positions or one with a free joint.
  ///
  /// - Parameters:
  ///   - target: a pose target.
  ///   - nearness: the ``SingularDirection/nearness`` below which a branch counts as singular.
  package func reachingBranchMeetsSingularity(for target: IKTarget, nearness: Double) -> Bool {
    guard case .pose(let model) = model, model.freeJoint == nil, let pose = try? poseOf(target) else {
      return false
    }
    return model.configurations(for: pose, clamping: true).contains { branch in
      guard branch.condition != .leastSquares, let q = branch.copies.first else { return false }
      let jacobian = robot.jacobian(at: q)
      switch SingularDirection.find(
        jacobian: jacobian.storage, rows: 6, columns: jacobian.columns, nearerThan: nearness)
      {
      case .singular?: return true
      case .direction(let found)?: return found.nearness < nearness
      case .notNearerThanThreshold?, nil: return false
      }
    }
  }

  /// The configurations of every exactly solved branch of a pose target at one value of the free
  /// joint (six joints: `nil`), unmeasured, with a joint that no whole turn brings into its limits
  /// set to its nearest limit: so that a branch can be followed across free-joint values where it
  /// leaves the limits for a while. Empty for a target other than a pose or a robot without a pose
  /// closed form. Each branch once: a full-turn joint in its copy nearest `start`.
  package func exactBranchConfigurations(for target: IKTarget, freeJointValue: Double?, near start: [Double])
    -> [[Double]]
  {
    guard case .pose(let model) = model, let pose = try? poseOf(target) else { return [] }
    return model.configurations(for: pose, freeValue: freeJointValue, clamping: true, near: start)
      .filter { $0.condition == .exact }.flatMap(\.copies)
  }

  /// The tool pose a pose target asks for (base frame).
  private func poseOf(_ target: IKTarget) throws(IKError) -> Transform3 {
    guard target.kind == .pose, let orientation = target.orientation else {
      throw .wrongTargetKind(
        expected: .pose, got: target.kind,
        reason:
          "the closed form of '\(robot.name)' (\(robot.degreesOfFreedom) joints; the 'lm' solver takes the others)"
      )
    }
    return Transform3(rotation: orientation.rotation, translation: target.position)
  }

  private func measure(_ q: [Double], _ target: IKTarget) -> Solution {
    Solution(
      robot: robot, target: target, jointValues: q, tolerance: tolerance, iterations: 0, solver: .analytic)
  }

  /// `q` measured against `target` by the robot's FK, shared with the configurations measured
  /// before it; `pose`, the target as a transform, spares the conversion of its quaternion.
  private func measure(
    _ q: consuming [Double], _ target: IKTarget, pose: Transform3,
    sharing kinematics: inout SharedForwardKinematics
  ) -> Solution {
    let tip = kinematics.tipPose(at: q)
    return Solution(
      jointValues: q, T_base_tip: tip, target: target, targetRotation: pose.rotation, tolerance: tolerance,
      iterations: 0, solver: .analytic)
  }

  /// The reaching solutions among `measured`, distinct (already so when `distinct` is set); when
  /// none reaches, the ones of least pose error. Never empty.
  private func closest(_ measured: consuming [Solution], target: IKTarget, distinct alreadyDistinct: Bool)
    -> [Solution]
  {
    let reachingCount = measured.count { $0.reachable }
    if reachingCount > 0 {
      // The unreached removed in place: the list is this call's own, so no solution is copied.
      var reaching = measured
      if reachingCount < reaching.count { reaching.removeAll { !$0.reachable } }
      return alreadyDistinct ? reaching : distinctOnGrid(reaching)
    }
    // Out of reach (or of the limits) for every branch: the least-squares branches are the
    // closed form's best guesses, not a certified closest pose (the 'lm' solver searches for one).
    var pool = measured
    if pool.isEmpty {
      pool = [robot.middleConfiguration].map { measure($0, target) }
    }
    let error = { (s: Solution) in
      s.positionError + PoseResidual.defaultRotationWeight * (s.rotationError ?? 0)
    }
    let least = pool.map(error).min() ?? 0
    return distinct(pool.filter { error($0) <= least + 1e-9 })
  }

  /// Distinct solutions, comparing values rounded to 1e-9 (radians): linear time, for the many
  /// configurations of a sweep or of full-turn copies, which differ far more when they differ.
  private func distinctOnGrid(_ solutions: [Solution]) -> [Solution] {
    let grid = { (value: Double) in (value * 1e9).rounded() }
    if solutions.count <= 16 {
      // A handful of branches: comparing pairs costs less than hashing arrays, and a list with no
      // repeat (nearly every target) comes back as it is.
      func isRepeat(_ index: Int) -> Bool {
        (0..<index).contains { Self.sameOnGrid(solutions[$0].jointValues, solutions[index].jointValues) }
      }
      guard solutions.indices.contains(where: isRepeat) else { return solutions }
      return solutions.indices.filter { !isRepeat($0) }.map { solutions[$0] }
    }
    let keys = solutions.map { $0.jointValues.map { Int64(grid($0)) } }
    var seen = Set<[Int64]>()
    return solutions.indices.filter { seen.insert(keys[$0]).inserted }.map { solutions[$0] }
  }

  /// Whether each joint of `a` and `b` differs by a whole number of turns (to 1e-12 relative), so that
  /// both have one FK: the copies of a branch, unless one was moved onto a limit.
  static func differsByWholeTurns(_ a: [Double], _ b: [Double]) -> Bool {
    guard a.count == b.count else { return false }
    let turn = 2 * Double.pi
    for index in a.indices {
      let difference = a[index] - b[index]
      // Relative too: a copy many turns out carries its value's rounding.
      let slack = 1e-12 * max(1, abs(a[index]), abs(b[index]))
      if abs(difference - turn * (difference / turn).rounded()) > slack { return false }
    }
    return true
  }

  /// Whether `a` and `b` agree when rounded to 1e-9.
  private static func sameOnGrid(_ a: [Double], _ b: [Double]) -> Bool {
    guard a.count == b.count else { return false }
    for index in a.indices where (a[index] * 1e9).wholeNearest != (b[index] * 1e9).wholeNearest {
      return false
    }
    return true
  }

  private func distinct(_ solutions: [Solution]) -> [Solution] {
    var kept: [Solution] = []
    for solution in solutions
    where !kept.contains(where: { distance($0.jointValues, solution.jointValues) < 1e-7 }) {
      kept.append(solution)
    }
    return kept
  }

  private func positionSolutions(for target: IKTarget, model: ClosedFormModel, near start: [Double]?)
    throws(IKError) -> [Solution]
  {
    guard target.kind == .position else {
      throw .wrongTargetKind(
        expected: .position, got: target.kind,
        reason:
          "the closed-form solver of '\(robot.name)' (\(robot.degreesOfFreedom) joints, which cannot set an orientation; the 'lm' solver finds its closest pose)"
      )
    }
    // A reachable target is met by its exact solutions, and any configuration that reaches it is
    // one of them, so the arcs' candidates are needed out of reach only.
    let exact = closestCandidates(
      model.candidates(for: target.position, exactOnly: true, yawNear: start?.first), to: target.position)
    let best =
      exact.first.map { $0.error <= 1e-9 } == true
      ? exact
      : closestCandidates(model.candidates(for: target.position, yawNear: start?.first), to: target.position)
    return distinct(
      best.map {
        Solution(
          robot: robot, target: target, jointValues: $0.q, tolerance: tolerance, iterations: 0,
          solver: .analytic)
      })
  }

  private typealias Candidate = (q: [Double], error: Double)

  /// The candidates at the least distance from `position`, to 1e-9 m, with that distance.
  private func closestCandidates(_ candidates: [[Double]], to position: Vector3) -> [Candidate] {
    var best: [Candidate] = []
    var bestError = Double.infinity
    for q in candidates {
      let error = (robot.tipPosition(at: q) - position).length
      // Candidates agree to rounding when they tie; 1e-9 m separates ties from near misses.
      if error < bestError - 1e-9 {
        best = best.filter { $0.error <= error + 1e-9 }
        bestError = error
      }
      if error <= bestError + 1e-9 { best.append((q, error)) }
    }
    return best.filter { $0.error <= bestError + 1e-9 }
  }

  private func distance(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
  }
}
