import ArgumentParser
import Foundation
import NeuralIK
import NeuralIKBenchmark

/// Options shared by `eval` and `bench`.
struct EvaluationOptions: ParsableArguments {
  @OptionGroup var robotOptions: RobotOptions

  @Option(
    help: ArgumentHelp(
      "Trained model file; adds the network rows (without one: the closed form, lm, and the hybrid over a closed form of poses).",
      valueName: "file"))
  var model: String?

  @Option(
    help:
      "Reachable targets (default 10000), and half as many out of reach (poses: outside the reach sphere).",
    transform: Int.wholeArgument
  )
  var targets: Int?
  @Option(
    help: "Seed of the generated targets (differs from training's; default \(BenchmarkTargets.defaultSeed)).",
    transform: UInt64.wholeArgument)
  var seed: UInt64?
  @Option(
    help: ArgumentHelp(
      "Benchmark on the targets in this CSV (x,y,z, x,y,z,qw,qx,qy,qz, or x,y,z,dx,dy,dz[,ax,ay,az] for tool axes) instead of generated ones, scored as reachable targets (as neural-ik targets writes them).",
      valueName: "file"))
  var targetsFile: String?
  @Option(
    help: ArgumentHelp(
      "Add hybrid and lm rows started near each target's own configuration, every joint moved by up to this (radians or metres).",
      valueName: "radius"), transform: Double.decimalArgument)
  var nearStart: Double?
  @Option(
    help: ArgumentHelp(
      "Follow this many seeded smooth joint paths (FK targets, 100 steps each) with the hybrid and lm, as solve --path does with --max-step twice each path's largest generating step.",
      valueName: "count"), transform: Int.wholeArgument)
  var paths: Int?
  @Flag(
    help:
      "With --paths: the joints swing past their limits and ride them (clamped), often two at once, as a trajectory that saturates joints."
  )
  var pathsRideLimits = false
  @Flag(
    help:
      "Add the hybrid's partial-target rows on pose targets: position only, a tool axis, a locked joint, tighter limits."
  )
  var partial = false
  @OptionGroup var tolerance: ToleranceOptions
  @OptionGroup(title: "Solver options (the same defaults as solve; --solver keeps one row)")
  var solverOptions: SolverOptions
  @Option(help: ArgumentHelp("Write the report as JSON.", valueName: "file")) var json: String?
  @Option(help: ArgumentHelp("Write the Markdown table.", valueName: "file")) var markdown: String?
  @Option(
    help: ArgumentHelp(
      "Compare the accuracy with a committed fixture (JSON from --json); exit 1 when it differs beyond the tolerances in Docs/Benchmark.md.",
      valueName: "file"))
  var check: String?

  func validate() throws {
    if let nearStart, !(nearStart > 0 && nearStart.isFinite && nearStart <= 10) {
      throw ValidationError("--near-start must be a positive radius up to 10, got \(nearStart)")
    }
    if let paths, !(1...100_000).contains(paths) {
      throw ValidationError("--paths must be 1 to 100,000, got \(paths)")
    }
    if pathsRideLimits && paths == nil { throw ValidationError("--paths-ride-limits goes with --paths N") }
    // The options' conflict before either's range: `--targets-file f --targets 5` is one mistake.
    if targetsFile != nil, targets != nil || seed != nil {
      throw ValidationError(
        "--targets-file gives the targets: --targets and --seed, which generate them, go without it")
    }
    if let targets, !(10...10_000_000).contains(targets) {
      throw ValidationError("--targets must be 10 to 10,000,000, got \(targets)")
    }
    if targetsFile != nil, nearStart != nil || partial {
      throw ValidationError(
        "--near-start and --partial start from each target's own configuration, which only generated targets have: not with --targets-file"
      )
    }
    // Last: a file system's refusal (status 1) must not hide a mistake of the command line (64).
    let inputs: KeyValuePairs<String, String?> = [
      "--robot": robotOptions.robot, "--model": model, "--targets-file": targetsFile, "--check": check,
    ]
    if let json { try OutputPath.check(json, option: "--json", inputs: inputs) }
    if let markdown {
      try OutputPath.check(markdown, option: "--markdown", inputs: inputs, outputs: ["--json": json])
    }
  }

