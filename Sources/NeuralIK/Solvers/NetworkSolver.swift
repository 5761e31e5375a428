/// The learned network alone: every head proposes a configuration, and the one whose forward
/// kinematics lands closest to the target is the answer. Inside the limits by construction;
/// ``Solution/reachable`` only when that proposal is already within tolerance.
public final class NetworkSolver: IKSolver {
  public let robot: RobotModel
  public let network: IKNetwork
  public var tolerance: ReachTolerance
  private let workspace = MLPWorkspace()

  /// - Throws: ``ModelFileError/wrongRobot(expected:found:)`` when the network is for another robot.
  public init(robot: RobotModel, network: IKNetwork, tolerance: ReachTolerance = .exact)
    throws(ModelFileError)
  {
    try network.check(belongsTo: robot)
    self.robot = robot
    self.network = network
    self.tolerance = tolerance
  }

  /// The best head's proposal; `initialGuess` is only checked, the network needs none.
  public func solve(_ target: IKTarget, from initialGuess: [Double]) throws(IKError) -> Solution {
    try robot.checkConfiguration(initialGuess)
    try checkTargetKind(target)
    return Self.bestProposals(
      network: network, robot: robot, targets: [target], workspace: workspace, tolerance: tolerance)[0]
  }

  /// Every head's proposal as a solution, best first.
  public func proposals(for target: IKTarget) throws(IKError) -> [Solution] {
    try rankedProposals(for: target).map {
      Solution(
        robot: robot, target: target, jointValues: $0, tolerance: tolerance, iterations: 0, solver: .network)
    }
  }

  /// Every head's configuration, best first: the hybrid's starts. Ranks by forward kinematics
  /// alone, building no ``Solution`` for the dozens of proposals a redundant arm has.
  func rankedProposals(for target: IKTarget) throws(IKError) -> [[Double]] {
    try checkTargetKind(target)
    return Self.ranked(
      network.proposals(for: [target], workspace: workspace)[0], robot: robot, target: target)
  }

  /// Batched: the best proposal for each target from one forward pass.
  public static func bestProposals(
    network: IKNetwork, robot: RobotModel, targets: [IKTarget], workspace: MLPWorkspace,
    tolerance: ReachTolerance = .exact
  ) -> [Solution] {
    let proposals = network.proposals(for: targets, workspace: workspace)
    return zip(targets, proposals).map { target, heads in
      let best = heads.min {
        cost($0, robot: robot, target: target) < cost($1, robot: robot, target: target)
      }!
      return Solution(
        robot: robot, target: target, jointValues: best, tolerance: tolerance, iterations: 0, solver: .network
      )
    }
  }

  static func ranked(_ proposals: [[Double]], robot: RobotModel, target: IKTarget) -> [[Double]] {
    proposals.map { (q: $0, cost: cost($0, robot: robot, target: target)) }.sorted { $0.cost < $1.cost }.map(
      \.q)
  }

  /// ``cost(_:)`` of configuration `q` for `target`, from forward kinematics alone.
  static func cost(_ q: [Double], robot: RobotModel, target: IKTarget) -> Double {
    let T_base_tip = robot.tipPose(at: q)
    let positionError = (T_base_tip.translation - target.position).length
    let rotation =
      (target.orientation.map { $0.rotation.angle(to: T_base_tip.rotation) } ?? 0)
      * PoseResidual.defaultRotationWeight
    return positionError * positionError + rotation * rotation
  }

  private func checkTargetKind(_ target: IKTarget) throws(IKError) {
    guard target.hasOrientation == network.encoding.poses else {
      throw .unsupported(
        network.encoding.poses
          ? "this network was trained for pose targets (x, y, z, qw, qx, qy, qz); give an orientation"
          : "this network was trained for position targets (x, y, z); it cannot set an orientation")
    }
  }

  static func cost(_ solution: Solution) -> Double {
    let rotation = (solution.rotationError ?? 0) * PoseResidual.defaultRotationWeight
    return solution.positionError * solution.positionError + rotation * rotation
  }
}
