import Dispatch
import Foundation

/// What training reports as it goes.
public struct TrainingProgress: Sendable {
  /// The stage of training.
  public enum Phase: String, Sendable {
    /// The supervised warm-up on joint labels.
    case warmup = "warm-up"
    /// The FK-loss epochs.
    case fkLoss = "FK loss"
  }
  /// The stage running.
  public var phase: Phase
  /// The epoch running, from 1.
  public var epoch: Int
  /// Epochs of this phase at most.
  public var epochs: Int
  /// Fraction of the current epoch done.
  public var epochFraction: Double
  /// The mean loss of the epoch so far (the FK loss in metres, or the warm-up's joint loss).
  public var trainingLoss: Double
  /// Median and 99th-percentile position error of the best head on validation targets, mm.
  public var validationMedianMillimetres: Double?
  /// The 99th-percentile position error, mm; `nil` before the first validation.
  public var validationP99Millimetres: Double?
  /// Seconds since training began.
  public var elapsedSeconds: Double
  /// An estimate of the seconds left at the maximum epoch count; `nil` until there is one.
  public var remainingSeconds: Double?
  /// The epoch's last report: its loss is the epoch's, and after an FK-loss epoch the validation
  /// numbers are this epoch's (earlier reports show the best epoch's before it). A log that keeps
  /// one line an epoch keeps these.
  public var epochEnded = false
}

/// One row of the training curve (`neural-ik train --log`).
public struct TrainingLogRow: Sendable, Codable {
  /// The phase's name (``TrainingProgress/Phase``'s raw value).
  public var phase: String
  /// The epoch, from 1 within its phase.
  public var epoch: Int
  /// Seconds since training began, at the epoch's end.
  public var seconds: Double
  /// The epoch's learning rate.
  public var learningRate: Double
  /// The epoch's mean training loss.
  public var trainingLoss: Double
  /// The validation after the epoch.
  public var validation: ValidationResult
}

/// The outcome of ``Trainer/train(progress:)``.
public struct TrainingResult: Sendable {
  /// The network of the best epoch, with its ``TrainingMetrics``.
  public var network: IKNetwork
  /// One row per epoch: the training curve.
  public var log: [TrainingLogRow]
  /// How the training targets spread over distance from the reach.
  public var balance: BalanceReport
}

/// Trains an ``IKNetwork`` for one robot: balanced targets, optional warm-up on the FK grid's
/// labels, then the FK loss with winner-takes-all heads, Adam, a cosine learning-rate schedule,
/// validation after every epoch and early stopping on the validation score
/// (``ValidationResult/rankingScore``). Deterministic for a given ``TrainingConfig`` and thread
/// count.
public struct Trainer: Sendable {
  /// The robot to train for.
  public let robot: RobotModel
  /// Every setting of the run.
  public let config: TrainingConfig

  /// A trainer; nothing runs until ``train(progress:)``, which checks `config`.
  ///
  /// - Parameters:
  ///   - robot: the robot to train for.
  ///   - config: every setting of the run.
  public init(robot: RobotModel, config: TrainingConfig) {
    self.robot = robot
    self.config = config
  }

  /// Trains; `progress` is called a few times per epoch from the calling thread.
  ///
  /// - Parameter progress: called with the phase, epoch, loss, validation and time so far.
  /// - Returns: the network of the best epoch by ``ValidationResult/rankingScore``, the curve and
  ///   the targets' balance.
  /// - Throws: ``TrainingError`` for a configuration that cannot train (no targets, a zero
  ///   batch, a free joint the arm does not have) or a data set that fails its checks.
  public func train(progress: (TrainingProgress) -> Void = { _ in }) throws(TrainingError) -> TrainingResult {
    try checkConfiguration()
    // Threads go to data parallelism (see runEpoch); OpenBLAS runs single-threaded inside each
    // (BLAS.gemm). One generator, drawn from in a fixed order, makes the run repeatable.
    let clock = RunClock()
    var generator = SplitMix64(seed: config.seed)
    var run = try prepare(using: &generator)
    var state = LoopState(
      mlp: MLP(architecture: run.architecture, using: &generator),
      adam: Adam(parameterCount: run.architecture.parameterCount))
    var log: [TrainingLogRow] = []
    warmUp(&state, run: run, log: &log, clock: clock, generator: &generator, progress: progress)
    let best = fkLossEpochs(
      &state, run: &run, log: &log, clock: clock, generator: &generator, progress: progress)
    let chosen = best ?? (state.mlp, validate(state.mlp, run: run))
    let network = IKNetwork(
      robot: robot, mlp: chosen.mlp, encoding: run.encoding, heads: run.heads, config: config,
      metrics: TrainingMetrics(validation: chosen.metrics, trainingSeconds: clock.elapsed, epochs: log.count))
    return TrainingResult(network: network, log: log, balance: run.balance)
  }

