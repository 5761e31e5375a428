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
  /// Frobenius's norm): 0 at a singularity, at most `1 / rows`. It mixes the residual's units
  /// (metres, and radians weighted into metres), as its Jacobian does.
  public let nearness: Double
  /// The unit joint-space direction (radians or metres per unit) that `J` maps to the shortest
  /// tool motion among the directions normal to the self-motion (`J`'s row space; the
  /// self-motion's own directions move the tool not at all).
  public let direction: [Double]

  /// What a Jacobian says of the singularity nearest it.
  public enum Finding: Sendable, Hashable {
    /// Its nearness is sure to be at least the threshold asked about (the bound `nearness ≥
    /// 1 / (‖J‖² trace((J Jᵀ)⁻¹))` rules it out), so the direction was not worked out.
    case notNearerThanThreshold
    /// Singular to rounding: a nearness below about 1e-15, where the rounding of `J Jᵀ` hides
    /// which joint direction is singled out.
    case singular
    /// The direction and its nearness.
    case direction(SingularDirection)
  }

  /// The direction of `jacobian`, or `nil` where ``find(jacobian:rows:columns:nearerThan:)``
  /// finds none (singular to rounding, or ruled out by `threshold`) or the matrix is malformed.
  public init?(jacobian: [Double], rows m: Int, columns n: Int, nearerThan threshold: Double = .infinity) {
    guard
      case .direction(let found)? = Self.find(jacobian: jacobian, rows: m, columns: n, nearerThan: threshold)
    else { return nil }
    self = found
  }

  private init(nearness: Double, direction: [Double]) {
    self.nearness = nearness
    self.direction = direction
  }

  /// The direction of `jacobian` (`rows` × `columns`, row-major) and its nearness; `nil` when the
  /// matrix is empty, has more rows than columns, or is not finite.
  ///
  /// - Parameters:
  ///   - jacobian: at least `rows` × `columns` values, row-major (``PoseResidual``'s layout).
  ///   - rows: the residual's rows (3 for a position, 6 for a pose), at most `columns`.
  ///   - columns: the joints.
  ///   - threshold: a caller who only needs directions nearer a singularity than this is
  ///     answered ``Finding/notNearerThanThreshold``, at a third of the cost, wherever a bound
  ///     already rules it out; a direction found may still lie at or above it.
  public static func find(
    jacobian: [Double], rows: Int, columns: Int, nearerThan threshold: Double = .infinity
  ) -> Finding? {
    let (m, n) = (rows, columns)
    guard m >= 1, m <= n, jacobian.count >= m * n else { return nil }
    // Inverse iteration on the small Gram matrix G = J Jᵀ (at most 6 × 6), through its Cholesky
    // factor: near a singularity, where the answer matters, the smallest eigenvalue lies far
    // below the next and a few solves find its eigenvector u (a full eigendecomposition by
    // Jacobi rotations cost 4 µs, on every near-start solve).
    // trace(G) = ‖J‖²; finite entries can still overflow it.
    // A non-finite entry makes the sum non-finite too: one pass checks both.
    var trace = 0.0
    for index in 0..<(m * n) { trace += jacobian[index] * jacobian[index] }
    guard trace.isFinite else { return nil }
    guard trace > 0 else { return .singular }
    // Made only past the bound: most starts a caller asks about are ruled out by it.
    var u: [Double] = []
    // The closure's answer where it is found there; `nil` goes on to the direction.
    let early = withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * m * m + m) {
      buffer -> Finding? in
      buffer.initialize(repeating: 0)
      let (g, l, inverse, x) = (0, m * m, 2 * m * m, 3 * m * m)
      jacobian.withUnsafeBufferPointer { jacobian in
        for i in 0..<m {
          for j in 0...i {
            var sum = 0.0
            for k in 0..<n { sum += jacobian[i * n + k] * jacobian[j * n + k] }
            buffer[g + i * m + j] = sum
            buffer[g + j * m + i] = sum
          }
        }
      }
      // G = L Lᵀ; a pivot at rounding's level is an exact singularity, where no joint direction
      // is singled out (Jᵀu vanishes).
      for j in 0..<m {
        var diagonal = buffer[g + j * m + j]
        for k in 0..<j { diagonal -= buffer[l + j * m + k] * buffer[l + j * m + k] }
        guard diagonal > 1e-15 * trace else { return .singular }
        let pivot = diagonal.squareRoot()
        buffer[l + j * m + j] = pivot
        for i in (j + 1)..<m {
          var sum = buffer[g + i * m + j]
          for k in 0..<j { sum -= buffer[l + i * m + k] * buffer[l + j * m + k] }
          buffer[l + i * m + j] = sum / pivot
        }
      }
      // L⁻¹ (lower triangular): G⁻¹ = L⁻ᵀ L⁻¹, so G⁻¹'s diagonal entry k is the squared norm of
      // L⁻¹'s column k, and its trace the sum of them all.
      for j in 0..<m {
        buffer[inverse + j * m + j] = 1 / buffer[l + j * m + j]
        for i in (j + 1)..<m {
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
      guard 1 / (trace * inverseTrace) < threshold else { return .notNearerThanThreshold }
      u = [Double](repeating: 0, count: m)
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
        guard length > 0, length.isFinite else { return .singular }
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
      return nil
    }
    if let early { return early }
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
    guard length > 1e-12 * trace.squareRoot() else { return .singular }
    var stretch = 0.0
    for k in 0..<n { direction[k] /= length }
    for i in 0..<m {
      var sum = 0.0
      for k in 0..<n { sum += jacobian[i * n + k] * direction[k] }
      stretch += sum * sum
    }
    return .direction(SingularDirection(nearness: stretch / trace, direction: direction))
  }
}
