import Foundation
import NeuralIK
import PropertyBased
import TestSupport
import Testing

@Suite("Axis targets: a tool axis along a direction, the rotation about it free")
struct AxisTargetTests {
  @Test(
    "IK ∘ FK reaches an axis target: the position, the axis along its direction, inside the limits",
    arguments: ["panda", "ur5"], [SolverKind.hybrid, .levenbergMarquardt])
  func reaches(arm: String, kind: SolverKind) async throws {
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "\(arm).json"))
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/\(arm).nikm"), for: robot)
    let solver = try SolverFactory.make(
      robot: robot, network: kind == .hybrid ? network : nil, specification: .default(kind))
    var reached = 0
    let count = 60
    await propertyCheck(seed: 90, count: count, input: robot.configurations()) { q in
      let pose = robot.tipPose(at: q)
      let toolAxis = Vector3(0, 0, 1)
      let target = try IKTarget(
        position: pose.translation, axis: AxisTarget(toolAxis: toolAxis, direction: pose.rotation * toolAxis))
      #expect(target.kind == .axis && target.residualCount == 6)
      let best = try solver.solve(target).best
      #expect(robot.isWithinLimits(best.jointValues))
      let reachedPose = robot.tipPose(at: best.jointValues)
      // The solution's own verdict is re-measured from its joints, not trusted.
      let angle = try #require(target.axis).angle(at: reachedPose.rotation)
      #expect(best.reachable == ((reachedPose.translation - target.position).length <= 1e-6 && angle <= 1e-6))
      #expect(abs(try #require(best.rotationError) - angle) < 1e-12)
      if best.reachable { reached += 1 }
    }
    #expect(reached * 100 >= count * 95, "\(reached) of \(count) axis targets reached")
  }

  @Test("a zero or non-finite axis is a typed error")
  func badAxis() {
    #expect(throws: IKError.self) { try AxisTarget(direction: Vector3(0, 0, 0)) }
    #expect(throws: IKError.self) {
      try AxisTarget(toolAxis: Vector3(.nan, 0, 1), direction: Vector3(0, 0, 1))
    }
    #expect((try? AxisTarget(direction: Vector3(0, 0, -1e-300)))?.direction == Vector3(0, 0, -1))
  }
}