  /// Checks the settings without training; ``train(progress:)`` checks them first too. A caller
  /// that weighs a run up front (its memory, its time) asks this before it.
  ///
  /// - Throws: ``TrainingError/invalidConfiguration(_:)`` naming what cannot train.
  public func checkConfiguration() throws(TrainingError) {
    guard config.trainingTargets > 0, config.validationTargets > 0, config.batchSize > 0,
      config.hiddenWidths.allSatisfy({ $0 > 0 }), config.maxEpochs >= 0
    else {
      throw .invalidConfiguration(
        "training needs positive target counts, batch size and layer widths; got \(config.trainingTargets) targets, batch \(config.batchSize), widths \(config.hiddenWidths)"
      )
    }
    // Before the data set is drawn: a network a model file may not hold would train for hours
    // and then not load (`ModelLimits`, `IKNetwork.Header.validate`).
    let heads = config.headCount(for: robot)
    // A free joint the arm cannot take, or no samples, is refused below, with what it needs.
    let freeJointSamples = config.freeJointSamples.flatMap { samples in
      samples > 0
        && FreeJoint(robot: robot, poses: config.poses, samples: samples, index: config.freeJointIndex) != nil
        ? samples : nil
    }
    if let problem = ModelLimits.problem(
      heads: heads, hiddenWidths: config.hiddenWidths, inputs: config.inputCount(for: robot),
      joints: robot.degreesOfFreedom, freeJointSamples: freeJointSamples)
    {
      throw .invalidConfiguration(problem)
    }
    // Within those caps the count is far inside Int (at most about 2.7 × 10¹¹).
    let count = config.architecture(for: robot).parameterCount
    let limit = ModelLimits.parameters.upperBound
    if count > limit {
      let widths = config.hiddenWidths
      let layers =
        Set(widths).count == 1
        ? "\(widths.count) hidden layers of \(widths[0])"
        : "hidden layers \(widths.map(String.init).joined(separator: " × "))"
      throw .invalidConfiguration(
        "\(layers) and \(heads) heads make a network of \(count) weights and biases; a model file holds at most \(limit) (1 GiB): use fewer or narrower layers"
      )
    }
    // A model file with another weight would be refused on loading (`IKNetwork.Header.validate`).
    if let weight = config.rotationWeight, !SolverSpecification.rotationWeights.contains(weight) {
      throw .invalidConfiguration(
        "the rotation weight \(weight) is not 0.0001 to 1,000 metres per radian; a model trained with it would not load"
      )
    }
    if (config.freeJointSamples ?? 0) > 0 || config.freeJointIndex != nil,
      FreeJoint(
        robot: robot, poses: config.poses, samples: config.freeJointSamples ?? 0, index: config.freeJointIndex
      )
        == nil
    {
      let task = config.poses ? "a pose target's 6" : "a position target's 3"
      let index = config.freeJointIndex ?? robot.degreesOfFreedom - 1
      // The first condition that fails, in the user's terms: a 3-joint arm asked for samples was
      // told of a free joint it had never been given.
      let reason: String
      if robot.degreesOfFreedom <= (config.poses ? 6 : 3) {
        reason =
          "'\(robot.name)' has \(robot.degreesOfFreedom) joints, no more than \(task) dimensions: no joint is left free, so it takes no free-joint samples"
      } else if !robot.movableJoints.indices.contains(index) {
        reason =
          "the free joint asked for is joint \(index + 1), which '\(robot.name)' does not have: it has \(robot.degreesOfFreedom), numbered from 1"
      } else if robot.movableJoints[index].type == .prismatic {
        let joint = robot.movableJoints[index]
        reason =
          "the free joint asked for, joint \(index + 1) ('\(joint.name)'), is prismatic: a free joint must be revolute or continuous"
      } else {
        reason = "a free joint takes at least 1 sample a target, got \(config.freeJointSamples ?? 0)"
      }
      throw .invalidConfiguration(reason)
    }
  }

  /// What a run sets up before its first epoch: the data, the input encoding, the network's
  /// shape and the losses.
  private struct Run {
    var training: TrainingData
    let validation: TrainingData
    let balance: BalanceReport
    let encoding: InputEncoding
    let heads: Int
    let layout: JointOutputLayout
    let architecture: MLPArchitecture
    let loss: FKLoss
    /// Pulls heads towards the labels (``TrainingConfig/labelWeight``) and drives the warm-up.
    let anchor: WarmupLoss
    let workspace = MLPWorkspace()
    let workspaces: [MLPWorkspace]
  }

