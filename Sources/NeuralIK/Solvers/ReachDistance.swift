/// The distance from a target to the robot's reach: exact with the closed form where the robot
/// has one, else the best of the default `lm` solve (middle start and seeded restarts).
public struct ReachDistance {
  public let robot: RobotModel
  private let solver: Solver

  /// - Throws: ``SolverSpecificationError`` only if the default specification were out of range.
  public init(robot: RobotModel) throws(SolverSpecificationError) {
    self.robot = robot
    let kind = SolverFactory.availableKinds(for: robot, network: nil).first ?? .levenbergMarquardt
    self.solver = try SolverFactory.make(robot: robot, specification: .default(kind))
  }

  /// Metres from `target` to the closest reachable point (position targets).
  public func distance(_ target: IKTarget) throws(IKError) -> Double {
    try solver.solve(target).best.positionError
  }

  /// The balance of a target set over distance bands.
  public func balance(of targets: [IKTarget]) throws(IKError) -> BalanceReport {
    do {
      return try BalanceReport(targets: targets) { try distance($0) }
    } catch let error as IKError {
      throw error
    } catch {
      throw .numerical("\(error)")
    }
  }
}
