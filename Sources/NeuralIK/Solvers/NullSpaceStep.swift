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

  /// Solves `A x = b` for a symmetric positive definite `A` (size × size, row-major; its lower
  /// triangle is read) by Cholesky; `nil` when `A` is not positive definite.
  static func solveSymmetric(_ a: [Double], _ b: [Double], size: Int) -> [Double]? {
    var factor = a
    var x = b
    return choleskySolve(&factor, &x, size: size) ? x : nil
  }
}

/// Solves `A x = b` in place by Cholesky: `a` holds `A` (`size` × `size`, row-major; its lower
/// triangle is read, then overwritten by the factor) and `b` becomes `x`. `false` when `A` is not
/// positive definite. Allocates nothing, for the near-start steps.
func choleskySolve(_ a: inout [Double], _ b: inout [Double], size: Int) -> Bool {
  precondition(size >= 0 && a.count >= size * size && b.count >= size, "choleskySolve: buffers too small")
  // Through the buffers once: element writes to the arrays themselves check their uniqueness and
  // bounds each time, which cost the near-start steps more than the arithmetic.
  return a.withUnsafeMutableBufferPointer { a in
    b.withUnsafeMutableBufferPointer { b in
      for i in 0..<size {
        for j in 0...i {
          var sum = a[i * size + j]
          for p in 0..<j { sum -= a[i * size + p] * a[j * size + p] }
          if i == j {
            guard sum > 0, sum.isFinite else { return false }
            a[i * size + i] = sum.squareRoot()
          } else {
            a[i * size + j] = sum / a[j * size + j]
          }
        }
      }
      for i in 0..<size {
        for p in 0..<i { b[i] -= a[i * size + p] * b[p] }
        b[i] /= a[i * size + i]
      }
      for i in stride(from: size - 1, through: 0, by: -1) {
        for p in (i + 1)..<size { b[i] -= a[p * size + i] * b[p] }
        b[i] /= a[i * size + i]
      }
      return true
    }
  }
}