  private func prepare(using generator: inout SplitMix64) throws(TrainingError) -> Run {
    let training = DataGeneration.balancedTargets(
      robot: robot, count: config.trainingTargets, reachableShare: config.reachableShare,
      margin: config.margin, poses: config.poses, using: &generator)
    do {
      try training.validate(for: robot)
    } catch {
      throw .data(error)
    }
    let validation = DataGeneration.balancedTargets(
      robot: robot, count: config.validationTargets, reachableShare: 1, margin: 0, poses: config.poses,
      using: &generator)
    let balance: BalanceReport
    do {
      balance = try ReachDistance(robot: robot).balance(of: training.targets)
    } catch let error as IKError {
      throw .numerical(error)
    } catch {
      throw .numerical(.numerical("\(error)"))
    }
    let reachSamples = zip(training.targets, training.labels).compactMap { $1 == nil ? nil : $0.position }
    let encoding = InputEncoding(
      robot: robot, poses: config.poses, samples: reachSamples,
      freeJointSamples: config.freeJointSamples ?? 0,
      freeJointIndex: config.freeJointIndex)
    let heads = config.headCount(for: robot)
    let layout = JointOutputLayout(robot: robot)
    var loss = FKLoss(robot: robot, layout: layout, heads: heads)
    loss.losersShare = config.losersShare
    loss.freeJoint = encoding.freeJoint?.index
    loss.rotationWeight = config.rotationWeight ?? PoseResidual.defaultRotationWeight
    return Run(
      training: training, validation: validation, balance: balance, encoding: encoding, heads: heads,
      layout: layout,
      architecture: config.architecture(for: robot),
      loss: loss,
      anchor: WarmupLoss(
        layout: layout, heads: heads, losersShare: config.losersShare, freeJoint: encoding.freeJoint?.index),
      workspaces: (0..<max(1, config.threads)).map { _ in MLPWorkspace() })
  }

  /// The optional warm-up: the FK grid's joint labels, at the initial learning rate.
  private func warmUp(
    _ state: inout LoopState, run: Run, log: inout [TrainingLogRow], clock: RunClock,
    generator: inout SplitMix64, progress: (TrainingProgress) -> Void
  ) {
    guard config.warmupEpochs > 0 else { return }
    let step = DataGeneration.gridStep(robot: robot, approximateCount: config.gridPoints)
    let grid = DataGeneration.fkGrid(robot: robot, step: step, poses: config.poses)
    let warmup = run.anchor
    for epoch in 1...config.warmupEpochs {
      let rate = config.learningRate
      let trainingLoss = runEpoch(
        data: grid, state: &state, encoding: run.encoding, workspaces: run.workspaces, learningRate: rate,
        generator: &generator,
        lossFunction: { outputs, batch, range, gradient in
          warmup.evaluate(outputs: outputs, labels: batch.labels[range], gradient: &gradient)
        },
        report: { fraction, value in
          progress(
            TrainingProgress(
              phase: .warmup, epoch: epoch, epochs: config.warmupEpochs, epochFraction: fraction,
              trainingLoss: value, elapsedSeconds: clock.elapsed))
        })
      log.append(row(.warmup, epoch, clock, rate, trainingLoss, validate(state.mlp, run: run)))
      progress(
        TrainingProgress(
          phase: .warmup, epoch: epoch, epochs: config.warmupEpochs, epochFraction: 1,
          trainingLoss: trainingLoss, elapsedSeconds: clock.elapsed, epochEnded: true))
    }
  }

