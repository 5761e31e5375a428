import Foundation

/// A trained network for one robot: it proposes ``heads`` candidate configurations per target,
/// each inside the joint limits by construction.
public struct IKNetwork: Sendable {
  public let robotName: String
  /// ``RobotModel/fingerprint`` of the robot it was trained for.
  public let robotFingerprint: String
  public let mlp: MLP
  public let encoding: InputEncoding
  public let layout: JointOutputLayout
  public let heads: Int
  public let config: TrainingConfig
  /// Final metrics of training, such as `validation_median_mm`.
  public var metrics: [String: Double]

  public init(
    robot: RobotModel, mlp: MLP, encoding: InputEncoding, heads: Int, config: TrainingConfig,
    metrics: [String: Double] = [:]
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
    layout: JointOutputLayout, heads: Int, config: TrainingConfig, metrics: [String: Double]
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
  /// - Throws: ``ModelFileError/wrongRobot(expected:found:)``.
  public func check(belongsTo robot: RobotModel) throws(ModelFileError) {
    guard robot.fingerprint == robotFingerprint else {
      throw .wrongRobot(
        expected: "'\(robot.name)' (fingerprint \(robot.fingerprint))",
        found: "'\(robotName)' (fingerprint \(robotFingerprint))")
    }
  }

  /// This network proposing at `samples` values of its free joint per target (see
  /// ``FreeJoint/with(samples:)``); unchanged when it has no free joint.
  public func with(freeJointSamples samples: Int) -> IKNetwork {
    var encoding = encoding
    encoding.freeJoint = encoding.freeJoint?.with(samples: samples)
    return IKNetwork(
      robotName: robotName, robotFingerprint: robotFingerprint, mlp: mlp, encoding: encoding, layout: layout,
      heads: heads, config: config, metrics: metrics)
  }

  /// Every head's configuration for each target: `result[target][proposal]`, ``heads`` per target,
  /// times ``FreeJoint/samples`` for a network conditioned on a free joint.
  public func proposals(for targets: [IKTarget], workspace: MLPWorkspace = MLPWorkspace()) -> [[[Double]]] {
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
    mlp.forward(input, batch: targets.count * samples, workspace: workspace)
    let output = workspace.output
    let stride = heads * layout.outputsPerHead
    return (0..<targets.count).map { index in
      (0..<samples).flatMap { k in
        (0..<heads).map { head in
          var q = layout.jointValues(
            output, offset: (index * samples + k) * stride + head * layout.outputsPerHead)
          if let free = encoding.freeJoint { q[free.index] = free.value(sample: k) }
          return q
        }
      }
    }
  }
}
