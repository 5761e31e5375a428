import Foundation

/// The closed-form solver for planar 2-link arms and for a yaw joint carrying one or two pitch
/// links (the seed arm, the 3-DoF arm): exact, every solution branch, position targets.
///
/// For a reachable target it returns every configuration within the limits that reaches it. For a
/// target out of reach it returns every configuration whose tip is the closest reachable point,
/// with the limits taken into account: the answer lies on a joint-limit or singular arc, and the
/// solver enumerates each such arc's stationary points in closed form (see `Docs/Solvers.md`).
public struct AnalyticSolver: IKSolver, Sendable {
  public let robot: RobotModel
  /// When a solution counts as reaching its target.
  public var tolerance: ReachTolerance
  let model: ClosedFormModel

  /// Builds the solver, checking that the robot has a geometry it can solve exactly.
  ///
  /// - Throws: ``IKError/noClosedForm(robot:reason:)`` for any other robot, saying which solver to use.
  package init(robot: RobotModel, tolerance: ReachTolerance = .exact) throws(IKError) {
    self.robot = robot
    self.tolerance = tolerance
    self.model = try ClosedFormModel(robot: robot)
  }

  /// The best solution: of the closest configurations, the one nearest `initialGuess`.
  ///
  /// - Parameters:
  ///   - target: a position target, metres in the base frame.
  ///   - initialGuess: one value per movable joint: where the robot is.
  /// - Returns: the solution of ``allSolutions(for:)`` nearest `initialGuess` in joint space.
  /// - Throws: ``IKError`` for a guess of the wrong size or with non-finite values, or a pose or
  ///   axis target.
  public func solve(_ target: IKTarget, from initialGuess: [Double]) throws(IKError) -> Solution {
    try robot.checkConfiguration(initialGuess)
    let all = try allSolutions(for: target)
    guard
      let nearest = all.min(by: {
        distance($0.jointValues, initialGuess) < distance($1.jointValues, initialGuess)
      })
    else { throw .numerical("closed-form solver found no candidate for robot '\(robot.name)'") }
    return nearest
  }

  /// Every solution: all configurations within the limits that reach the target, or, out of
  /// reach, all configurations whose tip is the closest reachable point. Never empty.
  ///
  /// Where the solutions form a continuum (a target on the yaw axis), returns representatives.
  ///
  /// - Parameter target: a position target, metres in the base frame.
  /// - Returns: every branch, each inside the limits and measured by the robot's own forward
  ///   kinematics.
  /// - Throws: ``IKError/wrongTargetKind(expected:got:reason:)`` for a pose or axis target.
  public func allSolutions(for target: IKTarget) throws(IKError) -> [Solution] {
    guard target.kind == .position else {
      throw .wrongTargetKind(
        expected: .position, got: target.kind,
        reason:
          "the closed-form solver of '\(robot.name)' (\(robot.degreesOfFreedom) joints, which cannot set an orientation; the 'lm' solver finds its closest pose)"
      )
    }
    var best: [(q: [Double], error: Double)] = []
    var bestError = Double.infinity
    for q in candidates(for: target.position) {
      let error = (robot.tipPosition(at: q) - target.position).length
      // Candidates agree to rounding when they tie; 1e-9 m separates ties from near misses.
      if error < bestError - 1e-9 {
        best = best.filter { $0.error <= error + 1e-9 }
        bestError = error
      }
      if error <= bestError + 1e-9 { best.append((q, error)) }
    }
    best = best.filter { $0.error <= bestError + 1e-9 }
    var distinct: [[Double]] = []
    for (q, _) in best where !distinct.contains(where: { distance($0, q) < 1e-7 }) {
      distinct.append(q)
    }
    return distinct.map {
      Solution(
        robot: robot, target: target, jointValues: $0, tolerance: tolerance, iterations: 0,
        solver: .analytic)
    }
  }

  private func candidates(for position: Vector3) -> [[Double]] {
    switch model {
    case .planar(let origin, let e1, let e2, let chain):
      let point = Point2((position - origin).dot(e1), (position - origin).dot(e2))
      return chain.candidates(attractors: [point], kinkAtAxis: false)
    case .yawPlanar(let yaw, let shoulder, let up, let e1, let e2, let chain):
      let v = position - shoulder
      let height = v.dot(up)
      let radial = Point2(v.dot(e1), v.dot(e2))
      let rho = (radial * radial).sum().squareRoot()
      let heading = atan2(radial.y, radial.x)
      // The chain's plane faces the target (front) or turns its back to it (behind); with the
      // yaw limits, each side gets the nearest allowed yaw and the cosine of its remaining gap.
      let front = yaw.nearestValues(toAngle: heading)
      let behind = yaw.nearestValues(toAngle: heading + .pi)
      let attractors = [
        Point2(rho * front.cosineOfGap, height), Point2(-rho * behind.cosineOfGap, height),
        Point2(0, height),
      ]
      let yawValues = front.values + behind.values
      return chain.candidates(attractors: attractors, kinkAtAxis: true).flatMap { planar in
        yawValues.map { [$0] + planar }
      }
    }
  }

  private func distance(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
  }
}
