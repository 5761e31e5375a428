/// What an answer says of its target: reached, or what its miss means. `reachable: false` alone
/// does not tell a target proved out of reach from one a local search missed, which more restarts
/// may reach; a script choosing what to do next needs to.
public enum ReachVerdict: String, Codable, Sendable, Hashable, CaseIterable {
  /// Within the specification's tolerance.
  case reachable
  /// Within a millimetre (on a robot whose reach is under a metre, a thousandth of it) and
  /// 0.01 rad, but not within the tolerance: out of reach by that little, or a search that stopped
  /// short (near a singularity it crawls).
  case notReachedToTolerance = "not_reached_to_tolerance"
  /// Missed, and the miss proves the target out of reach (``Solver/missProvesOutOfReach(_:)``):
  /// the answer is the closest configuration found.
  case outOfReach = "out_of_reach"
  /// Missed by a search that can miss a reachable target (a local search from starts, or a closed
  /// form at sampled values of its free joint): the target may be reachable.
  case noSolutionFound = "no_solution_found"

  /// Position error (metres) within which a miss counts as ``notReachedToTolerance``, on a robot
  /// whose reach is a metre or more; a smaller one's is a thousandth of its reach
  /// (``nearMissBand(for:)``).
  public static let nearMissPosition = 1e-3
  /// Rotation error (radians) within which a miss counts as ``notReachedToTolerance``.
  public static let nearMissRotation = 1e-2

  /// The position error (metres) within which a miss of `robot` counts as
  /// ``notReachedToTolerance``: ``nearMissPosition``, or a thousandth of the robot's reach
  /// (``/NeuralIKCore/RobotModel/reachSphere``) where that is less. A millimetre is a hair on a
  /// metre-sized arm, and most of the reach of a millimetre-sized one.
  ///
  /// - Parameter robot: the robot the miss is of.
  /// - Returns: metres.
  public static func nearMissBand(for robot: RobotModel) -> Double {
    nearMissBand(reachRadius: robot.reachSphere.radius)
  }

  /// ``nearMissBand(for:)`` of a robot whose reach sphere has `reachRadius` (metres).
  static func nearMissBand(reachRadius: Double) -> Double { min(nearMissPosition, 1e-3 * reachRadius) }
}

extension Solver {
  /// The verdict on `solution`, this solver's answer for `target`.
  ///
  /// - Parameters:
  ///   - solution: an answer of this solver for `target`.
  ///   - target: the target it answers.
  /// - Returns: reached; missed by a hair; missed and proved out of reach; or missed.
  public func verdict(on solution: Solution, for target: IKTarget) -> ReachVerdict {
    if solution.reachable { return .reachable }
    if solution.positionError <= ReachVerdict.nearMissBand(reachRadius: reachSphere.radius)
      && (solution.rotationError ?? 0) <= ReachVerdict.nearMissRotation
    {
      return .notReachedToTolerance
    }
    return missProvesOutOfReach(target) ? .outOfReach : .noSolutionFound
  }
}
