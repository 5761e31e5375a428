import Dispatch
import Foundation

/// What training reports as it goes.
public struct TrainingProgress: Sendable {
  public enum Phase: String, Sendable { case warmup = "warm-up", fkLoss = "FK loss" }
  public var phase: Phase
  public var epoch: Int
  public var epochs: Int
  /// Fraction of the current epoch done.
  public var epochFraction: Double
  public var trainingLoss: Double
  /// Median and 99th-percentile position error of the best head on validation targets, mm.
  public var validationMedianMillimetres: Double?
  public var validationP99Millimetres: Double?
  public var elapsedSeconds: Double
  public var remainingSeconds: Double?
}

/// One row of the training curve (`neural-ik train --log`).
public struct TrainingLogRow: Sendable, Codable {
  public var phase: String
  public var epoch: Int
  public var seconds: Double
  public var learningRate: Double
  public var trainingLoss: Double
  public var validation: ValidationResult
}

/// The outcome of ``Trainer/train(progress:)``.
public struct TrainingResult: Sendable {
  public var network: IKNetwork
  public var log: [TrainingLogRow]
  public var balance: BalanceReport
}

/// Trains an ``IKNetwork`` for one robot: balanced targets, optional warm-up on the FK grid's
/// labels, then the FK loss with winner-takes-all heads, Adam, a cosine learning-rate schedule,
/// validation after every epoch and early stopping on the validation score
/// (``ValidationResult/rankingScore``). Deterministic for a given ``TrainingConfig`` and thread
/// count.
public struct Trainer: Sendable {
  public let robot: RobotModel
  public let config: TrainingConfig

  public init(robot: RobotModel, config: TrainingConfig) {
    self.robot = robot
    self.config = config
  }

