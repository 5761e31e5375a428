import Foundation
import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("bench --paths")
struct PathBenchmarkTests {
  @Test(
    "smooth paths: every configuration inside the limits, every step at most the swing's largest, every target its configuration's FK",
    arguments: CommittedArm.allCases)
  func smoothPathsAreSmooth(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let generator = SmoothPaths(robot: robot)
    let distance = JointDistance(robot: robot)
    // A sine of amplitude a over n steps moves at most a · 2π / n per step.
    let bound = generator.amplitude * 2 * .pi / Double(generator.points - 1) + 1e-12
    for (index, path) in generator.generate(count: 20, kind: .pose).enumerated() {
      #expect(path.configurations.count == generator.points && path.targets.count == generator.points)
      for (q, target) in zip(path.configurations, path.targets) {
        #expect(
          q == robot.clampedToLimits(q), "seed \(generator.seed), path \(index): \(q) leaves the limits")
        let pose = robot.tipPose(at: q)
        #expect((pose.translation - target.position).length < 1e-12)
      }
      let largest =
        zip(path.configurations, path.configurations.dropFirst()).map {
          distance.largestChange($0, $1)
        }.max() ?? 0
      #expect(largest <= bound, "seed \(generator.seed), path \(index): a step of \(largest)")
    }
  }

  @Test(
    "continuity: along 100 smooth paths of an arm without self-motion, no step of the answers exceeds twice the path's largest generating step",
    arguments: [CommittedArm.seedArm, .arm3DoF, .ur5])
  func continuityWithoutSelfMotion(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    let solver = try SolverFactory.make(robot: robot, network: network)
    let generator = SmoothPaths(robot: robot)
    let paths = generator.generate(count: 100, kind: network.targetKind)
    let outcome = try PathOutcome.measure(solver, on: paths, name: "hybrid paths")
    #expect(outcome.steps == 100 * (generator.points - 1))
    #expect(outcome.unreached == 0, "seed \(generator.seed)")
    // Before each solve started from the last step's motion carried on, 57 of the UR5's 10,000
    // steps went over: at a singularity the answer turned back onto the other branch.
    #expect(
      outcome.withinTwiceLargest == outcome.steps && outcome.flagged == 0,
      "seed \(generator.seed): \(outcome.line(for: "hybrid paths"))")
  }

  @Test(
    "redundant arms along smooth paths: every target reached, and the flagged steps are exactly those over the limit",
    arguments: [CommittedArm.panda, .iiwa14])
  func flagsOnRedundantArms(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    let solver = try SolverFactory.make(robot: robot, network: network)
    let generator = SmoothPaths(robot: robot)
    let outcome = try PathOutcome.measure(
      solver, on: generator.generate(count: 10, kind: .pose), name: "hybrid paths")
    #expect(outcome.unreached == 0, "seed \(generator.seed)")
    #expect(outcome.unflaggedOver == 0)
    // A path's first target, solved from its own configuration, is never a step over the limit.
    #expect(
      outcome.flagged == outcome.steps - outcome.withinTwiceLargest, "\(outcome.line(for: "hybrid paths"))")
  }

  @Test("bench --paths reports a line per solver, in the Markdown and the JSON")
  func reported() throws {
    let robot = try CommittedArm.ur5.robot()
    let network = try IKNetwork(contentsOf: CommittedArm.ur5.modelURL, for: robot)
    var benchmark = Benchmark(
      robot: robot, network: network,
      targets: try BenchmarkTargets.generate(robot: robot, kind: .pose, count: 10, seed: 5))
    benchmark.kinds = [.hybrid, .levenbergMarquardt]
    benchmark.pathCount = 3
    let report = try benchmark.run()
    #expect(report.paths?.keys.sorted() == ["hybrid paths", "lm paths"])
    #expect(report.paths?["hybrid paths"]?.steps == 300)
    #expect(report.markdown.contains("- hybrid paths: 3 smooth paths, 300 steps: "))
    let decoded = try JSONDecoder().decode(BenchmarkReport.self, from: JSONEncoder().encode(report))
    #expect(decoded.paths == report.paths)
  }
}
