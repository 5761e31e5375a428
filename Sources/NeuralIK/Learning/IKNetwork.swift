import Foundation

/// A trained network for one robot: it proposes ``heads`` candidate configurations per target,
/// each inside the joint limits by construction.
public struct IKNetwork: Sendable {
  /// The name of the robot it was trained for (``robotFingerprint`` is what is checked).
  public let robotName: String
  /// ``/NeuralIKCore/RobotModel/fingerprint`` of the robot it was trained for.
  public let robotFingerprint: String
  /// The weights and their shape.
  public let mlp: MLP
  /// How a target becomes the network's input.
  public let encoding: InputEncoding
  /// How each head's outputs become joint values inside the limits.
  public let layout: JointOutputLayout
  /// Candidate configurations per target (per free-joint value on a redundant arm).
  public let heads: Int
  /// The settings it was trained with, so that the run can be repeated.
  public let config: TrainingConfig
  /// What training measured of it; `nil` for a network that was not trained by ``Trainer``.
  public var metrics: TrainingMetrics?

  /// A network for `robot` from its parts; ``Trainer`` builds them, and a model file holds them.
  ///
  /// Nothing is checked here: the output layout is `robot`'s, and `mlp`'s output count must be
  /// `heads` times its outputs per head (reading a model file checks this).
  ///
  /// - Parameters:
  ///   - robot: the robot it proposes configurations for; its name and fingerprint are kept.
  ///   - mlp: the weights.
  ///   - encoding: how targets become input rows.
  ///   - heads: candidate configurations per target.
  ///   - config: the training settings, stored in the model file.
  ///   - metrics: what training measured, or `nil`.
  public init(
    robot: RobotModel, mlp: MLP, encoding: InputEncoding, heads: Int, config: TrainingConfig,
    metrics: TrainingMetrics? = nil
  ) {
    self.robotName = robot.name
    self.robotFingerprint = robot.fingerprint
    self.mlp = mlp
    self.encoding = encoding
    self.layout = JointOutputLayout(robot: robot)
    self.heads = heads
    self.config = config
    self.metrics = metrics
  }

  init(
    robotName: String, robotFingerprint: String, mlp: MLP, encoding: InputEncoding,
    layout: JointOutputLayout, heads: Int, config: TrainingConfig, metrics: TrainingMetrics?
  ) {
    self.robotName = robotName
    self.robotFingerprint = robotFingerprint
    self.mlp = mlp
    self.encoding = encoding
    self.layout = layout
    self.heads = heads
    self.config = config
    self.metrics = metrics
  }

  /// Checks that this network belongs to `robot`.
  ///
  /// - Parameter robot: the robot it is about to solve for (unrestricted).
  /// - Throws: ``ModelFileError/wrongRobot(expected:found:)``, or
  ///   ``ModelFileError/inconsistent(_:)`` when its output limits are not the robot's.
  public func check(belongsTo robot: RobotModel) throws(ModelFileError) {
    guard robot.fingerprint == robotFingerprint else {
      // One name, two fingerprints: the robot file changed (a joint, a limit, an offset) since.
      let changed = robotName == robot.name ? " (the robot's joints, limits or offsets changed since)" : ""
      throw .wrongRobot(
        expected: "'\(robot.name)' (fingerprint \(robot.fingerprint))\(changed)",
        found: "'\(robotName)' (fingerprint \(robotFingerprint))")
    }
    try checkLayout(of: robot)
  }

  /// This network proposing at `samples` values of its free joint per target (see
  /// ``FreeJoint/with(samples:)``); unchanged when it has no free joint.
  ///
  /// - Parameter samples: values of the free joint per target, 1 or more.
  /// - Returns: the same weights with another sample count.
  public func with(freeJointSamples samples: Int) -> IKNetwork {
    var encoding = encoding
    encoding.freeJoint = encoding.freeJoint?.with(samples: samples)
    return IKNetwork(
      robotName: robotName, robotFingerprint: robotFingerprint, mlp: mlp, encoding: encoding, layout: layout,
      heads: heads, config: config, metrics: metrics)
  }

