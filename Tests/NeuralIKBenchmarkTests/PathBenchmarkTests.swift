import Foundation
import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("bench --paths")
struct PathBenchmarkTests {
  @Test(
    "smooth paths: every joint swings its whole amplitude inside the limits, no step larger than the swing allows, every target its configuration's FK",
    arguments: CommittedArm.allCases)
  func smoothPathsAreSmooth(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let generator = SmoothPaths(robot: robot)
    let distance = JointDistance(robot: robot)
    // A sine of amplitude a over n steps moves at most a · 2π / n per step, and its samples span
    // at least 2a · cos(π / n) (its peaks fall at most half a step from a sample).
    let n = Double(generator.points - 1)
    let bound = generator.amplitude * 2 * .pi / n + 1e-12
    for (index, path) in generator.generate(count: 20, kind: .pose).enumerated() {
      #expect(path.configurations.count == generator.points && path.targets.count == generator.points)
      for (joint, limits) in robot.movableJoints.map(\.limits).enumerated() {
        let values = path.configurations.map { $0[joint] }
        let lower = values.min() ?? 0
        let upper = values.max() ?? 0
        let amplitude = min(generator.amplitude, ((limits?.range) ?? 2 * .pi) / 2)
        #expect(
          upper - lower >= 2 * amplitude * cos(.pi / n) - 1e-12 && upper - lower <= 2 * amplitude + 1e-12,
          "seed \(generator.seed), path \(index), joint \(joint): swings \(upper - lower), not 2 × \(amplitude)"
        )
        #expect(
          lower >= (limits?.lower ?? -.infinity) && upper <= (limits?.upper ?? .infinity),
          "seed \(generator.seed), path \(index), joint \(joint) leaves its limits")
      }
      for (q, target) in zip(path.configurations, path.targets) {
        let pose = robot.tipPose(at: q)
        #expect((pose.translation - target.position).length < 1e-12)
        let orientation = try #require(target.orientation)
        #expect((pose.rotation.transposed * orientation.rotation).logarithm.length < 1e-9)
      }
      let largest =
        zip(path.configurations, path.configurations.dropFirst()).map {
          distance.largestChange($0, $1)
        }.max() ?? 0
      #expect(largest <= bound, "seed \(generator.seed), path \(index): a step of \(largest)")
    }
  }

  @Test(
    "smooth paths riding limits: every configuration inside the limits, no step larger than the swing allows, and joints on their limits, two at once on some paths",
    arguments: CommittedArm.allCases)
  func ridingPaths(arm: CommittedArm) throws {
    let robot = try arm.robot()
    var generator = SmoothPaths(robot: robot)
    generator.ridesLimits = true
    let n = Double(generator.points - 1)
    var onTwo = 0
    for (index, path) in generator.generate(count: 20, kind: .pose).enumerated() {
      var onLimits = 0
      for (step, q) in path.configurations.enumerated() {
        #expect(robot.isWithinLimits(q), "path \(index), point \(step)")
        let on = zip(q, robot.movableJoints).filter { value, joint in
          value == joint.limits?.lower || value == joint.limits?.upper
        }.count
        onLimits += on > 0 ? 1 : 0
        if on >= 2 { onTwo += 1 }
        guard step > 0 else { continue }
        let previous = path.configurations[step - 1]
        for (joint, value) in q.enumerated() {
          let range = robot.movableJoints[joint].limits.map { $0.upper - $0.lower } ?? 2 * .pi
          // A sine of amplitude 0.95 · range / 2 moves at most that · 2π / n per step; clamping
          // only shortens a step.
          #expect(
            abs(value - previous[joint]) <= 0.95 * range / 2 * 2 * .pi / n + 1e-12,
            "path \(index), point \(step), joint \(joint)")
        }
      }
      #expect(onLimits > 0, "path \(index) never rides a limit")
    }
    #expect(onTwo > 0, "no path rides two limits at once")
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
    "redundant arms along smooth paths: every target reached, and nine steps in ten within twice the path's largest step",
    arguments: [CommittedArm.panda, .iiwa14])
  func followsOnRedundantArms(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    let solver = try SolverFactory.make(robot: robot, network: network)
    let generator = SmoothPaths(robot: robot)
    let outcome = try PathOutcome.measure(
      solver, on: generator.generate(count: 10, kind: .pose), name: "hybrid paths")
    #expect(outcome.unreached == 0, "seed \(generator.seed)")
    // Least-motion tracking drifts along the self-motion, which the elastic band and the plan only
    // partly undo (Docs/Solvers.md, "Paths"): 98.6% and 99.1% of the steps of 100 paths on the
    // Panda and the iiwa 14 when written.
    #expect(
      10 * outcome.withinTwiceLargest >= 9 * outcome.steps,
      "seed \(generator.seed): \(outcome.line(for: "hybrid paths"))")
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
