import ArgumentParser
import Foundation
import NeuralIK

/// Options shared by `eval` and `bench`.
struct EvaluationOptions: ParsableArguments {
  @OptionGroup var robotOptions: RobotOptions

  @Option(help: ArgumentHelp("Trained model file.", valueName: "file"))
  var model: String

  @Option(
    help:
      "Held-out targets: for position models, reachable ones (half as many out of reach; default 2000); for pose models and --targets-file, the protocol's (default 10000)."
  )
  var targets: Int?
  @Option(
    help:
      "Values of a redundant arm's free joint that the network-only solver tries per target (default: the model's own; the hybrid takes 2); more is more accurate and slower."
  )
  var freeJointSamples: Int?
  @Option(help: "Values of a redundant arm's free joint behind the hybrid's starts, per target.")
  var hybridFreeJointSamples: Int = HybridSolver.defaultFreeJointSamples
  @Option(help: "Seed of the held-out targets (differs from training's).") var seed: UInt64 =
    ProtocolOptions.defaultSeed
  @OptionGroup var protocolOptions: ProtocolOptions
  @Option(help: ArgumentHelp("Write the results as JSON.", valueName: "file")) var json: String?
  @Option(help: ArgumentHelp("Write the Markdown table.", valueName: "file")) var markdown: String?
  @Option(
    help: ArgumentHelp(
      "Compare the accuracy with a committed fixture (JSON from --json); exit 1 when it differs beyond the tolerances in Docs/Accuracy.md.",
      valueName: "file"))
  var check: String?

  func validate() throws {
    if let targets, targets < 10 { throw ValidationError("--targets must be at least 10, got \(targets)") }
    if hybridFreeJointSamples < 1 {
      throw ValidationError("--hybrid-free-joint-samples must be at least 1, got \(hybridFreeJointSamples)")
    }
    if let freeJointSamples, freeJointSamples < 1 {
      throw ValidationError("--free-joint-samples must be at least 1, got \(freeJointSamples)")
    }
  }

  func run(timing: Bool) throws {
    let robot = try robotOptions.load()
    var network = try loadModel(model, for: robot)
    if let freeJointSamples { network = network.with(freeJointSamples: freeJointSamples) }
    if network.encoding.poses || protocolOptions.targetsFile != nil {
      return try runProtocol(robot: robot, network: network, timing: timing)
    }
    var evaluator = Evaluator(robot: robot, network: network)
    evaluator.targetCount = targets ?? 2000
    evaluator.seed = seed
    evaluator.timing = timing
    var evaluation: Evaluation
    do {
      evaluation = try evaluator.run()
    } catch {
      throw CLIError("evaluation failed: \(error)")
    }
    evaluation.context.merge(Self.machineContext(timing: timing)) { $1 }
    for (key, value) in network.metrics { evaluation.context["model_\(key)"] = String(format: "%.4g", value) }
    print(evaluation.markdown)
    if let json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try Self.write(try encoder.encode(evaluation), to: json)
    }
    if let markdown { try Self.write(Data((evaluation.markdown + "\n").utf8), to: markdown) }
    if let check { try AccuracyCheck.compare(evaluation, withFixture: check) }
  }

  /// The standard protocol (Docs/Benchmark.md): every solver on the same pose targets.
  private func runProtocol(robot: RobotModel, network: IKNetwork, timing: Bool) throws {
    let targetList: [IKTarget]
    if let file = protocolOptions.targetsFile {
      targetList = try TargetCSV.read(file)
    } else {
      targetList = ProtocolBenchmark.targets(
        robot: robot, count: targets ?? ProtocolOptions.defaultCount, seed: seed,
        poses: network.encoding.poses)
    }
    var benchmark = ProtocolBenchmark(robot: robot, network: network, targets: targetList)
    benchmark.tolerances = protocolOptions.tolerance.tolerances
    benchmark.timeBudget = protocolOptions.timeBudgetMs > 0 ? protocolOptions.timeBudgetMs / 1000 : nil
    benchmark.restarts = protocolOptions.restarts
    benchmark.hybridFreeJointSamples = hybridFreeJointSamples
    benchmark.batched = timing
    let bar = ProgressLine()
    var report: BenchmarkReport
    do {
      report = try benchmark.run { name in bar.note("\(name) on \(targetList.count) targets…") }
    } catch {
      throw CLIError("benchmark failed: \(error)")
    }
    bar.finish()
    report.context["targets"] =
      protocolOptions.targetsFile.map { "\(targetList.count) from '\($0)'" }
      ?? "\(targetList.count) from random in-limit configurations (seed \(seed))"
    report.context.merge(Self.machineContext(timing: timing)) { $1 }
    for (key, value) in network.metrics { report.context["model_\(key)"] = String(format: "%.4g", value) }
    print(report.markdown)
    if let json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try Self.write(try encoder.encode(report), to: json)
    }
    if let markdown { try Self.write(Data((report.markdown + "\n").utf8), to: markdown) }
    if let check { try AccuracyCheck.compare(report, withFixture: check) }
  }

  static func write(_ data: Data, to path: String) throws {
    do {
      try data.write(to: URL(filePath: path), options: .atomic)
    } catch {
      throw CLIError("cannot write '\(path)': \(error.localizedDescription)")
    }
  }

  /// Machine and settings, recorded next to the numbers.
  static func machineContext(timing: Bool) -> [String: String] {
    let cpu =
      (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
      .split(separator: "\n").first { $0.hasPrefix("model name") }
      .map {
        $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
      }
      ?? "unknown"
    var context = [
      "cpu": cpu, "cores": "\(ProcessInfo.processInfo.activeProcessorCount)",
      "os": ProcessInfo.processInfo.operatingSystemVersionString,
    ]
    if timing {
      context["date"] = ISO8601DateFormatter().string(from: Date())
      context["build"] = "release recommended: swift build -c release"
    }
    return context
  }
}

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval", abstract: "Accuracy of every solver on held-out reachable and out-of-reach targets.")
  @OptionGroup var options: EvaluationOptions
  func run() throws { try options.run(timing: false) }
}

struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Accuracy and speed of every solver (time per solve, batched solves/s).")
  @OptionGroup var options: EvaluationOptions
  func run() throws { try options.run(timing: true) }
}

/// The protocol's settings (Docs/Benchmark.md).
struct ProtocolOptions: ParsableArguments {
  static let defaultCount = 10_000
  static let defaultSeed: UInt64 = 1_000_003

  @Option(
    help: ArgumentHelp(
      "Benchmark on the targets in this CSV (x,y,z or x,y,z,qw,qx,qy,qz) instead of generated ones.",
      valueName: "file"))
  var targetsFile: String?
  @OptionGroup var tolerance: ToleranceOptions
  @Option(
    help: "Milliseconds after which the hybrid and the restart baseline start nothing new (0: no limit).")
  var timeBudgetMs: Double = 5
  @Option(help: "Random restarts of the LM baseline.") var restarts: Int = 20

  func validate() throws {
    guard timeBudgetMs >= 0, timeBudgetMs.isFinite else {
      throw ValidationError("--time-budget-ms must be 0 or a positive number")
    }
    guard restarts >= 0 else { throw ValidationError("--restarts must be 0 or more") }
  }
}

/// Compares an evaluation's accuracy with a committed fixture.
enum AccuracyCheck {
  /// Protocol reports: success within 1 point, mean errors within 25%, the same violations.
  static func compare(_ report: BenchmarkReport, withFixture path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIError("cannot read accuracy fixture '\(path)'")
    }
    let fixture: BenchmarkReport
    do {
      fixture = try JSONDecoder().decode(BenchmarkReport.self, from: data)
    } catch {
      throw CLIError("accuracy fixture '\(path)' is not a benchmark report JSON: \(error)")
    }
    var problems: [String] = []
    for expected in fixture.rows
    where !expected.solver.hasPrefix("lm (") || !expected.solver.contains("restarts") {
      guard let row = report.rows.first(where: { $0.solver == expected.solver }) else {
        problems.append("missing row \(expected.solver)")
        continue
      }
      if abs(row.success_rate - expected.success_rate) > 0.01 {
        problems.append("\(row.solver): success \(row.success_rate) vs \(expected.success_rate)")
      }
      if abs(row.position_mean_mm - expected.position_mean_mm) > 0.25 * expected.position_mean_mm + 0.05 {
        problems.append(
          "\(row.solver): mean position error \(row.position_mean_mm) mm vs \(expected.position_mean_mm) mm")
      }
      if let a = row.rotation_mean_deg, let b = expected.rotation_mean_deg, abs(a - b) > 0.25 * b + 0.05 {
        problems.append("\(row.solver): mean rotation error \(a)° vs \(b)°")
      }
      if row.limit_violations != expected.limit_violations {
        problems.append(
          "\(row.solver): \(row.limit_violations) limit violations vs \(expected.limit_violations)")
      }
    }
    guard problems.isEmpty else {
      throw CLIError("accuracy differs from '\(path)': " + problems.joined(separator: "; "))
    }
    print("accuracy matches the fixture '\(path)'")
  }

  /// Tolerances: training is deterministic on one machine, but OpenBLAS kernels differ by CPU, so
  /// another machine may train a slightly different network.
  static func compare(_ evaluation: Evaluation, withFixture path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CLIError("cannot read accuracy fixture '\(path)'")
    }
    let fixture: Evaluation
    do {
      fixture = try JSONDecoder().decode(Evaluation.self, from: data)
    } catch {
      throw CLIError("accuracy fixture '\(path)' is not an evaluation JSON: \(error)")
    }
    var problems: [String] = []
    for expected in fixture.rows {
      guard
        let row = evaluation.rows.first(where: {
          $0.solver == expected.solver && $0.targets == expected.targets
        })
      else {
        problems.append("missing row \(expected.solver) / \(expected.targets)")
        continue
      }
      let name = "\(row.solver) / \(row.targets)"
      if abs(row.success_rate - expected.success_rate) > 0.02 {
        problems.append("\(name): success \(row.success_rate) vs \(expected.success_rate)")
      }
      if abs(row.median_mm - expected.median_mm) > 0.25 * expected.median_mm + 0.05 {
        problems.append("\(name): median \(row.median_mm) mm vs \(expected.median_mm) mm")
      }
      if abs(row.p99_mm - expected.p99_mm) > 0.5 * expected.p99_mm + 0.5 {
        problems.append("\(name): p99 \(row.p99_mm) mm vs \(expected.p99_mm) mm")
      }
      if row.limit_violations != expected.limit_violations {
        problems.append("\(name): \(row.limit_violations) limit violations vs \(expected.limit_violations)")
      }
    }
    guard problems.isEmpty else {
      throw CLIError("accuracy differs from '\(path)': " + problems.joined(separator: "; "))
    }
    print("accuracy matches the fixture '\(path)'")
  }
}
