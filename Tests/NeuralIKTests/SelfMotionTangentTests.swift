import Foundation
import TestSupport
import Testing

@testable import NeuralIK

@Suite("The elastic band's tangent along the self-motion")
struct SelfMotionTangentTests {
  @Test(
    "band: the tangent is a unit null vector of the target's Jacobian: a step of 1e-4 along it leaves the target by second order only",
    arguments: ["panda", "iiwa14"])
  func tangentIsTheSelfMotion(arm: String) throws {
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "\(arm).json"))
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/\(arm).nikm"), for: robot)
    guard case .hybrid(let hybrid) = try SolverFactory.make(robot: robot, network: network).engine else {
      Issue.record("not a hybrid")
      return
    }
    let band = SelfMotionBand(lm: hybrid.lm, distance: JointDistance(robot: robot))
    var measured = 0
    // A plain seeded loop: the band holds a non-Sendable solver, which the property runner's
    // closure would have to send.
    let seed: UInt64 = 93
    var generator = SplitMix64(seed: seed)
    for _ in 0..<30 {
      let q = robot.movableJoints.map { joint in
        Double.random(in: (joint.limits?.lower ?? -.pi)...(joint.limits?.upper ?? .pi), using: &generator)
      }
      let pose = robot.tipPose(at: q)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      let residual = PoseResidual(robot: robot, target: target)
      guard let t = band.tangent(residual, at: q, near: nil) else { continue }
      measured += 1
      #expect(abs(t.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12, "seed \(seed), q \(q)")
      // f(q + h t) = h J t + O(h²): with J t = 0, about h² (1e-8) times the curvature, where a
      // direction with any part in the Jacobian's row space moves the tool by about h (1e-4).
      let h = 1e-4
      var f = [Double](repeating: 0, count: residual.count)
      residual.evaluate(at: zip(q, t).map { $0 + h * $1 }, into: &f)
      #expect(f.reduce(0) { $0 + $1 * $1 }.squareRoot() < 1e-6, "seed \(seed), q \(q)")
    }
    #expect(measured >= 25, "a tangent at only \(measured) of 30 configurations")
  }
}
