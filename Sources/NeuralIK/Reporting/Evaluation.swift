import Foundation

/// Accuracy and speed of the solvers on held-out targets: what `neural-ik eval` and
/// `neural-ik bench` report.
public struct Evaluation: Codable, Sendable {
  /// One solver on one target set.
  public struct Row: Codable, Sendable, Hashable {
    public var solver: String
    /// `reachable` or `out-of-reach`.
    public var targets: String
    public var count: Int
    /// Share of targets solved to 1e-6 m (reachable), or whose error is within 1e-6 m of the
    /// closest reachable distance (out of reach).
    public var success_rate: Double
    public var median_mm: Double
    public var p95_mm: Double
    public var p99_mm: Double
    public var max_mm: Double
    /// Out of reach: median and p99 distance from the reached point to the closed-form closest
    /// point (mm); `nil` without a closed form.
    public var closest_point_median_mm: Double?
    public var closest_point_p99_mm: Double?
    public var limit_violations: Int
    /// Mean microseconds per single solve on one thread (bench only).
    public var mean_solve_us: Double?
    /// Solves per second, batched on every core (bench only).
    public var batched_solves_per_second: Double?
  }

  public var robot: String
  public var rows: [Row]
  /// For targets with that many closed-form branches, the share whose every branch the hybrid's
  /// heads found (keyed by branch count).
  public var branch_coverage: [String: Double]
  public var context: [String: String]

  /// Markdown table of ``rows``.
  public var markdown: String {
    var lines = [
      "| solver | targets | n | success | median mm | p95 mm | p99 mm | max mm | closest-pt median mm | closest-pt p99 mm | limit viol. | µs/solve | solves/s batched |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    func f(_ value: Double?, _ digits: Int = 3) -> String {
      value.map { String(format: "%.\(digits)f", $0) } ?? "–"
    }
    for row in rows {
      lines.append(
        "| \(row.solver) | \(row.targets) | \(row.count) | \(f(row.success_rate * 100, 1))% | \(f(row.median_mm)) | \(f(row.p95_mm)) | \(f(row.p99_mm)) | \(f(row.max_mm)) | \(f(row.closest_point_median_mm)) | \(f(row.closest_point_p99_mm)) | \(row.limit_violations) | \(f(row.mean_solve_us, 1)) | \(f(row.batched_solves_per_second, 0)) |"
      )
    }
    if !branch_coverage.isEmpty {
      lines.append("")
      for (branches, share) in branch_coverage.sorted(by: { $0.key < $1.key }) {
        lines.append(
          "Targets with \(branches) closed-form branches where the hybrid found all: \(f(share * 100, 1))%")
      }
    }
    return lines.joined(separator: "\n")
  }
}

/// Runs an ``Evaluation``.
public struct Evaluator {
  public let robot: RobotModel
  public let network: IKNetwork
  public var targetCount = 2000
  public var seed: UInt64 = 1_000_003
  public var timing = false
  public var threads = ProcessInfo.processInfo.activeProcessorCount

  public init(robot: RobotModel, network: IKNetwork) {
    self.robot = robot
    self.network = network
  }

  /// Held-out reachable targets (FK of random configurations) and out-of-reach targets (volume
  /// samples at least 1 mm from the reach, in the volume the network was trained on: the
  /// workspace's bounding box widened by the training margin), from a seed other than training's.
  public func targetSets() throws(IKError) -> (reachable: [IKTarget], outOfReach: [IKTarget]) {
    var generator = SplitMix64(seed: seed)
    let reachable = DataGeneration.balancedTargets(
      robot: robot, count: targetCount, reachableShare: 1, margin: 0, poses: network.encoding.poses,
      using: &generator
    ).targets
    guard !network.encoding.poses else { return (reachable, []) }
    let reference = ReachDistance(robot: robot)
    var outOfReach: [IKTarget] = []
    var attempts = 0
    while outOfReach.count < targetCount / 2 && attempts < targetCount * 20 {
      attempts += 1
      let candidate = DataGeneration.balancedTargets(
        robot: robot, count: 1, reachableShare: 0, margin: network.config.margin, poses: false,
        using: &generator
      ).targets[0]
      if try reference.distance(candidate) > 1e-3 { outOfReach.append(candidate) }
    }
    return (reachable, outOfReach)
  }

