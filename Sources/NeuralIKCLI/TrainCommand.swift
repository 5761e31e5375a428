import ArgumentParser
import Foundation
import NeuralIK

struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train the IK network for a robot (FK loss, balanced targets, winner-takes-all heads).",
    discussion:
      "The defaults reach the accuracy targets in Docs/Accuracy.md. Training is deterministic for a seed and thread count."
  )

  @OptionGroup var robotOptions: RobotOptions

  @Option(help: ArgumentHelp("Where the trained model goes.", valueName: "file"))
  var out: String

  @Option(help: "Random seed for data, weights and batch order.")
  var seed: UInt64 = 1
  @Option(help: "Hidden layer width.")
  var width: Int = 128
  @Option(help: "Number of hidden layers.")
  var depth: Int = 3
  @Option(help: "Hidden activation: relu, tanh or silu.") var activation: Activation = .silu
  @Option(help: "Output heads (default: 4 for up to 3 joints, 8 beyond).", transform: Int.wholeArgument)
  var heads: Int?
  @Option(help: "Balanced training targets.")
  var targets: Int = TrainingConfig().trainingTargets
  @Option(help: "Maximum epochs of the FK loss.")
  var epochs: Int = TrainingConfig().maxEpochs
  @Option(help: "Epochs of supervised warm-up on the FK grid (0 to skip).")
  var warmup: Int = TrainingConfig().warmupEpochs
  @Option(
    help: "Weight of the joint-label anchor during the FK phase (0 to turn it off).",
    transform: Double.decimalArgument)
  var labelWeight: Double = TrainingConfig().labelWeight
  @Option(
    help:
      "Winner of the FK loss for labelled targets: label (head nearest the label) or loss (smallest loss).")
  var winner: WinnerChoice = .label
  @Option(help: "Mini-batch size.")
  var batch: Int = TrainingConfig().batchSize
  @Option(help: "Initial Adam learning rate.", transform: Double.decimalArgument) var learningRate: Double =
    TrainingConfig().learningRate
  @Option(help: "Stop after this many seconds (between epochs).", transform: Double.decimalArgument)
  var timeLimit: Double?
  @Option(
    help:
      "Stop after this many epochs without a better validation score (the median position error; for pose models, position and weighted rotation together)."
  )
  var patience: Int = TrainingConfig().patience
  @Option(help: "Threads for the loss and OpenBLAS.")
  var threads: Int = 2
  @Option(
    help:
      "Redundant arms: values of the free joint (--free-joint) tried per target, the network taking that joint as an input (0: off)."
  )
  var freeJointSamples: Int = 0
  @Option(
    help: "The free joint, 1-based among the movable joints (default: the last).",
    transform: Int.wholeArgument)
  var freeJoint: Int?
  @Flag(help: "Train for pose targets (position + orientation).") var poses = false
  @Flag(help: "Draw fresh training targets every epoch.") var freshTargets = false
  @Option(
    help: "Pose targets: metres of loss per radian of rotation error (default 0.1).",
    transform: Double.decimalArgument)
  var rotationWeight: Double?
  @Option(help: ArgumentHelp("Write the training curves as CSV.", valueName: "file")) var log: String?

  func validate() throws {
    // Ranges far above any useful run, so that a typo cannot ask for a terabyte or a year.
    func range(_ name: String, _ value: Int, _ allowed: ClosedRange<Int>) throws {
      guard allowed.contains(value) else {
        throw ValidationError(
          "--\(name) must be \(allowed.lowerBound) to \(allowed.upperBound), got \(value)")
      }
    }
    try range("width", width, 1...4096)
    try range("depth", depth, 1...32)
    try range("targets", targets, 100...20_000_000)
    try range("epochs", epochs, 0...100_000)
    try range("warmup", warmup, 0...10_000)
    guard epochs > 0 || warmup > 0 else {
      throw ValidationError(
        "--epochs and --warmup are both 0: nothing would train; give --epochs 1 or more (or --warmup alone for labels only)"
      )
    }
    try range("patience", patience, 1...100_000)
    try range("batch", batch, 1...1_000_000)
    try range("threads", threads, 1...256)
    if let heads { try range("heads", heads, 1...64) }
    try range("free-joint-samples", freeJointSamples, 0...1024)
    if let freeJoint { try range("free-joint", freeJoint, 1...256) }
    guard learningRate > 0, learningRate.isFinite, learningRate <= 10 else {
      throw ValidationError("--learning-rate must be a positive number up to 10, got \(learningRate)")
    }
    if let rotationWeight, !SolverSpecification.rotationWeights.contains(rotationWeight) {
      throw ValidationError(
        "--rotation-weight must be 0.0001 to 1,000 metres per radian, got \(rotationWeight)")
    }
    guard labelWeight >= 0, labelWeight.isFinite, labelWeight <= 1000 else {
      throw ValidationError("--label-weight must be 0 to 1000, got \(labelWeight)")
    }
    if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite) {
      throw ValidationError("--time-limit must be a positive number of seconds, got \(timeLimit)")
    }
    // Last: a file system's refusal (status 1) must not hide a mistake of the command line (64).
    try OutputPath.check(out, option: "--out", inputs: ["--robot": robotOptions.robot])
    if let log {
      try OutputPath.check(
        log, option: "--log", inputs: ["--robot": robotOptions.robot], outputs: ["--out": out])
    }
  }

  func run() throws {
    let robot = try robotOptions.load()
    var config = TrainingConfig()
    config.seed = seed
    config.hiddenWidths = Array(repeating: width, count: depth)
    config.activation = activation
    config.heads = heads
    config.trainingTargets = targets
    config.maxEpochs = epochs
    config.warmupEpochs = warmup
    config.batchSize = batch
    config.labelWeight = labelWeight
    config.winnerByLabel = winner == .label
    config.learningRate = learningRate
    config.timeLimit = timeLimit
    config.patience = patience
    config.threads = threads
    config.poses = poses
    config.freeJointSamples = freeJointSamples
    config.freeJointIndex = freeJoint.map { $0 - 1 }
    config.freshTargetsEachEpoch = freshTargets ? true : nil
    config.rotationWeight = rotationWeight
    let trainer = Trainer(robot: robot, config: config)
    // Before the memory: a network too large for a model file is refused as such.
    do {
      try trainer.checkConfiguration()
    } catch {
      throw CLIError("cannot train: \(error)")
    }
    let needed = TrainingMemory.estimate(config, robot: robot)
    if let (available, bound) = TrainingMemory.available(reserved: TrainingMemory.reserved(config)),
      needed > available
    {
      throw CLIError(
        "training would need about \(TrainingMemory.spoken(needed)) (\(targets) targets, \(depth) layers of \(width), batch \(batch)); \(TrainingMemory.spoken(max(0, available))) are left under \(bound): use fewer --targets, or a smaller network or batch"
      )
    }
    let line = ProgressLine()
    let result: TrainingResult
    do {
      result = try trainer.train { line.show($0) }
    } catch {
      line.clear()
      throw CLIError("training failed: \(error)")
    }
    line.finish()
    print(result.balance)
    do {
      try result.network.write(to: URL(filePath: out))
    } catch {
      throw CLIError("\(error)")
    }
    if let log { try writeLog(result.log, to: log) }
    guard let metrics = result.network.metrics else { return }
    let v = metrics.validation
    // The progress line counts the FK loss's epochs; the model's metrics count the warm-up's too.
    let warmed = min(warmup, metrics.epochs)
    var summary = String(
      format: "trained %@ in %.1f s, %d epoch%@ (%d of warm-up, %d of the FK loss): "
        + "validation median %.3f mm, p95 %.3f mm, p99 %.3f mm",
      robot.name, metrics.trainingSeconds, metrics.epochs, metrics.epochs == 1 ? "" : "s", warmed,
      metrics.epochs - warmed,
      v.positionMedianMillimetres,
      v.positionP95Millimetres, v.positionP99Millimetres)
    if let rotation = v.rotationMedianDegrees { summary += String(format: ", median %.3f°", rotation) }
    print(summary + " → " + out)
  }

  /// The training curve as CSV; pose models add their rotation and combined errors.
  private func writeLog(_ rows: [TrainingLogRow], to path: String) throws {
    let poses = rows.contains { $0.validation.rotationMedianDegrees != nil }
    var text =
      "phase,epoch,seconds,learning_rate,training_loss,validation_median_mm,validation_p95_mm,validation_p99_mm"
      + (poses ? ",validation_rotation_median_deg,validation_rotation_p99_deg,validation_score_mm" : "")
      + "\n"
    for row in rows {
      let v = row.validation
      text += "\(row.phase),\(row.epoch),\(row.seconds),\(row.learningRate),\(row.trainingLoss),"
      text += "\(v.positionMedianMillimetres),\(v.positionP95Millimetres),\(v.positionP99Millimetres)"
      if poses {
        text += ",\(v.rotationMedianDegrees ?? .nan),\(v.rotationP99Degrees ?? .nan),\(v.rankingScore)"
      }
      text += "\n"
    }
    do {
      try OutputFile.write(Data(text.utf8), to: URL(filePath: path))
    } catch {
      throw CLIError("cannot write '\(path)': \(error.localizedDescription)")
    }
  }
}

extension Activation: ExpressibleByArgument {}

enum WinnerChoice: String, ExpressibleByArgument {
  case label
  case loss
}
