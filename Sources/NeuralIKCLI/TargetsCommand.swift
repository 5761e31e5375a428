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
  @Option(help: "Number of targets.") var count: Int = BenchmarkTargets
    .defaultCount
  @Option(help: "Seed of the random configurations.") var seed: UInt64 =
    BenchmarkTargets.defaultSeed
  /// `--positions` or `--poses`; without either, what `bench` draws without a model.
  enum Kind: String, EnumerableFlag {
    case positions, poses

    static func help(for value: Kind) -> ArgumentHelp? {
      switch value {
      case .positions:
        "Position targets (x, y, z); default: what bench draws without a model, poses on an arm that can set an orientation, else positions."
      case .poses: "Pose targets (x, y, z, qw, qx, qy, qz) on any arm, as bench draws for a pose model."
      }
    }
  }

  @Flag var kind: Kind?
  @Option(help: ArgumentHelp("Where the CSV goes.", valueName: "file")) var out: String

  func validate() throws {
    guard (1...10_000_000).contains(count) else {
      throw ValidationError("--count must be 1 to 10,000,000, got \(count)")
    }
    // Last: a file system's refusal (status 1) must not hide a mistake of the command line (64).
    try OutputPath.check(out, option: "--out", inputs: ["--robot": robotOptions.robot])
  }

  func run() throws {
    let robot = try robotOptions.load()
    let targetKind: TargetKind =
      switch kind {
      case .positions: .position
      case .poses: .pose
      case nil: Benchmark.targetKind(robot: robot, network: nil)
      }
    let targets = BenchmarkTargets.reachableTargets(robot: robot, count: count, seed: seed, kind: targetKind)
    try TargetCSV.writeTargets(targets, to: out)
    print(
      "wrote \(targets.count) \(targetKind == .position ? "position" : "pose") targets for \(robot.name) → \(out)"
    )
  }
}