  public func run() throws -> Evaluation {
    let (reachable, outOfReach) = try targetSets()
    let analytic = try? AnalyticSolver(robot: robot)
    let exactOut = try outOfReach.map { target throws(IKError) -> [Solution] in
      try analytic?.allSolutions(for: target) ?? []
    }
    let reference = ReachDistance(robot: robot)
    let referenceOut = try outOfReach.map { target throws(IKError) -> Double in try reference.distance(target)
    }
    var solvers: [(String, @Sendable () throws -> any IKSolver)] = []
    let (robot, network) = (self.robot, self.network)
    if analytic != nil { solvers.append(("analytic", { try AnalyticSolver(robot: robot) })) }
    solvers.append(("lm (middle start)", { LevenbergMarquardtSolver(robot: robot) }))
    solvers.append(("network", { try NetworkSolver(robot: robot, network: network) }))
    solvers.append(("hybrid", { try HybridSolver(robot: robot, network: network) }))
    var rows: [Evaluation.Row] = []
    for (name, make) in solvers {
      let solver = try make()
      for (label, targets) in [("reachable", reachable), ("out-of-reach", outOfReach)] where !targets.isEmpty
      {
        var errors: [Double] = []
        var closest: [Double] = []
        var successes = 0
        var violations = 0
        let start = Date()
        for (index, target) in targets.enumerated() {
          let solution = try solver.solve(target, from: robot.middleConfiguration)
          errors.append(solution.positionError * 1000)
          if !robot.isWithinLimits(solution.jointValues) { violations += 1 }
          if label == "reachable" {
            if solution.positionError <= 1e-6 { successes += 1 }
          } else {
            if solution.positionError <= referenceOut[index] + 1e-6 { successes += 1 }
            if !exactOut[index].isEmpty {
              closest.append(
                exactOut[index].map { ($0.reachedPosition - solution.reachedPosition).length * 1000 }.min()!)
            }
          }
        }
        let elapsed = Date().timeIntervalSince(start)
        errors.sort()
        closest.sort()
        var batched: Double?
        if timing {
          let batchStart = Date()
          let initial = robot.middleConfiguration
          _ = try BatchSolving.solve(
            targets, initialGuess: initial, threads: threads,
            makeSolver: { () throws(IKError) -> any IKSolver in
              do { return try make() } catch let error as IKError { throw error } catch {
                throw IKError.unsupported("\(error)")
              }
            })
          batched = Double(targets.count) / Date().timeIntervalSince(batchStart)
        }
        rows.append(
          Evaluation.Row(
            solver: name, targets: label, count: targets.count,
            success_rate: Double(successes) / Double(targets.count),
            median_mm: Statistics.quantile(sorted: errors, 0.5),
            p95_mm: Statistics.quantile(sorted: errors, 0.95),
            p99_mm: Statistics.quantile(sorted: errors, 0.99), max_mm: errors.last ?? .nan,
            closest_point_median_mm: closest.isEmpty ? nil : Statistics.quantile(sorted: closest, 0.5),
            closest_point_p99_mm: closest.isEmpty ? nil : Statistics.quantile(sorted: closest, 0.99),
            limit_violations: violations,
            mean_solve_us: timing ? elapsed / Double(targets.count) * 1e6 : nil,
            batched_solves_per_second: batched))
      }
    }
    var coverage: [String: Double] = [:]
    if let analytic {
      let hybrid = try HybridSolver(robot: robot, network: network)
      var counts: [Int: (all: Int, covered: Int)] = [:]
      for target in reachable.prefix(500) {
        let branches = try analytic.allSolutions(for: target)
        guard branches.count >= 2 else { continue }
        let found = try hybrid.allSolutions(for: target)
        let covered = branches.allSatisfy { branch in
          found.contains { zip($0.jointValues, branch.jointValues).allSatisfy { abs($0 - $1) < 1e-4 } }
        }
        counts[branches.count, default: (0, 0)].all += 1
        if covered { counts[branches.count, default: (0, 0)].covered += 1 }
      }
      for (branches, count) in counts { coverage["\(branches)"] = Double(count.covered) / Double(count.all) }
    }
    return Evaluation(
      robot: robot.name, rows: rows, branch_coverage: coverage,
      context: [
        "targets": "\(reachable.count) reachable, \(outOfReach.count) out of reach (seed \(seed))",
        "model_fingerprint": network.robotFingerprint, "cblas": NumericsBackend.cblasLibrary ?? "unknown",
      ])
  }
}
