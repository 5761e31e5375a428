import Foundation

/// How an axis maps its values to [0, 1]: linearly, or by decimal logarithm (for errors and times
/// that span many decades). Values outside the range are clamped to its ends.
public struct AxisScale: Sendable, Hashable {
  public enum Mapping: Sendable, Hashable { case linear, logarithmic }

  public let mapping: Mapping
  public let lower: Double
  public let upper: Double

  /// A linear scale over `lower...upper`, widened to a unit around a single value.
  public static func linear(_ lower: Double, _ upper: Double) -> AxisScale {
    let (a, b) = lower.isFinite && upper.isFinite ? (min(lower, upper), max(lower, upper)) : (0, 1)
    return AxisScale(mapping: .linear, lower: a, upper: b > a ? b : a + 1)
  }

  /// A logarithmic scale over whole decades around `lower...upper` (both positive).
  public static func logarithmic(_ lower: Double, _ upper: Double) -> AxisScale {
    let a = lower > 0 && lower.isFinite ? lower : 1
    let b = upper > 0 && upper.isFinite ? max(upper, a) : a
    let bottom = Foundation.pow(10, (Foundation.log10(a)).rounded(.down))
    var top = Foundation.pow(10, (Foundation.log10(b)).rounded(.up))
    if top <= bottom { top = bottom * 10 }
    return AxisScale(mapping: .logarithmic, lower: bottom, upper: top)
  }

  /// The scale that fits `values` (non-finite ones, and on a log scale non-positive ones, ignored).
  public static func fitting(_ values: [Double], logarithmic: Bool) -> AxisScale {
    let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
    let lower = usable.min() ?? (logarithmic ? 1 : 0)
    let upper = usable.max() ?? (logarithmic ? 10 : 1)
    return logarithmic ? .logarithmic(lower, upper) : .linear(lower, upper)
  }

  /// Where `value` sits between the ends, 0 at `lower`, 1 at `upper`, clamped.
  public func fraction(_ value: Double) -> Double {
    let t: Double
    switch mapping {
    case .linear:
      t = (value - lower) / (upper - lower)
    case .logarithmic:
      guard value > 0 else { return 0 }
      t = Foundation.log10(value / lower) / Foundation.log10(upper / lower)
    }
    return t.isFinite ? min(1, max(0, t)) : 0
  }

  /// Tick values with their labels: every decade on a log scale (every other one beyond eight),
  /// steps of 1, 2 or 5 × 10ⁿ giving four to ten ticks on a linear one.
  public var ticks: [(value: Double, label: String)] {
    switch mapping {
    case .logarithmic:
      let first = Int(Foundation.log10(lower).rounded())
      let last = Int(Foundation.log10(upper).rounded())
      let stride = last - first > 8 ? 2 : 1
      return Swift.stride(from: first, through: last, by: stride).map { exponent in
        (Foundation.pow(10, Double(exponent)), Self.decade(exponent))
      }
    case .linear:
      let span = upper - lower
      let magnitude = Foundation.pow(10, Foundation.log10(span / 5).rounded(.down))
      let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { span / $0 <= 10 } ?? magnitude * 10
      var values: [Double] = []
      var value = (lower / step).rounded(.up) * step
      while value <= upper + step * 1e-9 {
        values.append(abs(value) < step * 1e-9 ? 0 : value)
        value += step
      }
      let digits = max(0, -Int(Foundation.log10(step).rounded(.down)))
      return values.map { ($0, String(format: "%.\(digits)f", $0)) }
    }
  }

  /// 10ⁿ as a short plain label: "0.001" to "1000", else "1e-6".
  static func decade(_ exponent: Int) -> String {
    switch exponent {
    case 0...3: return String(Int(Foundation.pow(10, Double(exponent))))
    case -3..<0: return String(format: "%.\(-exponent)f", Foundation.pow(10, Double(exponent)))
    default: return "1e\(exponent)"
    }
  }
}
