import ArgumentParser
import Foundation
import NeuralIK

struct SolveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "solve",
    abstract: "Solve inverse kinematics for one target or a CSV file of targets.",
    discussion: """
      A target is x,y,z in metres (base frame), or x,y,z,qw,qx,qy,qz for a pose. Write a negative \
      first value as --target=-0.2,0,0.4. Out of reach, the answer is the closest reachable \
      configuration found, with its distance to the target: marked OUT OF REACH where the solver \
      proves it (a closed form listing every branch, or beyond the reach sphere), NOT REACHED to the \
      tolerance within a millimetre and 0.57°, else NO SOLUTION FOUND. A quaternion of any non-zero \
      length is normalised.
      """
  )

  @OptionGroup var robotOptions: RobotOptions

  @Option(help: ArgumentHelp("One target: x,y,z or x,y,z,qw,qx,qy,qz.", valueName: "values"))
  var target: String?

  @Option(
    help: ArgumentHelp(
      "With a --target position: the direction the tool axis must point along (base frame), the rotation about it free.",
      valueName: "dx,dy,dz"))
  var axis: String?

  @Option(
    help: ArgumentHelp(
      "With --axis: the tool axis in the tip frame (default: the robot's approach axis, the flange normal; 0,0,1 on most tip frames).",
      valueName: "ax,ay,az"))
  var toolAxis: String?

  @Option(
    help: ArgumentHelp(
      "CSV file of targets (header x,y,z, x,y,z,qw,qx,qy,qz, or for tool-axis targets x,y,z,dx,dy,dz and optionally ax,ay,az).",
      valueName: "file"))
  var targets: String?

  @Option(help: ArgumentHelp("Where --targets results go (CSV).", valueName: "file"))
  var out: String?

  @Option(
    help: ArgumentHelp(
      "Trained model file (neural-ik train); enables the network solver and the hybrid's proposals (without one, the hybrid needs a closed form of poses).",
      valueName: "file"))
  var model: String?

  @OptionGroup var solverOptions: SolverOptions

  @Option(
    help: ArgumentHelp(
      "Where the robot is: one value per joint, the start of every solve and what 'nearest' is measured from (default: middle of the limits).",
      valueName: "values"))
  var initial: String?

  @Flag(
    help:
      "With --targets: the targets are a path; solve them in order, each from the previous answer (the first from --initial; on a seven-joint arm with pose targets, then relaxed along the self-motion), and report each step's largest joint change."
  )
  var path = false

  @Option(
    help: ArgumentHelp(
      "With --path: flag every step whose largest joint change exceeds this (radians or metres).",
      valueName: "value"), transform: Double.decimalArgument)
  var maxStep: Double?

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
    if path && targets == nil { throw ValidationError("--path goes with --targets FILE") }
    if all && targets != nil {
      throw ValidationError("--all goes with --target x,y,z: --targets writes one answer per target")
    }
    if axis != nil && target == nil { throw ValidationError("--axis goes with --target x,y,z") }
    if toolAxis != nil && axis == nil { throw ValidationError("--tool-axis goes with --axis") }
    // Numbers a command line writes wrongly are its own mistake (status 64), whatever the robot.
    for case (let option, let text?) in [
      ("--target", target), ("--initial", initial), ("--axis", axis), ("--tool-axis", toolAxis),
    ] {
      let values: [Double]
      do {
        values = try parseNumbers(text, what: option)
      } catch {
        throw ValidationError("\(error)")
      }
      if values.contains(where: { !$0.isFinite }) {
        throw ValidationError(
          "\(option): \(values) contains a non-finite number (NaN or infinity); give finite numbers")
      }
      // Beyond ±1e6 no joint can be, whatever the robot (RobotLimits.jointValue).
      if option == "--initial", let index = values.firstIndex(where: { abs($0) > RobotLimits.jointValue }) {
        throw ValidationError(
          "--initial: value \(index + 1), \(values[index]), lies beyond ±\(Int(RobotLimits.jointValue)) (rad or m), "
            + "where no joint can be; give a value near its joint's limits")
      }
      if option == "--target", axis != nil, values.count != 3 {
        throw ValidationError("--axis needs a position --target x,y,z, got \(values.count) values")
      }
      if option == "--axis" || option == "--tool-axis" {
        guard values.count == 3 else {
          throw ValidationError("\(option) takes three values, dx,dy,dz; got \(values.count)")
        }
        guard values.contains(where: { $0 != 0 }) else {
          throw ValidationError("\(option): \(text) is the zero vector; give a direction")
        }
      }
    }
    if let maxStep {
      guard path else { throw ValidationError("--max-step goes with --path") }
      guard maxStep > 0, maxStep.isFinite else {
        throw ValidationError("--max-step must be a positive number, got \(maxStep)")
      }
    }
    // Last: a file system's refusal (status 1) must not hide a mistake of the command line (64).
    if let out {
      try OutputPath.check(
        out, option: "--out", inputs: ["--robot": robotOptions.robot, "--model": model, "--targets": targets])
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
    if initial != nil {
      for warning in robot.unitWarnings(start: guess) {
        FileHandle.standardError.write(Data("warning: --initial: \(warning)\n".utf8))
      }
    }
    let network = try model.map { try loadModel($0, for: robot) }
    let specification = try solverOptions.specification(findAll: all)
    try solverOptions.warnOfUnits(for: robot)
    let solver = try makeSolver(robot: robot, network: network, specification: specification)
    if let targets, let out, path {
      // Without --initial the robot's configuration before the path is unknown: the first answer
      // is the one nearest the middle of the limits, and its move from there is no step.
      try solvePath(
        solver: solver, robot: robot, start: initial == nil ? nil : guess, input: targets, output: out)
      return
    }
    if let targets, let out {
      try solveBatch(
        robot: robot, network: network, solver: solver, guess: guess, input: targets, output: out)
      return
    }
    let values = try parseNumbers(target ?? "", what: "--target")
    let ikTarget: IKTarget
    do {
      if let axis {
        // validate() refused any other count; kept, as an index past the end would crash.
        guard values.count == 3 else {
          throw ValidationError("--axis needs a position --target x,y,z, got \(values.count) values")
        }
        let direction = try parseNumbers(axis, what: "--axis")
        let approach = robot.approachAxis
        let tool =
          try toolAxis.map { try parseNumbers($0, what: "--tool-axis") } ?? [
            approach.x, approach.y, approach.z,
          ]
        guard direction.count == 3, tool.count == 3 else {
          throw CLIError("--axis and --tool-axis take three values: dx,dy,dz")
        }
        ikTarget = try IKTarget(
          position: Vector3(values[0], values[1], values[2]),
          axis: AxisTarget(
            toolAxis: Vector3(tool[0], tool[1], tool[2]),
            direction: Vector3(direction[0], direction[1], direction[2])))
      } else {
        ikTarget = try IKTarget(values: values)
      }
    } catch let error as CLIError {
      throw error
    } catch {
      throw CLIError("--target: \(error)")
    }
    if robot.looksLikeMillimetres(ikTarget.position) {
      warnMillimetres(
        "--target (\(ikTarget.position.x), \(ikTarget.position.y), \(ikTarget.position.z)) m", robot: robot)
    }
    let result: IKResult
    do {
      // Without --initial there is no robot state to stay near: the fastest answer.
      result = try solver.solve(ikTarget, from: initial == nil ? nil : guess)
    } catch {
      throw CLIError("\(error)")
    }
    if json {
      let report = SolveReport(
        robot: robot, target: ikTarget, result: result, all: all,
        status: solver.verdict(on: result.best, for: ikTarget))
      print(try JSONText.encode(report))
    } else {
      let shown = all ? result.solutions : [result.best]
      print(
        SolutionText.describe(
          shown, of: result.solutions.count, robot: solver.robot, target: ikTarget,
          tolerance: solver.specification.tolerance, verdict: solver.verdict(on: result.best, for: ikTarget)))
    }
  }

  private func solveBatch(
    robot: RobotModel, network: IKNetwork?, solver: Solver, guess: [Double], input: String, output: String
  ) throws {
    let specification = solver.specification
    let targets = try TargetCSV.read(input, for: robot)
    // Every answer (with its alternatives) and the file's text are held until the file is written:
    // measured 1.8 KB a target on a 3-joint arm; half again for the allocator.
    try TrainingMemory.check(
      needed: Self.neededBytes(targets: targets.count, robot: robot),
      threads: ProcessInfo.processInfo.activeProcessorCount,
      for: "solving the \(targets.count) targets of '\(input)'", advice: "split the file into smaller ones")
    let bar = ProgressBar(total: targets.count, label: "solving")
    let results: [IKResult]
    do {
      results = try BatchSolving.solve(
        targets, robot: robot, network: network, specification: specification,
        from: initial == nil ? nil : guess,
        progress: { bar.update($0) })
    } catch {
      throw CLIError("\(error)")
    }
    bar.finish()
    let solutions = results.map(\.best)
    // The threads' solvers are built as `solver` is, so its verdicts are theirs.
    let verdicts = zip(targets, results).map { solver.verdict(on: $1.best, for: $0) }
    try TargetCSV.write(results, targets: targets, verdicts: verdicts, robot: robot, to: output)
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
        "\(targets.count) targets solved with \(kind): \(reached) reachable, \(targets.count - reached) not reached → \(output)"
      )
    }
  }

  /// The memory a file of `targets` rows needs while it is solved: 1.8 KB a row measured on a
  /// 3-joint arm (each answer with its alternatives, and the file's text), more with more joints;
  /// half again for the allocator.
  static func neededBytes(targets: Int, robot: RobotModel) -> Double {
    1.5 * (40e6 + Double(targets) * (1400 + 130 * Double(robot.degreesOfFreedom)))
  }

  /// `--path`: in order, each target from the previous answer, with each step's largest change.
  private func solvePath(solver: Solver, robot: RobotModel, start: [Double]?, input: String, output: String)
    throws
  {
    let targets = try TargetCSV.read(input, for: robot)
    try TrainingMemory.check(
      needed: Self.neededBytes(targets: targets.count, robot: robot), threads: 1,
      for: "solving the \(targets.count) path targets of '\(input)'",
      advice: "split the path into shorter ones")
    let result: PathResult
    do {
      result = try solver.solvePath(targets, from: start, maxStep: maxStep)
    } catch {
      throw CLIError("\(error)")
    }
    let solutions = result.results.map(\.best)
    try TargetCSV.write(
      result.results, targets: targets,
      verdicts: zip(targets, result.results).map { solver.verdict(on: $1.best, for: $0) }, robot: robot,
      to: output,
      path: (steps: result.steps, flagged: Set(result.flagged)))
    let reached = solutions.filter(\.reachable).count
    let summary = PathSummary(
      targets: targets.count, reachable: reached, out: output, largestStep: result.largestStep,
      maxStep: maxStep, flagged: result.flagged.map { $0 + 1 }, relaxationTimedOut: result.relaxationTimedOut,
      solver: solver.kind.rawValue, specification: solver.specification)
    if json {
      print(try JSONText.encode(summary))
    } else {
      var text =
        "\(targets.count) path targets solved with \(solver.kind.rawValue): \(reached) reachable; largest joint step "
        + String(format: "%.4g", result.largestStep)
      if let maxStep {
        text +=
          result.flagged.isEmpty
          ? "; no step over \(maxStep)"
          : "; \(result.flagged.count) step\(result.flagged.count == 1 ? "" : "s") over \(maxStep), first at target \(result.flagged[0] + 1)"
      }
      print(text + " → \(output)")
    }
    if result.relaxationTimedOut {
      let budget =
        solver.specification.timeBudget == nil ? "60 s for the path" : "--time-budget-ms per target"
      FileHandle.standardError.write(
        Data(
          ("warning: relaxing the path along its self-motion stopped at its time budget (\(budget)); "
            + "its steps may be larger than a longer budget leaves them (--time-budget-ms sets it per target)\n")
            .utf8))
    }
  }

  private func parseNumbers(_ text: String, what: String) throws -> [Double] {
    try text.split(separator: ",", omittingEmptySubsequences: false).map { field in
      let trimmed = field.trimmingCharacters(in: .whitespaces)
      guard let value = Double(decimal: trimmed) else {
        throw CLIError("\(what): '\(trimmed)' is not a number; write comma-separated numbers like 0.3,0,0.5")
      }
      return value
    }
  }
}

/// What `solve --targets --path --json` prints; `flagged` counts targets from 1, as the file's rows.
struct PathSummary: Encodable {
  var targets: Int
  var reachable: Int
  var out: String
  var largestStep: Double
  var maxStep: Double?
  var flagged: [Int]
  /// Whether relaxing a seven-joint path ran out of its time budget (``PathResult/relaxationTimedOut``).
  var relaxationTimedOut: Bool
  var solver: String
  var specification: SolverSpecification

  enum CodingKeys: String, CodingKey {
    case targets, reachable, out
    case largestStep = "largest_step"
    case maxStep = "max_step"
    case relaxationTimedOut = "relaxation_timed_out"
    case flagged, solver, specification
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
