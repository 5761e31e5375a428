import ArgumentParser
import Foundation
import NeuralIK

extension SolverKind: ExpressibleByArgument {}
extension SolutionPreference: ExpressibleByArgument {}

/// The solver and its options, shared by `solve`, `serve`, `eval` and `bench`: each option left
/// out keeps the default of ``SolverSpecification``, so every command runs the same solver.
struct SolverOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "hybrid (closed form, network + LM), network (network only), analytic (closed form) or lm (GSL Levenberg–Marquardt). Default: hybrid with a model; else analytic when the robot has a closed form of positions (2 or 3 joints); else hybrid when it has one of poses (6 or 7 joints: the closed form, then LM); else lm.",
      valueName: "kind"))
  var solver: SolverKind?

  @Option(
    help:
      "Random restarts after the first start misses, within the iteration budget (default 64); from --initial under the nearest preference, four near it come first.",
    transform: Int.wholeArgument
  )
  var restarts: Int?

  @Option(
    help: "Levenberg–Marquardt iterations of one local minimisation (default 100).",
    transform: Int.wholeArgument)
  var maxIterations: Int?

  @Option(help: "Iterations of one LM start in all (default 200).", transform: Int.wholeArgument)
  var startIterationBudget: Int?

  @Option(
    help: "Iterations of an lm solve in all, over its start and restarts (default 2000).",
    transform: Int.wholeArgument)
  var iterationBudget: Int?

  @Option(
    help:
      "Iterations the hybrid spends before it runs lm: its steps from the start and the network's proposals (default 500).",
    transform: Int.wholeArgument
  )
  var proposalIterationBudget: Int?

  @Option(
    help:
      "Milliseconds after which no further start begins (default: none); with solve --path, also the time per target for relaxing and planning the path (default: 60 s for the whole path).",
    transform: Double.decimalArgument)
  var timeBudgetMs: Double?

  @Option(
    help:
      "Values of a redundant arm's free joint the network proposes at per target (default: 2 for the hybrid, the model's own for the network alone).",
    transform: Int.wholeArgument
  )
  var freeJointSamples: Int?

  @Option(help: "Which solution comes first: nearest (to the start, the default) or any.")
  var preference: SolutionPreference?

  @Option(help: "Seed of the random restarts.", transform: UInt64.wholeArgument)
  var restartSeed: UInt64?

  @Option(
    help: ArgumentHelp(
      "Metres of position error that weigh as much as one radian of rotation error in the refinement (default 0.1).",
      valueName: "m-per-rad"), transform: Double.decimalArgument)
  var rotationWeight: Double?

  @Option(
    name: .customLong("lock"),
    help: ArgumentHelp(
      "Lock a joint at a value for this solve (radians or metres); repeat for more joints.",
      valueName: "joint=value"))
  var locks: [String] = []

  @Option(
    name: .customLong("limits"),
    help: ArgumentHelp(
      "Hold a joint within tighter limits than the robot's (a safety envelope); repeat for more joints.",
      valueName: "joint=lower:upper"))
  var envelopes: [String] = []

  @Flag(
    name: .customLong("no-closed-form"),
    help:
      "The hybrid refines the network's proposals only, without trying the robot's closed form first; without a model the default is then lm."
  )
  var noClosedForm = false

  /// The specification these options describe.
  ///
  /// - Throws: `ValidationError` naming an option out of range.
  func specification(findAll: Bool = false) throws -> SolverSpecification {
    var specification = SolverSpecification(kind: solver)
    if let restarts { specification.randomRestarts = restarts }
    if let maxIterations { specification.maxIterations = maxIterations }
    if let startIterationBudget { specification.startIterationBudget = startIterationBudget }
    if let iterationBudget { specification.iterationBudget = iterationBudget }
    if let proposalIterationBudget { specification.proposalIterationBudget = proposalIterationBudget }
    if let timeBudgetMs { specification.timeBudget = timeBudgetMs / 1000 }
    if let freeJointSamples { specification.freeJointSamples = freeJointSamples }
    if let preference { specification.preference = preference }
    if let restartSeed { specification.seed = restartSeed }
    if let rotationWeight { specification.rotationWeight = rotationWeight }
    specification.restrictions = try restrictions()
    specification.findAll = findAll
    if noClosedForm {
      guard solver != .analytic else {
        throw ValidationError(
          "--no-closed-form turns off the closed form, which is all the analytic solver is; give another --solver, or leave --no-closed-form out"
        )
      }
      specification.closedForm = false
    }
    do {
      try specification.validate()
    } catch {
      throw ValidationError(Self.optionName(error))
    }
    return specification
  }

  func validate() throws { _ = try specification() }

  /// Warns on standard error of a `--lock` or `--limits` that looks written in degrees (a
  /// continuous joint's, which no limit checks: ``RobotModel/unitWarnings(restrictions:)``).
  func warnOfUnits(for robot: RobotModel) throws {
    for warning in robot.unitWarnings(restrictions: try restrictions()) {
      FileHandle.standardError.write(Data("warning: --lock/--limits: \(warning)\n".utf8))
    }
  }

  /// `--lock joint=value` and `--limits joint=lower:upper`, parsed; the robot checks the names and
  /// ranges when the solver is built.
  private func restrictions() throws -> [JointRestriction] {
    func split(_ text: String, _ flag: String, _ form: String) throws -> (String, Substring) {
      guard let equals = text.lastIndex(of: "="), equals != text.startIndex else {
        throw ValidationError("\(flag) takes \(form), got '\(text)'")
      }
      // `a=0=1` would otherwise name a joint `a=0`: a typo is likelier than such a name.
      guard text.firstIndex(of: "=") == equals else {
        throw ValidationError("\(flag) takes \(form) with one '=', got '\(text)'")
      }
      return (String(text[..<equals]), text[text.index(after: equals)...])
    }
    func number(_ text: Substring, _ flag: String, _ whole: String) throws -> Double {
      guard let value = Double(decimal: text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
        throw ValidationError("\(flag) '\(whole)': '\(text)' is not a finite number")
      }
      return value
    }
    var result: [JointRestriction] = []
    for text in locks {
      let (joint, value) = try split(text, "--lock", "joint=value")
      result.append(.lock(joint, at: try number(value, "--lock", text)))
    }
    for text in envelopes {
      let (joint, range) = try split(text, "--limits", "joint=lower:upper")
      let bounds = range.split(separator: ":", omittingEmptySubsequences: false)
      guard bounds.count == 2 else {
        throw ValidationError("--limits takes joint=lower:upper, got '\(text)'")
      }
      let restriction = JointRestriction(
        joint: joint, lower: try number(bounds[0], "--limits", text),
        upper: try number(bounds[1], "--limits", text))
      guard restriction.lower <= restriction.upper else {
        throw ValidationError("--limits '\(text)': lower \(restriction.lower) > upper \(restriction.upper)")
      }
      result.append(restriction)
    }
    return result
  }

  /// The error in the command line's own words: `--restarts` for `randomRestarts`.
  private static func optionName(_ error: SolverSpecificationError) -> String {
    let names = [
      "randomRestarts": "--restarts", "maxIterations": "--max-iterations",
      "startIterationBudget": "--start-iteration-budget", "iterationBudget": "--iteration-budget",
      "proposalIterationBudget": "--proposal-iteration-budget", "timeBudget": "--time-budget-ms",
      "freeJointSamples": "--free-joint-samples", "rotationWeight": "--rotation-weight",
    ]
    guard case .outOfRange(let option, let value, let expected) = error, let name = names[option] else {
      return "\(error)"
    }
    // The specification holds seconds; the option was given in milliseconds.
    if option == "timeBudget" {
      let milliseconds = Double(value).map { "\($0 * 1000)" } ?? value
      return "\(name) must be 0 to 3,600,000 milliseconds, got \(milliseconds)"
    }
    return "\(name) must be \(expected), got \(value)"
  }
}

/// Builds the solver of a specification with the CLI's one-line errors.
func makeSolver(robot: RobotModel, network: IKNetwork?, specification: SolverSpecification) throws -> Solver {
  do {
    return try SolverFactory.make(robot: robot, network: network, specification: specification)
  } catch {
    throw CLIError("\(error)")
  }
}

extension [JointRestriction] {
  /// As the command line gives them: `--lock elbow=1.0 --limits base_yaw=0.0:0.5`.
  var commandLine: String {
    guard !isEmpty else { return "no --lock or --limits" }
    return map {
      $0.lower == $0.upper ? "--lock \($0.joint)=\($0.lower)" : "--limits \($0.joint)=\($0.lower):\($0.upper)"
    }.joined(separator: " ")
  }
}
