import Foundation

/// How a target set is spread over distance from the reach: what `neural-ik data` and
/// `neural-ik train` print when they generate one.
public struct BalanceReport: Sendable, CustomStringConvertible {
  /// Upper edges of the distance bands, metres; the first band (0) holds reachable targets.
  public static let bandEdges: [Double] = [1e-6, 0.01, 0.05, 0.2, .infinity]
  /// The bands' names, in the order of ``bandEdges`` and ``shares``.
  public static let bandNames = ["reachable", "≤ 1 cm", "1–5 cm", "5–20 cm", "> 20 cm"]

  /// Share of targets per band, summing to 1.
  public var shares: [Double]
  /// Targets measured (a sample of the set for large sets).
  public var measured: Int

  /// Measures distances from the reach with `distance` (metres) on up to `limit` targets.
  ///
  /// - Parameters:
  ///   - targets: the set; a larger one is sampled evenly.
  ///   - limit: the most targets measured.
  ///   - distance: metres from a target to the reach (``ReachDistance/distance(_:)``).
  /// - Throws: what `distance` throws.
  public init(targets: [IKTarget], limit: Int = 4000, distance: (IKTarget) throws -> Double) rethrows {
    let stride = max(1, targets.count / limit)
    var counts = [Int](repeating: 0, count: Self.bandEdges.count)
    var measured = 0
    for index in Swift.stride(from: 0, to: targets.count, by: stride) {
      let d = try distance(targets[index])
      counts[Self.bandEdges.firstIndex { d <= $0 } ?? counts.count - 1] += 1
      measured += 1
    }
    self.measured = measured
    self.shares = counts.map { Double($0) / Double(max(1, measured)) }
  }

  /// One line: the number measured and each band's share in per cent.
  public var description: String {
    let bands = zip(Self.bandNames, shares).map { "\($0) \(String(format: "%.1f%%", $1 * 100))" }
    return "balance over \(measured) targets: " + bands.joined(separator: ", ")
  }
}
