/// Full Newton steps on ½‖f‖² for a local solve that ended out of reach.
///
/// Out of reach the residual stays large, and Gauss–Newton's curvature model `JᵀJ` leaves out the
/// term `Σ rᵢ ∇²fᵢ`, which then dominates: near a flat closest point (a target almost on the
/// first joint's axis) Levenberg–Marquardt crawls and stops early. This adds that term, by
/// central differences of the analytic Jacobian, and takes damped Newton steps on the joints not
/// held at a limit, clamped into the limits, each accepted only when it lowers the cost.
struct NewtonPolish {
  let robot: RobotModel
  let residual: PoseResidual

  /// Newton steps a start gets out of reach unless its budget is smaller.
  static let defaultIterations = 30

  func polish(_ start: [Double], iterations: Int = defaultIterations) -> (q: [Double], iterations: Int) {
    let n = robot.degreesOfFreedom
    let rows = residual.count
    var q = start
    var f = [Double](repeating: 0, count: rows)
    var jacobian = [Double](repeating: 0, count: rows * n)
    var scratch = Jacobian(columns: n)
    var cost = self.cost(q, &f)
    var damping = 1e-9
    var used = 0
    for _ in 0..<iterations {
      used += 1
      residual.evaluate(at: q, residual: &f, jacobian: &jacobian, scratch: &scratch)
      var gradient = [Double](repeating: 0, count: n)
      var hessian = [Double](repeating: 0, count: n * n)
      for a in 0..<n {
        for row in 0..<rows { gradient[a] += jacobian[row * n + a] * f[row] }
        for b in 0..<n {
          for row in 0..<rows { hessian[a * n + b] += jacobian[row * n + a] * jacobian[row * n + b] }
        }
      }
      // Σ rᵢ ∂Jᵢₐ/∂q_b by central differences of the analytic Jacobian.
      let h = 1e-6
      var plusF = f
      var minusF = f
      var plusJ = jacobian
      var minusJ = jacobian
      for b in 0..<n {
        var qp = q
        var qm = q
        qp[b] += h
        qm[b] -= h
        residual.evaluate(at: qp, residual: &plusF, jacobian: &plusJ, scratch: &scratch)
        residual.evaluate(at: qm, residual: &minusF, jacobian: &minusJ, scratch: &scratch)
        for a in 0..<n {
          var term = 0.0
          for row in 0..<rows { term += f[row] * (plusJ[row * n + a] - minusJ[row * n + a]) / (2 * h) }
          hessian[a * n + b] += term
        }
      }
      // Joints on a limit with the gradient pushing outwards stay there.
      let free = (0..<n).filter { index in
        guard let limits = robot.movableJoints[index].limits else { return true }
        if q[index] <= limits.lower && gradient[index] > 0 { return false }
        if q[index] >= limits.upper && gradient[index] < 0 { return false }
        return true
      }
      guard !free.isEmpty else { break }
      var improved = false
      for _ in 0..<12 {
        guard let step = solve(hessian: hessian, gradient: gradient, free: free, n: n, damping: damping)
        else {
          damping = max(damping * 10, 1e-9)
          continue
        }
        var candidate = q
        for (k, index) in free.enumerated() { candidate[index] -= step[k] }
        candidate = robot.clampedToLimits(candidate)
        let candidateCost = self.cost(candidate, &f)
        if candidateCost < cost {
          let moved = zip(candidate, q).map { abs($0 - $1) }.max() ?? 0
          q = candidate
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

  /// Solves `(H_ff + λ·diag) Δ = g_f` by Cholesky; `nil` when not positive definite.
  private func solve(hessian: [Double], gradient: [Double], free: [Int], n: Int, damping: Double) -> [Double]?
  {
    let m = free.count
    var a = [Double](repeating: 0, count: m * m)
    for (i, row) in free.enumerated() {
      for (j, column) in free.enumerated() { a[i * m + j] = hessian[row * n + column] }
      a[i * m + i] += damping * max(1, abs(hessian[row * n + row]))
    }
    // In-place Cholesky: a = L Lᵀ.
    for j in 0..<m {
      var diagonal = a[j * m + j]
      for k in 0..<j { diagonal -= a[j * m + k] * a[j * m + k] }
      guard diagonal > 0 else { return nil }
      a[j * m + j] = diagonal.squareRoot()
      for i in (j + 1)..<max(j + 1, m) {
        var value = a[i * m + j]
        for k in 0..<j { value -= a[i * m + k] * a[j * m + k] }
        a[i * m + j] = value / a[j * m + j]
      }
    }
    var y = free.map { gradient[$0] }
    for i in 0..<m {
      for k in 0..<i { y[i] -= a[i * m + k] * y[k] }
      y[i] /= a[i * m + i]
    }
    for i in stride(from: m - 1, through: 0, by: -1) {
      for k in (i + 1)..<max(i + 1, m) { y[i] -= a[k * m + i] * y[k] }
      y[i] /= a[i * m + i]
    }
    return y
  }
}