  func run(timing: Bool, plots: FigureRequest? = nil) throws {
    let robot = try robotOptions.load()
    // Read before the run, which can take minutes: a missing or foreign fixture fails at once.
    let fixture = try check.map { try Self.fixture($0, for: robot) }
    // Another count is refused before the targets are drawn (those out of reach take 10 ms each).
    if let check, let fixture, targetsFile == nil, !Self.fromFile(fixture),
      let measured = Self.reachableCount(fixture),
      measured != targets ?? BenchmarkTargets.defaultCount
    {
      throw CLIError(
        "accuracy fixture '\(check)' was measured on \(measured) reachable targets, this run would draw "
          + "\(targets ?? BenchmarkTargets.defaultCount): give the fixture's --targets and --seed to compare with it"
      )
    }
    let network = try model.map { try loadModel($0, for: robot) }
    try solverOptions.warnOfUnits(for: robot)
    try plots?.prepare()
    let kind = Benchmark.targetKind(robot: robot, network: network)
    // Before the targets are drawn, which out of reach takes a while.
    if partial, kind != .pose {
      throw CLIError("--partial adds the hybrid's rows on pose targets; here the targets are positions")
    }
    var targetSets: BenchmarkTargets
    if let file = targetsFile {
      let list = try TargetCSV.read(file, for: robot)
      targetSets = BenchmarkTargets(reachable: list, origin: "\(list.count) from '\(file)'")
    } else {
      let count = targets ?? BenchmarkTargets.defaultCount
      // Drawn within --lock and --limits, which every answer keeps: over the robot's own limits,
      // most "reachable" targets of a restricted run were out of its reach (every solver scored
      // 16%), and out-of-reach distances were measured to points it cannot reach.
      let envelope: RobotModel
      let restrictions = try solverOptions.specification().restrictions
      do {
        envelope = try robot.restricted(restrictions)
      } catch {
        throw CLIError("\(error)")
      }
      let bar = ProgressBar(total: kind == .position ? count / 2 : 0, label: "measuring out-of-reach targets")
      do {
        targetSets = try BenchmarkTargets.generate(
          robot: envelope, kind: kind, count: count, seed: seed ?? BenchmarkTargets.defaultSeed,
          margin: network?.config.margin ?? TrainingConfig().margin, progress: { bar.update($0) })
      } catch {
        throw CLIError("\(error)")
      }
      bar.finish()
      // Restricted targets are other targets: a fixture's check compares the origins.
      if !restrictions.isEmpty { targetSets.origin += ", drawn within \(restrictions.commandLine)" }
    }
    if let check, let fixture {
      try Self.checkSameTargets(fixture, check, targetSets, fromFile: targetsFile != nil)
    }
    var benchmark = Benchmark(robot: robot, network: network, targets: targetSets)
    benchmark.tolerances = tolerance.tolerances
    var specification = try solverOptions.specification()
    let only = specification.kind
    specification.kind = nil
    // First, so that the rows offered are those this specification can build.
    benchmark.specification = specification
    // A file's targets may be of a kind a solver does not take (a pose network and axis targets):
    // its row is left out, saying why.
    if targetsFile != nil, let first = targetSets.reachable.first {
      for candidate in benchmark.kinds {
        var single = specification
        single.kind = candidate
        do {
          _ = try SolverFactory.make(robot: robot, network: network, specification: single).solve(first)
        } catch let error as IKError {
          guard case .wrongTargetKind = error else { continue }
          benchmark.kinds.removeAll { $0 == candidate }
          FileHandle.standardError.write(Data("no \(candidate.rawValue) row: \(error)\n".utf8))
        } catch {
          // Any other failure is the row's to report.
        }
      }
    }
    if let only {
      guard benchmark.kinds.contains(only) else {
        let offering = network == nil ? "this robot offers" : "this robot and model offer"
        throw CLIError(
          "--solver \(only.rawValue) is not available here; \(offering): \(benchmark.kinds.map(\.rawValue).joined(separator: ", "))"
        )
      }
      benchmark.kinds = [only]
    }
    if partial, !benchmark.kinds.contains(.hybrid) {
      throw CLIError(
        "--partial adds the hybrid's rows on pose targets; here there is no hybrid (\(benchmark.kinds.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    benchmark.timing = timing
    benchmark.nearStartRadius = nearStart
    benchmark.partialTargets = partial
    benchmark.pathCount = paths
    benchmark.pathsRideLimits = pathsRideLimits
    benchmark.keepSamples = plots != nil
    let bar = ProgressLine()
    var report: BenchmarkReport
    do {
      report = try benchmark.run { name in bar.note("\(name)…") }
    } catch {
      bar.clear()
      throw CLIError("benchmark failed: \(error)")
    }
    bar.finish()
    report.context.merge(Self.machineContext(timing: timing)) { $1 }
    for (key, value) in network?.metrics?.byKey ?? [] {
      report.context["model_\(key)"] = String(format: "%.4g", value)
    }
    print(report.markdown)
    if let json { try Self.write(try JSONText.data(report), to: json) }
    if let markdown { try Self.write(Data((report.markdown + "\n").utf8), to: markdown) }
    if let plots { try plots.write(report, robot: robot) }
    if let check, let fixture { try Self.compare(report, with: fixture, path: check) }
  }

  /// How many reachable targets a report measured (its rows of that set all have the count).
  static func reachableCount(_ report: BenchmarkReport) -> Int? {
    report.rows.first { $0.targetSet == "reachable" }?.count
  }

  /// Whether a report's targets came from a file (`--targets-file`) rather than being drawn.
  static func fromFile(_ report: BenchmarkReport) -> Bool {
    report.context["targets"]?.contains(" from '") == true
  }

  /// Refuses a comparison over other targets than the fixture's, whose rates differ by more than
  /// its tolerances: drawn targets must have the same description (count and seed); targets from
  /// files the same count, as a file's path says nothing of its rows.
  static func checkSameTargets(
    _ fixture: BenchmarkReport, _ path: String, _ targets: BenchmarkTargets, fromFile: Bool
  ) throws {
    guard let measured = fixture.context["targets"] else { return }
    let same =
      fromFile && Self.fromFile(fixture)
      ? Self.reachableCount(fixture) == targets.reachable.count
      : measured == targets.origin
    guard !same else { return }
    throw CLIError(
      "accuracy fixture '\(path)' was measured on \(measured), this run on \(targets.origin): "
        + "give the fixture's --targets and --seed (or its --targets-file) to compare with it")
  }

  /// Compares the accuracy with a committed fixture (``BenchmarkReport/differences(from:)``).
  static func compare(_ report: BenchmarkReport, with fixture: BenchmarkReport, path: String) throws {
    let problems = report.differences(from: fixture)
    guard problems.isEmpty else {
      throw CLIError("accuracy differs from '\(path)': " + problems.joined(separator: "; "))
    }
    print("accuracy matches the fixture '\(path)'")
  }

  /// The accuracy fixture at `path`, refused unless it is a benchmark report of `robot`.
  static func fixture(_ path: String, for robot: RobotModel) throws -> BenchmarkReport {
    try InputPath.check(path, what: "cannot read accuracy fixture")
    let data: Data
    do {
      data = try Data(contentsOf: URL(filePath: path))
    } catch {
      throw CLIError("cannot read accuracy fixture '\(path)': \(error.localizedDescription)")
    }
    let fixture: BenchmarkReport
    do {
      fixture = try JSONDecoder().decode(BenchmarkReport.self, from: data)
    } catch let error as DecodingError {
      throw CLIError("accuracy fixture '\(path)' is not a benchmark report JSON: \(error.summary)")
    } catch {
      throw CLIError("accuracy fixture '\(path)' is not a benchmark report JSON: \(error)")
    }
    guard fixture.robot == robot.name else {
      throw CLIError(
        "accuracy fixture '\(path)' was measured on robot '\(fixture.robot)', not '\(robot.name)'; give that robot's fixture"
      )
    }
    // Every row of the fixture is compared with the run's: a fixture without rows would pass
    // whatever the run measured.
    guard !fixture.rows.isEmpty else {
      throw CLIError(
        "accuracy fixture '\(path)' has no rows, so it would check nothing; write it again with bench --json")
    }
    return fixture
  }

  static func write(_ data: Data, to path: String) throws {
    do {
      try OutputFile.write(data, to: URL(filePath: path))
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
  @Option(
    help: ArgumentHelp(
      "Write SVG figures into this directory (created if missing): error histograms, time against the distance from the reach, the workspace by hybrid time and network error.",
      valueName: "dir"))
  var plots: String?
  @Option(help: ArgumentHelp("A note for the figures' captions, such as the commit.", valueName: "text"))
  var plotsNote: String?

  func validate() throws {
    if plotsNote != nil && plots == nil { throw ValidationError("--plots-note needs --plots DIR") }
    if let plots, plots.isEmpty { throw ValidationError("--plots needs a directory, got an empty path") }
  }

  func run() throws {
    try options.run(timing: true, plots: plots.map { FigureRequest(directory: $0, note: plotsNote) })
  }
}
