import NeuralIK

/// `POST /api/solve` and WebSocket request body.
public struct SolveRequest: Codable, Sendable {
  /// One target: x, y, z (metres) or x, y, z, qw, qx, qy, qz.
  public var target: [Double]?
  /// A batch of targets.
  public var targets: [[Double]]?
  /// hybrid, network, analytic or lm; default: the best this server offers.
  public var solver: String?
  /// Every solution found (branches), not only the best.
  public var all: Bool?
  /// Where the robot is: one value per joint, the start of every solve in the request and what
  /// the default preference measures "nearest" from (default: the middle of the limits). The web
  /// app sends the configuration it shows, so a dragged target is followed continuously.
  public var start: [Double]?
  /// Echoed back on the WebSocket, so a client can match answers to requests.
  public var id: Int?
  /// Joints locked at a value for this request: `{"panda_joint1": 0.3}` (radians or metres).
  public var lock: [String: Double]?
  /// Joints held within tighter limits than the robot's for this request (a safety envelope):
  /// `{"panda_joint4": [-2.5, -1.0]}`.
  public var limits: [String: [Double]]?
  /// Metres of position error that weigh as much as one radian of rotation error, for this
  /// request (default: the server's specification's).
  public var rotationWeight: Double?
  /// With position targets: the direction (base frame) the tool axis must point along, the
  /// rotation about it free.
  public var axis: [Double]?
  /// With `axis`: the tool axis in the tip frame (default the robot's
  /// ``/NeuralIKCore/RobotModel/approachAxis``).
  public var toolAxis: [Double]?
  /// The targets are a path: each solved from the previous answer (the first from `start`), as
  /// `solve --path`, with each step's largest joint change in its result.
  public var path: Bool?
  /// The largest joint change (radians or metres) from the previous answer, or from `start`, that
  /// a result does not flag; with `path` or `start`.
  public var maxStep: Double?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case target, targets, solver, all, start, id, lock, limits, axis, path
    case rotationWeight = "rotation_weight"
    case toolAxis = "tool_axis"
    case maxStep = "max_step"
  }

  /// Any field name, to find those a request should not have.
  private struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Decodes a request body; an `id` that is a number but no 64-bit integer is named as such
  /// (the decoder alone calls it invalid JSON).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    // A misspelt field is refused, never ignored: "locks" for "lock" would solve without the
    // lock a robot's safety relies on.
    let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
      .filter { CodingKeys(stringValue: $0) == nil }.sorted()
    if let first = unknown.first {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: [AnyKey(stringValue: first)],
          debugDescription:
            "unknown field; a request takes "
            + CodingKeys.allCases.map(\.stringValue).joined(separator: ", ")))
    }
    target = try c.decodeIfPresent([Double].self, forKey: .target)
    targets = try c.decodeIfPresent([[Double]].self, forKey: .targets)
    solver = try c.decodeIfPresent(String.self, forKey: .solver)
    all = try c.decodeIfPresent(Bool.self, forKey: .all)
    start = try c.decodeIfPresent([Double].self, forKey: .start)
    lock = try c.decodeIfPresent([String: Double].self, forKey: .lock)
    limits = try c.decodeIfPresent([String: [Double]].self, forKey: .limits)
    rotationWeight = try c.decodeIfPresent(Double.self, forKey: .rotationWeight)
    axis = try c.decodeIfPresent([Double].self, forKey: .axis)
    toolAxis = try c.decodeIfPresent([Double].self, forKey: .toolAxis)
    path = try c.decodeIfPresent(Bool.self, forKey: .path)
    maxStep = try c.decodeIfPresent(Double.self, forKey: .maxStep)
    do {
      id = try c.decodeIfPresent(Int.self, forKey: .id)
    } catch let error as DecodingError {
      throw error
    } catch {
      // A number that is no 64-bit integer (1.5, 2⁶³): the parser's own error, which the decoder
      // would report as invalid JSON.
      // A whole number past the range comes back only as a Double, whose digits would be wrong
      // (2⁶³ + 1 reads 9.223372036854776e+18): it is named by its side of the range.
      let number = (try? c.decodeIfPresent(Double.self, forKey: .id)).flatMap { $0 }
      let got: String
      switch number {
      case let whole? where whole == whole.rounded():
        got = whole > 0 ? ", got one above it" : ", got one below it"
      case let fraction?: got = ", got \(fraction)"
      case nil: got = ""
      }
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: [CodingKeys.id],
          debugDescription: "must be a whole number from \(Int.min) to \(Int.max)\(got)"))
    }
  }

  /// `axis` and `tool_axis` as an ``AxisTarget``, `nil` without `axis`; without `tool_axis`, the
  /// tool turns `approachAxis` (the robot's, tip frame).
  ///
  /// - Throws: ``APIError`` for a vector that is not three finite numbers or is zero.
  func axisTarget(approachAxis: Vector3) throws(APIError) -> AxisTarget? {
    guard let axis else {
      if toolAxis != nil { throw APIError("\"tool_axis\" goes with \"axis\"") }
      return nil
    }
    let tool = toolAxis ?? [approachAxis.x, approachAxis.y, approachAxis.z]
    guard axis.count == 3, tool.count == 3 else {
      throw APIError("\"axis\" and \"tool_axis\" take three numbers: [dx, dy, dz]")
    }
    do {
      return try AxisTarget(
        toolAxis: Vector3(tool[0], tool[1], tool[2]), direction: Vector3(axis[0], axis[1], axis[2]))
    } catch {
      throw APIError("\(error)")
    }
  }

  public init(
    target: [Double]? = nil, targets: [[Double]]? = nil, solver: String? = nil, all: Bool? = nil,
    start: [Double]? = nil, id: Int? = nil, lock: [String: Double]? = nil, limits: [String: [Double]]? = nil
  ) {
    self.target = target
    self.targets = targets
    self.solver = solver
    self.all = all
    self.start = start
    self.id = id
    self.lock = lock
    self.limits = limits
  }

  /// `lock` and `limits` as restrictions, in a stable order (a solver pool key).
  ///
  /// - Throws: ``APIError`` for a `limits` entry that is not `[lower, upper]`.
  func restrictions() throws(APIError) -> [JointRestriction] {
    var result = (lock ?? [:]).sorted { $0.key < $1.key }.map { JointRestriction.lock($0.key, at: $0.value) }
    for (joint, bounds) in (limits ?? [:]).sorted(by: { $0.key < $1.key }) {
      guard bounds.count == 2 else {
        throw APIError("limits.\(joint): give [lower, upper], got \(bounds.count) values")
      }
      result.append(JointRestriction(joint: joint, lower: bounds[0], upper: bounds[1]))
    }
    return result
  }
}

