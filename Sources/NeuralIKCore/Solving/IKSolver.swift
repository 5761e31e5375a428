/// An inverse-kinematics solver for one robot.
///
/// Every solver returns joint values within the limits. For a target out of reach it returns its
/// closest reachable configuration with ``Solution/reachable`` set to `false`, never an error.
public protocol IKSolver {
  /// The robot this solver solves for.
  var robot: RobotModel { get }

  /// Solves for `target`, starting from (or, for closed form, preferring solutions near)
  /// `initialGuess`.
  ///
  /// - Parameters:
  ///   - target: what the tool should reach, metres in the base frame.
  ///   - initialGuess: one value per movable joint, radians or metres.
  /// - Returns: a solution inside the limits; out of reach, the closest reachable configuration
  ///   found, with ``Solution/reachable`` `false`.
  /// - Throws: ``IKError`` for a target or guess of the wrong size or with non-finite values, or a
  ///   target the solver does not support.
  func solve(_ target: IKTarget, from initialGuess: [Double]) throws(IKError) -> Solution
}
