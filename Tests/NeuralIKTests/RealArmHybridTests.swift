import Foundation
import NeuralIK
import TestSupport
import Testing

@Suite("The committed real-arm models")
struct RealArmHybridTests {
  @Test(
    "the committed model's hybrid reaches protocol targets to 1 mm and 0.572°, inside the limits",
    arguments: RealArm.allCases)
  func hybridRoundTrip(arm: RealArm) throws {
    let robot = try arm.fromJSON()
    let url = try #require(arm.modelURL, "Fixtures/models/\(arm.rawValue).nikm is missing")
    let network = try IKNetwork(contentsOf: url, for: robot)
    let targets = ProtocolBenchmark.targets(robot: robot, count: 300, seed: 77, poses: true)
    let solver = try HybridSolver(robot: robot, network: network)
    let solutions = try targets.map { target throws(IKError) in
      try solver.solve(target, from: robot.middleConfiguration)
    }
    let row = BenchmarkScorer(robot: robot).row(
      solver: "hybrid", targets: targets, jointValues: solutions.map(\.jointValues),
      seconds: Array(repeating: 0, count: targets.count))
    #expect(row.success_rate >= 0.99, "\(row)")
    #expect(row.limit_violations == 0)
    for (target, solution) in zip(targets, solutions) where solution.reachable {
      #expect(solution.positionError <= 1e-6 && solution.rotationError! <= 1e-6, "\(target)")
    }
  }
}
