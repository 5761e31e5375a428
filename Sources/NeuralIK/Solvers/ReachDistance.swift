/// The distance from a target to the robot's reach: exact with the closed form where the robot
/// has one, else the best of Levenberg–Marquardt from the middle and seeded restarts.
public struct ReachDistance {
  public let robot: RobotModel
  private let analytic: AnalyticSolver?
  private let numeric: LevenbergMarquardtSolver

  public init(robot: RobotModel) {
    self.robot = robot
    self.analytic = try? AnalyticSolver(robot: robot)
    self.numeric = LevenbergMarquardtSolver(
      robot: robot, options: LevenbergMarquardtOptions(randomRestarts: 6))
  }

  /// Metres from `target` to the closest reachable point (position targets).
  public func distance(_ target: IKTarget) throws(IKError) -> Double {
    if let analytic { return try analytic.solve(target, from: robot.middleConfiguration).positionError }
    return try numeric.solve(target, from: robot.middleConfiguration).positionError
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
