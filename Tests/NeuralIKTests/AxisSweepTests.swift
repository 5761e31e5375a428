import Foundation
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIK

@Suite("The hybrid's closed-form sweep of an axis target about its axis")
struct AxisSweepTests {
  @Test(
    "axis target on a six-joint arm: the closed form at turns about the axis meets it exactly, inside the limits, every turn's branches"
  )
  func sweepMeetsAxisTargets() async throws {
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "ur5.json"))
    let network = try IKNetwork(contentsOf: Fixtures.directory.appending(path: "models/ur5.nikm"), for: robot)
    let solver = try SolverFactory.make(robot: robot, network: network)
    guard case .hybrid(let hybrid) = solver.engine else {
      Issue.record("not a hybrid")
      return
    }
    let toolAxis = Vector3(0, 0, 1)
    await propertyCheck(seed: 91, count: 30, input: robot.configurations()) { q in
      let pose = robot.tipPose(at: q)
      let target = try IKTarget(
        position: pose.translation, axis: AxisTarget(toolAxis: toolAxis, direction: pose.rotation * toolAxis))
      let found = hybrid.axisSweep(
        target, aligned: hybrid.alignedAtStart(target, robot.middleConfiguration),
        near: robot.middleConfiguration,
        until: Deadline(seconds: nil))
      // The UR5's limits are two turns wide: every turn about the axis has reaching branches.
      #expect(found.count >= HybridSolver.axisSweepAngles)
      for solution in found {
        let reached = robot.tipPose(at: solution.jointValues)
        #expect(solution.reachable && robot.isWithinLimits(solution.jointValues))
        // The default reach tolerance (1e-6 m and rad), re-measured from the joints.
        #expect((reached.translation - target.position).length <= 1e-6)
        #expect(try #require(target.axis).angle(at: reached.rotation) <= 1e-6)
      }
    }
  }

  @Test(
    "axis target on a six-joint arm: with the proposals and lm given one iteration, the hybrid still meets it"
  )
  func solveFallsBackOnTheSweep() async throws {
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "ur5.json"))
    let network = try IKNetwork(contentsOf: Fixtures.directory.appending(path: "models/ur5.nikm"), for: robot)
    var starved = SolverSpecification()
    starved.proposalIterationBudget = 0
    starved.maxIterations = 1
    starved.startIterationBudget = 1
    starved.iterationBudget = 1
    starved.quickIterations = 1
    starved.randomRestarts = 0
    let solver = try SolverFactory.make(robot: robot, network: network, specification: starved)
    await propertyCheck(seed: 92, count: 10, input: robot.configurations()) { q in
      let pose = robot.tipPose(at: q)
      let target = try IKTarget(
        position: pose.translation, axis: AxisTarget(direction: pose.rotation * Vector3(0, 0, 1)))
      let best = try solver.solve(target).best
      #expect(best.reachable && robot.isWithinLimits(best.jointValues))
    }
  }

  @Test("no sweep about the axis for a pose target, or where the closed form has a free joint (the Panda)")
  func noSweepElsewhere() throws {
    let ur5 = try RobotModel(contentsOf: Fixtures.robots.appending(path: "ur5.json"))
    let panda = try RobotModel(contentsOf: Fixtures.robots.appending(path: "panda.json"))
    for (robot, arm) in [(ur5, "ur5"), (panda, "panda")] {
      let network = try IKNetwork(
        contentsOf: Fixtures.directory.appending(path: "models/\(arm).nikm"), for: robot)
      guard case .hybrid(let hybrid) = try SolverFactory.make(robot: robot, network: network).engine else {
        Issue.record("not a hybrid")
        return
      }
      let pose = robot.tipPose(at: robot.middleConfiguration)
      let poseTarget = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      let axisTarget = try IKTarget(
        position: pose.translation, axis: AxisTarget(direction: pose.rotation * Vector3(0, 0, 1)))
      let never = Deadline(seconds: nil)
      #expect(
        hybrid.axisSweep(
          poseTarget, aligned: hybrid.alignedAtStart(poseTarget, robot.middleConfiguration),
          near: robot.middleConfiguration, until: never
        ).isEmpty)
      #expect(
        hybrid.axisSweep(
          axisTarget, aligned: hybrid.alignedAtStart(axisTarget, robot.middleConfiguration),
          near: robot.middleConfiguration, until: never
        ).isEmpty
          == (arm == "panda"))
    }
  }
}
