import Dispatch

/// A solver built by ``SolverFactory`` from a ``SolverSpecification``: the library's one way to
/// solve. Keeps numerical workspaces between solves, so it is a class; use one per thread.
public final class Solver {
  /// The robot it solves for, with the specification's restrictions applied: a locked joint's
  /// limits are its value, a narrowed joint's the narrower ones.
  public let robot: RobotModel
  /// The specification it was built from, with its kind and rotation weight resolved.
  public let specification: SolverSpecification
  let engine: Engine
  /// The robot's joint distance, for ordering by the preference, made once.
  let distance: JointDistance
  /// How far the robot's joints travel (`JointDistance(travelOf:)`): path steps, and the copy of
  /// a full-turn joint that `findAll` answers first.
  let travel: JointDistance
  /// The closed form of an `.analytic` engine, read in place: binding an enum's payload copies it,
  /// and the copy of a struct holding the robot (a dozen references to retain and release) was a
  /// fiftieth of a UR5's every-branch solve.
  let closedForm: AnalyticSolver?
  /// The start of a solve given none: the middle of the limits, made once.
  private let middle: [Double]
  /// The joints that turn all the way round inside their limits (continuous ones, and revolute
  /// ones whose limits span a turn), with those limits (±``RobotLimits/jointValue`` for a
  /// continuous joint).
  private let turning: [(index: Int, lower: Double, upper: Double)]
  /// The joints the specification leaves free to move (a locked one has no range).
  private let freeJoints: Int
  /// The restricted robot's reach sphere, made once: every verdict on a miss reads it.
  let reachSphere: ReachSphere
  /// The pairs of joints whose axes can lie on one line (`RobotModel.collinearPairs`), where only
  /// a combination of their angles is fixed.
  let collinear: [CollinearPair]

  enum Engine {
    case analytic(AnalyticSolver)
    case levenbergMarquardt(LevenbergMarquardtSolver)
    case network(NetworkSolver)
    case hybrid(HybridSolver)
  }

  init(robot: RobotModel, specification: SolverSpecification, engine: Engine) {
    self.robot = robot
    self.specification = specification
    self.engine = engine
    self.distance = JointDistance(robot: robot)
    self.travel = JointDistance(travelOf: robot)
    if case .analytic(let solver) = engine { closedForm = solver } else { closedForm = nil }
    middle = robot.middleConfiguration
    freeJoints = robot.freeJointCount
    reachSphere = robot.reachSphere
    collinear = robot.collinearPairs
    // The joints the distance measures the short way round: one rule for which joints turn fully.
    turning = robot.movableJoints.indices.filter(distance.wraps(joint:)).map { index in
      let limits = robot.movableJoints[index].limits
      // A continuous joint's copies stay within the values a start may take (a start at 999,999.9
      // answered 1,000,000.4, which the next solve refused as its start).
      return (index, limits?.lower ?? -RobotLimits.jointValue, limits?.upper ?? RobotLimits.jointValue)
    }
  }

  /// The closed form an `.analytic` solver runs (`nil` for other kinds), for what a solve does
  /// not list: its family, its free joint, and the raw branches with their conditions
  /// (``/NeuralIKCore/AnalyticSolver/branches(for:freeJointValue:)``). Built, as every solver, by
  /// ``SolverFactory``.
  public var analyticSolver: AnalyticSolver? { closedForm }

  /// The solver kind (never automatic once built).
  public var kind: SolverKind {
    switch engine {
    case .analytic: return .analytic
    case .levenbergMarquardt: return .levenbergMarquardt
    case .network: return .network
    case .hybrid: return .hybrid
    }
  }

