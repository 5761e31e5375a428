import Dispatch
import Foundation
import NeuralIK

/// The benchmark protocol behind `neural-ik eval` and `neural-ik bench` (Docs/Benchmark.md):
/// every solver the robot offers, each built by ``SolverFactory`` from the same specification as
/// `neural-ik solve` (only the kind differs), on the same targets, scored by NeuralIK's forward
/// kinematics. With timing, each solve is timed alone on one thread, then the whole set is solved
/// batched on every core.
public struct Benchmark {
  public let robot: RobotModel
  public let network: IKNetwork?
  public var targets: BenchmarkTargets
  public var tolerances = BenchmarkTolerances()
  /// The specification of every row, its kind replaced by the row's: by default the shipped one.
  /// Setting it drops from ``kinds`` a kind it cannot build (the hybrid without a network with the
  /// closed form turned off).
  public var specification = SolverSpecification() {
    didSet {
      let offered = SolverFactory.availableKinds(for: robot, network: network, specification: specification)
      if !offered.contains(.hybrid) { kinds.removeAll { $0 == .hybrid } }
    }
  }
  /// The solvers compared; by default every kind the robot and network offer.
  public var kinds: [SolverKind]
  /// Time each solve and measure batched throughput (`bench`); without it, accuracy only (`eval`).
  public var timing = false
  /// Add the hybrid's partial-target rows (position only, axis, a locked joint, tighter limits) on
  /// pose targets with known configurations.
  public var partialTargets = false
  public var threads = ProcessInfo.processInfo.activeProcessorCount
  /// Reachable targets on which the hybrid's branches are compared with the closed form's.
  public var branchCoverageTargets = 500
  /// With a radius (radians or metres), rows for the hybrid and lm started near each reachable
  /// target's own configuration, every joint moved by up to the radius: a robot that is already
  /// close to where it must go. Needs generated targets (their configurations are known).
  public var nearStartRadius: Double?
  /// With a count, the hybrid and lm (those of ``kinds``) along that many seeded ``SmoothPaths``
  /// of the reachable targets' kind, each followed with ``/NeuralIK/Solver/solvePath(_:from:maxStep:)``
  /// (``PathOutcome``).
  public var pathCount: Int?
  /// Whether those paths ride their joints' limits (``SmoothPaths/ridesLimits``): rows named
  /// "… paths riding limits".
  public var pathsRideLimits = false
  /// Keep every target's measurement of the main rows (each kind on each target set) in
  /// ``BenchmarkReport/samples``, for the figures of `bench --plots`.
  public var keepSamples = false

  public init(robot: RobotModel, network: IKNetwork?, targets: BenchmarkTargets) {
    self.robot = robot
    self.network = network
    self.targets = targets
    self.kinds = SolverFactory.availableKinds(for: robot, network: network)
  }

  /// The kind of target the protocol asks for: the network's, else the robot's natural one.
  public static func targetKind(robot: RobotModel, network: IKNetwork?) -> TargetKind {
    TargetKind.expected(robot: robot, network: network)
  }

  /// The specification of `kind`'s row: ``specification`` with that kind.
  public func specification(for kind: SolverKind) -> SolverSpecification { specification.with(kind: kind) }

