/// Every setting of a training run; stored in the model file so that a run can be repeated.
public struct TrainingConfig: Codable, Sendable, Hashable {
  /// Seeds the data, the initial weights and the batch order.
  public var seed: UInt64 = 1
  /// Neurons of each hidden layer, input side first.
  public var hiddenWidths: [Int] = [128, 128, 128]
  /// The hidden layers' nonlinearity.
  public var activation: Activation = .silu
  /// Output heads: candidate solutions per forward pass. `nil`: 4 for up to 3 joints, 8 beyond.
  public var heads: Int?
  /// Balanced training targets (see
  /// ``DataGeneration/balancedTargets(robot:count:reachableShare:margin:poses:using:)``).
  public var trainingTargets: Int = 200_000
  /// Held-out reachable targets for validation and early stopping.
  public var validationTargets: Int = 4_000
  /// Share of training targets drawn on the reach (FK samples); the rest lie in and around it.
  public var reachableShare: Double = 0.6
  /// How far around the workspace's bounding box volume targets reach, as a fraction of its size.
  public var margin: Double = 0.25
  /// Train on pose targets (position + orientation).
  public var poses: Bool = false
  /// Targets per mini-batch (split into one shard per thread).
  public var batchSize: Int = 512
  /// Epochs of the FK loss at most; early stopping may end sooner (``patience``).
  public var maxEpochs: Int = 36
  /// Adam's learning rate at the start of the cosine schedule.
  public var learningRate: Double = 2e-3
  /// The learning rate decays on a cosine to this fraction of ``learningRate``.
  public var finalLearningRateFraction: Double = 0.01
  /// Epochs of supervised warm-up on the FK grid's joint labels (winner-takes-all in joint space,
  /// which spreads the heads over the solution branches); 0 to skip.
  public var warmupEpochs: Int = 2
  /// Weight of the joint-label term (winner-takes-all in joint space, rad²) kept during the FK
  /// phase on the targets that have labels, to hold heads on their solution branches. Off by
  /// default: on the seed arm, 1.0 halved the p99 error but doubled the median (Docs/Accuracy.md).
  public var labelWeight: Double = 0
  /// For labelled targets, let the head nearest the label in joint space take the FK loss (see
  /// ``FKLoss/evaluate(outputs:targets:labels:freeValues:gradient:threads:)``); otherwise the head with the
  /// smallest loss.
  public var winnerByLabel: Bool = true
  /// About how many FK-grid points the warm-up uses.
  public var gridPoints: Int = 40_000
  /// Weight of the non-best heads in the winner-takes-all loss.
  public var losersShare: Double = 0.05
  /// Stop after this many epochs without a better validation median.
  public var patience: Int = 6
  /// Stop after this many seconds (checked between epochs); `nil` for no limit.
  public var timeLimit: Double?
  /// For an arm with more joints than the task has dimensions: values of the last joint tried per
  /// target at inference, the network being conditioned on that joint (``FreeJoint``); 0 turns
  /// the conditioning off, as by default (`nil`): on the Panda it cut the network's error by about
  /// 15% at equal training time but made each solve several times slower (Docs/Learning.md).
  /// Optional so that model files written before this setting existed still load.
  public var freeJointSamples: Int?
  /// The conditioning joint's index among the movable joints; `nil` for the last, which measured
  /// better than the iiwa's third joint (Docs/Learning.md).
  public var freeJointIndex: Int?
  /// Draw a fresh training set every epoch, from the same distribution: the FK loss needs no
  /// stored labels, so a network can see new targets each epoch instead of fitting 200,000 of
  /// them (`nil`: off). Optional so that older model files still load.
  public var freshTargetsEachEpoch: Bool?
  /// Metres of the FK loss that one radian of rotation error weighs, for pose targets (`nil`:
  /// ``/NeuralIKCore/PoseResidual/defaultRotationWeight``, 0.1 m/rad, under which the success
  /// tolerances 1 mm and 0.01 rad weigh the same).
  public var rotationWeight: Double?
  /// Threads for the FK loss and OpenBLAS.
  public var threads: Int = 2

  /// The shipped defaults: the settings of the small arms' committed models.
  public init() {}

  /// The number of heads for `robot`.
  ///
  /// - Parameter robot: the robot to train for.
  /// - Returns: ``heads`` when set (at least 1); else 4 for up to 3 joints, 8 beyond.
  public func headCount(for robot: RobotModel) -> Int {
    if let heads { return max(1, heads) }
    // Measured on the seed arm: 4 heads beat 2 (median 0.40 mm against 0.54 mm) at equal time.
    return robot.degreesOfFreedom <= 3 ? 4 : 8
  }

  /// The network a run with these settings builds for `robot`.
  ///
  /// - Parameter robot: the robot to train for.
  /// - Returns: inputs for the targets' features (``InputEncoding/featureCount``), these hidden
  ///   layers, and outputs for every head's joint values.
  public func architecture(for robot: RobotModel) -> MLPArchitecture {
    MLPArchitecture(
      inputCount: inputCount(for: robot), hiddenWidths: hiddenWidths,
      outputCount: headCount(for: robot) * JointOutputLayout(robot: robot).outputsPerHead,
      activation: activation)
  }

  /// The input features of a run with these settings for `robot` (``InputEncoding/featureCount``).
  func inputCount(for robot: RobotModel) -> Int {
    // The samples only place the features' centre and scale, not their number.
    InputEncoding(
      robot: robot, poses: poses, samples: [], freeJointSamples: freeJointSamples ?? 0,
      freeJointIndex: freeJointIndex
    ).featureCount
  }
}