  /// Trains; `progress` is called a few times per epoch from the calling thread.
  ///
  /// - Throws: ``TrainingError`` for a configuration that cannot train (no targets, a zero
  ///   batch, a free joint the arm does not have) or a data set that fails its checks.
  public func train(progress: (TrainingProgress) -> Void = { _ in }) throws(TrainingError) -> TrainingResult {
    guard config.trainingTargets > 0, config.validationTargets > 0, config.batchSize > 0,
      config.hiddenWidths.allSatisfy({ $0 > 0 }), config.maxEpochs >= 0
    else {
      throw .invalidConfiguration(
        "training needs positive target counts, batch size and layer widths; got \(config.trainingTargets) targets, batch \(config.batchSize), widths \(config.hiddenWidths)"
      )
    }
    if (config.freeJointSamples ?? 0) > 0 || config.freeJointIndex != nil,
      FreeJoint(
        robot: robot, poses: config.poses, samples: config.freeJointSamples ?? 0, index: config.freeJointIndex
      )
        == nil
    {
      let task = config.poses ? 6 : 3
      throw .invalidConfiguration(
        "a free joint needs an arm with more joints than the task's \(task) dimensions and a revolute joint at index \(config.freeJointIndex ?? robot.degreesOfFreedom - 1) of 0..<\(robot.degreesOfFreedom), with at least 1 sample; '\(robot.name)' has \(robot.degreesOfFreedom) joints"
      )
    }
    // Threads go to data parallelism (see runEpoch); OpenBLAS runs single-threaded inside each
    // (BLAS.gemm).
    let start = Date()
    var generator = SplitMix64(seed: config.seed)
    var training = DataGeneration.balancedTargets(
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
    let freeJoint = encoding.freeJoint
    let heads = config.headCount(for: robot)
    let layout = JointOutputLayout(robot: robot)
    let architecture = MLPArchitecture(
      inputCount: encoding.featureCount, hiddenWidths: config.hiddenWidths,
      outputCount: heads * layout.outputsPerHead, activation: config.activation)
    var mlp = MLP(architecture: architecture, using: &generator)
    var adam = Adam(parameterCount: architecture.parameterCount)
    let loss = {
      var loss = FKLoss(robot: robot, layout: layout, heads: heads)
      loss.losersShare = config.losersShare
      loss.freeJoint = freeJoint?.index
      loss.rotationWeight = config.rotationWeight ?? PoseResidual.defaultRotationWeight
      return loss
    }()
    let workspace = MLPWorkspace()
    let workspaces = (0..<max(1, config.threads)).map { _ in MLPWorkspace() }
    var log: [TrainingLogRow] = []

    var state = LoopState(mlp: mlp, adam: adam)
    if config.warmupEpochs > 0 {
      let step = DataGeneration.gridStep(robot: robot, approximateCount: config.gridPoints)
      let grid = DataGeneration.fkGrid(robot: robot, step: step, poses: config.poses)
      let warmup = WarmupLoss(
        layout: layout, heads: heads, losersShare: config.losersShare, freeJoint: freeJoint?.index)
      for epoch in 1...config.warmupEpochs {
        let rate = config.learningRate
        let trainingLoss = runEpoch(
          data: grid, state: &state, encoding: encoding, workspaces: workspaces, learningRate: rate,
          generator: &generator,
          lossFunction: { outputs, batch, range, gradient in
            warmup.evaluate(outputs: outputs, labels: batch.labels[range], gradient: &gradient)
          },
          report: { fraction, value in
            progress(
              TrainingProgress(
                phase: .warmup, epoch: epoch, epochs: config.warmupEpochs, epochFraction: fraction,
                trainingLoss: value, elapsedSeconds: Date().timeIntervalSince(start)))
          })
        let metrics = validate(
          state.mlp, validation: validation, encoding: encoding, heads: heads, loss: loss,
          workspace: workspace)
        log.append(row(.warmup, epoch, start, rate, trainingLoss, metrics))
      }
    }
    mlp = state.mlp
    adam = state.adam

    let anchor = WarmupLoss(
      layout: layout, heads: heads, losersShare: config.losersShare, freeJoint: freeJoint?.index)
    var best: (mlp: MLP, metrics: ValidationResult)?
    var sinceBest = 0
    for epoch in 1...max(1, config.maxEpochs) where config.maxEpochs > 0 {
      let progressFraction = Double(epoch - 1) / Double(max(1, config.maxEpochs - 1))
      let rate =
        config.learningRate
        * (config.finalLearningRateFraction
          + (1 - config.finalLearningRateFraction) * 0.5 * (1 + cos(.pi * progressFraction)))
      let elapsedBefore = Date().timeIntervalSince(start)
      if config.freshTargetsEachEpoch == true && epoch > 1 {
        training = DataGeneration.balancedTargets(
          robot: robot, count: config.trainingTargets, reachableShare: config.reachableShare,
          margin: config.margin, poses: config.poses, using: &generator)
      }
      let trainingLoss = runEpoch(
        data: training, state: &state, encoding: encoding, workspaces: workspaces, learningRate: rate,
        generator: &generator,
        lossFunction: { outputs, batch, range, gradient in
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
        },
        report: { fraction, value in
          let elapsed = Date().timeIntervalSince(start)
          let perEpoch = (elapsed - elapsedBefore) / max(fraction, 1e-3)
          progress(
            TrainingProgress(
              phase: .fkLoss, epoch: epoch, epochs: config.maxEpochs, epochFraction: fraction,
              trainingLoss: value,
              validationMedianMillimetres: best?.metrics.positionMedianMillimetres,
              validationP99Millimetres: best?.metrics.positionP99Millimetres,
              elapsedSeconds: elapsed,
              remainingSeconds: perEpoch * (Double(config.maxEpochs - epoch) + 1 - fraction)))
        })
      let metrics = validate(
        state.mlp, validation: validation, encoding: encoding, heads: heads, loss: loss, workspace: workspace)
      log.append(row(.fkLoss, epoch, start, rate, trainingLoss, metrics))
      if best.map({ metrics.rankingScore < $0.metrics.rankingScore }) ?? true {
        best = (state.mlp, metrics)
        sinceBest = 0
      } else {
        sinceBest += 1
      }
      progress(
        TrainingProgress(
          phase: .fkLoss, epoch: epoch, epochs: config.maxEpochs, epochFraction: 1,
          trainingLoss: trainingLoss,
          validationMedianMillimetres: metrics.positionMedianMillimetres,
          validationP99Millimetres: metrics.positionP99Millimetres,
          elapsedSeconds: Date().timeIntervalSince(start), remainingSeconds: nil))
      if sinceBest >= config.patience { break }
      if let limit = config.timeLimit, Date().timeIntervalSince(start) >= limit { break }
    }
    let chosen =
      best
      ?? (
        state.mlp,
        validate(
          state.mlp, validation: validation, encoding: encoding, heads: heads, loss: loss,
          workspace: workspace)
      )
    let network = IKNetwork(
      robot: robot, mlp: chosen.mlp, encoding: encoding, heads: heads, config: config,
      metrics: TrainingMetrics(
        validation: chosen.metrics, trainingSeconds: Date().timeIntervalSince(start), epochs: log.count))
    return TrainingResult(network: network, log: log, balance: balance)
  }

  private struct LoopState {
    var mlp: MLP
    var adam: Adam
  }

  /// One pass over `data` in a seeded shuffled order; returns the mean training loss.
  ///
  /// Data-parallel: each mini-batch is split into one shard per thread; every shard runs its own
  /// forward pass, loss and backward pass (OpenBLAS on one thread each, since these products are
  /// too small to split), and the shard gradients are summed in a fixed order, so the result does
  /// not depend on thread timing.
  private func runEpoch(
    data: TrainingData, state: inout LoopState, encoding: InputEncoding, workspaces: [MLPWorkspace],
    learningRate: Double, generator: inout SplitMix64,
    lossFunction: @escaping @Sendable ([Float], TrainingData, Range<Int>, inout [Float]) -> Double,
    report: (Double, Double) -> Void
  ) -> Double {
    var order = Array(0..<data.count)
    order.shuffle(using: &generator)
    let shuffled = TrainingData(
      targets: order.map { data.targets[$0] }, labels: order.map { data.labels[$0] })
    let features = encoding.featureCount
    let outputs = state.mlp.architecture.outputCount
    let parameterCount = state.mlp.parameters.count
    var parameterGradient = [Float](repeating: 0, count: parameterCount)
    var total = 0.0
    var batches = 0
    let batchCount = (data.count + config.batchSize - 1) / config.batchSize
    var first = 0
    while first < data.count {
      let range = first..<min(data.count, first + config.batchSize)
      let shards = min(workspaces.count, range.count)
      let shardSize = (range.count + shards - 1) / shards
      let mlp = state.mlp
      let results = ChunkResults(count: shards)
      DispatchQueue.concurrentPerform(iterations: shards) { shard in
        let lower = range.lowerBound + shard * shardSize
        let shardRange = lower..<min(range.upperBound, lower + shardSize)
        guard !shardRange.isEmpty else {
          results.store(shard, loss: 0, gradient: [])
          return
        }
        let count = shardRange.count
        var input = [Float](repeating: 0, count: count * features)
        for (row, index) in shardRange.enumerated() {
          let free = encoding.freeJoint.map {
            Self.freeValue($0, label: shuffled.labels[index], index: index)
          }
          encoding.encode(shuffled.targets[index], freeValue: free, into: &input, offset: row * features)
        }
        let workspace = workspaces[shard]
        mlp.forward(input, batch: count, workspace: workspace)
        var outputGradient = [Float](repeating: 0, count: count * outputs)
        let output = Array(workspace.output.prefix(count * outputs))
        // Each loss is a mean over its shard; weigh shards by size to get the batch mean.
        let weight = Float(count) / Float(range.count)
        let loss = lossFunction(output, shuffled, shardRange, &outputGradient)
        for index in outputGradient.indices { outputGradient[index] *= weight }
        var gradient = [Float](repeating: 0, count: parameterCount)
        mlp.backward(outputGradient: outputGradient, batch: count, workspace: workspace, gradient: &gradient)
        results.store(shard, loss: loss * Double(weight), gradient: gradient)
      }
      for index in parameterGradient.indices { parameterGradient[index] = 0 }
      for shard in 0..<shards {
        let (loss, gradient) = results.result(shard)
        total += loss
        for index in gradient.indices { parameterGradient[index] += gradient[index] }
      }
      state.adam.update(&state.mlp.parameters, gradient: parameterGradient, learningRate: Float(learningRate))
      batches += 1
      if batches % max(1, batchCount / 20) == 0 {
        report(Double(batches) / Double(batchCount), total / Double(batches))
      }
      first = range.upperBound
    }
    return total / Double(max(1, batches))
  }

  /// The free joint's value for a training sample: its label's, or for a target without a label
  /// (out of reach), one of the inference grid's values.
  static func freeValue(_ free: FreeJoint, label: [Double]?, index: Int) -> Double {
    label?[free.index] ?? free.value(sample: index % free.samples)
  }

  /// Free-joint values per validation target (at most).
  public static let validationFreeJointSamples = 8

  /// How close the best head comes to each validation target.
  private func validate(
    _ mlp: MLP, validation: TrainingData, encoding: InputEncoding, heads: Int, loss: FKLoss,
    workspace: MLPWorkspace
  ) -> ValidationResult {
    // At most 8 free-joint values: validation steers early stopping and needs no more, and the
    // 32 a model may keep for inference would make every epoch's validation 4× slower.
    let samples = min(encoding.freeJoint?.samples ?? 1, Self.validationFreeJointSamples)
    let network = IKNetwork(robot: robot, mlp: mlp, encoding: encoding, heads: heads, config: config)
      .with(freeJointSamples: samples)
    let best = network.bestProposals(for: validation.targets, robot: robot, workspace: workspace)
    return ValidationResult(
      robot: robot, targets: validation.targets, configurations: best, rotationWeight: loss.rotationWeight)
  }

  private func row(
    _ phase: TrainingProgress.Phase, _ epoch: Int, _ start: Date, _ rate: Double, _ loss: Double,
    _ metrics: ValidationResult
  ) -> TrainingLogRow {
    TrainingLogRow(
      phase: phase.rawValue, epoch: epoch, seconds: Date().timeIntervalSince(start), learningRate: rate,
      trainingLoss: loss, validation: metrics)
  }
}
