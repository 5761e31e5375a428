/// Full Newton steps on ½‖f‖² for a local solve that ended out of reach.
///
/// Out of reach the residual stays large, and Gauss–Newton's curvature model `JᵀJ` leaves out the
/// term `Σ rᵢ ∇²fᵢ`, which then dominates: near a flat closest point (a target almost on the
/// first joint's axis) Levenberg–Marquardt crawls and stops early. This adds that term
/// (analytic, or by differences of the analytic Jacobian for axis targets), and takes damped Newton steps on the joints not
/// held at a limit, clamped into the limits, each accepted only when it lowers the cost.
struct NewtonPolish {
  let robot: RobotModel
  let residual: PoseResidual

  /// Newton steps a start gets out of reach unless its budget is smaller.
  static let defaultIterations = 30

  func polish(_ start: [Double], iterations: Int = defaultIterations) -> (q: [Double], iterations: Int) {
    let n = robot.degreesOfFreedom
    let rows = residual.count
    let joints = robot.movableJoints
    var q = start
    // Every buffer is made once per polish: out of reach it is the hybrid's whole answer, and its
    // iterations should cost their arithmetic only.
    var f = [Double](repeating: 0, count: rows)
    var jacobian = [Double](repeating: 0, count: rows * n)
    var scratch = Jacobian(columns: n)
    var shiftedF = f
    var shiftedJ = jacobian
    var shifted = q
    var candidate = q
    var gradient = [Double](repeating: 0, count: n)
    var hessian = [Double](repeating: 0, count: n * n)
    var free: [Int] = []
    free.reserveCapacity(n)
    var factor = [Double](repeating: 0, count: n * n)
    var step = [Double](repeating: 0, count: n)
    var cost = self.cost(q, &f)
    var damping = 1e-9
    var used = 0
    for _ in 0..<iterations {
      used += 1
      // swift-format-ignore: AlwaysUseLowerCamelCase
      let T_base_tip = residual.evaluate(at: q, residual: &f, jacobian: &jacobian, scratch: &scratch)
      for a in 0..<n {
        var g = 0.0
        for row in 0..<rows { g += jacobian[row * n + a] * f[row] }
        gradient[a] = g
        for b in a..<n {
          var h = 0.0
          for row in 0..<rows { h += jacobian[row * n + a] * jacobian[row * n + b] }
          hessian[a * n + b] = h
          hessian[b * n + a] = h
        }
      }
      // Joints on a limit with the gradient pushing outwards stay there.
      free.removeAll(keepingCapacity: true)
      for index in 0..<n {
        if let limits = joints[index].limits {
          if q[index] <= limits.lower && gradient[index] > 0 { continue }
          if q[index] >= limits.upper && gradient[index] < 0 { continue }
        }
        free.append(index)
      }
      guard !free.isEmpty else { break }
      // Stationary to rounding: a Hessian would only confirm it.
      var residualNorm = 0.0
      for row in 0..<rows { residualNorm += f[row] * f[row] }
      residualNorm = residualNorm.squareRoot()
      let settled = free.allSatisfy { a in
        abs(gradient[a]) <= 1e-13 * residualNorm * hessian[a * n + a].squareRoot()
      }
      if settled { break }
      // Σ rᵢ ∂²rᵢ/∂q_a∂q_b: analytic for position and pose targets
      // (``PoseResidual/secondOrderTerm(residual:geometric:T_base_tip:into:)``), else by forward
      // differences of the analytic Jacobian, one per free joint; made symmetric. The gradient is
      // exact, so where the polish stops does not depend on this term's accuracy, only how fast it
      // gets there.
      let h = 1e-7
      let analytic = residual.secondOrderTerm(
        residual: f, geometric: scratch, T_base_tip: T_base_tip, into: &factor)
      for b in free where !analytic {
        for index in 0..<n { shifted[index] = q[index] }
        shifted[b] += h
        residual.evaluate(at: shifted, residual: &shiftedF, jacobian: &shiftedJ, scratch: &scratch)
        for a in 0..<n {
          var term = 0.0
          for row in 0..<rows { term += f[row] * (shiftedJ[row * n + a] - jacobian[row * n + a]) }
          step[a] = term / h
        }
        // Column b of the second-order term, kept in `step` until the row pass below.
        for a in 0..<n { factor[a * n + b] = step[a] }
      }
      for a in free {
        for b in free { hessian[a * n + b] += 0.5 * (factor[a * n + b] + factor[b * n + a]) }
      }
      var improved = false
      for _ in 0..<12 {
        guard
          solve(
            hessian: hessian, gradient: gradient, free: free, n: n, damping: damping, factor: &factor,
            step: &step)
        else {
          damping = max(damping * 10, 1e-9)
          continue
        }
        // The step's predicted decrease of ½‖f‖² at rounding level: stationary, and every damped
        // retry would only fail again (each one an FK and a factorisation).
        var decrease = 0.0
        for (k, index) in free.enumerated() { decrease += gradient[index] * step[k] }
        if abs(decrease) <= 1e-15 * cost { break }
        for index in 0..<n { candidate[index] = q[index] }
        for (k, index) in free.enumerated() { candidate[index] -= step[k] }
        for (index, joint) in joints.enumerated() {
          if let limits = joint.limits { candidate[index] = limits.clamp(candidate[index]) }
        }
        let candidateCost = self.cost(candidate, &f)
        if candidateCost < cost {
          var moved = 0.0
          for index in 0..<n { moved = max(moved, abs(candidate[index] - q[index])) }
          swap(&q, &candidate)
          cost = candidateCost
          damping = max(damping / 10, 1e-12)
          improved = moved > 1e-13
          break
        }
        damping = max(damping * 10, 1e-9)
      }
      if !improved { break }
    }
    return (q, used)
  }

  private func cost(_ q: [Double], _ f: inout [Double]) -> Double {
    residual.evaluate(at: q, into: &f)
    return f.reduce(0) { $0 + $1 * $1 }
  }

  /// Solves `(H_ff + λ·diag) Δ = g_f` by Cholesky into the first `free.count` entries of `step`,
  /// with `factor` as working storage; `false` when not positive definite.
  private func solve(
    hessian: [Double], gradient: [Double], free: [Int], n: Int, damping: Double, factor a: inout [Double],
    step y: inout [Double]
  ) -> Bool {
    let m = free.count
    for (i, row) in free.enumerated() {
      for (j, column) in free.enumerated() { a[i * m + j] = hessian[row * n + column] }
      a[i * m + i] += damping * max(1, abs(hessian[row * n + row]))
    }
    // In-place Cholesky: a = L Lᵀ.
    for j in 0..<m {
      var diagonal = a[j * m + j]
      for k in 0..<j { diagonal -= a[j * m + k] * a[j * m + k] }
      guard diagonal > 0 else { return false }
      a[j * m + j] = diagonal.squareRoot()
      for i in (j + 1)..<max(j + 1, m) {
        var value = a[i * m + j]
        for k in 0..<j { value -= a[i * m + k] * a[j * m + k] }
        a[i * m + j] = value / a[j * m + j]
      }
    }
    for (i, index) in free.enumerated() { y[i] = gradient[index] }
    for i in 0..<m {
      for k in 0..<i { y[i] -= a[i * m + k] * y[k] }
      y[i] /= a[i * m + i]
    }
    for i in stride(from: m - 1, through: 0, by: -1) {
      for k in (i + 1)..<max(i + 1, m) { y[i] -= a[k * m + i] * y[k] }
      y[i] /= a[i * m + i]
    }
    return true
  }
}
