import Foundation

/// The least-squares problem of one local minimisation, in the unknowns GSL sees: the free
/// joints, each bounded one through `q = middle + halfRange · sin(u)` when reparameterised, and
/// optionally anchored rows `weight · (q − anchor)`.
///
/// One per ``LevenbergMarquardtSolver``, set up again for each minimisation, so that the
/// callbacks allocate nothing. Every residual evaluation also computes the Jacobian and keeps it:
/// GSL asks for the Jacobian at the point whose residual it has just accepted, which is then a
/// copy instead of a second pass of forward kinematics.
package final class JointSpaceProblem: LeastSquaresProblem {
  private let robot: RobotModel
  private var residual: PoseResidual?
  /// Indices of the free joints, in unknown order; `freeCount` of them are in use.
  private var free: [Int]
  private var freeCount = 0
  private var reparameterized: [Bool]
  private var middle: [Double]
  private var halfRange: [Double]
  private var anchor: LevenbergMarquardtSolver.Anchor?
  private var configuration: [Double]
  private var values: [Double]
  private var jacobian: [Double]
  private var scratch: Jacobian
  /// The unknowns at which `values` and `jacobian` were computed, when `cached`.
  private var cachedAt: [Double]
  private var cached = false

  package init(robot: RobotModel) {
    let n = robot.degreesOfFreedom
    self.robot = robot
    free = Array(repeating: 0, count: n)
    reparameterized = Array(repeating: false, count: n)
    middle = Array(repeating: 0, count: n)
    halfRange = Array(repeating: 0, count: n)
    configuration = Array(repeating: 0, count: n)
    values = Array(repeating: 0, count: 6)
    jacobian = Array(repeating: 0, count: 6 * n)
    scratch = Jacobian(columns: n)
    cachedAt = Array(repeating: 0, count: n)
  }

  /// Residual rows GSL sees: the target's, or as many as unknowns for a redundant arm (zero rows
  /// added; the Levenberg–Marquardt damping keeps the step well-posed), or the target's plus one
  /// anchor row per unknown.
  package var rowCount: Int {
    let rows = residual?.count ?? 0
    return anchor == nil ? max(rows, freeCount) : rows + freeCount
  }

  package var unknownCount: Int { freeCount }

  /// Sets up a minimisation from `q` over the joints not `pinned`; returns the starting unknowns.
  package func prepare(
    _ residual: PoseResidual, q: [Double], pinned: [Bool], reparameterize: Bool,
    anchor: LevenbergMarquardtSolver.Anchor?
  ) -> [Double] {
    self.residual = residual
    self.anchor = anchor
    cached = false
    freeCount = 0
    var initial: [Double] = []
    initial.reserveCapacity(q.count)
    for (index, joint) in robot.movableJoints.enumerated() where !pinned[index] {
      free[freeCount] = index
      configuration[index] = q[index]
      if reparameterize, let limits = joint.limits {
        reparameterized[freeCount] = true
        middle[freeCount] = limits.middle
        halfRange[freeCount] = limits.range / 2
        // Start inside by 0.1% of the half range: at ±1 the map has zero slope, and a start on a
        // limit is often also a singular configuration (a stretched arm), where the gradient of
        // every joint-space method vanishes and no local solver could move.
        initial.append(asin(min(1 - 1e-3, max(-1 + 1e-3, (q[index] - limits.middle) / (limits.range / 2)))))
      } else {
        reparameterized[freeCount] = false
        initial.append(q[index])
      }
      freeCount += 1
    }
    for index in q.indices where pinned[index] { configuration[index] = q[index] }
    return initial
  }

  /// Writes the joint values of the unknowns `u` into `q` (bounded joints clamped into their
  /// limits against rounding).
  package func write(_ u: [Double], into q: inout [Double]) {
    for k in 0..<freeCount {
      let index = free[k]
      if reparameterized[k] {
        let value = middle[k] + halfRange[k] * sin(u[k])
        q[index] = robot.movableJoints[index].limits.map { $0.clamp(value) } ?? value
      } else {
        q[index] = u[k]
      }
    }
  }

  package func evaluate(
    _ u: UnsafeBufferPointer<Double>, _ f: UnsafeMutableBufferPointer<Double>,
    _ jacobianOut: UnsafeMutableBufferPointer<Double>?
  ) {
    // Called through the optional in place: binding it to a local would copy the residual and
    // retain every array of its robot on each callback.
    let rows = residual?.count ?? 0
    let p = freeCount
    if !isCached(u) {
      for k in 0..<p {
        configuration[free[k]] = reparameterized[k] ? middle[k] + halfRange[k] * sin(u[k]) : u[k]
      }
      residual?.evaluate(at: configuration, residual: &values, jacobian: &jacobian, scratch: &scratch)
      for k in 0..<p { cachedAt[k] = u[k] }
      cached = true
    }
    let n = f.count
    for row in 0..<n { f[row] = row < rows ? values[row] : 0 }
    if let anchor {
      for k in 0..<p {
        f[rows + k] = anchor.weight * (configuration[free[k]] - anchor.configuration[free[k]])
      }
    }
    guard let jacobianOut else { return }
    let dof = robot.degreesOfFreedom
    for index in (rows * p)..<(n * p) { jacobianOut[index] = 0 }
    for k in 0..<p {
      let slope = reparameterized[k] ? halfRange[k] * cos(u[k]) : 1
      let column = free[k]
      for row in 0..<rows { jacobianOut[row * p + k] = jacobian[row * dof + column] * slope }
      if let anchor { jacobianOut[(rows + k) * p + k] = anchor.weight * slope }
    }
  }

  private func isCached(_ u: UnsafeBufferPointer<Double>) -> Bool {
    guard cached else { return false }
    for k in 0..<freeCount where cachedAt[k] != u[k] { return false }
    return true
  }
}
