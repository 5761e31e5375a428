import Foundation
import NeuralIK

/// The solve answers written straight to JSON: what `JSONEncoder` with sorted keys writes, byte
/// for byte (a test holds it to that), at a fraction of its cost. Under load the generic encoder
/// took a quarter of the server's time on the arm polylines of every answer, more than solving.
extension SolveResponse {
  /// The response as UTF-8 JSON, keys sorted, non-finite numbers as the strings `"Infinity"`,
  /// `"-Infinity"` and `"NaN"`.
  package func jsonData() -> Data {
    var writer = JSONWriter()
    writer.object { out in
      if let id { out.key("id", first: true) { $0.integer(id) } }
      if let relaxationTimedOut {
        out.key("relaxation_timed_out", first: id == nil) { $0.bool(relaxationTimedOut) }
      }
      out.key("results", first: id == nil && relaxationTimedOut == nil) { out in
        out.array(results) { $0.result($1) }
      }
      out.key("solver") { $0.string(solver) }
    }
    return Data(writer.bytes)
  }
}

/// A JSON text built into a byte buffer, in `JSONEncoder`'s format.
struct JSONWriter {
  var bytes: [UInt8] = []
  private static let hexDigits = Array("0123456789abcdef".utf8)

  init() { bytes.reserveCapacity(4096) }

  mutating func object(_ body: (inout JSONWriter) -> Void) {
    bytes.append(UInt8(ascii: "{"))
    body(&self)
    bytes.append(UInt8(ascii: "}"))
  }

  mutating func key(_ name: String, first: Bool = false, _ value: (inout JSONWriter) -> Void) {
    if !first { bytes.append(UInt8(ascii: ",")) }
    string(name)
    bytes.append(UInt8(ascii: ":"))
    value(&self)
  }

  mutating func array<C: Collection>(_ elements: C, _ element: (inout JSONWriter, C.Element) -> Void) {
    bytes.append(UInt8(ascii: "["))
    for (index, value) in elements.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      element(&self, value)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  mutating func numbers(_ values: [Double]) {
    array(values) { out, value in out.number(value) }
  }

  /// The shortest text that reads back as `value`, without a trailing `.0`, as `JSONEncoder` writes.
  mutating func number(_ value: Double) {
    guard value.isFinite else {
      string(value.isNaN ? "NaN" : value > 0 ? "Infinity" : "-Infinity")
      return
    }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    bytes.append(contentsOf: text.utf8)
  }

  mutating func integer(_ value: Int) {
    bytes.append(contentsOf: String(value).utf8)
  }

  mutating func bool(_ value: Bool) {
    bytes.append(contentsOf: (value ? "true" : "false").utf8)
  }

  mutating func string(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
      case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
      case UInt8(ascii: "/"): bytes.append(contentsOf: #"\/"#.utf8)
      case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
      case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
      case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
      case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
      case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
      case 0..<0x20:
        bytes.append(contentsOf: #"\u00"#.utf8)
        bytes.append(Self.hexDigits[Int(byte >> 4)])
        bytes.append(Self.hexDigits[Int(byte & 0xF)])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func result(_ result: SolveResult) {
    object { out in
      out.key("closest_point", first: true) { $0.numbers(result.closestPoint) }
      if let flagged = result.flagged { out.key("flagged") { $0.bool(flagged) } }
      out.key("gap_m") { $0.number(result.gap) }
      out.key("milliseconds") { $0.number(result.milliseconds) }
      out.key("reachable") { $0.bool(result.reachable) }
      out.key("solutions") { out in
        out.array(result.solutions) { out, drawn in
          out.object { out in
            out.key("axes", first: true) { out in out.array(drawn.axes) { $0.numbers($1) } }
            out.key("frames") { out in out.array(drawn.frames) { $0.numbers($1) } }
            out.key("solution") { $0.report(drawn.solution) }
          }
        }
      }
      out.key("status") { $0.string(result.status.rawValue) }
      if let step = result.step { out.key("step") { $0.number(step) } }
      out.key("target") { $0.numbers(result.target) }
    }
  }

  mutating func report(_ report: SolutionReport) {
    object { out in
      out.key("iterations", first: true) { $0.integer(report.iterations) }
      out.key("joint_names") { out in out.array(report.jointNames) { $0.string($1) } }
      out.key("joint_values") { $0.numbers(report.jointValues) }
      out.key("position_error_m") { $0.number(report.positionError) }
      out.key("reachable") { $0.bool(report.reachable) }
      out.key("reached_orientation") { $0.numbers(report.reachedOrientation) }
      out.key("reached_position") { $0.numbers(report.reachedPosition) }
      if let degrees = report.rotationErrorDegrees { out.key("rotation_error_deg") { $0.number(degrees) } }
      out.key("solver") { $0.string(report.solver.rawValue) }
    }
  }
}
