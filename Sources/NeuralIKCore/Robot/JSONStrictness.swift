import Foundation

/// What JSON decoders let pass that a reader of robots and requests should not.
///
/// - A member named twice. JSON's grammar allows it, RFC 8259 leaves the meaning open, and a
///   decoder keeps one of the two silently: a robot file whose joint gives `limits` twice, or a
///   request with two `target`s, would be read as something its author did not check.
/// - A comma after an object's last member or an array's last element. RFC 8259 has no place for
///   it, and Foundation's decoder accepts it on Linux: a file that other tools refuse would read
///   here, and a value meant to follow it, cut off by an edit, would be missed without a word.
///
/// `package`, so that the server reads requests by the same rule.
package enum JSONStrictness {
  /// The first thing a strict reader refuses.
  package enum Problem: Equatable, Sendable {
    /// A member named twice: the object's path (`joints[2]`, empty for the outermost one) and
    /// the name.
    case duplicate(path: String, key: String)
    /// A comma before `}` or `]`, at a line and column (from 1, columns in characters).
    case trailingComma(line: Int, column: Int)
  }

  /// The first problem in `bytes`, or `nil`. Expects JSON that a decoder has already accepted,
  /// in any encoding it accepts (UTF-8, or UTF-16 or UTF-32 by their byte-order mark or by the
  /// zero bytes of their first characters): on anything else it answers `nil` rather than guess.
  /// Linear in the document's length, so a large request costs no more to check than to decode.
  package static func firstProblem(in bytes: some Collection<UInt8>) -> Problem? {
    guard let utf8 = utf8(Array(bytes)) else { return nil }
    var scanner = Scanner(bytes: utf8)
    return scanner.run()
  }

  /// The document's bytes in UTF-8, told apart as JSON decoders tell them (RFC 4627, section 3):
  /// by a byte-order mark, else by which of the first four bytes are zero, as the first two
  /// characters of a JSON text are ASCII.
  private static func utf8(_ bytes: [UInt8]) -> [UInt8]? {
    let head = Array(bytes.prefix(4)) + Array(repeating: 0xAA, count: max(0, 4 - bytes.count))
    let encoding: String.Encoding
    var skipped = 0
    switch (head[0], head[1], head[2], head[3]) {
    case (0xEF, 0xBB, 0xBF, _): return Array(bytes.dropFirst(3))
    case (0x00, 0x00, 0xFE, 0xFF): (encoding, skipped) = (.utf32BigEndian, 4)
    case (0xFF, 0xFE, 0x00, 0x00): (encoding, skipped) = (.utf32LittleEndian, 4)
    case (0xFE, 0xFF, _, _): (encoding, skipped) = (.utf16BigEndian, 2)
    case (0xFF, 0xFE, _, _): (encoding, skipped) = (.utf16LittleEndian, 2)
    case (0x00, 0x00, 0x00, _): encoding = .utf32BigEndian
    case (_, 0x00, 0x00, 0x00) where bytes.count >= 4: encoding = .utf32LittleEndian
    case (0x00, _, 0x00, _): encoding = .utf16BigEndian
    case (_, 0x00, _, 0x00): encoding = .utf16LittleEndian
    default: return bytes
    }
    guard let text = String(data: Data(bytes.dropFirst(skipped)), encoding: encoding) else { return nil }
    return Array(text.utf8)
  }

  private struct Scanner {
    enum Frame {
      /// The member being read (its value's place in the path), and whether the next string is a
      /// name. Its names so far are in `names`, one set per open object, innermost last.
      case object(current: String?, expectingName: Bool)
      case array(index: Int)
    }

    static let escapes: [UInt8: UInt8] = [
      UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "\\"): UInt8(ascii: "\\"),
      UInt8(ascii: "/"): UInt8(ascii: "/"), UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12,
      UInt8(ascii: "n"): 10, UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9,
    ]

    let bytes: [UInt8]
    var position = 0
    var frames: [Frame] = []
    /// Kept apart from `frames` and changed in place there: a set taken out of an enum case to
    /// insert into would be copied whole, each time (quadratic in an object's members).
    var names: [Set<String>] = []
    /// Where the last comma was, while nothing but whitespace has followed it.
    var openComma: Int?

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func run() -> Problem? {
      while position < bytes.count {
        let byte = bytes[position]
        if let comma = openComma, !Self.isWhitespace(byte) {
          if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { return trailingComma(at: comma) }
          openComma = nil
        }
        switch byte {
        case UInt8(ascii: "{"):
          frames.append(.object(current: nil, expectingName: true))
          names.append([])
          position += 1
        case UInt8(ascii: "["):
          frames.append(.array(index: 0))
          position += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          guard let last = frames.popLast() else { return nil }
          if case .object = last { names.removeLast() }
          position += 1
        case UInt8(ascii: ","):
          switch frames.last {
          case .object?: frames[frames.count - 1] = .object(current: nil, expectingName: true)
          case .array(let index)?: frames[frames.count - 1] = .array(index: index + 1)
          case nil: return nil
          }
          openComma = position
          position += 1
        case UInt8(ascii: ":"):
          if case .object(let current, _)? = frames.last {
            frames[frames.count - 1] = .object(current: current, expectingName: false)
          }
          position += 1
        case UInt8(ascii: "\""):
          guard case .object(_, true)? = frames.last else {
            // A value: only its end matters.
            guard skipString() else { return nil }
            continue
          }
          guard let name = readString() else { return nil }
          if names[names.count - 1].contains(name) { return .duplicate(path: path(), key: name) }
          names[names.count - 1].insert(name)
          frames[frames.count - 1] = .object(current: name, expectingName: false)
        default:
          // Whitespace, numbers, true, false, null: nothing that names a member.
          position += 1
        }
      }
      return nil
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
      byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The comma at `offset`, placed as a person editing the document counts.
    func trailingComma(at offset: Int) -> Problem {
      let before = bytes[..<offset]
      let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
      let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
      return .trailingComma(line: before.count { $0 == 0x0A } + 1, column: column)
    }

    /// The path of the innermost object, as the robot reader names fields.
    func path() -> String {
      var text = ""
      for frame in frames.dropLast() {
        switch frame {
        case .object(let current, _):
          guard let current else { continue }
          text += text.isEmpty ? current : ".\(current)"
        case .array(let index):
          text += "[\(index)]"
        }
      }
      return text
    }

    /// Moves past the string that starts at `position` (its opening quote); `false` when it does
    /// not end.
    mutating func skipString() -> Bool {
      position += 1
      while position < bytes.count {
        switch bytes[position] {
        case UInt8(ascii: "\""):
          position += 1
          return true
        case UInt8(ascii: "\\"): position += 2
        default: position += 1
        }
      }
      return false
    }

    /// Reads the string that starts at `position` (its opening quote), escapes decoded, and moves
    /// past its closing quote; `nil` on a malformed string.
    mutating func readString() -> String? {
      position += 1
      var scalars = String.UnicodeScalarView()
      var raw: [UInt8] = []
      func flush() {
        scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
        raw.removeAll(keepingCapacity: true)
      }
      while position < bytes.count {
        let byte = bytes[position]
        position += 1
        if byte == UInt8(ascii: "\"") {
          flush()
          return String(scalars)
        }
        guard byte == UInt8(ascii: "\\") else {
          raw.append(byte)
          continue
        }
        guard position < bytes.count else { return nil }
        let escape = bytes[position]
        position += 1
        if let value = Self.escapes[escape] {
          raw.append(value)
          continue
        }
        guard escape == UInt8(ascii: "u"), var unit = readHex() else { return nil }
        flush()
        // A surrogate pair spells one scalar; a lone surrogate, which a decoder may accept,
        // stands for the replacement character here as in Swift's strings.
        if (0xD800..<0xDC00).contains(unit), position + 1 < bytes.count,
          bytes[position] == UInt8(ascii: "\\"),
          bytes[position + 1] == UInt8(ascii: "u")
        {
          let saved = position
          position += 2
          if let low = readHex(), (0xDC00..<0xE000).contains(low) {
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
          } else {
            position = saved
          }
        }
        scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
      }
      return nil
    }

    /// Four hexadecimal digits at `position`, moved past; `nil` when they are not.
    mutating func readHex() -> UInt32? {
      guard position + 4 <= bytes.count else { return nil }
      var value: UInt32 = 0
      for byte in bytes[position..<(position + 4)] {
        guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
        value = value * 16 + UInt32(digit)
      }
      position += 4
      return value
    }
  }
}
