extension RobotModel {
  /// Yoshikawa's manipulability at `jointValues`: the volume of the ellipsoid of tool velocities
  /// that unit joint velocities reach, the product of the Jacobian's singular values. Zero at a
  /// singularity; larger is farther from one.
  ///
  /// - Parameters:
  ///   - jointValues: one value per movable joint (radians or metres).
  ///   - rows: 6 for the whole geometric Jacobian (linear in m/s, angular in rad/s, as the
  ///     literature mixes them), 3 for its linear rows only (arms asked for positions).
  /// - Returns: `√det(J Jᵀ)` when `J` has no more rows than columns, else `√det(Jᵀ J)` (the
  ///   volume the joints span); never negative.
  public func manipulability(at jointValues: [Double], rows: Int) -> Double {
    let matrix = jacobian(at: jointValues)
    let columns = matrix.columns
    let m = max(1, min(6, rows))
    // The Gram matrix of the smaller side: its determinant is the product of the squared
    // singular values either way.
    let size = min(m, columns)
    var gram = [Double](repeating: 0, count: size * size)
    for i in 0..<size {
      for j in 0..<size {
        var sum = 0.0
        if m <= columns {
          for k in 0..<columns { sum += matrix[i, k] * matrix[j, k] }
        } else {
          for k in 0..<m { sum += matrix[k, i] * matrix[k, j] }
        }
        gram[i * size + j] = sum
      }
    }
    let product = Self.determinant(&gram, size: size)
    return product.isFinite ? max(0, product).squareRoot() : 0
  }

  /// Determinant by Gaussian elimination with partial pivoting (the matrix is at most 6 × 6).
  private static func determinant(_ a: inout [Double], size n: Int) -> Double {
    var result = 1.0
    for column in 0..<n {
      var pivot = column
      for row in (column + 1)..<max(column + 1, n) where abs(a[row * n + column]) > abs(a[pivot * n + column])
      {
        pivot = row
      }
      if a[pivot * n + column] == 0 { return 0 }
      if pivot != column {
        for k in 0..<n { a.swapAt(pivot * n + k, column * n + k) }
        result = -result
      }
      let diagonal = a[column * n + column]
      result *= diagonal
      for row in (column + 1)..<max(column + 1, n) {
        let factor = a[row * n + column] / diagonal
        for k in column..<n { a[row * n + k] -= factor * a[column * n + k] }
      }
    }
    return result
  }
}
