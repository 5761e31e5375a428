import ArgumentParser
import Foundation
import NeuralIK

struct SolveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "solve",
    abstract: "Solve inverse kinematics for one target or a CSV file of targets.",
    discussion: """
      A target is x,y,z in metres (base frame), or x,y,z,qw,qx,qy,qz for a pose. Write a negative
      first value as --target=-0.2,0,0.4. Out of reach, the answer is the closest reachable
      configuration, marked 'out of reach' with its distance to the target.
      """
  )

  @OptionGroup var robotOptions: RobotOptions

  @Option(help: ArgumentHelp("One target: x,y,z or x,y,z,qw,qx,qy,qz.", valueName: "values"))
  var target: String?

  @Option(help: ArgumentHelp("CSV file of targets (header x,y,z or x,y,z,qw,qx,qy,qz).", valueName: "file"))
  var targets: String?

  @Option(help: ArgumentHelp("Where --targets results go (CSV).", valueName: "file"))
  var out: String?

  @Option(
    help: ArgumentHelp(
      "Trained model file (neural-ik train); enables the hybrid and network solvers.", valueName: "file"))
  var model: String?

  @OptionGroup var solverOptions: SolverOptions

  @Option(
    help: ArgumentHelp(
      "Where the robot is: one value per joint, the start of every solve and what 'nearest' is measured from (default: middle of the limits).",
      valueName: "values"))
  var initial: String?

  @Flag(help: "Print every solution the solver found, not only the best.")
  var all = false

  @Flag(help: "Print JSON instead of text.")
  var json = false

  func validate() throws {
    guard (target == nil) != (targets == nil) else {
      throw ValidationError("give exactly one of --target x,y,z or --targets FILE --out FILE")
    }
    if targets != nil && out == nil { throw ValidationError("--targets needs --out FILE for the results") }
    if target != nil && out != nil { throw ValidationError("--out goes with --targets, not --target") }
  }

  func run() throws {
    let robot = try robotOptions.load()
    let guess = try initial.map { try parseNumbers($0, what: "--initial") } ?? robot.middleConfiguration
    do {
      try robot.checkConfiguration(guess)
    } catch {
      throw CLIError(
        "--initial: \(error) (one per joint: \(robot.movableJoints.map(\.name).joined(separator: ", ")))")
    }
    let network = try model.map { try loadModel($0, for: robot) }
    let specification = try solverOptions.specification(findAll: all)
    let solver = try makeSolver(robot: robot, network: network, specification: specification)
    if let targets, let out {
      try solveBatch(
        robot: robot, network: network, specification: solver.specification, guess: guess, input: targets,
        output: out)
      return
    }
    let values = try parseNumbers(target ?? "", what: "--target")
    let ikTarget: IKTarget
    do {
      ikTarget = try IKTarget(values: values)
    } catch {
      throw CLIError("--target: \(error)")
    }
    let result: IKResult
    do {
      result = try solver.solve(ikTarget, from: guess)
    } catch {
      throw CLIError("\(error)")
    }
    if json {
      let report = SolveReport(robot: robot, target: ikTarget, result: result, all: all)
      print(try JSONText.encode(report))
    } else {
      let shown = all ? result.solutions : [result.best]
      print(SolutionText.describe(shown, of: result.solutions.count, robot: robot, target: ikTarget))
    }
  }

  private func solveBatch(
    robot: RobotModel, network: IKNetwork?, specification: SolverSpecification, guess: [Double],
    input: String, output: String
  ) throws {
    let targets = try TargetCSV.read(input)
    let bar = ProgressBar(total: targets.count, label: "solving")
    let results: [IKResult]
    do {
      results = try BatchSolving.solve(
        targets, robot: robot, network: network, specification: specification, from: guess,
        progress: { bar.update($0) })
    } catch {
      throw CLIError("\(error)")
    }
    bar.finish()
    let solutions = results.map(\.best)
    try TargetCSV.write(solutions, targets: targets, robot: robot, to: output)
    let reached = solutions.filter(\.reachable).count
    let kind = specification.kind?.rawValue ?? "auto"
    if json {
      print(
        try JSONText.encode(
          BatchSummary(
            targets: targets.count, reachable: reached, out: output, solver: kind,
            specification: specification)))
    } else {
      print(
        "\(targets.count) targets solved with \(kind): \(reached) reachable, \(targets.count - reached) out of reach → \(output)"
      )
    }
  }

  private func parseNumbers(_ text: String, what: String) throws -> [Double] {
    try text.split(separator: ",", omittingEmptySubsequences: false).map { field in
      let trimmed = field.trimmingCharacters(in: .whitespaces)
      guard let value = Double(trimmed) else {
        throw CLIError("\(what): '\(trimmed)' is not a number; write comma-separated numbers like 0.3,0,0.5")
      }
      return value
    }
  }
}

/// What `solve --targets --json` prints.
struct BatchSummary: Encodable {
  var targets: Int
  var reachable: Int
  var out: String
  var solver: String
  var specification: SolverSpecification
}
