extension Jacobian {
  /// The direction of self-motion of a 7-joint arm: the unit joint velocity (one entry per
  /// column) that moves the tool neither in position nor in orientation, or `nil` when the
  /// Jacobian is not 6 × 7 or not of full rank (a singular configuration, where the self-motion
  /// is not one direction).
  ///
  /// Entry *i* is (−1)ⁱ times the determinant of the Jacobian without column *i*: the
  /// generalised cross product of its six rows, which is orthogonal to every row. No
  /// factorisation is needed, and the sign is fixed by the formula, so the result is
  /// reproducible.
  public var selfMotion: [Double]? {
    guard columns == 7 else { return nil }
    var direction = [Double](repeating: 0, count: 7)
    var minor = [Double](repeating: 0, count: 36)
    for removed in 0..<7 {
      for row in 0..<6 {
        var column = 0
        for source in 0..<7 where source != removed {
          minor[row * 6 + column] = self[row, source]
          column += 1
        }
      }
      direction[removed] = (removed % 2 == 0 ? 1 : -1) * Self.determinant6(&minor)
    }
    let length = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
    // Entries are products of six lever arms and axes, so scale the threshold by the Jacobian.
    let size = storage.reduce(0) { max($0, abs($1)) }
    guard length.isFinite, length > 1e-12 * max(1, pow6(size)) else { return nil }
    return direction.map { $0 / length }
  }

  /// The determinant of a 6 × 6 row-major matrix by Gaussian elimination with partial pivoting
  /// (the matrix is overwritten).
  private static func determinant6(_ m: inout [Double]) -> Double {
    var determinant = 1.0
    for pivotColumn in 0..<6 {
      var pivotRow = pivotColumn
      for row in (pivotColumn + 1)..<6
      where abs(m[row * 6 + pivotColumn]) > abs(m[pivotRow * 6 + pivotColumn]) {
        pivotRow = row
      }
      let pivot = m[pivotRow * 6 + pivotColumn]
      if pivot == 0 { return 0 }
      if pivotRow != pivotColumn {
        for column in 0..<6 { m.swapAt(pivotRow * 6 + column, pivotColumn * 6 + column) }
        determinant = -determinant
      }
      determinant *= pivot
      for row in (pivotColumn + 1)..<6 {
        let factor = m[row * 6 + pivotColumn] / pivot
        if factor == 0 { continue }
        for column in pivotColumn..<6 { m[row * 6 + column] -= factor * m[pivotColumn * 6 + column] }
      }
    }
    return determinant
  }
}

private func pow6(_ x: Double) -> Double {
  let cube = x * x * x
  return cube * cube
}
