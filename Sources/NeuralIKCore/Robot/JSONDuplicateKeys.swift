/// The first object member named twice in a JSON document. JSON's grammar allows it, RFC 8259
/// leaves the meaning open, and a decoder keeps one of the two silently: a robot file whose
/// joint gives `limits` twice, or a request with two `target`s, would be read as something its
/// author did not check. Readers of robots and requests refuse it instead.
///
/// `package`, so that the server reads requests by the same rule.
package enum JSONDuplicateKeys {
  /// A member named twice: the object's path (`joints[2]`, empty for the outermost one) and the
  /// name.
  package struct Duplicate: Equatable, Sendable {
    package var path: String
    package var key: String

    package init(path: String, key: String) {
      self.path = path
      self.key = key
    }
  }

  /// The first duplicate in `bytes`, or `nil`. Expects JSON that a decoder has already accepted:
  /// on anything else it answers `nil` rather than guess.
  package static func first(in bytes: some Collection<UInt8>) -> Duplicate? {
    var scanner = Scanner(bytes: Array(bytes))
    return scanner.run()
  }

  private struct Scanner {
    enum Frame {
      /// The names seen so far, the one being read (its value's place in the path), and whether
      /// the next string is a name.
      case object(names: Set<String>, current: String?, expectingName: Bool)
      case array(index: Int)
    }

    let bytes: [UInt8]
    var position = 0
    var frames: [Frame] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func run() -> Duplicate? {
      while position < bytes.count {
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "{"):
          frames.append(.object(names: [], current: nil, expectingName: true))
          position += 1
        case UInt8(ascii: "["):
          frames.append(.array(index: 0))
          position += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          guard !frames.isEmpty else { return nil }
          frames.removeLast()
          position += 1
        case UInt8(ascii: ","):
          switch frames.last {
          case .object(let names, _, _)?:
            frames[frames.count - 1] = .object(names: names, current: nil, expectingName: true)
          case .array(let index)?:
            frames[frames.count - 1] = .array(index: index + 1)
          case nil:
            return nil
          }
          position += 1
        case UInt8(ascii: ":"):
          if case .object(let names, let current, _)? = frames.last {
            frames[frames.count - 1] = .object(names: names, current: current, expectingName: false)
          }
          position += 1
        case UInt8(ascii: "\""):
          guard let text = readString() else { return nil }
          if case .object(var names, _, true)? = frames.last {
            if names.contains(text) { return Duplicate(path: path(), key: text) }
            names.insert(text)
            frames[frames.count - 1] = .object(names: names, current: text, expectingName: false)
          }
        default:
          // Whitespace, numbers, true, false, null: nothing that names a member.
          position += 1
        }
      }
      return nil
    }

    /// The path of the innermost object, as the robot reader names fields.
    func path() -> String {
      var text = ""
      for frame in frames.dropLast() {
        switch frame {
        case .object(_, let current, _):
          guard let current else { continue }
          text += text.isEmpty ? current : ".\(current)"
        case .array(let index):
          text += "[\(index)]"
        }
      }
      return text
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
        let simple: [UInt8: UInt8] = [
          UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "\\"): UInt8(ascii: "\\"),
          UInt8(ascii: "/"): UInt8(ascii: "/"), UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12,
          UInt8(ascii: "n"): 10, UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9,
        ]
        if let value = simple[escape] {
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
