import Foundation
import NeuralIK

/// A text file a command reads whole: a regular file, or a pipe such as `<(…)`.
enum TextFile {
  /// The most bytes read: twenty million targets of a hundred bytes.
  static let limit = 2_000_000_000
  /// The longest first line (a CSV header) looked for in the first chunk.
  static let headerBytes = 64 * 1024

  /// The file's text, or an error naming `what` and `path` and saying why it could not be read.
  /// A file whose first ``headerBytes`` are not UTF-8 text with a line break (`/dev/zero`,
  /// `/dev/urandom`, a binary file) is refused after its first chunk, and one with a NUL after the
  /// chunk that holds it, rather than read on.
  static func read(_ path: String, what: String) throws -> String {
    let data: Data
    var notText = false
    // NUL is UTF-8 but no text: `{ echo x,y,z; cat /dev/zero; }` would otherwise be read to the
    // limit. Each chunk is scanned for one as it comes, once, so the extent is asked to the end.
    var scanned = 0
    var settled = false
    do {
      data = try FileContents.read(URL(filePath: path), limit: limit) { data in
        let holdsNUL = data.dropFirst(scanned).withUnsafeBytes { bytes in
          bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false
        }
        guard !holdsNUL else {
          notText = true
          return .stop
        }
        scanned = data.count
        guard !settled else { return .readOn }
        let head = data.prefix(headerBytes)
        // A chunk may end inside a character: up to three bytes of one are not yet a fault.
        let text = (0...3).contains { String(data: head.dropLast($0), encoding: .utf8) != nil }
        // A pipe's first reads may be short: bytes that are not text stop the read at once, but
        // text is settled only once the whole head is in.
        guard text else {
          notText = true
          return .stop
        }
        guard head.count == headerBytes else { return .readOn }
        // CR alone ends a line too (old Mac files), as the CSV reader splits them.
        settled = head.contains(UInt8(ascii: "\n")) || head.contains(UInt8(ascii: "\r"))
        notText = !settled
        return notText ? .stop : .readOn
      }
    } catch {
      throw CLIError("cannot read \(what) '\(path)': \(error)")
    }
    guard !notText, let text = String(data: data, encoding: .utf8) else {
      throw CLIError(
        "cannot read \(what) '\(path)': it is not UTF-8 text with lines (it holds a NUL byte, or its first \(headerBytes / 1024) KiB hold no line break, or bytes that are not UTF-8)"
      )
    }
    return text
  }
}
