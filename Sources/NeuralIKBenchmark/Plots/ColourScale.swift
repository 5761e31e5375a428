import Foundation

/// Colours for a value on a scale: the viridis map (dark blue, low, to yellow, high), which stays
/// readable in grey and to the colour-blind. Draws its own colour bar.
public struct ColourScale: Sendable {
  public let scale: AxisScale
  public let label: String

  public init(scale: AxisScale, label: String) {
    self.scale = scale
    self.label = label
  }

  /// Viridis sampled at nine evenly spaced points; colours between are interpolated linearly.
  private static let stops: [(Double, Double, Double)] = [
    (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
    (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
  ]

  /// The `#rrggbb` colour of `value`.
  public func colour(_ value: Double) -> String { Self.colour(atFraction: scale.fraction(value)) }

  static func colour(atFraction t: Double) -> String {
    let position = min(1, max(0, t.isFinite ? t : 0)) * Double(stops.count - 1)
    let index = min(stops.count - 2, Int(position))
    let f = position - Double(index)
    let (a, b) = (stops[index], stops[index + 1])
    let channels = [a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f]
    return "#" + channels.map { String(format: "%02x", Int($0.rounded())) }.joined()
  }

  /// A vertical bar of `height` pixels at (x, y), low at the bottom, with the scale's ticks and label.
  public func drawBar(x: Double, y: Double, height: Double, into svg: inout SVGDocument) {
    let steps = 48
    let step = height / Double(steps)
    for i in 0..<steps {
      let t = (Double(i) + 0.5) / Double(steps)
      svg.rect(
        x: x, y: y + height - Double(i + 1) * step, width: 14, height: step + 0.5,
        fill: Self.colour(atFraction: t))
    }
    svg.rect(x: x, y: y, width: 14, height: height, fill: "none", stroke: "#444444")
    for tick in scale.ticks {
      let py = y + height - scale.fraction(tick.value) * height
      svg.line(x1: x + 14, y1: py, x2: x + 18, y2: py, stroke: "#444444")
      svg.text(tick.label, x: x + 20, y: py + 3.5, size: 10)
    }
    svg.text(label, x: x + 62, y: y + height / 2, size: 11, anchor: .middle, rotated: true)
  }
}