  /// Solves for `target` from `start` (default: the middle of the limits).
  ///
  /// Every solution is inside the joint limits. Out of reach, ``IKResult/best`` is the closest
  /// reachable configuration found, with ``/NeuralIKCore/Solution/reachable`` `false`. A joint that
  /// turns all the way round (continuous, or revolute with limits spanning a turn) is given in its
  /// whole-turn copy inside the limits nearest the start; with ``SolverSpecification/findAll``,
  /// which lists every copy, that copy comes first.
  /// - Parameters:
  ///   - target: a position, or a pose for solvers that take one.
  ///   - start: one value per movable joint (radians or metres): where the robot is.
  /// - Returns: the best solution under ``SolverSpecification/preference``, the others found (all
  ///   of them with ``SolverSpecification/findAll``; the closed form always lists every branch),
  ///   the specification, and the time taken.
  /// - Throws: ``/NeuralIKCore/IKError`` for a start of the wrong size, with non-finite values or
  ///   with values beyond ±1e6 (``/NeuralIKCore/IKError/invalidConfiguration(_:)``), a target the
  ///   solver does not take, or a numerical failure.
  public func solve(_ target: IKTarget, from start: [Double]? = nil) throws(IKError) -> IKResult {
    let begin = DispatchTime.now().uptimeNanoseconds
    let initial = start ?? middle
    try robot.checkConfiguration(initial)
    // Nearest to the start needs a start: without one, the fastest answer.
    let nearStart = start != nil && specification.preference == .nearestToStart
    guard target.position.isFinite else { throw .nonFinite("target position") }
    var found: [Solution]
    let iterations: Int
    switch engine {
    case .analytic:
      // A seven-joint arm is solved at the start's free-joint value, swept for every solution.
      // Without `findAll`, each branch once, in the copy nearest the start.
      // Optional chaining reads it in place (`closedForm` is set for every `.analytic` engine).
      found =
        try closedForm?.allSolutions(
          for: target, from: initial, sweep: specification.findAll, everyCopy: specification.findAll) ?? []
      iterations = 0
    case .levenbergMarquardt(let solver):
      if specification.findAll {
        (found, iterations) = try solver.allSolutions(for: target, from: initial, nearStart: nearStart)
      } else {
        let one = try solver.solve(target, from: initial, nearStart: nearStart)
        (found, iterations) = ([one], one.iterations)
      }
    case .network(let solver):
      found =
        specification.findAll ? try solver.proposals(for: target) : [try solver.solve(target, from: initial)]
      iterations = 0
    case .hybrid(let solver):
      if specification.findAll {
        (found, iterations) = try solver.allSolutions(for: target, from: initial, nearStart: nearStart)
      } else {
        let one = try solver.solve(target, from: initial, nearStart: nearStart)
        (found, iterations) = ([one], one.iterations)
      }
    }
    // At a singularity where two axes line up, only a combination of their angles is fixed: each
    // answer there gets the split nearest the start before they are ranked. A redundant arm's
    // near-start search already moves along all of its self-motion, this included.
    // `findAll` lists each answer as found: split, its copies and branches would repeat.
    if nearStart, !specification.findAll, !collinear.isEmpty, freeJoints <= target.residualCount {
      for index in found.indices where found[index].reachable {
        found[index] = nearestSplit(of: found[index], to: initial, target: target)
      }
    }
    specification.preference.order(
      &found, start: initial, distance: distance,
      rotationWeight: specification.rotationWeight ?? PoseResidual.defaultRotationWeight)
    guard !found.isEmpty else {
      throw .numerical("the \(kind.rawValue) solver found no candidate for robot '\(robot.name)'")
    }
    // Out of reach, where the robot is decides between answers as close as the closest, and keeps
    // the joints that do not bring the tool nearer (so a path beyond the reach does not jump). Not
    // the network's: it answers its proposals as they are, which miss by their error, not because
    // the target is out of reach.
    if nearStart, kind != .network, !found[0].reachable {
      let choice = OutOfReachChoice(
        distance: distance,
        rotationWeight: specification.rotationWeight ?? PoseResidual.defaultRotationWeight,
        tolerance: specification.tolerance)
      if let index = choice.closestIndex(found, near: initial), index != 0 {
        found.insert(found.remove(at: index), at: 0)
      }
      found[0] = choice.settled(
        found[0], toward: initial, robot: robot, target: target, tolerance: specification.tolerance)
    }
    // `findAll` lists every whole-turn copy on purpose, and puts first the copy nearest where the
    // robot is (the distance ties copies, up to rounding); one answer is given in that copy.
    if !turning.isEmpty {
      if !specification.findAll {
        for index in found.indices {
          found[index] = nearestCopies(of: found[index], to: initial, target: target)
        }
      } else if specification.preference == .nearestToStart, found[0].reachable {
        let clamped = robot.clampedToLimits(initial)
        let nearest = distance(found[0].jointValues, initial)
        var first = 0
        for index in found.indices.dropFirst()
        where found[index].reachable && distance(found[index].jointValues, initial) <= nearest + 1e-9
          && travel(found[index].jointValues, clamped) < travel(found[first].jointValues, clamped)
        {
          first = index
        }
        if first != 0 { found.insert(found.remove(at: first), at: 0) }
      }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) * 1e-9
    // The best moved out, then the rest: neither copied.
    return IKResult(
      best: found.removeFirst(), alternatives: found, kind: kind, specification: specification,
      iterations: iterations, seconds: seconds)
  }
}

