import Foundation

/// One solver on one target file under the standard protocol (`neural-ik bench`, `neural-ik score`).
///
/// Errors are measured by NeuralIK's forward kinematics from the returned joint values, whatever
/// the solver reported about itself.
public struct BenchmarkRow: Codable, Sendable, Hashable {
  public var solver: String
  public var count: Int
  /// Share within the tight tolerance (default 1 mm and 0.572°).
  public var success_rate: Double
  /// Share within the loose tolerance (default 5 mm and 2.865°).
  public var success_rate_loose: Double
  public var position_mean_mm: Double
  public var position_median_mm: Double
  public var position_p99_mm: Double
  /// Rotation errors in degrees; `nil` for position targets.
  public var rotation_mean_deg: Double?
  public var rotation_median_deg: Double?
  public var rotation_p99_deg: Double?
  /// Wall-clock microseconds per single solve on one thread.
  public var time_mean_us: Double
  public var time_median_us: Double
  public var time_p95_us: Double
  /// Solves per second, batched on every core; `nil` when not measured (peers).
  public var batched_solves_per_second: Double?
  /// Solutions with a joint outside its limits.
  public var limit_violations: Int
  /// How many solves the solver itself called successful; `nil` for NeuralIK's own solvers.
  public var reported_found: Int?
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

/// Builds a ``BenchmarkRow`` from joint values and times.
public struct BenchmarkScorer: Sendable {
  public let robot: RobotModel
  public let tolerances: BenchmarkTolerances

  public init(robot: RobotModel, tolerances: BenchmarkTolerances = .init()) {
    self.robot = robot
    self.tolerances = tolerances
  }

  /// Scores `jointValues[i]` against `targets[i]`; `seconds[i]` is that solve's wall-clock time.
  public func row(
    solver: String, targets: [IKTarget], jointValues: [[Double]], seconds: [Double],
    reportedFound: Int? = nil, batchedSolvesPerSecond: Double? = nil
  ) -> BenchmarkRow {
    precondition(targets.count == jointValues.count && targets.count == seconds.count)
    var positions: [Double] = []
    var rotations: [Double] = []
    var tight = 0
    var loose = 0
    var violations = 0
    for (target, q) in zip(targets, jointValues) {
      let solution = Solution(
        robot: robot, target: target, jointValues: q, tolerance: tolerances.tight, iterations: 0,
        solver: .hybrid)
      let rotation = solution.rotationError ?? 0
      positions.append(solution.positionError * 1000)
      if target.hasOrientation { rotations.append(rotation * 180 / .pi) }
      if solution.positionError <= tolerances.tight.position && rotation <= tolerances.tight.rotation {
        tight += 1
      }
      if solution.positionError <= tolerances.loose.position && rotation <= tolerances.loose.rotation {
        loose += 1
      }
      if !robot.isWithinLimits(q) { violations += 1 }
    }
    let count = Double(max(1, targets.count))
    let times = seconds.map { $0 * 1e6 }.sorted()
    positions.sort()
    rotations.sort()
    func mean(_ values: [Double]) -> Double {
      values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }
    return BenchmarkRow(
      solver: solver, count: targets.count, success_rate: Double(tight) / count,
      success_rate_loose: Double(loose) / count, position_mean_mm: mean(positions),
      position_median_mm: Statistics.quantile(sorted: positions, 0.5),
      position_p99_mm: Statistics.quantile(sorted: positions, 0.99),
      rotation_mean_deg: rotations.isEmpty ? nil : mean(rotations),
      rotation_median_deg: rotations.isEmpty ? nil : Statistics.quantile(sorted: rotations, 0.5),
      rotation_p99_deg: rotations.isEmpty ? nil : Statistics.quantile(sorted: rotations, 0.99),
      time_mean_us: mean(times), time_median_us: Statistics.quantile(sorted: times, 0.5),
      time_p95_us: Statistics.quantile(sorted: times, 0.95),
      batched_solves_per_second: batchedSolvesPerSecond, limit_violations: violations,
      reported_found: reportedFound)
  }
}
