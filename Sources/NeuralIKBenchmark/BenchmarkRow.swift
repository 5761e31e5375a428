import NeuralIK

/// One solver on one target set: the one row type of `neural-ik eval`, `bench` and `score`.
///
/// Errors are measured by NeuralIK's forward kinematics from the returned joint values, whatever
/// the solver reported about itself. JSON keys are snake_case with their unit (Docs/Benchmark.md).
public struct BenchmarkRow: Codable, Sendable, Hashable {
  /// The solver's name: a ``SolverKind`` raw value for NeuralIK's own, the peer's name otherwise.
  public var solver: String
  /// Which targets: ``BenchmarkTargets/reachableName`` or ``BenchmarkTargets/outOfReachName``.
  public var targetSet: String
  public var count: Int
  /// Share within the tight tolerance (default 1 mm and 0.572°); out of reach, within the tight
  /// position tolerance of the closest reachable distance.
  public var successRate: Double
  /// Share within the loose tolerance (default 5 mm and 2.865°), measured the same way.
  public var successRateLoose: Double
  /// Share within numerical precision: 1e-6 m (and 1e-6 rad); out of reach, within 1e-6 m of the
  /// closest reachable distance.
  public var exactRate: Double
  public var positionMeanMillimetres: Double
  public var positionMedianMillimetres: Double
  public var positionP95Millimetres: Double
  public var positionP99Millimetres: Double
  public var positionMaxMillimetres: Double
  /// Rotation errors in degrees; `nil` for position targets.
  public var rotationMeanDegrees: Double?
  public var rotationMedianDegrees: Double?
  public var rotationP99Degrees: Double?
  /// Out of reach, with a closed form: distance from the reached point to the nearest closed-form
  /// closest point, millimetres.
  public var closestPointMedianMillimetres: Double?
  public var closestPointP99Millimetres: Double?
  /// Solutions with a joint outside its limits.
  public var limitViolations: Int
  /// Levenberg–Marquardt iterations per target: mean and largest; `nil` for peers.
  public var iterationsMean: Double?
  public var iterationsMax: Int?
  /// Wall-clock microseconds per single solve on one thread; `nil` when not timed (`eval`).
  public var timeMeanMicroseconds: Double?
  public var timeMedianMicroseconds: Double?
  public var timeP95Microseconds: Double?
  /// Solves per second, batched on every core; `nil` when not measured.
  public var batchedSolvesPerSecond: Double?
  /// How many solves the solver itself called successful; `nil` for NeuralIK's own solvers.
  public var reportedFound: Int?

  enum CodingKeys: String, CodingKey {
    case solver
    case targetSet = "target_set"
    case count
    case successRate = "success_rate"
    case successRateLoose = "success_rate_loose"
    case exactRate = "exact_rate"
    case positionMeanMillimetres = "position_mean_mm"
    case positionMedianMillimetres = "position_median_mm"
    case positionP95Millimetres = "position_p95_mm"
    case positionP99Millimetres = "position_p99_mm"
    case positionMaxMillimetres = "position_max_mm"
    case rotationMeanDegrees = "rotation_mean_deg"
    case rotationMedianDegrees = "rotation_median_deg"
    case rotationP99Degrees = "rotation_p99_deg"
    case closestPointMedianMillimetres = "closest_point_median_mm"
    case closestPointP99Millimetres = "closest_point_p99_mm"
    case limitViolations = "limit_violations"
    case iterationsMean = "iterations_mean"
    case iterationsMax = "iterations_max"
    case timeMeanMicroseconds = "time_mean_us"
    case timeMedianMicroseconds = "time_median_us"
    case timeP95Microseconds = "time_p95_us"
    case batchedSolvesPerSecond = "batched_solves_per_second"
    case reportedFound = "reported_found"
  }
}

/// The two success levels of the protocol.
public struct BenchmarkTolerances: Codable, Sendable, Hashable {
  /// Metres and radians.
  public var tight: ReachTolerance
  public var loose: ReachTolerance

  /// 1 mm and 0.01 rad (0.572°); 5 mm and 0.05 rad (2.865°).
  public init(
    tight: ReachTolerance = ReachTolerance(position: 1e-3, rotation: 0.01),
    loose: ReachTolerance = ReachTolerance(position: 5e-3, rotation: 0.05)
  ) {
    self.tight = tight
    self.loose = loose
  }