/// One solution with what the page needs to draw it.
public struct DrawnSolution: Codable, Sendable {
  public var solution: SolutionReport
  /// Joint origins from the base out, then the tool point (metres): the arm's polyline.
  public var frames: [[Double]]
  /// Each movable joint's axis in the base frame.
  public var axes: [[Double]]
}

/// The answer for one target.
public struct SolveResult: Codable, Sendable {
  public var target: [Double]
  public var solutions: [DrawnSolution]
  public var reachable: Bool
  /// What the best solution says of the target: reached, or what its miss means.
  public var status: ReachVerdict
  /// The reached tool point of the best solution: the closest point found when out of reach.
  public var closestPoint: [Double]
  /// Distance from the target to that point, metres.
  public var gap: Double
  public var milliseconds: Double
  /// The best solution's largest joint change from the previous answer of a path, or from the
  /// request's `start` (radians or metres); `nil` with neither.
  public var step: Double?
  /// Whether ``step`` exceeds the request's `max_step`; `nil` without one.
  public var flagged: Bool?

  enum CodingKeys: String, CodingKey {
    case target, solutions, reachable, status, step, flagged
    case closestPoint = "closest_point"
    case gap = "gap_m"
    case milliseconds
  }

  init(
    robot: RobotModel, target: IKTarget, solutions: [Solution], status: ReachVerdict, milliseconds: Double,
    step: Double? = nil, maxStep: Double? = nil
  ) {
    self.target = target.values
    self.solutions = solutions.map { solution in
      let frames = robot.jointFrames(at: solution.jointValues)
      let axes = zip(frames, robot.movableJoints).map { frame, joint in
        let axis = frame.rotation * joint.axis
        return [axis.x, axis.y, axis.z]
      }
      return DrawnSolution(
        solution: SolutionReport(solution, robot: robot),
        frames: frames.map { [$0.translation.x, $0.translation.y, $0.translation.z] }, axes: axes)
    }
    let best = solutions.first
    self.reachable = best?.reachable ?? false
    self.status = status
    let p = best?.reachedPosition ?? .zero
    self.closestPoint = [p.x, p.y, p.z]
    // A solve always returns a best solution; 0 stands in only for an empty list.
    self.gap = best?.positionError ?? 0
    self.milliseconds = milliseconds
    self.step = step
    self.flagged = step.flatMap { step in maxStep.map { step > $0 } }
  }
}

