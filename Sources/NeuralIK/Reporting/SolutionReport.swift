/// A ``/NeuralIKCore/Solution`` as JSON: what `neural-ik solve --json` prints and the web API
/// returns.
///
/// JSON keys are snake_case with their unit: metres, radians, degrees where marked.
public struct SolutionReport: Codable, Sendable, Hashable {
  /// One value per movable joint, radians or metres, in chain order.
  public var jointValues: [Double]
  /// The movable joints' names, in the order of ``jointValues``.
  public var jointNames: [String]
  /// Whether the solution is within the specification's tolerance of the target.
  public var reachable: Bool
  /// Metres.
  public var positionError: Double
  /// Degrees; present for pose targets only.
  public var rotationErrorDegrees: Double?
  /// Metres, base frame.
  public var reachedPosition: [Double]
  /// Unit quaternion (w, x, y, z) with w ≥ 0.
  public var reachedOrientation: [Double]
  /// Levenberg–Marquardt iterations spent on this solution (0 for the closed form and the network).
  public var iterations: Int
  /// The solver that produced it.
  public var solver: SolverKind

  enum CodingKeys: String, CodingKey {
    case jointValues = "joint_values"
    case jointNames = "joint_names"
    case reachable
    case positionError = "position_error_m"
    case rotationErrorDegrees = "rotation_error_deg"
    case reachedPosition = "reached_position"
    case reachedOrientation = "reached_orientation"
    case iterations, solver
  }

  /// The report of `solution`.
  ///
  /// - Parameters:
  ///   - solution: a solution for `robot`.
  ///   - robot: the robot, for its joints' names.
  public init(_ solution: Solution, robot: RobotModel) {
    jointValues = solution.jointValues
    jointNames = robot.movableJoints.map(\.name)
    reachable = solution.reachable
    positionError = solution.positionError
    rotationErrorDegrees = solution.rotationError.map { $0 * 180 / .pi }
    let p = solution.reachedPosition
    reachedPosition = [p.x, p.y, p.z]
    let q = solution.reachedOrientation
    reachedOrientation = [q.w, q.x, q.y, q.z]
    iterations = solution.iterations
    solver = solution.solver
  }
}

/// The answer for one target: the target, its solutions (best first), and how they were found.
public struct SolveReport: Codable, Sendable, Hashable {
  /// The robot's name.
  public var robot: String
  /// (x, y, z) in metres, then (qw, qx, qy, qz) for a pose target.
  public var target: [Double]
  /// For an axis target, the direction the tool axis must point along (base frame, unit).
  public var axis: [Double]?
  /// For an axis target, the tool axis that must point along ``axis`` (tip frame, unit): the one
  /// given, or the robot's ``/NeuralIKCore/RobotModel/approachAxis``.
  public var toolAxis: [Double]?
  /// The best solution first; the others after it when every solution was asked for.
  public var solutions: [SolutionReport]
  /// What the best solution says of the target: reached, or what its miss means.
  public var status: ReachVerdict
  /// The settings the solver was built with.
  public var specification: SolverSpecification
  /// Levenberg–Marquardt iterations in all.
  public var iterations: Int
  /// Wall-clock milliseconds of the solve.
  public var milliseconds: Double

  enum CodingKeys: String, CodingKey {
    case robot, target, axis
    case toolAxis = "tool_axis"
    case solutions, status, specification, iterations, milliseconds
  }

  /// The report of one solve.
  ///
  /// - Parameters:
  ///   - robot: the robot solved for.
  ///   - target: the target solved.
  ///   - result: what ``Solver/solve(_:from:)`` returned for it.
  ///   - all: list every solution (``IKResult/solutions``) instead of the best alone.
  ///   - status: the verdict on the best solution (``Solver/verdict(on:for:)``).
  public init(robot: RobotModel, target: IKTarget, result: IKResult, all: Bool, status: ReachVerdict) {
    self.robot = robot.name
    self.target = target.values
    if let axis = target.axis {
      self.axis = [axis.direction.x, axis.direction.y, axis.direction.z]
      self.toolAxis = [axis.toolAxis.x, axis.toolAxis.y, axis.toolAxis.z]
    }
    self.solutions = (all ? result.solutions : [result.best]).map { SolutionReport($0, robot: robot) }
    self.status = status
    self.specification = result.specification
    self.iterations = result.iterations
    self.milliseconds = result.seconds * 1000
  }
}

extension IKTarget {
  /// (x, y, z) in metres, then (qw, qx, qy, qz) for a pose target: the values of
  /// ``/NeuralIKCore/IKTarget/init(values:)``.
  public var values: [Double] {
    var values = [position.x, position.y, position.z]
    if let q = orientation { values += [q.w, q.x, q.y, q.z] }
    return values
  }
}
