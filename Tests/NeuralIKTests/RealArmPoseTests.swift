import Foundation
import NeuralIK
import PropertyBased
import TestSupport
import Testing

@Suite("Pose targets on the Panda, iiwa 14 and UR5")
struct RealArmPoseTests {
  @Test("FK(q) → LM from near q → the pose within 1e-7, inside the limits", arguments: RealArm.allCases)
  func roundTripNear(arm: RealArm) async throws {
    let robot = try arm.fromJSON()
    let solver = LevenbergMarquardtSolver(robot: robot)
    let nudges = Gen.double(in: -0.05...0.05).array(of: robot.degreesOfFreedom)
    await propertyCheck(seed: 21, count: 300, input: zip(robot.configurations(), nudges)) { q, nudge in
      let pose = robot.tipPose(at: q)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      let solution = try solver.solve(target, from: zip(q, nudge).map(+))
      #expect(solution.positionError < 1e-7, "q \(q)")
      #expect(try #require(solution.rotationError) < 1e-7, "q \(q)")
      #expect(solution.reachable)
      #expect(robot.isWithinLimits(solution.jointValues))
    }
  }

  @Test("protocol targets are FK of in-limit configurations, the same for the same seed")
  func protocolTargets() throws {
    let robot = try RealArm.iiwa14.fromJSON()
    let a = ProtocolBenchmark.targets(robot: robot, count: 50, seed: 5, poses: true)
    let b = ProtocolBenchmark.targets(robot: robot, count: 50, seed: 5, poses: true)
    let c = ProtocolBenchmark.targets(robot: robot, count: 50, seed: 6, poses: true)
    #expect(a == b)
    #expect(a != c)
    #expect(a.allSatisfy { $0.hasOrientation })
  }

  @Test("the scorer measures errors by FK: exact answers, a 2 mm miss, a 1° miss and a limit violation")
  func scorer() throws {
    let robot = try RealArm.panda.fromJSON()
    var generator = SplitMix64(seed: 3)
    let qs = (0..<4).map { _ in robot.randomConfiguration(using: &generator) }
    let targets = try qs.map { q throws in
      let pose = robot.tipPose(at: q)
      return try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
    }
    // A target 2 mm off the configuration's tip; a target turned 1° about the tip's z axis.
    let shifted = try IKTarget(
      position: targets[1].position + Vector3(0.002, 0, 0), orientation: targets[1].orientation!)
    let turn = Rotation3.exponential(robot.tipPose(at: qs[2]).rotation * Vector3(0, 0, 1 * Double.pi / 180))
    let turned = try IKTarget(
      position: targets[2].position, orientation: Quaternion(turn * robot.tipPose(at: qs[2]).rotation))
    var outside = qs[3]
    outside[0] = robot.movableJoints[0].limits!.upper + 0.1
    let row = BenchmarkScorer(robot: robot).row(
      solver: "test", targets: [targets[0], shifted, turned, targets[3]],
      jointValues: [qs[0], qs[1], qs[2], outside],
      seconds: [1e-6, 2e-6, 3e-6, 4e-6], reportedFound: 4)
    #expect(row.count == 4)
    #expect(row.success_rate == 0.25, "only the exact answer is within 1 mm and 0.572°")
    #expect(row.success_rate_loose == 0.75, "the 2 mm and 1° misses are within 5 mm and 2.865°")
    #expect(row.limit_violations == 1)
    #expect(abs(row.position_median_mm - 1) < 1e-6, "errors 0, 2, 0 and large: median (0 + 2) / 2")
    // Turning joint 1 (about the base z axis) by δ turns the tip by exactly δ.
    let delta = (outside[0] - qs[3][0]) * 180 / .pi
    #expect(abs(try #require(row.rotation_median_deg) - 0.5) < 1e-6, "rotation errors 0, 0, 1° and δ")
    #expect(abs(try #require(row.rotation_mean_deg) - (1 + delta) / 4) < 1e-6)
    #expect(abs(row.time_mean_us - 2.5) < 1e-9)
    #expect(row.reported_found == 4)
  }
}
