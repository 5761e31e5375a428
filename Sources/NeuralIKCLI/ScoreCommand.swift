import ArgumentParser
import Foundation
import NeuralIK
import NeuralIKBenchmark

struct ScoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "score",
    abstract: "Score another solver's answers to a target file with NeuralIK's forward kinematics.",
    discussion: """
      The solutions CSV has the header `found,time_us,` then the robot's movable joint names in chain \
      order, one row per target in the targets file's order. Success is judged by NeuralIK's FK from \
      the joint values, not by `found` (Docs/Benchmark.md).
      """)

  @OptionGroup var robotOptions: RobotOptions
  @Option(help: ArgumentHelp("The targets CSV the solver was given.", valueName: "file")) var targets: String
  @Option(help: ArgumentHelp("The solver's answers (CSV).", valueName: "file")) var solutions: String
  @Option(help: "The solver's name in the table.") var solver: String
  @OptionGroup var tolerance: ToleranceOptions
  @Option(help: ArgumentHelp("Write the row as JSON.", valueName: "file")) var json: String?

  func validate() throws {
    // The name is a cell of a Markdown table: a `|` or a line break would break the row.
    let trimmed = solver.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty, trimmed.count <= 100,
      !solver.unicodeScalars.contains(where: { $0 == "|" || $0.properties.generalCategory == .control })
    else {
      throw ValidationError(
        "--solver names the solver in the table: give 1 to 100 characters without '|' or control characters")
    }
    // Last: a file system's refusal (status 1) must not hide a mistake of the command line (64).
    if let json {
      try OutputPath.check(
        json, option: "--json",
        inputs: ["--robot": robotOptions.robot, "--targets": targets, "--solutions": solutions])
    }
  }

  func run() throws {
    let robot = try robotOptions.load()
    let targetList = try TargetCSV.read(targets, for: robot)
    let answers = try SolutionsCSV.read(solutions, robot: robot, expectedRows: targetList.count)
    let row: BenchmarkRow
    do {
      row = try BenchmarkScorer(robot: robot, tolerances: tolerance.tolerances).row(
        solver: solver, targets: targetList,
        measurements: .init(
          jointValues: answers.jointValues, seconds: answers.microseconds.map { $0 * 1e-6 },
          reportedFound: answers.found))
    } catch {
      throw CLIError("\(error)")
    }
    print(BenchmarkReport.markdownHeader(tolerance.tolerances))
    print(row.markdownLine)
    if let json { try EvaluationOptions.write(try JSONText.data(row), to: json) }
  }
}

/// The tight success level; the loose one is five times it, as in the protocol.
struct ToleranceOptions: ParsableArguments {
  @Option(help: "Success: largest position error in millimetres.", transform: Double.decimalArgument)
  var positionToleranceMm: Double = 1
  @Option(help: "Success: largest rotation error in degrees.", transform: Double.decimalArgument)
  var rotationToleranceDeg: Double = 0.572

  func validate() throws {
    // A kilometre and half a turn: beyond them every answer passes, and the loose level (five
    // times these) printed as infinity.
    guard positionToleranceMm > 0, positionToleranceMm <= 1e6 else {
      throw ValidationError(
        "--position-tolerance-mm must be above 0 and at most 1,000,000 (a kilometre), got \(positionToleranceMm)"
      )
    }
    guard rotationToleranceDeg > 0, rotationToleranceDeg <= 180 else {
      throw ValidationError(
        "--rotation-tolerance-deg must be above 0 and at most 180, got \(rotationToleranceDeg)")
    }
  }

  var tolerances: BenchmarkTolerances {
    let tight = ReachTolerance(
      position: positionToleranceMm / 1000, rotation: rotationToleranceDeg * .pi / 180)
    return BenchmarkTolerances(
      tight: tight, loose: ReachTolerance(position: tight.position * 5, rotation: tight.rotation * 5))
  }
}

/// Another solver's answers: `found,time_us,<joint names…>`.
enum SolutionsCSV {
  static func read(_ path: String, robot: RobotModel, expectedRows: Int) throws -> (
    jointValues: [[Double]], microseconds: [Double], found: Int
  ) {
    let text = try TextFile.read(path, what: "solutions file")
    let lines = text.split(whereSeparator: \.isNewline).enumerated()
      .filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
    let header =
      ["found", "time_us"]
      + CSVHeader.jointColumns(robot.movableJoints.map(\.name), besides: ["found", "time_us"])
    // Read as `--out` writes names: a name with a comma or quote is quoted.
    guard let first = lines.first, TargetCSV.fields(first.element) == header else {
      throw CLIError(
        "solutions file '\(path)' line 1: expected the header '\(header.map(CSVHeader.field).joined(separator: ","))'"
      )
    }
    var jointValues: [[Double]] = []
    var microseconds: [Double] = []
    var found = 0
    for (number, line) in lines.dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      guard fields.count == header.count else {
        throw CLIError(
          "solutions file '\(path)' line \(number + 1): \(fields.count) values; the header has \(header.count)"
        )
      }
      // `found` as a number or as a word (Python's csv module writes `True`).
      var numbers = fields
      switch fields[0].lowercased() {
      case "true": numbers[0] = "1"
      case "false": numbers[0] = "0"
      default: break
      }
      guard let flag = Double(decimal: numbers[0]), flag == 0 || flag == 1 else {
        throw CLIError(
          "solutions file '\(path)' line \(number + 1): found must be 0 or 1 (or true or false), got '\(fields[0])'"
        )
      }
      let values = try numbers.map { field -> Double in
        guard let value = Double(decimal: field), value.isFinite else {
          throw CLIError("solutions file '\(path)' line \(number + 1): '\(field)' is not a finite number")
        }
        return value
      }
      // A day in microseconds is far beyond any solve, and keeps a mean over any file finite
      // (three rows of 1e308 summed to infinity, and the report could not be written).
      guard values[1] >= 0, values[1] <= 8.64e10 else {
        throw CLIError(
          "solutions file '\(path)' line \(number + 1): time_us = \(numbers[1]) is out of range; give 0 to 86,400,000,000 (a day) microseconds"
        )
      }
      if values[0] == 1 { found += 1 }
      microseconds.append(values[1])
      jointValues.append(Array(values[2...]))
    }
    guard jointValues.count == expectedRows else {
      throw CLIError(
        "solutions file '\(path)' has \(jointValues.count) rows; the targets file has \(expectedRows)")
    }
    return (jointValues, microseconds, found)
  }
}
