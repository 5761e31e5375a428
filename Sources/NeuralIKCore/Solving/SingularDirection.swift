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
  /// has more rows than columns, is not finite, or is exactly singular (no joint direction is
  /// singled out then).
  ///
  /// - Parameters:
  ///   - jacobian: at least `rows` × `columns` values, row-major (``PoseResidual``'s layout).
  ///   - rows: the residual's rows (3 for a position, 6 for a pose), at most `columns`.
  ///   - columns: the joints.
  public init?(jacobian: [Double], rows m: Int, columns n: Int) {
    guard m >= 1, m <= n, jacobian.count >= m * n, jacobian.prefix(m * n).allSatisfy(\.isFinite) else {
      return nil
    }
    // The eigenpairs of the small Gram matrix J Jᵀ (at most 6 × 6) by cyclic Jacobi rotations:
    // robust and exact to rounding at this size, where an iterative smallest-eigenvalue method
    // would need a start vector that is not orthogonal to the answer.
    var gram = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
      for j in i..<m {
        var sum = 0.0
        for k in 0..<n { sum += jacobian[i * n + k] * jacobian[j * n + k] }
        gram[i * m + j] = sum
        gram[j * m + i] = sum
      }
    }
    var trace = 0.0
    for i in 0..<m { trace += gram[i * m + i] }
    guard trace > 0 else { return nil }
    var vectors = [Double](repeating: 0, count: m * m)
    for i in 0..<m { vectors[i * m + i] = 1 }
    Self.diagonalize(&gram, vectors: &vectors, size: m)
    var smallest = 0
    for i in 1..<m where gram[i * m + i] < gram[smallest * m + smallest] { smallest = i }
    // Jᵀu = σ v for the left singular vector u: v is the joint direction.
    var direction = [Double](repeating: 0, count: n)
    for k in 0..<n {
      var sum = 0.0
      for i in 0..<m { sum += jacobian[i * n + k] * vectors[i * m + smallest] }
      direction[k] = sum
    }
    var length = 0.0
    for value in direction { length += value * value }
    length = length.squareRoot()
    guard length > 1e-12 * trace.squareRoot() else { return nil }
    self.direction = direction.map { $0 / length }
    self.nearness = max(0, gram[smallest * m + smallest]) / trace
  }

  /// Cyclic Jacobi: `a` (symmetric, `size` × `size`) becomes diagonal (its eigenvalues), and the
  /// columns of `vectors` (the identity on entry) its eigenvectors.
  private static func diagonalize(_ a: inout [Double], vectors v: inout [Double], size n: Int) {
    for _ in 0..<32 {
      var off = 0.0
      var scale = 0.0
      for p in 0..<n {
        scale += a[p * n + p] * a[p * n + p]
        for q in (p + 1)..<max(p + 1, n) { off += a[p * n + q] * a[p * n + q] }
      }
      if off <= 1e-30 * scale { return }
      for p in 0..<n {
        for q in (p + 1)..<max(p + 1, n) where a[p * n + q] != 0 {
          let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
          let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
          let c = 1 / (t * t + 1).squareRoot()
          let s = t * c
          for k in 0..<n {
            let (kp, kq) = (a[k * n + p], a[k * n + q])
            a[k * n + p] = c * kp - s * kq
            a[k * n + q] = s * kp + c * kq
          }
          for k in 0..<n {
            let (pk, qk) = (a[p * n + k], a[q * n + k])
            a[p * n + k] = c * pk - s * qk
            a[q * n + k] = s * pk + c * qk
          }
          for k in 0..<n {
            let (kp, kq) = (v[k * n + p], v[k * n + q])
            v[k * n + p] = c * kp - s * kq
            v[k * n + q] = s * kp + c * kq
          }
        }
      }
    }
  }
}
