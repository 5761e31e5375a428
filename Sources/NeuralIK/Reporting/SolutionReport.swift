/// A ``Solution`` as JSON: what `neural-ik solve --json` prints and the web API returns.
///
/// Field names are snake_case with their unit: metres, radians, degrees where marked.
public struct SolutionReport: Codable, Sendable, Hashable {
  /// One value per movable joint, radians or metres, in chain order.
  public var joint_values: [Double]
  /// The movable joints' names, in the order of `joint_values`.
  public var joint_names: [String]
  public var reachable: Bool
  public var position_error_m: Double
  /// Present for pose targets only.
  public var rotation_error_deg: Double?
  public var reached_position: [Double]
  /// Unit quaternion (w, x, y, z) with w ≥ 0.
  public var reached_orientation: [Double]
  public var iterations: Int
  public var solver: String

  public init(_ solution: Solution, robot: RobotModel) {
    joint_values = solution.jointValues
    joint_names = robot.movableJoints.map(\.name)
    reachable = solution.reachable
    position_error_m = solution.positionError
    rotation_error_deg = solution.rotationError.map { $0 * 180 / .pi }
    let p = solution.reachedPosition
    reached_position = [p.x, p.y, p.z]
    let q = solution.reachedOrientation
    reached_orientation = [q.w, q.x, q.y, q.z]
    iterations = solution.iterations
    solver = solution.solver.rawValue
  }
}

/// The answer for one target: the target and its solutions, best first.
public struct SolveReport: Codable, Sendable, Hashable {
  public var robot: String
  /// (x, y, z) in metres, then (qw, qx, qy, qz) for a pose target.
  public var target: [Double]
  public var solutions: [SolutionReport]

  public init(robot: RobotModel, target: IKTarget, solutions: [Solution]) {
    self.robot = robot.name
    var values = [target.position.x, target.position.y, target.position.z]
    if let q = target.orientation { values += [q.w, q.x, q.y, q.z] }
    self.target = values
    self.solutions = solutions.map { SolutionReport($0, robot: robot) }
  }
}
