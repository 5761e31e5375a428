import Foundation

/// A parsed JSON document. Decoded with `JSONDecoder`, which reads every decimal to the nearest
/// `Double` (on Linux, `JSONSerialization` can be an ulp or two off on 17-digit numbers).
/// `package`, so that the server tests' schema validator reads responses with the same type.
package enum JSONValue: Decodable, Equatable, Sendable {
  case object([String: JSONValue])
  case array([JSONValue])
  case string(String)
  case number(Double)
  case bool(Bool)
  case null

  /// A member's name, whatever it is.
  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  package init(from decoder: Decoder) throws {
    // The kind is tried by its container, and the members decoded outside that try: a member's
    // own error (a number too large for a Double) then names its path, where trying every kind
    // in turn would report the outermost kind that did not fit.
    if let object = try? decoder.container(keyedBy: Key.self) {
      var members: [String: JSONValue] = [:]
      for key in object.allKeys { members[key.stringValue] = try object.decode(JSONValue.self, forKey: key) }
      self = .object(members)
      return
    }
    if var array = try? decoder.unkeyedContainer() {
      var elements: [JSONValue] = []
      while !array.isAtEnd { elements.append(try array.decode(JSONValue.self)) }
      self = .array(elements)
      return
    }
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else {
      do {
        self = .number(try container.decode(Double.self))
      } catch {
        throw DecodingError.dataCorrupted(
          .init(
            codingPath: decoder.codingPath,
            debugDescription: "a number that does not fit a Double (\(Self.doubleRange))"))
      }
    }
  }

  /// Parses `data`, or explains why it is not JSON.
  static func parse(_ data: Data) throws(RobotModelError) -> JSONValue {
    let value: JSONValue
    do {
      value = try JSONDecoder().decode(JSONValue.self, from: data)
    } catch {
      // The decoder checks a number's or a string's syntax only when the value is asked for, and
      // then says "not valid JSON" at best and, of a broken string, that it is no number:
      // `syntaxError(in:)` checks the whole document and says where it breaks.
      if let syntax = syntaxError(in: data) {
        throw RobotModelError(field: "", problem: "not valid JSON: \(syntax)")
      }
      throw explained(error)
    }
    // The decoder keeps one of two members of one name (which one the author meant is unknown),
    // and passes a comma that other readers refuse.
    switch JSONStrictness.firstProblem(in: data) {
    case .duplicate(let path, let key)?:
      throw RobotModelError(field: path, problem: "'\(key)' is given twice; give each key once")
    case .trailingComma(let line, let column)?:
      throw RobotModelError(
        field: "",
        problem: "not valid JSON: a comma after the last item at line \(line), column \(column); remove it")
    case nil: break
    }
    return value
  }

  /// Why a number is refused: beyond `Double`'s range, or so near 0 that it would read as 0.
  static let doubleRange = "beyond about ±1.8e308, or nearer 0 than about 5e-324"

  /// A decoding error of a document whose syntax is sound: a number no `Double` holds.
  private static func explained(_ error: any Error) -> RobotModelError {
    switch error {
    case DecodingError.dataCorrupted(let context):
      let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
      let path = DecodingError.text(of: context.codingPath)
      let place = path.isEmpty ? "" : " at \(path)"
      return RobotModelError(
        field: "", problem: "not valid JSON\(place) (\(detail ?? context.debugDescription))")
    case let error as DecodingError:
      return RobotModelError(field: "", problem: "not valid JSON (\(error.summary))")
    default:
      return RobotModelError(field: "", problem: "not valid JSON (\(error))")
    }
  }

  /// What `firstScanned(in:where:)` hands its caller: a string escape, at its backslash, or a
  /// number outside a string, as the bytes it spans.
  private enum Scanned {
    case escape(at: Int)
    case number(Range<Int>)
  }

  /// Walks a JSON text in and out of its strings, line by line, handing `visit` each string
  /// escape and each number outside a string; the first thing `visit` finds, with the line and
  /// column (characters, as an editor counts them) where its token starts. `visit` also says where
  /// the walk goes on, so that an escape can span a surrogate pair.
  private static func firstScanned<Found>(
    in data: Data, where visit: (_ bytes: [UInt8], _ token: Scanned) -> (found: Found?, next: Int)
  ) -> (found: Found, line: Int, column: Int)? {
    let bytes = [UInt8](data)
    var index = 0
    var inString = false
    var line = 1
    var lineStart = 0
    while index < bytes.count {
      let byte = bytes[index]
      let token: Scanned
      if inString, byte == UInt8(ascii: "\\") {
        token = .escape(at: index)
      } else if !inString, byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      {
        var end = index
        while end < bytes.count, "+-.eE0123456789".utf8.contains(bytes[end]) { end += 1 }
        token = .number(index..<end)
      } else {
        if byte == UInt8(ascii: "\"") {
          inString.toggle()
        } else if byte == UInt8(ascii: "\n"), !inString {
          line += 1
          lineStart = index + 1
        }
        index += 1
        continue
      }
      let (found, next) = visit(bytes, token)
      if let found {
        let column = String(decoding: bytes[lineStart..<index], as: UTF8.self).count + 1
        return (found, line, column)
      }
      index = next
    }
    return nil
  }

  /// The first `\uXXXX` escape in a string that is half of a surrogate pair without the other
  /// half (`\ud800` not followed by `\udc00`…`\udfff`, or a low half alone), with its line and
  /// column.
  static func loneSurrogate(in data: Data) -> (escape: String, line: Int, column: Int)? {
    firstScanned(in: data) { bytes, token in
      func unit(at index: Int) -> UInt16? {
        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        else { return nil }
        return UInt16(String(decoding: bytes[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16)
      }
      switch token {
      case .number(let span): return (nil, span.upperBound)
      case .escape(let index):
        guard let value = unit(at: index) else { return (nil, index + 2) }
        let high = (0xD800...0xDBFF).contains(value)
        if high, let next = unit(at: index + 6), (0xDC00...0xDFFF).contains(next) { return (nil, index + 12) }
        guard high || (0xDC00...0xDFFF).contains(value) else { return (nil, index + 6) }
        return (String(decoding: bytes[index..<(index + 6)], as: UTF8.self), index + 6)
      }
    }.map { ($0.found, $0.line, $0.column) }
  }

  /// The first number outside a string that is not 0 but reads as 0 (`1e-330`), with its line and
  /// column; text longer than 40 characters is cut.
  static func underflowingNumber(in data: Data) -> (text: String, line: Int, column: Int)? {
    firstScanned(in: data) { bytes, token in
      switch token {
      case .escape(let index): return (nil, index + 2)
      case .number(let span):
        let text = String(decoding: bytes[span], as: UTF8.self)
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        guard Double(text) == 0, mantissa.contains(where: { ("1"..."9").contains($0) }) else {
          return (nil, span.upperBound)
        }
        return (String(text.count > 40 ? text.prefix(37) + "..." : Substring(text)), span.upperBound)
      }
    }.map { ($0.found, $0.line, $0.column) }
  }

  /// Where the JSON syntax breaks, as a person editing the file counts: the decoder says only
  /// that it is not JSON, and `JSONSerialization`, which reads the same grammar, names a byte
  /// ("Invalid value around character 21."), turned here into a line and column. `nil` when the
  /// syntax is sound. `package`, so that the server explains requests the same way.
  package static func syntaxError(in data: Data) -> String? {
    let detail: String
    do {
      _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
      // It reads a number too near 0 for a Double as 0, where the decoder refuses it unnamed.
      guard let (number, line, column) = underflowingNumber(in: data) else { return nil }
      return "number \(number) does not fit a Double (\(Self.doubleRange)) at line \(line), column \(column)"
    } catch {
      guard let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String else { return nil }
      // `JSONSerialization` calls a lone high surrogate escape the end of the file, and a lone low
      // one a hex escape with "no high character", each with no place.
      if text.contains("surrogate") || text.contains("no high character"),
        let (escape, line, column) = loneSurrogate(in: data)
      {
        return
          "string escape \(escape) is half of a UTF-16 surrogate pair, without its other half, at line \(line), column \(column)"
      }
      detail = text
    }
    var sentence = detail.hasSuffix(".") ? String(detail.dropLast()) : detail
    // "Number 1e400 is not representable in Swift": the number names the place, Swift does not.
    if sentence.hasSuffix(" is not representable in Swift") {
      // A number of 300,000 digits would come back whole: 40 of them name it.
      var number = sentence.dropLast(" is not representable in Swift".count)
      if number.hasPrefix("Number ") { number = number.dropFirst("Number ".count) }
      let shown = number.count > 40 ? number.prefix(40) + "… (\(number.count) characters)" : number
      sentence = "Number \(shown) does not fit a Double (\(Self.doubleRange))"
    }
    guard let range = sentence.range(of: "around character "),
      let offset = Int(sentence[range.upperBound...]), offset >= 0, offset <= data.count
    else { return sentence.prefix(1).lowercased() + sentence.dropFirst() }
    let before = data.prefix(offset)
    let line = before.count { $0 == UInt8(ascii: "\n") } + 1
    let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
    // Columns in characters, not bytes, as an editor counts them.
    let column = String(decoding: data[lineStart..<(data.startIndex + offset)], as: UTF8.self).count + 1
    let what = sentence[..<range.lowerBound].trimmingCharacters(in: .whitespaces).lowercased()
    return "\(what.isEmpty ? "unexpected text" : what) at line \(line), column \(column)"
  }

  var kind: String {
    switch self {
    case .object: return "an object"
    case .array: return "an array"
    case .string: return "a string"
    case .number: return "a number"
    case .bool: return "a boolean"
    case .null: return "null"
    }
  }
}

/// A JSON value with the path it was read from, so that every error can name its field.
struct JSONField {
  let value: JSONValue
  let path: String

  func fail(_ problem: String) -> RobotModelError {
    RobotModelError(field: path, problem: problem)
  }

  func object(allowedKeys: Set<String>) throws(RobotModelError) -> [String: JSONField] {
    guard case .object(let dictionary) = value else {
      throw fail("expected an object, found \(value.kind)")
    }
    var result: [String: JSONField] = [:]
    for (key, item) in dictionary {
      guard allowedKeys.contains(key) else {
        throw fail("unknown key '\(key)'; allowed keys are: \(allowedKeys.sorted().joined(separator: ", "))")
      }
      result[key] = JSONField(value: item, path: path.isEmpty ? key : "\(path).\(key)")
    }
    return result
  }

  func array() throws(RobotModelError) -> [JSONField] {
    guard case .array(let items) = value else { throw fail("expected an array, found \(value.kind)") }
    return items.enumerated().map { JSONField(value: $1, path: "\(path)[\($0)]") }
  }

  func string() throws(RobotModelError) -> String {
    guard case .string(let text) = value else { throw fail("expected a string, found \(value.kind)") }
    return text
  }

  func number() throws(RobotModelError) -> Double {
    guard case .number(let number) = value else { throw fail("expected a number, found \(value.kind)") }
    guard number.isFinite else { throw fail("must be a finite number") }
    return number
  }

  func vector3() throws(RobotModelError) -> Vector3 {
    let items = try array()
    guard items.count == 3 else { throw fail("expected 3 numbers [x, y, z], found \(items.count)") }
    return Vector3(try items[0].number(), try items[1].number(), try items[2].number())
  }
}

extension DecodingError {
  /// One line for a person: where in the document (`joints[1].origin`) and what was wrong, without
  /// Swift's type names and debug wording.
  package var summary: String {
    func place(_ context: Context) -> String {
      let path = Self.text(of: context.codingPath)
      return path.isEmpty ? "" : "at \(path): "
    }
    switch self {
    case .typeMismatch(let type, let context):
      let wanted =
        type == Double.self || type == Float.self || type == Int.self || type == UInt64.self
          || type == UInt32.self
        ? "a number" : type == String.self ? "a string" : type == Bool.self ? "true or false" : "\(type)"
      return "\(place(context))expected \(wanted)"
    case .valueNotFound(_, let context):
      return "\(place(context))a value is missing (null or absent)"
    case .keyNotFound(let key, let context):
      return "\(place(context))the field '\(key.stringValue)' is missing"
    case .dataCorrupted(let context):
      return "\(place(context))\(context.debugDescription)"
    @unknown default:
      return "\(self)"
    }
  }

  /// A coding path as a document writes it: `joints[1].origin`.
  static func text(of path: [any CodingKey]) -> String {
    let joined = path.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
    return joined.hasPrefix(".") ? String(joined.dropFirst()) : joined
  }
}
