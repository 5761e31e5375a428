/// How near a configuration is to a singularity of a target's residual, and the joint direction
/// in which it is nearest: the right singular vector of the residual's Jacobian `J` (rows ×
/// joints, rows ≤ joints) for its smallest singular value.
///
/// A redundant arm's reaching configurations meet where `J` loses rank: near such a point
/// several branches of the self-motion pass close to one another, and Newton steps from a start
/// there settle on whichever branch the linear model points to, not always the nearest. The
/// branches part along this direction, so starts moved a little along it either way land on
/// the others (the hybrid's near-start search, in Docs/Solvers.md).
public struct SingularDirection: Sendable, Hashable {
  /// The smallest squared singular value of `J` over the sum of all of them (`‖J‖²` in
  /// Frobenius's norm): 0 at a singularity, at most `1 / rows`.
  public let nearness: Double
  /// The unit joint-space direction (radians or metres per unit) that `J` maps to the shortest
  /// tool motion.
  public let direction: [Double]

  /// The direction of `jacobian` (`rows` × `columns`, row-major); `nil` when the matrix is empty,
  /// has more rows than columns, is not finite, or is singular to rounding (a nearness below
  /// about 1e-15, where the rounding of `J Jᵀ` hides which joint direction is singled out), and
  /// when its nearness is sure to be at least `threshold`.
  ///
  /// - Parameters:
  ///   - jacobian: at least `rows` × `columns` values, row-major (``PoseResidual``'s layout).
  ///   - rows: the residual's rows (3 for a position, 6 for a pose), at most `columns`.
  ///   - columns: the joints.
  ///   - threshold: a caller who only needs directions nearer a singularity than this is
  ///     answered `nil`, at a third of the cost, wherever the bound `nearness ≥ 1 / (‖J‖²
  ///     trace((J Jᵀ)⁻¹))` already rules it out; an answer may still lie at or above it.
  public init?(jacobian: [Double], rows m: Int, columns n: Int, nearerThan threshold: Double = .infinity) {
    guard m >= 1, m <= n, jacobian.count >= m * n, jacobian.prefix(m * n).allSatisfy(\.isFinite) else {
      return nil
    }
    // Inverse iteration on the small Gram matrix G = J Jᵀ (at most 6 × 6), through its Cholesky
    // factor: near a singularity, where the answer matters, the smallest eigenvalue lies far
    // below the next and a few solves find its eigenvector u (a full eigendecomposition by
    // Jacobi rotations cost 4 µs, on every near-start solve).
    var u = [Double](repeating: 0, count: m)
    let found = withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * m * m + m) { buffer -> Bool? in
      buffer.initialize(repeating: 0)
      let (g, l, inverse, x) = (0, m * m, 2 * m * m, 3 * m * m)
      var trace = 0.0
      for i in 0..<m {
        for j in 0...i {
          var sum = 0.0
          for k in 0..<n { sum += jacobian[i * n + k] * jacobian[j * n + k] }
          buffer[g + i * m + j] = sum
          buffer[g + j * m + i] = sum
        }
        trace += buffer[g + i * m + i]
      }
      guard trace > 0, trace.isFinite else { return nil }
      // G = L Lᵀ; a pivot at rounding's level is an exact singularity, where no joint direction
      // is singled out (Jᵀu vanishes).
      for j in 0..<m {
        var diagonal = buffer[g + j * m + j]
        for k in 0..<j { diagonal -= buffer[l + j * m + k] * buffer[l + j * m + k] }
        guard diagonal > 1e-15 * trace else { return nil }
        let pivot = diagonal.squareRoot()
        buffer[l + j * m + j] = pivot
        for i in (j + 1)..<max(j + 1, m) {
          var sum = buffer[g + i * m + j]
          for k in 0..<j { sum -= buffer[l + i * m + k] * buffer[l + j * m + k] }
          buffer[l + i * m + j] = sum / pivot
        }
      }
      // L⁻¹ (lower triangular): G⁻¹ = L⁻ᵀ L⁻¹, so G⁻¹'s diagonal entry k is the squared norm of
      // L⁻¹'s column k, and its trace the sum of them all.
      for j in 0..<m {
        buffer[inverse + j * m + j] = 1 / buffer[l + j * m + j]
        for i in (j + 1)..<max(j + 1, m) {
          var sum = 0.0
          for k in j..<i { sum -= buffer[l + i * m + k] * buffer[inverse + k * m + j] }
          buffer[inverse + i * m + j] = sum / buffer[l + i * m + i]
        }
      }
      var inverseTrace = 0.0
      var start = 0
      var largest = -1.0
      for k in 0..<m {
        var diagonal = 0.0
        for i in k..<m { diagonal += buffer[inverse + i * m + k] * buffer[inverse + i * m + k] }
        inverseTrace += diagonal
        if diagonal > largest {
          largest = diagonal
          start = k
        }
      }
      // The smallest eigenvalue is at least 1 / trace(G⁻¹), the sum of the inverse eigenvalues.
      guard 1 / (trace * inverseTrace) < threshold else { return false }
      // From the unit vector of G⁻¹'s largest diagonal entry, the one the smallest eigenvalue
      // dominates: u ← G⁻¹ u / ‖G⁻¹ u‖ until its Rayleigh quotient settles.
      u[start] = 1
      var previous = Double.infinity
      for _ in 0..<100 {
        // x = L⁻¹ u, then u = L⁻ᵀ x.
        for i in 0..<m {
          var sum = 0.0
          for k in 0...i { sum += buffer[inverse + i * m + k] * u[k] }
          buffer[x + i] = sum
        }
        var length = 0.0
        for i in 0..<m {
          var sum = 0.0
          for k in i..<m { sum += buffer[inverse + k * m + i] * buffer[x + k] }
          u[i] = sum
          length += sum * sum
        }
        length = length.squareRoot()
        guard length > 0, length.isFinite else { return nil }
        var quotient = 0.0
        for i in 0..<m { u[i] /= length }
        for i in 0..<m {
          var row = 0.0
          for k in 0..<m { row += buffer[g + i * m + k] * u[k] }
          quotient += u[i] * row
        }
        if abs(previous - quotient) <= 1e-13 * quotient { break }
        previous = quotient
      }
      return true
    }
    guard let found, found else { return nil }
    var trace = 0.0
    for value in jacobian.prefix(m * n) { trace += value * value }
    // Jᵀu = σ v: v is the joint direction, and the nearness its stretch ‖J v‖² over ‖J‖².
    var direction = [Double](repeating: 0, count: n)
    var length = 0.0
    for k in 0..<n {
      var sum = 0.0
      for i in 0..<m { sum += jacobian[i * n + k] * u[i] }
      direction[k] = sum
      length += sum * sum
    }
    length = length.squareRoot()
    guard length > 1e-12 * trace.squareRoot() else { return nil }
    var stretch = 0.0
    for k in 0..<n { direction[k] /= length }
    for i in 0..<m {
      var sum = 0.0
      for k in 0..<n { sum += jacobian[i * n + k] * direction[k] }
      stretch += sum * sum
    }
    self.direction = direction
    self.nearness = stretch / trace
  }
}