  enum CodingKeys: String, CodingKey {
    case tightPosition = "tight_position_m"
    case tightRotation = "tight_rotation_rad"
    case loosePosition = "loose_position_m"
    case looseRotation = "loose_rotation_rad"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    tight = ReachTolerance(
      position: try c.decode(Double.self, forKey: .tightPosition),
      rotation: try c.decode(Double.self, forKey: .tightRotation))
    loose = ReachTolerance(
      position: try c.decode(Double.self, forKey: .loosePosition),
      rotation: try c.decode(Double.self, forKey: .looseRotation))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(tight.position, forKey: .tightPosition)
    try c.encode(tight.rotation, forKey: .tightRotation)
    try c.encode(loose.position, forKey: .loosePosition)
    try c.encode(loose.rotation, forKey: .looseRotation)
  }
}

/// Builds a ``BenchmarkRow`` from joint values: NeuralIK's solvers and peers are scored alike.
public struct BenchmarkScorer: Sendable {
  public let robot: RobotModel
  public let tolerances: BenchmarkTolerances

  public init(robot: RobotModel, tolerances: BenchmarkTolerances = .init()) {
    self.robot = robot
    self.tolerances = tolerances
  }

  /// What one row is measured from: per target, the joint values and, where known, the rest.
  public struct Measurements: Sendable {
    public var jointValues: [[Double]]
    /// Wall-clock seconds per solve; `nil` when not timed.
    public var seconds: [Double]?
    /// Iterations per solve; `nil` for peers.
    public var iterations: [Int]?
    /// Out of reach: metres from each target to the closest reachable point.
    public var reachDistances: [Double]?
    /// Out of reach: every closed-form closest configuration per target (empty without one).
    public var closestConfigurations: [[[Double]]]?
    public var batchedSolvesPerSecond: Double?
    public var reportedFound: Int?

    public init(
      jointValues: [[Double]], seconds: [Double]? = nil, iterations: [Int]? = nil,
      reachDistances: [Double]? = nil, closestConfigurations: [[[Double]]]? = nil,
      batchedSolvesPerSecond: Double? = nil, reportedFound: Int? = nil
    ) {
      self.jointValues = jointValues
      self.seconds = seconds
      self.iterations = iterations
      self.reachDistances = reachDistances
      self.closestConfigurations = closestConfigurations
      self.batchedSolvesPerSecond = batchedSolvesPerSecond
      self.reportedFound = reportedFound
    }
  }

  /// Scores `measurements.jointValues[i]` against `targets[i]`.
  ///
  /// - Throws: ``BenchmarkError/mismatchedCounts(_:)`` when a measurement has another count.
  public func row(
    solver: String, targetSet: String = BenchmarkTargets.reachableName, targets: [IKTarget],
    measurements m: Measurements
  ) throws(BenchmarkError) -> BenchmarkRow {
    try checkCounts(targets: targets, measurements: m)
    var positions: [Double] = []
    var rotations: [Double] = []
    var closest: [Double] = []
    var tight = 0
    var loose = 0
    var exact = 0
    var violations = 0
    for (index, (target, q)) in zip(targets, m.jointValues).enumerated() {
      // swift-format-ignore: AlwaysUseLowerCamelCase
      let (T_base_tip, positionError, rotation) = try measure(target, q, index: index)
      positions.append(positionError * 1000)
      if target.kind != .position { rotations.append(rotation * 180 / .pi) }
      // Out of reach, errors count from the closest reachable distance.
      let floor = m.reachDistances?[index] ?? 0
      let excess = positionError - floor
      if excess <= tolerances.tight.position && rotation <= tolerances.tight.rotation { tight += 1 }
      if excess <= tolerances.loose.position && rotation <= tolerances.loose.rotation { loose += 1 }
      if excess <= 1e-6 && rotation <= 1e-6 { exact += 1 }
      if !robot.isWithinLimits(q) { violations += 1 }
      if let options = m.closestConfigurations?[index], !options.isEmpty {
        let reached = T_base_tip.translation
        let nearest = options.map { (robot.tipPosition(at: $0) - reached).length * 1000 }.min() ?? .nan
        closest.append(nearest)
      }
    }
    let count = Double(max(1, targets.count))
    positions.sort()
    rotations.sort()
    closest.sort()
    let times = m.seconds.map { $0.map { $0 * 1e6 }.sorted() }
    let iterations = m.iterations
    return BenchmarkRow(
      solver: solver, targetSet: targetSet, count: targets.count, successRate: Double(tight) / count,
      successRateLoose: Double(loose) / count, exactRate: Double(exact) / count,
      positionMeanMillimetres: Self.mean(positions),
      positionMedianMillimetres: Quantile.of(sorted: positions, 0.5),
      positionP95Millimetres: Quantile.of(sorted: positions, 0.95),
      positionP99Millimetres: Quantile.of(sorted: positions, 0.99),
      positionMaxMillimetres: positions.last ?? .nan,
      rotationMeanDegrees: rotations.isEmpty ? nil : Self.mean(rotations),
      rotationMedianDegrees: rotations.isEmpty ? nil : Quantile.of(sorted: rotations, 0.5),
      rotationP99Degrees: rotations.isEmpty ? nil : Quantile.of(sorted: rotations, 0.99),
      closestPointMedianMillimetres: closest.isEmpty ? nil : Quantile.of(sorted: closest, 0.5),
      closestPointP99Millimetres: closest.isEmpty ? nil : Quantile.of(sorted: closest, 0.99),
      limitViolations: violations,
      iterationsMean: iterations.map { Self.mean($0.map(Double.init)) }, iterationsMax: iterations?.max(),
      timeMeanMicroseconds: times.map(Self.mean),
      timeMedianMicroseconds: times.map { Quantile.of(sorted: $0, 0.5) },
      timeP95Microseconds: times.map { Quantile.of(sorted: $0, 0.95) },
      batchedSolvesPerSecond: m.batchedSolvesPerSecond, reportedFound: m.reportedFound)
  }

