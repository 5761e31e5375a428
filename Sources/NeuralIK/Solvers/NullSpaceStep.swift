/// For a redundant arm that reaches a target: moves along the family of configurations that reach
/// it, towards a preferred configuration, without leaving the target (to first order).
///
/// The step is `Δ = −N (q − q₀)` with `N = I − Jᵀ(J Jᵀ + λ I)⁻¹ J` the projector onto the
/// Jacobian's null space: the part of `q − q₀` that moves the tool is removed, the rest is undone.
/// A few such steps, each followed by a polish back onto the target, land on the reaching
/// configuration nearest `q₀`, where an anchored least-squares solve with a small weight converges
/// only slowly.
struct NullSpaceStep {
  let residual: PoseResidual
  /// Damping of the small system, for Jacobians that lose rank near a singularity.
  var damping = 1e-9

  /// `q` moved towards `preferred` within the null space, clamped into the limits.
  func step(from q: [Double], towards preferred: [Double], robot: RobotModel) -> [Double] {
    let n = q.count
    let m = residual.count
    var f = [Double](repeating: 0, count: m)
    var jacobian = [Double](repeating: 0, count: m * n)
    var scratch = Jacobian(columns: n)
    residual.evaluate(at: q, residual: &f, jacobian: &jacobian, scratch: &scratch)
    let e = zip(q, preferred).map { $0 - $1 }
    // y = J e (m), then solve (J Jᵀ + λ I) z = y, then Δ = e − Jᵀ z.
    var y = [Double](repeating: 0, count: m)
    for row in 0..<m {
      for column in 0..<n { y[row] += jacobian[row * n + column] * e[column] }
    }
    var a = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
      for j in 0..<m {
        var sum = 0.0
        for column in 0..<n { sum += jacobian[i * n + column] * jacobian[j * n + column] }
        a[i * m + j] = sum + (i == j ? damping : 0)
      }
    }
    guard let z = Self.solveSymmetric(a, y, size: m) else { return q }
    var moved = q
    for column in 0..<n {
      var jz = 0.0
      for row in 0..<m { jz += jacobian[row * n + column] * z[row] }
      moved[column] = q[column] - (e[column] - jz)
    }
    return robot.clampedToLimits(moved)
  }

  /// Solves `A x = b` for a symmetric positive definite `A` (size × size, row-major) by Cholesky;
  /// `nil` when `A` is not positive definite.
  static func solveSymmetric(_ a: [Double], _ b: [Double], size: Int) -> [Double]? {
    var l = [Double](repeating: 0, count: size * size)
    for i in 0..<size {
      for j in 0...i {
        var sum = a[i * size + j]
        for k in 0..<j { sum -= l[i * size + k] * l[j * size + k] }
        if i == j {
          guard sum > 0, sum.isFinite else { return nil }
          l[i * size + i] = sum.squareRoot()
        } else {
          l[i * size + j] = sum / l[j * size + j]
        }
      }
    }
    var y = b
    for i in 0..<size {
      for k in 0..<i { y[i] -= l[i * size + k] * y[k] }
      y[i] /= l[i * size + i]
    }
    var x = y
    for i in stride(from: size - 1, through: 0, by: -1) {
      for k in (i + 1)..<size { x[i] -= l[k * size + i] * x[k] }
      x[i] /= l[i * size + i]
    }
    return x
  }
}
