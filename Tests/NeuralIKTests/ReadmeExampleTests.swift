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
    let exact = try SolverFactory.make(robot: robot, specification: .default(.analytic)).solve(target)
    let lm = try SolverFactory.make(robot: robot, specification: .default(.levenbergMarquardt))
    let solution = try lm.solve(target, from: robot.middleConfiguration).best
    #expect(exact.solutions.count == 4)
    #expect(solution.reachable && solution.positionError < 1e-6)
    // swift-format-ignore: AlwaysUseLowerCamelCase
    let T_base_tip = robot.tipPose(at: solution.jointValues)
    #expect((T_base_tip.translation - target.position).length < 1e-6)
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/arm-3dof.nikm"), for: robot)
    let hybrid = try SolverFactory.make(robot: robot, network: network)  // network guess → GSL LM
    let result = try hybrid.solve(target, from: robot.middleConfiguration)
    #expect(result.best.reachable && result.kind == .hybrid && result.best.solver == .hybrid)
    #expect(result.iterations <= result.specification.maximumIterations)
  }
}
