/// The distance from a target to the robot's reach: exact with the closed form where the robot
/// has one, else the best of an `lm` solve (middle start and seeded restarts, as many as asked).
public struct ReachDistance {
  /// The robot whose reach is measured.
  public let robot: RobotModel
  private let solver: Solver
  /// The widest search asked of `lm`: 6,500 starts and 200,000 iterations a target.
  public static let largestSearchFactor = 100

  /// The distance for `robot`: its closed form when it has one, else `lm`.
  ///
  /// - Parameters:
  ///   - robot: the robot whose reach is measured.
  ///   - searchFactor: without a closed form, `lm`'s restarts and iteration budget are its
  ///     defaults times this: a reference that a benchmark's default `lm` row is measured against
  ///     must search wider than that row, or the row meets it by construction. At most
  ///     ``largestSearchFactor``.
  /// - Throws: ``SolverSpecificationError`` only if the specification were out of range.
  public init(robot: RobotModel, searchFactor: Int = 1) throws(SolverSpecificationError) {
    self.robot = robot
    // Positions only: a closed form of poses has nothing to say of them.
    let kind: SolverKind =
      SolverFactory.availableKinds(for: robot, network: nil).first == .analytic
      ? .analytic : .levenbergMarquardt
    var specification = SolverSpecification.default(kind)
    let factor = min(max(1, searchFactor), Self.largestSearchFactor)
    specification.randomRestarts = (specification.randomRestarts + 1) * factor - 1
    specification.iterationBudget *= factor
    self.solver = try SolverFactory.make(robot: robot, specification: specification)
  }

  /// Metres from `target`'s position to the closest reachable point: a pose target's orientation
  /// is left out (a two-joint arm's closed form, which sets none, refused a pose model's training
  /// set).
  ///
  /// - Parameter target: a target, metres in the base frame.
  /// - Returns: 0 (to the tolerance) for a reachable target; else the distance to the closest
  ///   reachable point, exact with the closed form, the best found by `lm` otherwise.
  /// - Throws: ``/NeuralIKCore/IKError`` for a target the solver does not take, or a numerical
  ///   failure.
  public func distance(_ target: IKTarget) throws(IKError) -> Double {
    try solver.solve(target.kind == .position ? target : IKTarget(position: target.position)).best
      .positionError
  }

  /// The balance of a target set over distance bands.
  ///
  /// - Parameter targets: position targets.
  /// - Returns: how many targets fall in each band of ``BalanceReport/bandNames``.
  /// - Throws: ``/NeuralIKCore/IKError`` as ``distance(_:)`` does, for the first target that fails.
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
