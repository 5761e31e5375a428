import Foundation
import NeuralIK
import PropertyBased
import TestSupport
import Testing

@Suite("Locked joints and tighter limits per request")
struct RestrictionTests {
  static func network(_ name: String, _ robot: RobotModel) throws -> IKNetwork {
    try IKNetwork(contentsOf: Fixtures.directory.appending(path: "models/\(name).nikm"), for: robot)
  }

  @Test(
    "no answer leaves the restricted limits, a locked joint keeps its value, and a target made inside them is reached",
    arguments: ["panda", "ur5", "arm-3dof"], [SolverKind.hybrid, .levenbergMarquardt])
  func answersStayInside(arm: String, kind: SolverKind) async throws {
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "\(arm).json"))
    let network = try Self.network(arm, robot)
    let n = robot.degreesOfFreedom
    var reached = 0
    let count = 40
    await propertyCheck(
      seed: 70, count: count,
      input: zip(robot.configurations(), Gen.int(in: 0..<n), Gen.int(in: 0..<n), Gen.double(in: 0.05...0.5))
    ) { q, locked, narrowed, width in
      let names = robot.movableJoints.map(\.name)
      var restrictions = [JointRestriction.lock(names[locked], at: q[locked])]
      if narrowed != locked, let limits = robot.movableJoints[narrowed].limits {
        restrictions.append(
          JointRestriction(
            joint: names[narrowed], lower: max(limits.lower, q[narrowed] - width),
            upper: min(limits.upper, q[narrowed] + width)))
      }
      let solver = try SolverFactory.make(
        robot: robot, network: kind == .hybrid ? network : nil,
        specification: SolverSpecification(kind: kind, restrictions: restrictions))
      let pose = robot.tipPose(at: q)
      let target =
        network.targetKind == .pose
        ? try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
        : try IKTarget(position: pose.translation)
      let best = try solver.solve(target).best
      #expect(
        best.jointValues[locked] == q[locked], "locked \(names[locked]) at \(q[locked]): \(best.jointValues)")
      for restriction in restrictions {
        let index = try #require(names.firstIndex(of: restriction.joint))
        let value = best.jointValues[index]
        #expect(
          value >= restriction.lower && value <= restriction.upper,
          "\(restriction) left: \(value) in \(best.jointValues)")
      }
      #expect(robot.isWithinLimits(best.jointValues))
      if best.reachable { reached += 1 }
    }
    // The configuration the target came from satisfies every restriction, so the target is
    // reachable under them; the solvers' local search may still miss a few.
    #expect(reached * 10 >= count * 9, "\(reached) of \(count) reached under restrictions")
  }

  @Test(
    "a restriction that does not fit the robot is a typed error naming the joint and what it accepts",
    arguments: [
      (JointRestriction.lock("elbow", at: 0), "unknown joint 'elbow'; the movable joints are: panda_joint1"),
      (JointRestriction(joint: "panda_joint4", lower: -5, upper: 1), "leaves its limits"),
      (JointRestriction(joint: "panda_joint4", lower: -1, upper: -2), "lower ≤ upper"),
      (JointRestriction(joint: "panda_joint4", lower: .nan, upper: -2), "must be finite"),
      // The URDF's flange joint: in the chain, but fixed.
      (JointRestriction.lock("panda_joint8", at: 0), "joint 'panda_joint8' is fixed, so it never moves"),
    ])
  func badRestrictions(restriction: JointRestriction, message: String) throws {
    let robot = try RealArm.panda.fromURDF()
    #expect {
      try SolverFactory.make(
        robot: robot,
        specification: SolverSpecification(kind: .levenbergMarquardt, restrictions: [restriction]))
    } throws: { "\($0)".contains(message) }
    let twice = [JointRestriction.lock("panda_joint1", at: 0), .lock("panda_joint1", at: 0.1)]
    #expect {
      try SolverFactory.make(robot: robot, specification: SolverSpecification(restrictions: twice))
    } throws: { "\($0)".contains("restricted twice") }
  }

  @Test("a continuous joint locked beyond ±1e6 rad is refused naming it; a few turns out is taken")
  func continuousLockBeyondAnyLimit() throws {
    let robot = try NearestCopyTests.ur5WithContinuousBase()
    let name = robot.movableJoints[0].name
    func make(_ value: Double) throws -> Solver {
      try SolverFactory.make(
        robot: robot,
        specification: SolverSpecification(kind: .levenbergMarquardt, restrictions: [.lock(name, at: value)]))
    }
    #expect { try make(1e300) } throws: {
      "\($0)".contains("'\(name)' (continuous)") && "\($0)".contains("±1000000 rad")
    }
    #expect(try make(20).robot.movableJoints[0].limits == JointLimits(lower: 20, upper: 20))
  }
}