  /// Runs every solver; `progress` hears each row's name before it starts.
  ///
  /// - Throws: ``BenchmarkError`` when a solver cannot be built or a solve fails.
  public func run(progress: (String) -> Void = { _ in }) throws(BenchmarkError) -> BenchmarkReport {
    let scorer = BenchmarkScorer(robot: robot, tolerances: tolerances)
    let closedForm = kinds.contains(.analytic) ? try? make(.analytic) : nil
    var closest: [[[Double]]] = []
    for target in targets.outOfReach where !targets.reachDistances.isEmpty {
      let branches = try? closedForm?.solve(target).solutions.map(\.jointValues)
      closest.append(branches ?? [])
    }
    var rows: [BenchmarkRow] = []
    var samples: [RowSamples] = []
    var outcomes: [String: [SolverKind: [Solution]]] = [:]
    // The closed form's reaching branches per reachable target, for the analytical peers' counts,
    // and the largest errors of any of them.
    var analyticBranches: [Int]?
    var analyticBranchErrors: (position: Double, rotation: Double)?
    let sets = [
      (BenchmarkTargets.reachableName, targets.reachable),
      (BenchmarkTargets.outOfReachName, targets.outOfReach),
    ]
    // Solves `set` one by one with `solver` and records its row (and samples) as `solverName`'s;
    // `batchedKind` adds the batched throughput of that kind.
    func measure(
      _ solver: Solver, as solverName: String, on name: String, _ set: [IKTarget], batchedKind: SolverKind?
    ) throws(BenchmarkError) -> [Solution] {
      progress("\(solverName) on \(set.count) \(name) targets")
      let (solutions, seconds, reaching) = try solveEach(set, with: solver)
      // Six joints: a pose closed form without a free joint, whose branches peers count too.
      if solver.kind == .analytic, name == BenchmarkTargets.reachableName, robot.degreesOfFreedom == 6 {
        analyticBranches = reaching.map(\.count)
        analyticBranchErrors = (
          reaching.map(\.positionMax).max() ?? 0, reaching.map(\.rotationMax).max() ?? 0
        )
      }
      var measurements = BenchmarkScorer.Measurements(
        jointValues: solutions.map(\.jointValues), seconds: timing ? seconds : nil,
        iterations: solutions.map(\.iterations))
      if name == BenchmarkTargets.outOfReachName {
        // Poses out of reach have neither: no closed form gives a pose's closest point.
        if !targets.reachDistances.isEmpty {
          measurements.reachDistances = targets.reachDistances
          measurements.closestConfigurations = closest
        }
      }
      if timing, let batchedKind {
        measurements.batchedSolvesPerSecond = try batchedThroughput(set, kind: batchedKind)
      }
      rows.append(
        try scorer.row(solver: solverName, targetSet: name, targets: set, measurements: measurements))
      if keepSamples {
        samples.append(
          RowSamples(
            solver: solverName, targetSet: name,
            samples: try scorer.samples(targets: set, measurements: measurements)
          ))
      }
      return solutions
    }
    // The hybrid's resolved rotation weight ranks its unreached answers against `lm`'s.
    var rotationWeight = 0.0
    for kind in kinds {
      let solver = try make(kind)
      if kind == .hybrid { rotationWeight = solver.specification.rotationWeight ?? 0 }
      for (name, set) in sets where !set.isEmpty {
        outcomes[name, default: [:]][kind] = try measure(
          solver, as: kind.rawValue, on: name, set, batchedKind: kind)
      }
    }
    // The hybrid's closed-form stage against the refinement alone, in the same run (without a
    // network, the refinement alone is the `lm` row).
    var refinementOnlySolutions: [Solution]?
    if kinds.contains(.hybrid), network != nil, specification.closedForm != false, !targets.reachable.isEmpty,
      (try? AnalyticSolver(robot: robot)) != nil
    {
      var refinementOnly = specification(for: .hybrid)
      refinementOnly.closedForm = false
      let solverName = "hybrid without closed form"
      let solver: Solver
      do {
        solver = try SolverFactory.make(robot: robot, network: network, specification: refinementOnly)
      } catch {
        throw .specification(error)
      }
      for (name, set) in sets where !set.isEmpty {
        let solutions = try measure(solver, as: solverName, on: name, set, batchedKind: nil)
        if name == BenchmarkTargets.reachableName { refinementOnlySolutions = solutions }
      }
    }
    var fartherThanGenerating: [String: Int] = [:]
    if let radius = nearStartRadius, targets.configurations.count == targets.reachable.count {
      var generator = SplitMix64(seed: 0x5EED_0F_57A7)
      let starts = targets.configurations.map { q in
        robot.clampedToLimits(q.map { $0 + Double.random(in: -radius...radius, using: &generator) })
      }
      let distance = JointDistance(robot: robot)
      for kind in kinds where kind == .hybrid || kind == .levenbergMarquardt {
        let name = "\(kind.rawValue) near start"
        progress("\(name) on \(targets.reachable.count) reachable targets")
        let (solutions, seconds, _) = try solveEach(targets.reachable, with: try make(kind), from: starts)
        fartherThanGenerating[name] =
          zip(zip(solutions, starts), targets.configurations).filter { pair, q in
            // The answer reaches to 1e-6, so it may sit that far from the generating configuration.
            distance(pair.0.jointValues, pair.1) > distance(q, pair.1) + 1e-5
          }.count
        rows.append(try reachableRow(scorer, name, targets.reachable, solutions, seconds))
      }
    }
    var pathOutcomes: [String: PathOutcome] = [:]
    if let pathCount, pathCount > 0, let kind = targets.reachable.first?.kind {
      // Inside the run's restrictions, as its targets are: the paths its answers can follow.
      let envelope = (try? robot.restricted(specification.restrictions)) ?? robot
      var generator = SmoothPaths(robot: envelope)
      generator.ridesLimits = pathsRideLimits
      let paths = generator.generate(count: pathCount, kind: kind)
      for solverKind in kinds where solverKind == .hybrid || solverKind == .levenbergMarquardt {
        let name = "\(solverKind.rawValue) paths\(pathsRideLimits ? " riding limits" : "")"
        progress("\(name) on \(pathCount) smooth paths")
        pathOutcomes[name] = try PathOutcome.measure(try make(solverKind), on: paths, name: name)
      }
    }
    var violations: [String: Int] = [:]
    if partialTargets, targets.configurations.count == targets.reachable.count, kinds.contains(.hybrid),
      targets.reachable.first?.kind == .pose
    {
      try partialRows(scorer: scorer, rows: &rows, violations: &violations, progress: progress)
    }
    var report = BenchmarkReport(
      robot: robot.name, tolerances: tolerances, specification: specification, rows: rows,
      branchCoverage: try branchCoverage(closedForm),
      hybridWorseThanLM: Self.hybridWorseThanLM(outcomes, rotationWeight: rotationWeight),
      hybridWorseThanLMByOnePercent: Self.hybridWorseThanLM(
        outcomes, rotationWeight: rotationWeight, relativeMargin: 0.01),
      nearStartFartherThanGenerating: fartherThanGenerating.isEmpty ? nil : fartherThanGenerating,
      restrictionViolations: violations.isEmpty ? nil : violations,
      context: [
        "targets": targets.origin,
        "maximum_iterations_hybrid": "\(specification(for: .hybrid).maximumIterations)",
        "maximum_iterations_lm": "\(specification(for: .levenbergMarquardt).maximumIterations)",
        "cblas": NumericsBackend.cblasLibrary ?? "unknown",
      ].merging(network.map { ["model_fingerprint": $0.robotFingerprint] } ?? [:]) { $1 })
    report.samples = samples
    report.paths = pathOutcomes.isEmpty ? nil : pathOutcomes
    // A six-joint closed form lists every branch at once, which analytical peers count too; at a
    // seven-joint arm's free-joint value its count would not compare with theirs at another.
    report.analyticBranches = analyticBranches
    report.analyticBranchPositionMax = analyticBranchErrors?.position
    report.analyticBranchRotationMax = analyticBranchErrors?.rotation
    report.closedFormCompleteness = Self.completeness(
      outcomes[BenchmarkTargets.reachableName] ?? [:], refinementOnly: refinementOnlySolutions)
    return report
  }