public struct SolveResponse: Codable, Sendable {
  public var solver: String
  public var results: [SolveResult]
  public var id: Int?
  /// With `path`: whether relaxing it along its self-motion ran out of its time
  /// (``/NeuralIK/PathResult/relaxationTimedOut``); `nil` without `path`.
  public var relaxationTimedOut: Bool?

  enum CodingKeys: String, CodingKey {
    case solver, results, id
    case relaxationTimedOut = "relaxation_timed_out"
  }
}

/// `GET /api/robot`.
public struct RobotDescription: Codable, Sendable {
  public struct JointInfo: Codable, Sendable {
    public var name: String
    public var type: String
    /// Radians or metres; `nil` for continuous joints.
    public var lower: Double?
    public var upper: Double?
    /// The server's standing envelope for this joint (`serve --lock`/`--limits`), radians or
    /// metres: every answer keeps within it (equal bounds: the joint is locked); `nil` where the
    /// server holds the joint only to ``lower`` and ``upper``.
    public var envelopeLower: Double?
    public var envelopeUpper: Double?

    enum CodingKeys: String, CodingKey {
      case name, type, lower, upper
      case envelopeLower = "envelope_lower"
      case envelopeUpper = "envelope_upper"
    }
  }
  public var name: String
  public var joints: [JointInfo]
  /// The solvers offered, the default first.
  public var solvers: [SolverKind]
  public var middleConfiguration: [Double]
  /// The arm at the middle configuration, as the solve API draws it.
  public var middle: DrawnSolution
  /// The targets the page should send: poses (x, y, z, qw, qx, qy, qz) when the model was trained
  /// for poses, or there is no model and the arm has 6 joints or more; else positions.
  public var targetKind: TargetKind
  /// The tool orientation at the middle configuration, (w, x, y, z): the page's first target.
  public var middleOrientation: [Double]
  /// The tool's approach axis in the tip frame (``/NeuralIKCore/RobotModel/approachAxis``): what
  /// an axis target turns without `tool_axis`, and the page's axis mode points.
  public var approachAxis: [Double]
  /// The page's first target, reachable: the tool at ``firstConfiguration``, x, y, z (metres) then
  /// qw, qx, qy, qz for pose targets.
  public var firstTarget: [Double]
  /// A configuration beside the middle one (each bounded joint a quarter of its half range above
  /// the middle, each continuous joint 0.4 rad): its tool stands apart from the drawn arm's.
  public var firstConfiguration: [Double]
  /// Tool points of random configurations: the reachable workspace as a point cloud (metres).
  public var workspace: [[Double]]
  /// The model's training metrics by their file keys.
  public var model: [String: Double]?
  /// Whether `GET /api/map` has a map to give (`serve --map`): the page asks for it only then.
  public var map = false

  enum CodingKeys: String, CodingKey {
    case name, joints, solvers
    case middleConfiguration = "middle_configuration"
    case middle
    case targetKind = "target_kind"
    case middleOrientation = "middle_orientation"
    case approachAxis = "approach_axis"
    case firstTarget = "first_target"
    case firstConfiguration = "first_configuration"
    case workspace, model, map
  }
}