  /// Every head's configuration for each target, one ``ProposalSet`` per target: ``heads`` per
  /// target, times ``FreeJoint/samples`` for a network conditioned on a free joint.
  ///
  /// - Parameters:
  ///   - targets: targets of this network's ``targetKind``.
  ///   - workspace: buffers to reuse between calls, from one thread.
  /// - Returns: one set per target, in order; every configuration inside the joint limits.
  /// - Throws: ``/NeuralIKCore/IKError/wrongTargetKind(expected:got:reason:)`` for a target of the
  ///   other kind (a position, or an axis target, for a pose model, which would otherwise be read
  ///   as the pose with the base's orientation).
  public func proposals(for targets: [IKTarget], workspace: MLPWorkspace = MLPWorkspace()) throws(IKError)
    -> [ProposalSet]
  {
    for target in targets { try checkTargetKind(target) }
    return uncheckedProposals(for: targets, workspace: workspace)
  }

  /// ``proposals(for:workspace:)`` for targets known to be of this network's kind.
  private func uncheckedProposals(for targets: [IKTarget], workspace: MLPWorkspace) -> [ProposalSet] {
    let input = encodedInput(targets)
    mlp.forward(input, batch: input.count / max(1, encoding.featureCount), workspace: workspace)
    return decode(workspace.output, targets: targets.count)
  }

  /// As ``proposals(for:workspace:)``, through the small-batch inference pass that the solvers
  /// use (``MLPInference``, built once per solver from this network's ``mlp``).
  func proposals(for targets: [IKTarget], inference: MLPInference, output: inout [Float]) -> [ProposalSet] {
    let input = encodedInput(targets)
    inference.forward(input, rows: input.count / max(1, encoding.featureCount), into: &output)
    return decode(output, targets: targets.count)
  }

  /// The network's input rows: one per target and free-joint value.
  private func encodedInput(_ targets: [IKTarget]) -> [Float] {
    let features = encoding.featureCount
    let samples = encoding.freeJoint?.samples ?? 1
    var input = [Float](repeating: 0, count: targets.count * samples * features)
    for (index, target) in targets.enumerated() {
      for k in 0..<samples {
        encoding.encode(
          target, freeValue: encoding.freeJoint?.value(sample: k), into: &input,
          offset: (index * samples + k) * features)
      }
    }
    return input
  }

  /// Joint values of every head from the rows of ``encodedInput(_:)``'s pass.
  private func decode(_ output: [Float], targets: Int) -> [ProposalSet] {
    let samples = encoding.freeJoint?.samples ?? 1
    let stride = heads * layout.outputsPerHead
    return (0..<targets).map { index in
      ProposalSet(
        configurations: (0..<samples).flatMap { k in
          (0..<heads).map { head in
            var q = layout.jointValues(
              output, offset: (index * samples + k) * stride + head * layout.outputsPerHead)
            if let free = encoding.freeJoint { q[free.index] = free.value(sample: k) }
            return q
          }
        })
    }
  }

  /// Batched: for each target, the proposal whose forward kinematics lands closest (position
  /// error² plus (``rotationWeight`` · rotation error)²), from one forward pass.
  ///
  /// - Parameters:
  ///   - targets: targets of this network's ``targetKind``.
  ///   - robot: the robot it was trained for, whose forward kinematics ranks the proposals.
  ///   - workspace: buffers to reuse between calls, from one thread.
  /// - Returns: one configuration per target, inside the joint limits.
  /// - Throws: ``/NeuralIKCore/IKError/wrongTargetKind(expected:got:reason:)`` for a target of the
  ///   other kind.
  public func bestProposals(
    for targets: [IKTarget], robot: RobotModel, workspace: MLPWorkspace = MLPWorkspace()
  ) throws(IKError) -> [[Double]] {
    for target in targets { try checkTargetKind(target) }
    return uncheckedBestProposals(for: targets, robot: robot, workspace: workspace)
  }

  /// ``bestProposals(for:robot:workspace:)`` for targets known to be of this network's kind (the
  /// trainer's validation targets).
  func uncheckedBestProposals(for targets: [IKTarget], robot: RobotModel, workspace: MLPWorkspace)
    -> [[Double]]
  {
    zip(targets, uncheckedProposals(for: targets, workspace: workspace)).map { target, set in
      var best = robot.middleConfiguration
      var bestCost = Double.infinity
      for q in set.configurations {
        let cost = proposalCost(q, robot: robot, target: target)
        if cost < bestCost {
          best = q
          bestCost = cost
        }
      }
      return best
    }
  }
}

/// The configurations a network proposes for one target, in head order (and free-joint sample
/// order for a network with a free joint); each one inside the joint limits.
public struct ProposalSet: Sendable, Hashable {
  /// One value per movable joint per configuration: radians or metres.
  public var configurations: [[Double]]

  /// How many configurations the set holds.
  public var count: Int { configurations.count }
}