  /// `restrictions` with `extra` added, a joint restricted by both held to where they overlap
  /// (one restriction a joint, as a robot takes them).
  package static func intersecting(_ restrictions: [JointRestriction], with extra: JointRestriction)
    -> [JointRestriction]
  {
    guard let index = restrictions.firstIndex(where: { $0.joint == extra.joint }) else {
      return restrictions + [extra]
    }
    var merged = restrictions
    let own = restrictions[index]
    let lower = max(own.lower, extra.lower)
    // The two overlap when both hold a target's configuration; else the nearer end of `extra`.
    merged[index] = JointRestriction(
      joint: extra.joint, lower: lower, upper: max(lower, min(own.upper, extra.upper)))
    return merged
  }

  /// The hybrid on the reachable targets made partial (Docs/Benchmark.md): the position alone, the
  /// position with the tool's approach axis along the generating pose's, and the full pose with
  /// one joint locked at its generating value or held within ±0.2 of it (the joint cycles with the
  /// target's index). Each generating configuration reaches its target under its restriction.
  private func partialRows(
    scorer: BenchmarkScorer, rows: inout [BenchmarkRow], violations: inout [String: Int],
    progress: (String) -> Void
  ) throws(BenchmarkError) {
    let reachable = targets.reachable
    let configurations = targets.configurations
    let n = robot.degreesOfFreedom
    let names = robot.movableJoints.map(\.name)
    var positions: [IKTarget] = []
    var axes: [IKTarget] = []
    do {
      for (target, q) in zip(reachable, configurations) {
        positions.append(try IKTarget(position: target.position))
        // The axis a user's axis target turns by default (`solve --axis`, the API, the web app).
        let toolAxis = robot.approachAxis
        axes.append(
          try IKTarget(
            position: target.position,
            axis: AxisTarget(toolAxis: toolAxis, direction: robot.tipPose(at: q).rotation * toolAxis)))
      }
    } catch {
      throw .targets("partial targets: \(error)")
    }
    let hybrid = try make(.hybrid)
    for (name, set) in [("hybrid position-only", positions), ("hybrid axis", axes)] {
      progress("\(name) on \(set.count) targets")
      let (solutions, seconds, _) = try solveEach(set, with: hybrid)
      rows.append(try reachableRow(scorer, name, set, solutions, seconds))
    }
    for name in ["hybrid locked joint", "hybrid tighter limits"] {
      progress("\(name) on \(reachable.count) targets")
      var solutions: [Solution] = []
      var seconds: [Double] = []
      var outside = 0
      for (index, (target, q)) in zip(reachable, configurations).enumerated() {
        let joint = index % n
        let limits = robot.movableJoints[joint].limits
        let restriction =
          name.hasSuffix("locked joint")
          ? JointRestriction.lock(names[joint], at: q[joint])
          : JointRestriction(
            joint: names[joint], lower: max(limits?.lower ?? -.infinity, q[joint] - 0.2),
            upper: min(limits?.upper ?? .infinity, q[joint] + 0.2))
        // With the run's own restrictions (the target's configuration lies inside them): on a
        // joint they restrict, the row's restriction is its intersection with theirs.
        var restricted = specification(for: .hybrid)
        restricted.restrictions = Self.intersecting(restricted.restrictions, with: restriction)
        let solver: Solver
        do {
          solver = try SolverFactory.make(robot: robot, network: network, specification: restricted)
        } catch {
          throw .specification(error)
        }
        let (one, time, _) = try solveEach([target], with: solver)
        solutions += one
        seconds += time
        let value = one[0].jointValues[joint]
        if value < restriction.lower || value > restriction.upper { outside += 1 }
      }
      violations[name] = outside
      rows.append(try reachableRow(scorer, name, reachable, solutions, seconds))
    }
  }

