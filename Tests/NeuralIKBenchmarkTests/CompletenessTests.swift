import Foundation
import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("bench: completeness against the closed form")
struct CompletenessTests {
  @Test(
    "each solver's counts against the closed form agree with the rows: reached = exact rate, missed and beyond within them"
  )
  func countsAgreeWithRows() throws {
    let robot = try RealArm.ur5.fromJSON()
    let url = try #require(RealArm.ur5.modelURL)
    let network = try IKNetwork(contentsOf: url, for: robot)
    let targets = try BenchmarkTargets.generate(robot: robot, kind: .pose, count: 40, seed: 17)
    var benchmark = Benchmark(robot: robot, network: network, targets: targets)
    benchmark.kinds = [.analytic, .hybrid, .levenbergMarquardt]
    benchmark.timing = false
    let report = try benchmark.run()
    let counts = try #require(report.closedFormCompleteness)
    #expect(Set(counts.keys) == ["hybrid", "hybrid without closed form", "lm"])
    let reachable = report.rows.filter { $0.targetSet == BenchmarkTargets.reachableName }
    let closedForm = try #require(reachable.first { $0.solver == "analytic" })
    for (solver, c) in counts {
      let row = try #require(reachable.first { $0.solver == solver })
      #expect(c.targets == targets.reachable.count)
      #expect(c.solverReached == Int((row.exactRate * Double(row.count)).rounded()), "\(solver)")
      #expect(c.closedFormReached == Int((closedForm.exactRate * Double(closedForm.count)).rounded()))
      // Reached = reached by both + beyond; the closed form's = both + missed.
      #expect(c.solverReached - c.beyondClosedForm == c.closedFormReached - c.missed, "\(solver): \(c)")
    }
    // Every target here comes from an in-limit configuration, so the six-joint closed form, which
    // lists every branch, reaches all, and the hybrid, which tries it first, misses none.
    #expect(counts["hybrid"]?.missed == 0)
    #expect(counts["hybrid"]?.closedFormReached == targets.reachable.count)
  }
}
