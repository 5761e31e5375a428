import Foundation
import NeuralIK
import PropertyBased
import TestSupport
import Testing

/// The hybrid's closed-form stage (Docs/Solvers.md): exact answers where the robot's pose closed
/// form reaches, the refinement where it does not, and the switch that turns it off.
@Suite("The hybrid's closed-form stage")
struct HybridClosedFormTests {
  static func hybrid(_ arm: RealArm, closedForm: Bool? = nil) throws -> (RobotModel, Solver) {
    let robot = try arm.fromJSON()
    let network = try IKNetwork(contentsOf: try #require(arm.modelURL), for: robot)
    var specification = SolverSpecification(kind: .hybrid)
    specification.closedForm = closedForm
    return (robot, try SolverFactory.make(robot: robot, network: network, specification: specification))
  }

  static func poseTarget(_ robot: RobotModel, _ q: [Double]) throws -> IKTarget {
    let pose = robot.tipPose(at: q)
    return try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
  }

  @Test(
    "closed-form answers are exact: an answer without iterations reaches its pose to 1e-9, inside the limits",
    arguments: [RealArm.ur5, .iiwa14, .panda])
  func closedFormAnswersAreExact(arm: RealArm) async throws {
    let (robot, solver) = try Self.hybrid(arm)
    await propertyCheck(seed: 81, count: 150, input: robot.configurations()) { q in
      let result = try solver.solve(Self.poseTarget(robot, q))
      #expect(result.best.reachable)
      #expect(robot.isWithinLimits(result.best.jointValues))
      if result.iterations == 0 {
        #expect(result.best.positionError < 1e-9, "q \(q)")
        #expect(try #require(result.best.rotationError) < 1e-9, "q \(q)")
      }
    }
  }

  @Test(
    "six joints: every pose of an in-limit configuration is answered by the closed form, without iterations")
  func sixJointsNeedNoIterations() async throws {
    let (robot, solver) = try Self.hybrid(.ur5)
    await propertyCheck(seed: 82, count: 300, input: robot.configurations()) { q in
      let result = try solver.solve(Self.poseTarget(robot, q))
      #expect(result.iterations == 0, "q \(q): \(result.iterations) iterations")
      #expect(result.best.positionError < 1e-9, "q \(q)")
    }
  }

  @Test("without a start, the closed form answers with its branch nearest the middle of the limits")
  func nearestBranch() async throws {
    let (robot, solver) = try Self.hybrid(.ur5)
    let distance = JointDistance(robot: robot)
    let middle = robot.middleConfiguration
    var every = SolverSpecification.default(.analytic)
    every.findAll = true
    let branches = try SolverFactory.make(robot: robot, specification: every)
    await propertyCheck(seed: 83, count: 100, input: robot.configurations()) { q in
      let target = try Self.poseTarget(robot, q)
      let result = try solver.solve(target)
      let all = try branches.solve(target, from: middle)
      let nearest = ([all.best] + all.alternatives).map { distance($0.jointValues, middle) }.min() ?? 0
      #expect(distance(result.best.jointValues, middle) <= nearest + 1e-9, "q \(q)")
    }
  }

  @Test(
    "six joints, from a start: the answer is never farther from the start than the target's own configuration"
  )
  func sixJointsNearestStart() async throws {
    let (robot, solver) = try Self.hybrid(.ur5)
    let distance = JointDistance(robot: robot)
    let nudges = Gen.double(in: -0.2...0.2).array(of: robot.degreesOfFreedom)
    await propertyCheck(seed: 86, count: 300, input: zip(robot.configurations(), nudges)) { q, nudge in
      let start = robot.clampedToLimits(zip(q, nudge).map(+))
      let result = try solver.solve(Self.poseTarget(robot, q), from: start)
      #expect(result.best.reachable)
      #expect(distance(result.best.jointValues, start) <= distance(q, start) + 1e-9, "q \(q), start \(start)")
    }
  }

  @Test(
    "seven joints: a pose of a configuration whose free joint sits at a value of the sweep (a centre of 2, 4, …, 32 equal cells of its range) is answered by the closed form, exactly and without iterations",
    arguments: [RealArm.iiwa14, .panda])
  func sweepBeforeRefinement(arm: RealArm) async throws {
    let (robot, solver) = try Self.hybrid(arm)
    let free = try #require(AnalyticSolver(robot: robot).freeJointIndex)
    let limits = try #require(robot.movableJoints[free].limits)
    let levels = Gen.int(in: 1...5)
    let cells = Gen.double(in: 0..<1)
    await propertyCheck(seed: 87, count: 150, input: zip(robot.configurations(), zip(levels, cells))) {
      q, cell in
      let count = 1 << cell.0
      let centre = (Double(Int(cell.1 * Double(count))) + 0.5) / Double(count)
      var generating = q
      generating[free] = limits.lower + centre * (limits.upper - limits.lower)
      let result = try solver.solve(Self.poseTarget(robot, generating))
      #expect(result.iterations == 0, "generating \(generating): \(result.iterations) iterations")
      #expect(result.best.positionError < 1e-9, "generating \(generating)")
      #expect(try #require(result.best.rotationError) < 1e-9, "generating \(generating)")
    }
  }

  @Test("closed_form false keeps the refinement alone: the same targets take iterations")
  func switchedOff() async throws {
    let (robot, solver) = try Self.hybrid(.ur5, closedForm: false)
    var iterated = 0
    await propertyCheck(seed: 84, count: 50, input: robot.configurations()) { q in
      // Reaching is not asserted: the refinement alone misses a few UR5 targets near the edge of
      // the reach that the closed form meets (this seed draws one).
      if try solver.solve(Self.poseTarget(robot, q)).iterations > 0 { iterated += 1 }
    }
    #expect(iterated >= 45, "\(iterated) of 50 refined")
  }
}

@Suite("The hybrid's closed form at the limits")
struct HybridClosedFormLimitTests {
  @Test(
    "the hybrid reaches every pose its closed form reaches at the corners of the limits, where the free joint reaches only at a limit",
    arguments: [RealArm.panda, .iiwa14])
  func reachesWhatTheClosedFormReachesAtCorners(arm: RealArm) throws {
    let robot = try arm.fromJSON()
    let limits = try robot.movableJoints.map { try #require($0.limits) }
    // Without a model: the default is the hybrid over the closed form, then `lm`.
    let hybrid = try SolverFactory.make(robot: robot)
    let analytic = try SolverFactory.make(robot: robot, specification: .default(.analytic))
    var missed: [[Double]] = []
    var reachedByClosedForm = 0
    for corner in 0..<(1 << limits.count) {
      let q = limits.indices.map { (corner >> $0) & 1 == 1 ? limits[$0].upper : limits[$0].lower }
      let target = try HybridClosedFormTests.poseTarget(robot, q)
      guard try analytic.solve(target).best.reachable else { continue }
      reachedByClosedForm += 1
      if !(try hybrid.solve(target).best.reachable) { missed.append(q) }
    }
    #expect(reachedByClosedForm > 0)
    #expect(missed.isEmpty, "reached by the closed form, missed by the hybrid: \(missed)")
  }
}