  /// The row of `name` on reachable `targets`: their answers, times (when timing) and iterations.
  private func reachableRow(
    _ scorer: BenchmarkScorer, _ name: String, _ targets: [IKTarget], _ solutions: [Solution],
    _ seconds: [Double]
  ) throws(BenchmarkError) -> BenchmarkRow {
    try scorer.row(
      solver: name, targetSet: BenchmarkTargets.reachableName, targets: targets,
      measurements: .init(
        jointValues: solutions.map(\.jointValues), seconds: timing ? seconds : nil,
        iterations: solutions.map(\.iterations)))
  }

  private func make(_ kind: SolverKind) throws(BenchmarkError) -> Solver {
    do {
      return try SolverFactory.make(robot: robot, network: network, specification: specification(for: kind))
    } catch {
      throw .specification(error)
    }
  }

  /// Every solver's reach on the reachable targets against the closed form's (the `analytic` row),
  /// the hybrid without its closed-form stage included; `nil` without that row.
  static func completeness(_ byKind: [SolverKind: [Solution]], refinementOnly: [Solution]?)
    -> [String: ClosedFormCompleteness]?
  {
    guard let closedForm = byKind[.analytic] else { return nil }
    var result: [String: ClosedFormCompleteness] = [:]
    // The network alone never claims an exact answer; its row would count every target missed.
    for (kind, solutions) in byKind where kind != .analytic && kind != .network {
      result[kind.rawValue] = ClosedFormCompleteness(solver: solutions, closedForm: closedForm)
    }
    if let refinementOnly {
      result["hybrid without closed form"] = ClosedFormCompleteness(
        solver: refinementOnly, closedForm: closedForm)
    }
    return result
  }

  /// Per target set, the targets where the hybrid's answer is worse than `lm`'s: `lm` reached and
  /// the hybrid did not, or (neither reached) the hybrid ended farther by more than 1e-9 m in the
  /// weighted error both minimise: the square root of ``/NeuralIK/Solution/cost(rotationWeight:)``
  /// (`rotationWeight` m/rad), for positions the distance itself; with `relativeMargin`, by more
  /// than that share of `lm`'s error as well.
  static func hybridWorseThanLM(
    _ outcomes: [String: [SolverKind: [Solution]]], rotationWeight: Double, relativeMargin: Double = 0
  ) -> [String: Int]? {
    var counts: [String: Int] = [:]
    for (set, byKind) in outcomes {
      guard let hybrid = byKind[.hybrid], let lm = byKind[.levenbergMarquardt] else { continue }
      counts[set] =
        zip(hybrid, lm).filter { h, l in
          guard !l.reachable else { return !h.reachable }
          let (hybridError, lmError) = (
            h.cost(rotationWeight: rotationWeight).squareRoot(),
            l.cost(rotationWeight: rotationWeight).squareRoot()
          )
          return !h.reachable && hybridError > lmError * (1 + relativeMargin) + 1e-9
        }.count
    }
    return counts.isEmpty ? nil : counts
  }

