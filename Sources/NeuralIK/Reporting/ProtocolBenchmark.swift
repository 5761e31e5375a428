import Dispatch
import Foundation

/// The standard benchmark protocol (Docs/Benchmark.md): targets from random in-limit
/// configurations under a fixed seed, every solver on the same targets, each solve timed alone on
/// one thread, then the whole set batched on every core.
public struct ProtocolBenchmark {
  public let robot: RobotModel
  public let network: IKNetwork?
  public let targets: [IKTarget]
  public var tolerances = BenchmarkTolerances()
  /// Random restarts of the "lm (random restarts)" baseline.
  public var restarts = 20
  /// Seconds after which the hybrid and the restart baseline begin no new start.
  public var timeBudget: Double? = 0.005
  public var threads = ProcessInfo.processInfo.activeProcessorCount
  /// Free-joint values per target behind the hybrid's starts (redundant arms only).
  public var hybridFreeJointSamples = HybridSolver.defaultFreeJointSamples
  /// Measure batched throughput as well.
  public var batched = true

  public init(robot: RobotModel, network: IKNetwork?, targets: [IKTarget]) {
    self.robot = robot
    self.network = network
    self.targets = targets
  }

  /// Pose (or position) targets: forward kinematics of `count` random in-limit configurations.
  public static func targets(robot: RobotModel, count: Int, seed: UInt64, poses: Bool) -> [IKTarget] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in
      DataGeneration.target(robot: robot, q: robot.randomConfiguration(using: &generator), poses: poses)
    }
  }

  /// The solvers compared, by name: the hybrid and the network alone when there is a network,
  /// then LM from the middle of the limits, then LM with random restarts.
  public func solvers() -> [(name: String, make: @Sendable () throws(IKError) -> any IKSolver)] {
    let robot = self.robot
    var list: [(name: String, make: @Sendable () throws(IKError) -> any IKSolver)] = []
    if let network {
      let budget = timeBudget
      let samples = hybridFreeJointSamples
      list.append(
        (
          "hybrid",
          { () throws(IKError) -> any IKSolver in
            do {
              return try HybridSolver(
                robot: robot, network: network,
                options: .init(maxIterations: 30, randomRestarts: 8, timeBudget: budget),
                freeJointSamples: samples)
            } catch { throw .unsupported("\(error)") }
          }
        ))
      list.append(
        (
          "network",
          { () throws(IKError) -> any IKSolver in
            do { return try NetworkSolver(robot: robot, network: network) } catch {
              throw .unsupported("\(error)")
            }
          }
        ))
    }
    list.append(("lm (middle start)", { LevenbergMarquardtSolver(robot: robot) }))
    let options = LevenbergMarquardtOptions(randomRestarts: restarts, timeBudget: timeBudget)
    list.append(
      ("lm (\(restarts) random restarts)", { LevenbergMarquardtSolver(robot: robot, options: options) }))
    return list
  }

  /// Runs every solver; `progress` hears each solver's name before it starts.
  public func run(progress: (String) -> Void = { _ in }) throws(IKError) -> BenchmarkReport {
    let scorer = BenchmarkScorer(robot: robot, tolerances: tolerances)
    let start = robot.middleConfiguration
    var rows: [BenchmarkRow] = []
    for (name, make) in solvers() {
      progress(name)
      let solver = try make()
      var jointValues: [[Double]] = []
      var seconds: [Double] = []
      jointValues.reserveCapacity(targets.count)
      seconds.reserveCapacity(targets.count)
      for target in targets {
        let begin = DispatchTime.now().uptimeNanoseconds
        let solution = try solver.solve(target, from: start)
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - begin) * 1e-9)
        jointValues.append(solution.jointValues)
      }
      var throughput: Double?
      if batched {
        let begin = DispatchTime.now().uptimeNanoseconds
        _ = try BatchSolving.solve(targets, initialGuess: start, threads: threads, makeSolver: make)
        throughput = Double(targets.count) / (Double(DispatchTime.now().uptimeNanoseconds - begin) * 1e-9)
      }
      rows.append(
        scorer.row(
          solver: name, targets: targets, jointValues: jointValues, seconds: seconds,
          batchedSolvesPerSecond: throughput))
    }
    return BenchmarkReport(
      robot: robot.name, tolerances: tolerances, rows: rows,
      context: [
        "targets": "\(targets.count)",
        "time_budget_ms": timeBudget.map { String(format: "%g", $0 * 1000) } ?? "none",
        "hybrid_free_joint_samples": "\(hybridFreeJointSamples)",
        "network_free_joint_samples": "\(network?.encoding.freeJoint?.samples ?? 0)",
        "cblas": NumericsBackend.cblasLibrary ?? "unknown",
      ].merging(network.map { ["model_fingerprint": $0.robotFingerprint] } ?? [:]) { $1 })
  }
}

/// What `neural-ik bench` writes for the protocol: rows plus the settings they were measured with.
public struct BenchmarkReport: Codable, Sendable {
  public var robot: String
  public var tolerances: BenchmarkTolerances
  public var rows: [BenchmarkRow]
  public var context: [String: String]

  public init(robot: String, tolerances: BenchmarkTolerances, rows: [BenchmarkRow], context: [String: String])
  {
    self.robot = robot
    self.tolerances = tolerances
    self.rows = rows
    self.context = context
  }

  /// The Markdown table header for ``BenchmarkRow/markdownLine``.
  public static func markdownHeader(_ tolerances: BenchmarkTolerances) -> String {
    func level(_ t: ReachTolerance) -> String {
      String(format: "%g mm, %.3g°", t.position * 1000, t.rotation * 180 / .pi)
    }
    return """
      | solver | n | success (\(level(tolerances.tight))) | success (\(level(tolerances.loose))) | pos. mean mm | pos. median mm | pos. p99 mm | rot. mean ° | rot. median ° | rot. p99 ° | mean µs | median µs | p95 µs | solves/s batched | limit viol. |
      | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
      """
  }

  public var markdown: String {
    ([Self.markdownHeader(tolerances)] + rows.map(\.markdownLine)).joined(separator: "\n")
  }
}

extension BenchmarkRow {
  /// This row in the table of ``BenchmarkReport/markdownHeader(_:)``.
  public var markdownLine: String {
    func f(_ value: Double?, _ digits: Int) -> String {
      value.map { $0.isFinite ? String(format: "%.\(digits)f", $0) : "–" } ?? "–"
    }
    let cells = [
      solver, "\(count)", f(success_rate * 100, 2) + "%", f(success_rate_loose * 100, 2) + "%",
      f(position_mean_mm, 3), f(position_median_mm, 4), f(position_p99_mm, 3), f(rotation_mean_deg, 3),
      f(rotation_median_deg, 4), f(rotation_p99_deg, 3), f(time_mean_us, 1), f(time_median_us, 1),
      f(time_p95_us, 1), f(batched_solves_per_second, 0), "\(limit_violations)",
    ]
    return "| " + cells.joined(separator: " | ") + " |"
  }
}
