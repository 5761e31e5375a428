import Foundation

/// One configuration the closed form found, with how exactly its subproblems were solved.
public struct ClosedFormBranch: Sendable, Hashable {
  /// The configuration, measured by the robot's own forward kinematics.
  public var solution: Solution
  /// `exact` on a reachable target; `leastSquares` where a subproblem had no exact answer (the
  /// target is out of reach for this branch); `singular` where a joint's angle was free and one
  /// representative was taken.
  public var condition: SubproblemCondition
}
