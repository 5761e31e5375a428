import Foundation
import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("The committed real-arm models")
struct RealArmHybridTests {
  @Test(
    "the committed model's default hybrid reaches protocol targets to 1 mm and 0.572°, inside the limits and the budget",
    arguments: RealArm.allCases)
  func hybridRoundTrip(arm: RealArm) throws {
    let robot = try arm.fromJSON()
    let url = try #require(arm.modelURL, "Fixtures/models/\(arm.rawValue).nikm is missing")
    let network = try IKNetwork(contentsOf: url, for: robot)
    let targets = BenchmarkTargets.reachableTargets(robot: robot, count: 300, seed: 77, kind: .pose)
    let solver = try SolverFactory.make(robot: robot, network: network)
    let results = try targets.map { target throws(IKError) in try solver.solve(target) }
    let row = try BenchmarkScorer(robot: robot).row(
      solver: "hybrid", targets: targets,
      measurements: .init(jointValues: results.map(\.best.jointValues), iterations: results.map(\.iterations))
    )
    #expect(row.successRate >= 0.99, "\(row)")
    #expect(row.limitViolations == 0)
    #expect(try #require(row.iterationsMax) <= solver.specification.maximumIterations)
    // Each answer measured again from its joint values alone: the reported tip and errors are the
    // forward kinematics of the configuration, and a reached answer is within the tolerance.
    for (target, result) in zip(targets, results) {
      let solution = result.best
      // swift-format-ignore: AlwaysUseLowerCamelCase
      let T_base_tip = robot.tipPose(at: solution.jointValues)
      let position = (T_base_tip.translation - target.position).length
      let rotation = try #require(target.orientation).rotation.angle(to: T_base_tip.rotation)
      #expect(abs(position - solution.positionError) < 1e-12, "\(target)")
      #expect(abs(rotation - (solution.rotationError ?? .nan)) < 1e-12, "\(target)")
      #expect(solution.reachable == (position <= 1e-6 && rotation <= 1e-6), "\(target)")
    }
  }
}
