import Foundation

/// A standalone SVG 1.1 document built from a handful of shapes: the whole drawing vocabulary of
/// the benchmark's figures, so they need no plotting library. Coordinates are pixels from the top
/// left; numbers are written with two decimals, so the same drawing gives the same bytes.
public struct SVGDocument: Sendable, Hashable {
  public let width: Double
  public let height: Double
  private var elements: [String] = []

  /// A white canvas of `width` × `height` pixels.
  public init(width: Double, height: Double) {
    self.width = width
    self.height = height
    rect(x: 0, y: 0, width: width, height: height, fill: "#ffffff")
  }

  /// How many shapes were drawn (the background included).
  public var elementCount: Int { elements.count }

  /// A rectangle; `title` becomes a tooltip.
  public mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
    title: String? = nil
  ) {
    var attributes = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(max(0, width)))\""
    attributes += " height=\"\(Self.number(max(0, height)))\" fill=\"\(Self.escaped(fill))\""
    if let stroke { attributes += " stroke=\"\(Self.escaped(stroke))\" stroke-width=\"1\"" }
    elements.append(Self.element("rect", attributes, title: title))
  }

  /// A filled circle, outlined when `stroke` is given.
  public mutating func circle(
    x: Double, y: Double, radius: Double, fill: String, stroke: String? = nil, opacity: Double = 1
  ) {
    var attributes = "cx=\"\(Self.number(x))\" cy=\"\(Self.number(y))\" r=\"\(Self.number(radius))\""
    attributes += " fill=\"\(Self.escaped(fill))\""
    if let stroke { attributes += " stroke=\"\(Self.escaped(stroke))\" stroke-width=\"1\"" }
    if opacity < 1 { attributes += " fill-opacity=\"\(Self.number(opacity))\"" }
    elements.append(Self.element("circle", attributes))
  }

  /// A straight line; `dashed` draws it in dashes.
  public mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dashed: Bool = false
  ) {
    var attributes = "x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\""
    attributes +=
      " y2=\"\(Self.number(y2))\" stroke=\"\(Self.escaped(stroke))\" stroke-width=\"\(Self.number(width))\""
    if dashed { attributes += " stroke-dasharray=\"4 3\"" }
    elements.append(Self.element("line", attributes))
  }

  /// An open path through `points`, unfilled (an arc drawn as many short segments).
  public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, dashed: Bool = false) {
    guard points.count >= 2 else { return }
    let list = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
    var attributes = "points=\"\(list)\" fill=\"none\" stroke=\"\(Self.escaped(stroke))\" stroke-width=\"1\""
    if dashed { attributes += " stroke-dasharray=\"4 3\"" }
    elements.append(Self.element("polyline", attributes))
  }

  /// Where a text's `x` sits: its start, middle or end.
  public enum Anchor: String, Sendable { case start, middle, end }

  /// One line of text with its baseline at `y`; `rotated` turns it by −90° about (x, y), for a
  /// vertical axis label.
  public mutating func text(
    _ string: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start, bold: Bool = false,
    rotated: Bool = false, fill: String = "#222222"
  ) {
    var attributes = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\""
    attributes += " font-family=\"Helvetica, Arial, sans-serif\" text-anchor=\"\(anchor.rawValue)\""
    attributes += " fill=\"\(Self.escaped(fill))\""
    if bold { attributes += " font-weight=\"bold\"" }
    if rotated { attributes += " transform=\"rotate(-90 \(Self.number(x)) \(Self.number(y)))\"" }
    elements.append("<text \(attributes)>\(Self.escaped(string))</text>")
  }

  /// The document: XML declaration, the `svg` root in the SVG namespace, every shape in order.
  public var xml: String {
    let w = Self.number(width)
    let h = Self.number(height)
    return """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)">

      """ + elements.joined(separator: "\n") + "\n</svg>\n"
  }

  private static func element(_ name: String, _ attributes: String, title: String? = nil) -> String {
    guard let title else { return "<\(name) \(attributes)/>" }
    return "<\(name) \(attributes)><title>\(escaped(title))</title></\(name)>"
  }

  /// Two decimals, no exponent, "-0" written as "0": identical drawings give identical bytes.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let text = String(format: "%.2f", value)
    return text == "-0.00" ? "0.00" : text
  }

  /// Text and attribute values with XML's five special characters escaped.
  static func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default: out.append(character)
      }
    }
    return out
  }
}