  /// The FK-loss epochs under the cosine schedule, with early stopping: the best epoch's weights
  /// and validation, `nil` when no epoch ran.
  private func fkLossEpochs(
    _ state: inout LoopState, run: inout Run, log: inout [TrainingLogRow], clock: RunClock,
    generator: inout SplitMix64, progress: (TrainingProgress) -> Void
  ) -> (mlp: MLP, metrics: ValidationResult)? {
    var best: (mlp: MLP, metrics: ValidationResult)?
    var sinceBest = 0
    for epoch in 1...max(1, config.maxEpochs) where config.maxEpochs > 0 {
      let progressFraction = Double(epoch - 1) / Double(max(1, config.maxEpochs - 1))
      let rate =
        config.learningRate
        * (config.finalLearningRateFraction
          + (1 - config.finalLearningRateFraction) * 0.5 * (1 + cos(.pi * progressFraction)))
      let elapsedBefore = clock.elapsed
      if config.freshTargetsEachEpoch == true && epoch > 1 {
        run.training = DataGeneration.balancedTargets(
          robot: robot, count: config.trainingTargets, reachableShare: config.reachableShare,
          margin: config.margin, poses: config.poses, using: &generator)
      }
      let shown = best?.metrics
      let trainingLoss = runEpoch(
        data: run.training, state: &state, encoding: run.encoding, workspaces: run.workspaces,
        learningRate: rate, generator: &generator, lossFunction: fkLossFunction(run),
        report: { fraction, value in
          let elapsed = clock.elapsed
          let perEpoch = (elapsed - elapsedBefore) / max(fraction, 1e-3)
          progress(
            TrainingProgress(
              phase: .fkLoss, epoch: epoch, epochs: config.maxEpochs, epochFraction: fraction,
              trainingLoss: value, validationMedianMillimetres: shown?.positionMedianMillimetres,
              validationP99Millimetres: shown?.positionP99Millimetres, elapsedSeconds: elapsed,
              remainingSeconds: perEpoch * (Double(config.maxEpochs - epoch) + 1 - fraction)))
        })
      let metrics = validate(state.mlp, run: run)
      log.append(row(.fkLoss, epoch, clock, rate, trainingLoss, metrics))
      if best.map({ metrics.rankingScore < $0.metrics.rankingScore }) ?? true {
        best = (state.mlp, metrics)
        sinceBest = 0
      } else {
        sinceBest += 1
      }
      progress(
        TrainingProgress(
          phase: .fkLoss, epoch: epoch, epochs: config.maxEpochs, epochFraction: 1,
          trainingLoss: trainingLoss, validationMedianMillimetres: metrics.positionMedianMillimetres,
          validationP99Millimetres: metrics.positionP99Millimetres, elapsedSeconds: clock.elapsed,
          remainingSeconds: nil, epochEnded: true))
      if sinceBest >= config.patience { break }
      if let limit = config.timeLimit, clock.elapsed >= limit { break }
    }
    return best
  }

  /// The FK loss of a shard, plus the label anchor when ``TrainingConfig/labelWeight`` asks.
  private func fkLossFunction(_ run: Run)
    -> @Sendable ([Float], TrainingData, Range<Int>, inout [Float]) -> Double
  {
    let (loss, anchor, freeJoint, config) = (run.loss, run.anchor, run.encoding.freeJoint, config)
    return { outputs, batch, range, gradient in
      let fk = loss.evaluate(
        outputs: outputs, targets: batch.targets[range],
        labels: config.winnerByLabel ? batch.labels[range] : nil,
        freeValues: freeJoint.map { free in
          ArraySlice(range.map { Self.freeValue(free, label: batch.labels[$0], index: $0) })
        },
        gradient: &gradient, threads: 1)
      guard config.labelWeight > 0 else { return fk }
      return fk
        + anchor.evaluate(
          outputs: outputs, labels: batch.labels[range], gradient: &gradient, scale: config.labelWeight)
    }
  }

  /// Seconds since the run began.
  private struct RunClock {
    let start = Date()
    var elapsed: Double { Date().timeIntervalSince(start) }
  }

  /// The free joint's value for a training sample: its label's, or for a target without a label
  /// (out of reach), one of the inference grid's values.
  static func freeValue(_ free: FreeJoint, label: [Double]?, index: Int) -> Double {
    label?[free.index] ?? free.value(sample: index % free.samples)
  }

  /// Free-joint values per validation target (at most).
  public static let validationFreeJointSamples = 8

  /// How close the best head comes to each validation target.
  private func validate(_ mlp: MLP, run: Run) -> ValidationResult {
    // At most 8 free-joint values: validation steers early stopping and needs no more, and the
    // 32 a model may keep for inference would make every epoch's validation 4× slower.
    let samples = min(run.encoding.freeJoint?.samples ?? 1, Self.validationFreeJointSamples)
    let network = IKNetwork(robot: robot, mlp: mlp, encoding: run.encoding, heads: run.heads, config: config)
      .with(freeJointSamples: samples)
    let best = network.uncheckedBestProposals(
      for: run.validation.targets, robot: robot, workspace: run.workspace)
    return ValidationResult(
      robot: robot, targets: run.validation.targets, configurations: best,
      rotationWeight: run.loss.rotationWeight)
  }

  private func row(
    _ phase: TrainingProgress.Phase, _ epoch: Int, _ clock: RunClock, _ rate: Double, _ loss: Double,
    _ metrics: ValidationResult
  ) -> TrainingLogRow {
    TrainingLogRow(
      phase: phase.rawValue, epoch: epoch, seconds: clock.elapsed, learningRate: rate,
      trainingLoss: loss, validation: metrics)
  }
}