  /// Every target of a row as the figures draw it, measured as ``row(solver:targetSet:targets:measurements:)``
  /// measures it.
  ///
  /// - Throws: ``BenchmarkError/mismatchedCounts(_:)`` when a measurement has another count.
  public func samples(targets: [IKTarget], measurements m: Measurements) throws(BenchmarkError)
    -> [TargetSample]
  {
    try checkCounts(targets: targets, measurements: m)
    var samples: [TargetSample] = []
    samples.reserveCapacity(targets.count)
    for (index, (target, q)) in zip(targets, m.jointValues).enumerated() {
      let (_, positionError, rotation) = try measure(target, q, index: index)
      let reachDistance = m.reachDistances?[index]
      samples.append(
        TargetSample(
          targetPosition: target.position, positionError: positionError,
          rotationError: target.kind == .position ? nil : rotation, reachDistance: reachDistance,
          succeeded: positionError - (reachDistance ?? 0) <= tolerances.tight.position
            && rotation <= tolerances.tight.rotation,
          seconds: m.seconds?[index]))
    }
    return samples
  }

  private func checkCounts(targets: [IKTarget], measurements m: Measurements) throws(BenchmarkError) {
    for (name, count) in [
      ("joint values", m.jointValues.count), ("times", m.seconds?.count), ("iterations", m.iterations?.count),
      ("reach distances", m.reachDistances?.count), ("closest points", m.closestConfigurations?.count),
    ] {
      if let count, count != targets.count {
        throw .mismatchedCounts("\(count) \(name) for \(targets.count) targets")
      }
    }
  }

  /// The pose `q` reaches, its position error (metres) and rotation error (radians; 0 for position targets).
  // swift-format-ignore: AlwaysUseLowerCamelCase
  private func measure(_ target: IKTarget, _ q: [Double], index: Int) throws(BenchmarkError) -> (
    T_base_tip: Transform3, positionError: Double, rotationError: Double
  ) {
    guard q.count == robot.degreesOfFreedom, q.allSatisfy(\.isFinite) else {
      throw .mismatchedCounts(
        "target \(index + 1): \(q.count) finite joint values expected \(robot.degreesOfFreedom)")
    }
    let T_base_tip = robot.tipPose(at: q)
    let positionError = (T_base_tip.translation - target.position).length
    let rotation =
      target.orientation.map { $0.rotation.angle(to: T_base_tip.rotation) }
      ?? target.axis.map { $0.angle(at: T_base_tip.rotation) } ?? 0
    return (T_base_tip, positionError, rotation)
  }

  private static func mean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
  }
}

/// Why a benchmark could not run or score.
public enum BenchmarkError: Error, Sendable, CustomStringConvertible {
  /// Measurements and targets disagree in count, or joint values do not fit the robot.
  case mismatchedCounts(String)
  /// A solver could not be built.
  case specification(SolverSpecificationError)
  /// A solve failed.
  case solve(solver: String, target: Int, error: IKError)
  /// Generating or measuring the targets failed.
  case targets(String)

  public var description: String {
    switch self {
    case .mismatchedCounts(let message): return "benchmark measurements do not fit: \(message)"
    case .specification(let error): return "\(error)"
    case .solve(let solver, let target, let error): return "\(solver), target \(target + 1): \(error)"
    case .targets(let message): return "benchmark targets: \(message)"
    }
  }
}
