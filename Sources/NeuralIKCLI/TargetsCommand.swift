import ArgumentParser
import Foundation
import NeuralIK
import NeuralIKBenchmark

struct TargetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "targets",
    abstract: "Write the benchmark protocol's targets: FK of random in-limit configurations.",
    discussion:
      "The same targets `bench` uses for a seed and count, as a CSV that other solvers can read (Docs/Benchmark.md)."
  )

  @OptionGroup var robotOptions: RobotOptions
  @Option(help: "Number of targets.") var count: Int = BenchmarkTargets.defaultCount
  @Option(help: "Seed of the random configurations.") var seed: UInt64 = BenchmarkTargets.defaultSeed
  @Flag(help: "Position targets only (x, y, z) instead of poses.") var positions = false
  @Option(help: ArgumentHelp("Where the CSV goes.", valueName: "file")) var out: String

  func validate() throws {
    guard (1...10_000_000).contains(count) else {
      throw ValidationError("--count must be 1 to 10,000,000, got \(count)")
    }
  }

  func run() throws {
    try OutputPath.check(out, option: "--out", inputs: ["--robot": robotOptions.robot])
    let robot = try robotOptions.load()
    let targets = BenchmarkTargets.reachableTargets(
      robot: robot, count: count, seed: seed, kind: positions ? .position : .pose)
    try TargetCSV.writeTargets(targets, to: out)
    print("wrote \(targets.count) \(positions ? "position" : "pose") targets for \(robot.name) → \(out)")
  }
}
