import Foundation
import NeuralIK
import TestSupport
import Testing

@Suite("README")
struct ReadmeExampleTests {
  @Test("the README's library example runs and reaches its target")
  func libraryExample() throws {
    // Mirrors the README's "Library" snippet, with the fixture path made absolute.
    let robot = try RobotModel(contentsOf: FixtureArm.arm3DoF.url)
    let target = try IKTarget(position: Vector3(0.2, 0.1, 0.8))
    let exact = try AnalyticSolver(robot: robot).allSolutions(for: target)
    let lm = LevenbergMarquardtSolver(robot: robot, options: .init(randomRestarts: 8))
    let solution = try lm.solve(target, from: robot.middleConfiguration)
    #expect(exact.count == 4)
    #expect(solution.reachable && solution.positionError < 1e-6)
    let T_base_tip = robot.tipPose(at: solution.jointValues)
    #expect((T_base_tip.translation - target.position).length < 1e-6)
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/arm-3dof.nikm"), for: robot)
    let hybrid = try HybridSolver(robot: robot, network: network)
    let refined = try hybrid.solve(target, from: robot.middleConfiguration)
    #expect(refined.reachable && refined.solver == .hybrid)
  }
}