  /// Each target solved alone, with its wall-clock seconds; the solution carries the iterations of
  /// the whole solve.
  /// Targets solved untimed before a timed row.
  static let warmUpTargets = 200

  /// Each target's reaching solutions (a closed form's branches: the best and its alternatives):
  /// how many, and their largest position (metres) and rotation (radians) errors.
  private typealias Reaching = (count: Int, positionMax: Double, rotationMax: Double)

  /// Each target's best solution, its time, and its reaching solutions.
  private func solveEach(_ set: [IKTarget], with solver: Solver, from starts: [[Double]]? = nil)
    throws(BenchmarkError) -> (solutions: [Solution], seconds: [Double], reaching: [Reaching])
  {
    var solutions: [Solution] = []
    var seconds: [Double] = []
    var reaching: [Reaching] = []
    solutions.reserveCapacity(set.count)
    if timing {
      // Untimed first: the first row of a run measured up to 30% slower than the same solver's
      // later row (caches, allocator arenas), which made row order look like a solver difference.
      for (index, target) in set.prefix(Self.warmUpTargets).enumerated() {
        _ = try? solver.solve(target, from: starts?[index])
      }
    }
    for (index, target) in set.enumerated() {
      let begin = DispatchTime.now().uptimeNanoseconds
      let result: IKResult
      do {
        result = try solver.solve(target, from: starts?[index])
      } catch {
        throw .solve(solver: solver.kind.rawValue, target: index, error: error)
      }
      seconds.append(Double(DispatchTime.now().uptimeNanoseconds - begin) * 1e-9)
      var best = result.best
      best.iterations = result.iterations
      solutions.append(best)
      let reached = result.solutions.filter(\.reachable)
      reaching.append(
        (
          reached.count, reached.map(\.positionError).max() ?? 0,
          reached.map { $0.rotationError ?? 0 }.max() ?? 0
        ))
    }
    return (solutions, seconds, reaching)
  }

  private func batchedThroughput(_ set: [IKTarget], kind: SolverKind) throws(BenchmarkError) -> Double {
    let begin = DispatchTime.now().uptimeNanoseconds
    do {
      _ = try BatchSolving.solve(
        set, robot: robot, network: network, specification: specification(for: kind), threads: threads)
    } catch {
      throw .targets("batched \(kind.rawValue): \(error)")
    }
    return Double(set.count) / (Double(DispatchTime.now().uptimeNanoseconds - begin) * 1e-9)
  }

  /// For targets with that many closed-form branches (keyed by the count), the share whose every
  /// branch the hybrid found when asked for all.
  private func branchCoverage(_ closedForm: Solver?) throws(BenchmarkError) -> [String: Double]? {
    // A 7-joint arm's closed form samples a continuum of solutions: no finite set to cover.
    guard let closedForm, kinds.contains(.hybrid), network != nil, robot.degreesOfFreedom <= 6 else {
      return nil
    }
    var all = specification(for: .hybrid)
    all.findAll = true
    let hybrid: Solver
    do {
      hybrid = try SolverFactory.make(robot: robot, network: network, specification: all)
    } catch {
      throw .specification(error)
    }
    var counts: [Int: (all: Int, covered: Int)] = [:]
    for (index, target) in targets.reachable.prefix(branchCoverageTargets).enumerated() {
      do {
        let branches = try closedForm.solve(target).solutions
        guard branches.count >= 2 else { continue }
        let found = try hybrid.solve(target).solutions
        let covered = branches.allSatisfy { branch in
          found.contains { zip($0.jointValues, branch.jointValues).allSatisfy { abs($0 - $1) < 1e-4 } }
        }
        counts[branches.count, default: (0, 0)].all += 1
        if covered { counts[branches.count, default: (0, 0)].covered += 1 }
      } catch {
        throw .solve(solver: "branch coverage", target: index, error: error)
      }
    }
    return counts.reduce(into: [:]) { $0["\($1.key)"] = Double($1.value.covered) / Double($1.value.all) }
  }
}