extension Solver {
  /// Whether a miss of `target` proves it out of reach: it lies beyond the robot's reach sphere,
  /// or this solver runs a closed form without a free joint for targets of its kind (`analytic`,
  /// or the hybrid, which runs it first), and such a closed form lists every branch, or no joint
  /// can move (each held at one value by its limits or a lock): the robot has one pose, and the
  /// miss was measured there. At a singularity a pose closed form's branch is one representative
  /// of a continuum (a UR arm's wrist straight), and proves nothing. Any other miss only says that
  /// no solution was found.
  public func missProvesOutOfReach(_ target: IKTarget) -> Bool {
    if reachSphere.excludes(target.position) { return true }
    if freeJoints == 0 { return true }
    let listing: AnalyticSolver?
    switch engine {
    case .analytic: listing = closedForm
    case .hybrid(let solver): listing = solver.closedForm
    case .levenbergMarquardt, .network: listing = nil
    }
    guard let listing, listing.targetKind == target.kind, listing.freeJointIndex == nil else { return false }
    return !listing.reachingBranchMeetsSingularity(for: target, nearness: 1e-12)
  }

  /// `solution` with each full-turn joint in its copy inside the limits nearest `start` (clamped
  /// into them): the same pose, which a solver may reach a whole turn away, and a robot told to go
  /// there would turn through. The distance measures such joints the short way round, so the
  /// preference's order is unchanged.
  func nearestCopies(of solution: Solution, to start: [Double], target: IKTarget) -> Solution {
    var values = solution.jointValues
    var moved = false
    for (index, lower, upper) in turning {
      let value = values[index]
      let reference = min(upper, max(lower, start[index]))
      var copy = value + 2 * .pi * ((reference - value) / (2 * .pi)).rounded()
      if copy > upper { copy -= 2 * .pi }
      if copy < lower { copy += 2 * .pi }
      // A continuous joint's answer beyond the bound (from a start near it) moves inside; a limited
      // joint's answers are inside its limits already, to rounding, and stay in their copy.
      let beyondBound = robot.movableJoints[index].limits == nil && (value < lower || value > upper)
      guard copy >= lower, copy <= upper, abs(copy - reference) < abs(value - reference) || beyondBound
      else { continue }
      values[index] = copy
      moved = true
    }
    guard moved else { return solution }
    let copied = Solution(
      robot: robot, target: target, jointValues: values, tolerance: specification.tolerance,
      iterations: solution.iterations, solver: solution.solver)
    // Rounding of the turned angles must not move a solution across the tolerance's edge.
    return copied.reachable == solution.reachable ? copied : solution
  }
}

/// What one solve returns: the best solution, the others found, and how it was found.
public struct IKResult: Sendable, Hashable {
  /// The preferred solution; out of reach, the closest reachable configuration found.
  public var best: Solution
  /// Every other distinct solution found, in the order of the preference.
  public var alternatives: [Solution]
  /// The solver that found them.
  public var kind: SolverKind
  /// The settings they were found with.
  public var specification: SolverSpecification
  /// Levenberg–Marquardt iterations spent in all (0 for the closed form and the network alone).
  public var iterations: Int
  /// Wall-clock seconds of the solve.
  public var seconds: Double

  /// ``best`` then ``alternatives``.
  public var solutions: [Solution] { [best] + alternatives }

  /// Whether two results found the same solutions, with the same iterations, solver and settings:
  /// the time they took (``seconds``) is not compared, so that one request solved twice compares
  /// equal (the solve is deterministic; its time is not).
  public static func == (a: IKResult, b: IKResult) -> Bool {
    a.best == b.best && a.alternatives == b.alternatives && a.kind == b.kind
      && a.specification == b.specification && a.iterations == b.iterations
  }

  /// Hashes what `==` compares: everything but ``seconds``.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(best)
    hasher.combine(alternatives)
    hasher.combine(kind)
    hasher.combine(specification)
    hasher.combine(iterations)
  }
}
