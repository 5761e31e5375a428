import Dispatch
import NeuralIK

/// Where one solve's time goes (`neural-ik profile`, Docs/Performance.md): the network's forward
/// pass at several row counts through both paths, forward kinematics and its Jacobian, and the
/// hybrid's stages on protocol targets. Every time is the median of repeated calls on one thread.
public struct Profile: Sendable {
  public var robot: RobotModel
  public var network: IKNetwork?
  public var targets: [IKTarget]
  public var specification = SolverSpecification()
  /// Row counts of the forward-pass table.
  public var rows = [1, 2, 16, 32, 1024]

  public init(robot: RobotModel, network: IKNetwork?, targets: [IKTarget]) {
    self.robot = robot
    self.network = network
    self.targets = targets
  }

  /// The tables in Markdown.
  public func run() throws -> String {
    var lines: [String] = []
    if let network { lines += forwardPassTable(network) }
    lines += kinematicsTable()
    lines += try solveTable()
    return lines.joined(separator: "\n")
  }

  private func forwardPassTable(_ network: IKNetwork) -> [String] {
    let architecture = network.mlp.architecture
    let widths = architecture.layerWidths.map(String.init).joined(separator: "–")
    var lines = [
      "Forward pass of the \(widths) \(architecture.activation.rawValue) network "
        + "(\(architecture.parameterCount) parameters), µs per pass (median; \(NumericsBackend.forwardPassKernels)):",
      "",
      "| rows | training's pass (`MLP.forward`) | the solvers' pass (`MLPInference`) | solvers' / training's |",
      "| ---: | ---: | ---: | ---: |",
    ]
    let workspace = MLPWorkspace()
    let inference = MLPInference(network.mlp)
    var output: [Float] = []
    var generator = SplitMix64(seed: 7)
    for count in rows {
      let input = (0..<(count * architecture.inputCount)).map { _ in
        Float.random(in: -1...1, using: &generator)
      }
      let sgemm = Self.medianMicroseconds { network.mlp.forward(input, batch: count, workspace: workspace) }
      let kernel = Self.medianMicroseconds { inference.forward(input, rows: count, into: &output) }
      lines.append(
        "| \(count) | \(Self.format(sgemm)) | \(Self.format(kernel)) | \(String(format: "%.2f", kernel / sgemm)) |"
      )
    }
    return lines + [""]
  }

  private func kinematicsTable() -> [String] {
    var generator = SplitMix64(seed: 11)
    let configurations = (0..<64).map { _ in robot.randomConfiguration(using: &generator) }
    let target = targets.first ?? (try? IKTarget(position: robot.tipPosition(at: robot.middleConfiguration)))
    guard let target else { return [] }
    let residual = PoseResidual(robot: robot, target: target)
    var values = [Double](repeating: 0, count: residual.count)
    var jacobian = [Double](repeating: 0, count: residual.count * robot.degreesOfFreedom)
    var scratch = Jacobian(columns: robot.degreesOfFreedom)
    var sink = 0.0
    let fk = Self.medianMicroseconds {
      for q in configurations { sink += robot.tipPose(at: q).translation.x }
    }
    let withJacobian = Self.medianMicroseconds {
      for q in configurations {
        residual.evaluate(at: q, residual: &values, jacobian: &jacobian, scratch: &scratch)
        sink += jacobian[0]
      }
    }
    Self.keep(sink)
    let count = Double(configurations.count)
    return [
      "Kinematics of the \(robot.degreesOfFreedom)-joint chain, ns per call (median; "
        + "\(target.kind.rawValue) residual):",
      "",
      "| forward kinematics | residual + Jacobian |",
      "| ---: | ---: |",
      "| \(String(format: "%.0f", fk / count * 1000)) | \(String(format: "%.0f", withJacobian / count * 1000)) |",
      "",
    ]
  }

