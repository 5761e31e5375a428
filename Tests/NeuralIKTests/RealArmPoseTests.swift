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
    let solver = try Solvers.make(.levenbergMarquardt, robot) { $0.randomRestarts = 0 }
    let nudges = Gen.double(in: -0.05...0.05).array(of: robot.degreesOfFreedom)
    await propertyCheck(seed: 21, count: 300, input: zip(robot.configurations(), nudges)) { q, nudge in
      let pose = robot.tipPose(at: q)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      let solution = try solver.solve(target, from: zip(q, nudge).map(+)).best
      #expect(solution.positionError < 1e-7, "q \(q)")
      #expect(try #require(solution.rotationError) < 1e-7, "q \(q)")
      #expect(solution.reachable)
      #expect(robot.isWithinLimits(solution.jointValues))
    }
  }
}
