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

  @Option(
    help:
      "hybrid (network + LM), network (network only), analytic (closed form) or lm (GSL Levenberg–Marquardt). Default: hybrid with --model, else analytic when the robot has a closed form, else lm."
  )
  var solver: SolverChoice?

  @Option(
    help: ArgumentHelp(
      "Initial guess for lm, one value per joint (default: middle of the limits).", valueName: "values"))
  var initial: String?

  @Option(help: "Random restarts for lm when a start does not reach the target.")
  var restarts: Int = 8

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
    guard restarts >= 0 else { throw ValidationError("--restarts must be 0 or more, got \(restarts)") }
    if (solver == .network || solver == .hybrid) && model == nil {
      throw ValidationError(
        "--solver \(solver!.rawValue) needs --model FILE (train one with 'neural-ik train')")
    }
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
    let choice = try resolveSolver(robot)
    let network = try model.map { try loadModel($0, for: robot) }
    if let targets, let out {
      try solveBatch(
        robot: robot, choice: choice, network: network, guess: guess, input: targets, output: out)
      return
    }
    let values = try parseNumbers(target ?? "", what: "--target")
    let ikTarget: IKTarget
    do {
      ikTarget = try IKTarget(values: values)
    } catch {
      throw CLIError("--target: \(error)")
    }
    let solutions = try solveOne(
      robot: robot, choice: choice, network: network, target: ikTarget, guess: guess)
    let shown = all ? solutions : Array(solutions.prefix(1))
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let data = try encoder.encode(SolveReport(robot: robot, target: ikTarget, solutions: shown))
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(SolutionText.describe(shown, of: solutions.count, robot: robot, target: ikTarget))
    }
  }

  private func resolveSolver(_ robot: RobotModel) throws -> SolverChoice {
    if let solver {
      if solver == .analytic {
        do {
          _ = try AnalyticSolver(robot: robot)
        } catch {
          throw CLIError("--solver analytic: \(error)")
        }
      }
      return solver
    }
    if model != nil { return .hybrid }
    return (try? AnalyticSolver(robot: robot)) != nil ? .analytic : .lm
  }

  private func solveOne(
    robot: RobotModel, choice: SolverChoice, network: IKNetwork?, target: IKTarget, guess: [Double]
  ) throws -> [Solution] {
    do {
      if choice == .hybrid, let network {
        let hybrid = try HybridSolver(robot: robot, network: network)
        return all ? try hybrid.allSolutions(for: target) : [try hybrid.solve(target, from: guess)]
      }
      if choice == .network, let network {
        let solver = try NetworkSolver(robot: robot, network: network)
        return all ? try solver.proposals(for: target) : [try solver.solve(target, from: guess)]
      }
      if choice == .analytic {
        let solver = try AnalyticSolver(robot: robot)
        // Best first: the closed form's solutions, nearest the initial guess first.
        let distance = { (q: [Double]) in zip(q, guess).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        return try solver.allSolutions(for: target).sorted {
          distance($0.jointValues) < distance($1.jointValues)
        }
      }
      return [
        try Self.makeSolver(robot, choice, network: network, restarts: restarts).solve(target, from: guess)
      ]
    } catch {
      throw CLIError("\(error)")
    }
  }

  /// One solver of the chosen kind; batch workers each build their own.
  static func makeSolver(_ robot: RobotModel, _ choice: SolverChoice, network: IKNetwork?, restarts: Int)
    throws
    -> any IKSolver
  {
    switch (choice, network) {
    case (.analytic, _): return try AnalyticSolver(robot: robot)
    case (.hybrid, let network?): return try HybridSolver(robot: robot, network: network)
    case (.network, let network?): return try NetworkSolver(robot: robot, network: network)
    default:
      return LevenbergMarquardtSolver(
        robot: robot, options: LevenbergMarquardtOptions(randomRestarts: restarts))
    }
  }

  private func solveBatch(
    robot: RobotModel, choice: SolverChoice, network: IKNetwork?, guess: [Double], input: String,
    output: String
  ) throws {
    let targets = try TargetCSV.read(input)
    let bar = ProgressBar(total: targets.count, label: "solving")
    let restarts = self.restarts
    let solutions: [Solution]
    do {
      solutions = try BatchSolving.solve(
        targets, initialGuess: guess,
        makeSolver: { () throws(IKError) -> any IKSolver in
          do {
            return try Self.makeSolver(robot, choice, network: network, restarts: restarts)
          } catch let error as IKError {
            throw error
          } catch {
            throw IKError.unsupported("\(error)")
          }
        }, progress: { bar.update($0) })
    } catch {
      throw CLIError("\(error)")
    }
    bar.finish()
    try TargetCSV.write(solutions, targets: targets, robot: robot, to: output)
    let reached = solutions.filter(\.reachable).count
    let message =
      "\(targets.count) targets solved with \(choice.rawValue): \(reached) reachable, \(targets.count - reached) out of reach → \(output)"
    if json {
      print("{\"targets\": \(targets.count), \"reachable\": \(reached), \"out\": \"\(output)\"}")
    } else {
      print(message)
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