  private func solveTable() throws -> [String] {
    var lines = [
      "One solve on \(targets.count) targets, µs (median, mean), iterations (mean):",
      "",
      "| solver | network pass + ranking | closed form (at one free-joint value) | whole solve (median) | whole solve (mean) | iterations | closed form near a start | whole solve near a start (median) |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    let closedFormTime = closedFormAtOneValue(from: nil)
    let near = nearStartCases()
    let closedFormNearTime = closedFormAtOneValue(from: near)
    // The hybrid whenever the robot offers it: with a model, or without one over a closed form of
    // poses (no network pass then).
    let kinds = SolverFactory.availableKinds(for: robot, network: network, specification: specification)
      .filter {
        $0 == .hybrid || $0 == .levenbergMarquardt
      }
    for kind in kinds {
      let solver = try SolverFactory.make(
        robot: robot, network: network, specification: specification.with(kind: kind))
      var proposalTimes: [Double] = []
      var solveTimes: [Double] = []
      var iterations = 0
      // Two passes, so that neither stage finds the other's data warm in the caches.
      for target in targets {
        let begin = DispatchTime.now().uptimeNanoseconds
        let result = try solver.solve(target)
        solveTimes.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1000)
        iterations += result.iterations
      }
      for target in targets where kind == .hybrid && network != nil {
        let begin = DispatchTime.now().uptimeNanoseconds
        _ = try solver.rankedProposals(for: target)
        proposalTimes.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1000)
      }
      var nearTimes: [Double] = []
      for (target, start) in near {
        let begin = DispatchTime.now().uptimeNanoseconds
        _ = try solver.solve(target, from: start)
        nearTimes.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1000)
      }
      let mean = solveTimes.reduce(0, +) / Double(max(1, solveTimes.count))
      let proposals = proposalTimes.isEmpty ? "–" : Self.format(Self.median(proposalTimes))
      let closedForm = kind == .hybrid ? closedFormTime.map(Self.format) ?? "–" : "–"
      let closedFormNear = kind == .hybrid ? closedFormNearTime.map(Self.format) ?? "–" : "–"
      let nearSolve = nearTimes.isEmpty ? "–" : Self.format(Self.median(nearTimes))
      lines.append(
        "| \(kind.rawValue) | \(proposals) | \(closedForm) | \(Self.format(Self.median(solveTimes))) | \(Self.format(mean)) | "
          + "\(String(format: "%.1f", Double(iterations) / Double(max(1, targets.count)))) | \(closedFormNear) | \(nearSolve) |"
      )
    }
    return lines + [""]
  }

  /// µs per target of the hybrid's closed-form step at one value of the free joint (the start's;
  /// a six-joint arm has none): the branch nearest the start that reaches, walked by branch and
  /// bound and checked by forward kinematics, as the hybrid runs it at each value of its sweep.
  /// From the middle of the limits on the protocol targets, or from each of `near`'s starts on its
  /// target. The median of repeated passes over every target, divided by their number; `nil` for a
  /// robot without a pose closed form.
  private func closedFormAtOneValue(from near: [(target: IKTarget, start: [Double])]?) -> Double? {
    guard let closedForm = try? AnalyticSolver(robot: robot), closedForm.targetKind == .pose else {
      return nil
    }
    let middle = robot.middleConfiguration
    let cases = (near ?? targets.map { ($0, middle) }).filter { $0.target.kind == closedForm.targetKind }
    guard !cases.isEmpty else { return nil }
    let distance = JointDistance(robot: robot)
    var sink = 0.0
    let pass = Self.medianMicroseconds {
      for (target, start) in cases {
        let values = closedForm.freeJointIndex.map { [start[$0]] } ?? []
        let found = try? closedForm.nearestReachingSolution(
          for: target, freeJointValues: values, near: start, distance: distance.callAsFunction)
        sink += found?.positionError ?? 0
      }
    }
    Self.keep(sink)
    return pass / Double(cases.count)
  }

  /// As many targets as the protocol's, of the same kind, each the forward kinematics of a seeded
  /// random configuration, with a start within ``nearStartRadius`` of it in every joint (clamped
  /// into the limits): a robot that was near the target's configuration, as along a path.
  private func nearStartCases() -> [(target: IKTarget, start: [Double])] {
    guard let kind = targets.first?.kind else { return [] }
    var generator = SplitMix64(seed: 13)
    return targets.indices.compactMap { _ in
      let q = robot.randomConfiguration(using: &generator)
      let pose = robot.tipPose(at: q)
      let target =
        kind == .pose
        ? try? IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
        : try? IKTarget(position: pose.translation)
      let start = robot.clampedToLimits(
        q.map { $0 + Double.random(in: -Self.nearStartRadius...Self.nearStartRadius, using: &generator) })
      return target.map { ($0, start) }
    }
  }

  /// How far each joint of a near start is from the target's configuration: `make near-start`'s.
  static let nearStartRadius = 0.2

  /// Median µs of `body` over repeated calls, about 0.2 s in all.
  static func medianMicroseconds(_ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    var total = 0.0
    while total < 200_000 && times.count < 100_000 || times.count < 5 {
      let begin = DispatchTime.now().uptimeNanoseconds
      body()
      let elapsed = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1000
      times.append(elapsed)
      total += elapsed
    }
    return median(times)
  }

  /// Uses a timed loop's result, so that the optimiser cannot drop the work.
  @inline(never) static func keep(_ value: Double) { _ = value.isFinite }

  static func median(_ values: [Double]) -> Double { Quantile.of(sorted: values.sorted(), 0.5) }

  static func format(_ microseconds: Double) -> String {
    microseconds < 10 ? String(format: "%.2f", microseconds) : String(format: "%.1f", microseconds)
  }
}
