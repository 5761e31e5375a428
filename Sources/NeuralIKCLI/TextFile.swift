import Foundation
import NeuralIK

/// A text file a command reads whole: a regular file, or a pipe such as `<(…)`.
enum TextFile {
  /// The most bytes read: twenty million targets of a hundred bytes.
  static let limit = 2_000_000_000
  /// The longest first line (a CSV header) looked for in the first chunk.
  static let headerBytes = 64 * 1024

  /// The file's text, or an error naming `what` and `path` and saying why it could not be read.
  /// A file whose first line is not text within ``headerBytes`` (`/dev/zero`, `/dev/urandom`, a
  /// binary file) is read no further than its first chunk, for its reader to refuse its header.
  static func read(_ path: String, what: String) throws -> String {
    let data: Data
    do {
      data = try FileContents.read(URL(filePath: path), limit: limit) { data in
        let head = data.prefix(headerBytes)
        guard let end = head.firstIndex(of: UInt8(ascii: "\n")) else {
          return head.count < headerBytes ? .readOn : .stop
        }
        return String(data: head[..<end], encoding: .utf8) == nil ? .stop : .readOn
      }
    } catch {
      throw CLIError("cannot read \(what) '\(path)': \(error)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIError("cannot read \(what) '\(path)': it is not UTF-8 text")
    }
    return text
  }
}
