import Foundation
import NeuralIK
import PropertyBased
import TestSupport
import Testing

@Suite("GSL Levenberg–Marquardt solver")
struct LevenbergMarquardtTests {
  static let arms = FixtureArm.allCases.map(\.rawValue)

  @Test("GSL's cblas calls resolve to OpenBLAS, not GSL's reference cblas")
  func linkedAgainstOpenBLAS() throws {
    let library = try #require(NumericsBackend.cblasLibrary)
    #expect(library.contains("openblas"), "cblas_dgemm comes from \(library)")
  }

  @Test(
    "IK ∘ FK: from the middle of the limits, with the shipped restarts, LM reaches at least 99 % of FK(q) for q anywhere within the limits, every answer inside them",
    arguments: arms)
  func roundTrip(arm: String) async throws {
    let robot = try #require(FixtureArm(rawValue: arm)).robot()
    let solver = try Solvers.make(.levenbergMarquardt, robot)
    let count = 500
    var reached = 0
    // From the middle, not from near q: the answer must come from the solver's search, not from a
    // start already in q's basin. LM is local, restarts or not, so a rare miss is its nature (one
    // in 500 on arm-3dof); a broken search misses far more.
    await propertyCheck(seed: 1, count: count, input: robot.configurations()) { q in
      let target = try IKTarget(position: robot.tipPosition(at: q))
      let solution = try solver.solve(target).best
      if solution.positionError <= solver.specification.tolerance.position { reached += 1 }
      #expect(robot.isWithinLimits(solution.jointValues))
      #expect(solution.solver == .levenbergMarquardt)
    }
    #expect(reached * 100 >= count * 99, "\(reached) of \(count) reached")
  }

  @Test("pose targets on a 6-joint chain with every joint kind: LM from the middle reaches the pose")
  func poseRoundTrip() async throws {
    let robot = try Fixtures.mixedChain()
    let solver = try Solvers.make(.levenbergMarquardt, robot)
    await propertyCheck(seed: 2, count: 200, input: robot.configurations()) { q in
      let pose = robot.tipPose(at: q)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      let solution = try solver.solve(target).best
      #expect(solution.positionError <= solver.specification.tolerance.position)
      #expect(try #require(solution.rotationError) <= solver.specification.tolerance.rotation)
      #expect(robot.isWithinLimits(solution.jointValues))
    }
  }

  /// Targets out of reach: near the workspace, far away, behind and under the arm, and just past
  /// the joint-limit boundaries.
  static func outOfReachTargets(_ robot: RobotModel, analytic: Solver) throws -> [IKTarget] {
    var generator = SplitMix64(seed: 11)
    var targets: [IKTarget] = []
    let scale = robot.tipPosition(at: robot.middleConfiguration).length
    while targets.count < 150 {
      let q = robot.randomConfiguration(using: &generator)
      let p = robot.tipPosition(at: q)
      let kind = targets.count % 5
      let direction = Vector3(
        Double.random(in: -1...1, using: &generator), Double.random(in: -1...1, using: &generator),
        Double.random(in: -1...1, using: &generator))
      let position: Vector3
      switch kind {
      case 0: position = p + direction * 0.05 * scale  // near the workspace
      case 1: position = direction * 10 * scale  // far away
      case 2: position = Vector3(-abs(p.x) - 0.1 * scale, p.y * 0.1, p.z)  // behind
      case 3: position = Vector3(p.x * 0.2, p.y * 0.2, -abs(p.z) - 0.2 * scale)  // under
      default:  // past a joint limit: extend one joint beyond its bound
        var beyond = q
        let index = Int.random(in: 0..<q.count, using: &generator)
        let limits = try #require(robot.movableJoints[index].limits)
        beyond[index] = Bool.random(using: &generator) ? limits.upper + 0.3 : limits.lower - 0.3
        position = robot.tipPosition(at: beyond)
      }
      let target = try IKTarget(position: position)
      // Keep only targets that are truly out of reach by a margin the tests can see.
      if try analytic.solve(target).best.positionError > 1e-3 {
        targets.append(target)
      }
    }
    return targets
  }

  @Test("out of reach: LM converges to the closed-form closest point, within the limits", arguments: arms)
  func outOfReach(arm: String) throws {
    let robot = try FixtureArm(rawValue: arm)!.robot()
    let analytic = try Solvers.make(.analytic, robot)
    let solver = try Solvers.make(.levenbergMarquardt, robot) {
      $0.randomRestarts = 12
      $0.seed = 3
      // Every one of the 13 starts runs out of reach: room for all of them.
      $0.iterationBudget = 13 * $0.startIterationBudget
    }
    for target in try Self.outOfReachTargets(robot, analytic: analytic) {
      let exact = try analytic.solve(target).best
      let solution = try solver.solve(target).best
      #expect(!solution.reachable)
      #expect(robot.isWithinLimits(solution.jointValues))
      #expect(
        abs(solution.positionError - exact.positionError) < 1e-6,
        "target \(target.position): LM \(solution.positionError) at \(solution.jointValues), closed form \(exact.positionError) at \(exact.jointValues)"
      )
    }
  }

  @Test("bad input is a typed error: wrong-sized guess, non-finite guess")
  func badInput() throws {
    let robot = try FixtureArm.arm3DoF.robot()
    let solver = try Solvers.make(.levenbergMarquardt, robot)
    let target = try IKTarget(position: Vector3(0.3, 0, 0.5))
    #expect(throws: IKError.wrongDimension(what: "joint configuration", expected: 3, got: 2)) {
      try solver.solve(target, from: [0, 0])
    }
    #expect(throws: IKError.self) { try solver.solve(target, from: [0, .nan, 0]) }
  }
}
