/// The learned network alone: every head proposes a configuration, and the one whose forward
/// kinematics lands closest to the target is the answer. Inside the limits by construction;
/// ``/NeuralIKCore/Solution/reachable`` only when that proposal is already within tolerance.
final class NetworkSolver: IKSolver {
  let robot: RobotModel
  let network: IKNetwork
  let tolerance: ReachTolerance
  private let inference: MLPInference
  private var output: [Float] = []

  /// Whether ``robot`` has limits tighter than the network's robot, into which proposals are
  /// clamped.
  private let clamps: Bool

  /// - Parameters:
  ///   - robot: the robot the network was trained for.
  ///   - restricted: the same robot with a request's tighter limits (``/NeuralIKCore/RobotModel/restricted(_:)``),
  ///     which every proposal is clamped into; `robot` itself when there are none.
  /// - Throws: ``ModelFileError/wrongRobot(expected:found:)`` when the network is for another robot.
  init(robot: RobotModel, network: IKNetwork, tolerance: ReachTolerance, restricted: RobotModel? = nil)
    throws(ModelFileError)
  {
    try network.check(belongsTo: robot)
    self.robot = restricted ?? robot
    self.clamps = restricted.map { $0 != robot } ?? false
    self.network = network
    self.tolerance = tolerance
    self.inference = MLPInference(network.mlp)
  }

  /// The best head's proposal; `initialGuess` is only checked, the network needs none.
  func solve(_ target: IKTarget, from initialGuess: [Double]) throws(IKError) -> Solution {
    try robot.checkConfiguration(initialGuess)
    guard let best = try rankedProposals(for: target).first else {
      throw .numerical("the network made no proposal for robot '\(robot.name)'")
    }
    return solution(best, for: target)
  }

  /// Every head's proposal as a solution, best first.
  func proposals(for target: IKTarget) throws(IKError) -> [Solution] {
    try rankedProposals(for: target).map { solution($0, for: target) }
  }

  /// Every head's configuration, best first: the hybrid's starts. Ranks by forward kinematics
  /// alone, building no ``/NeuralIKCore/Solution`` for the dozens of proposals a redundant arm has.
  func rankedProposals(for target: IKTarget) throws(IKError) -> [[Double]] {
    try network.checkTargetKind(target)
    var proposals = network.proposals(for: [target], inference: inference, output: &output)[0].configurations
    if clamps { proposals = proposals.map(robot.clampedToLimits) }
    return proposals.map { (q: $0, cost: network.proposalCost($0, robot: robot, target: target)) }
      .stableSorted { $0.cost < $1.cost }.map(
        \.q)
  }

  private func solution(_ q: [Double], for target: IKTarget) -> Solution {
    Solution(
      robot: robot, target: target, jointValues: q, tolerance: tolerance, iterations: 0, solver: .network)
  }
}

extension TargetKind {
  /// The kind of target a robot is asked for: its network's, else the robot's natural one.
  ///
  /// - Parameters:
  ///   - robot: the robot.
  ///   - network: its trained model, or `nil`.
  /// - Returns: the kind the network was trained for, else ``/NeuralIKCore/TargetKind/natural(for:)``.
  public static func expected(robot: RobotModel, network: IKNetwork?) -> TargetKind {
    network?.targetKind ?? natural(for: robot)
  }
}

extension IKNetwork {
  /// The kind of target this network was trained for.
  public var targetKind: TargetKind { encoding.poses ? .pose : .position }

  /// What ranks a proposal `q` for `target`: position error² plus (``rotationWeight`` · rotation
  /// error)², from forward kinematics alone; the weight the network was trained with, since that
  /// is the balance its heads learned.
  func proposalCost(_ q: [Double], robot: RobotModel, target: IKTarget) -> Double {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    let T_base_tip = robot.tipPose(at: q)
    let positionError = (T_base_tip.translation - target.position).length
    let rotation =
      (target.orientation.map { $0.rotation.angle(to: T_base_tip.rotation) } ?? 0) * rotationWeight
    return positionError * positionError + rotation * rotation
  }

  /// The rotation weight (metres per radian) of the FK loss this network was trained with.
  public var rotationWeight: Double { config.rotationWeight ?? PoseResidual.defaultRotationWeight }

  /// - Throws: ``/NeuralIKCore/IKError/wrongTargetKind(expected:got:reason:)`` for a target of the other kind.
  func checkTargetKind(_ target: IKTarget) throws(IKError) {
    guard target.kind == targetKind else {
      throw .wrongTargetKind(
        expected: targetKind, got: target.kind, reason: "this network (trained for '\(robotName)')")
    }
  }
}
