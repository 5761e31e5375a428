import Foundation
import NeuralIK

/// A text file a command reads whole: a regular file, or a pipe such as `<(…)`.
enum TextFile {
  /// The file's text, or an error naming `what` and `path` and saying why it could not be read.
  static func read(_ path: String, what: String) throws -> String {
    let data: Data
    do {
      data = try FileContents.read(URL(filePath: path))
    } catch {
      throw CLIError("cannot read \(what) '\(path)': \(error)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw CLIError("cannot read \(what) '\(path)': it is not UTF-8 text")
    }
    return text
  }
}
