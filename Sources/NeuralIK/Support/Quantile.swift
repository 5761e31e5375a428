/// Order statistics for validation and reports.
package enum Quantile {
  /// The `p`-quantile (0…1) of already sorted values, by linear interpolation; NaN when empty.
  package static func of(sorted values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let position = p * Double(values.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(values.count - 1, lower + 1)
    let fraction = position - Double(lower)
    return values[lower] * (1 - fraction) + values[upper] * fraction
  }
}
