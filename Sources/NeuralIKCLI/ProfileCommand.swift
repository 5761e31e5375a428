import ArgumentParser
import Foundation
import NeuralIK
import NeuralIKBenchmark

/// `neural-ik profile`: where one solve's time goes (Docs/Performance.md).
struct ProfileCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "profile",
    abstract:
      "Time the parts of a solve: the network's pass at 1–1,024 rows, kinematics, the hybrid's stages.")
  @OptionGroup var robotOptions: RobotOptions
  @Option(
    help: ArgumentHelp(
      "Trained model file (adds the forward-pass table, and the hybrid where a closed form of poses does not).",
      valueName: "file"))
  var model: String?
  @Option(help: "Protocol targets for the solve table.") var targets: Int = 1000
  @Option(help: ArgumentHelp("Write the tables as Markdown.", valueName: "file")) var markdown: String?

  func validate() throws {
    guard (1...1_000_000).contains(targets) else {
      throw ValidationError("--targets must be 1 to 1,000,000, got \(targets)")
    }
    // Last: a file system's refusal (status 1) must not hide a mistake of the command line (64).
    if let markdown {
      try OutputPath.check(
        markdown, option: "--markdown", inputs: ["--robot": robotOptions.robot, "--model": model])
    }
  }

  func run() throws {
    let robot = try robotOptions.load()
    let network = try model.map { try loadModel($0, for: robot) }
    let kind = Benchmark.targetKind(robot: robot, network: network)
    let set: BenchmarkTargets
    do {
      set = try BenchmarkTargets.generate(robot: robot, kind: kind, count: targets)
    } catch {
      throw CLIError("\(error)")
    }
    let text: String
    do {
      text = try Profile(robot: robot, network: network, targets: set.reachable).run()
    } catch {
      throw CLIError("profile failed: \(error)")
    }
    print(text)
    if let markdown { try EvaluationOptions.write(Data((text + "\n").utf8), to: markdown) }
  }
}
