/// Order statistics for reports.
public enum Statistics {
  /// The `p`-quantile (0…1) of already sorted values, by linear interpolation; NaN when empty.
  public static func quantile(sorted values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let position = p * Double(values.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(values.count - 1, lower + 1)
    let fraction = position - Double(lower)
    return values[lower] * (1 - fraction) + values[upper] * fraction
  }
}
