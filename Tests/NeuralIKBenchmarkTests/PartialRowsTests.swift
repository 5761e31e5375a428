import Foundation
import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("bench --partial")
struct PartialRowsTests {
  @Test("a row's restriction joins the run's own: on a joint both restrict, where they overlap")
  func restrictionsJoin() {
    let own = [JointRestriction(joint: "a", lower: 0, upper: 0.5), .lock("b", at: 1)]
    #expect(
      Benchmark.intersecting(own, with: JointRestriction(joint: "a", lower: 0.3, upper: 0.7))
        == [JointRestriction(joint: "a", lower: 0.3, upper: 0.5), .lock("b", at: 1)])
    #expect(
      Benchmark.intersecting(own, with: .lock("a", at: 0.2)) == [.lock("a", at: 0.2), .lock("b", at: 1)])
    #expect(Benchmark.intersecting(own, with: .lock("c", at: 2)) == own + [.lock("c", at: 2)])
  }

  @Test(
    "the partial rows are scored from their answers, axis angles included, and count no answer outside its restriction"
  )
  func partialRows() throws {
    let robot = try RealArm.panda.fromJSON()
    let url = try #require(RealArm.panda.modelURL)
    let network = try IKNetwork(contentsOf: url, for: robot)
    let targets = try BenchmarkTargets.generate(robot: robot, kind: .pose, count: 30, seed: 91)
    var benchmark = Benchmark(robot: robot, network: network, targets: targets)
    benchmark.kinds = [.hybrid]
    benchmark.partialTargets = true
    let report = try benchmark.run()
    let reachable = report.rows.filter { $0.targetSet == BenchmarkTargets.reachableName }
    #expect(
      reachable.map(\.solver) == [
        "hybrid", "hybrid without closed form", "hybrid position-only", "hybrid axis", "hybrid locked joint",
        "hybrid tighter limits",
      ])
    // Poses out of reach for certain get their own rows, which nothing reaches.
    let outOfReach = report.rows.filter { $0.targetSet == BenchmarkTargets.outOfReachName }
    #expect(outOfReach.map(\.solver) == ["hybrid", "hybrid without closed form"])
    #expect(outOfReach.allSatisfy { $0.count == 15 && $0.successRate == 0 && $0.limitViolations == 0 })
    #expect(report.restrictionViolations == ["hybrid locked joint": 0, "hybrid tighter limits": 0])
    for row in reachable {
      #expect(row.successRate >= 0.9, "\(row.solver): \(row.successRate)")
      #expect(row.limitViolations == 0)
    }
    // Position-only rows measure no rotation; axis rows measure the axis angle.
    let row = { (name: String) in report.rows.first { $0.solver == name } }
    #expect(try #require(row("hybrid position-only")).rotationMedianDegrees == nil)
    #expect(try #require(row("hybrid axis")).rotationMedianDegrees != nil)
  }
}
