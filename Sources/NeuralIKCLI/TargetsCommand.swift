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
  @Flag(
    help:
      "Position targets (x, y, z); default: what bench draws without a model, poses on an arm that can set an orientation, else positions."
  )
  var positions = false
  @Flag(help: "Pose targets (x, y, z, qw, qx, qy, qz) on any arm, as bench draws for a pose model.")
  var poses = false
  @Option(help: ArgumentHelp("Where the CSV goes.", valueName: "file")) var out: String

  func validate() throws {
    try OutputPath.check(out, option: "--out", inputs: ["--robot": robotOptions.robot])
    guard (1...10_000_000).contains(count) else {
      throw ValidationError("--count must be 1 to 10,000,000, got \(count)")
    }
    if positions && poses { throw ValidationError("give one of --positions and --poses") }
  }

  func run() throws {
    let robot = try robotOptions.load()
    let kind: TargetKind =
      positions ? .position : poses ? .pose : Benchmark.targetKind(robot: robot, network: nil)
    let targets = BenchmarkTargets.reachableTargets(robot: robot, count: count, seed: seed, kind: kind)
    try TargetCSV.writeTargets(targets, to: out)
    print(
      "wrote \(targets.count) \(kind == .position ? "position" : "pose") targets for \(robot.name) → \(out)")
  }
}
