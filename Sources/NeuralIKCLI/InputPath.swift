import Foundation
import NeuralIK

/// A file a command will read, checked first, before any work: a directory, a missing file, a
/// link to nothing and an unreadable one each get their own one-line error.
enum InputPath {
  /// Throws naming `what` (`robot file`, `model`) and `path` unless it is a readable file.
  static func check(_ path: String, what: String) throws {
    do {
      try FileContents.checkReadable(URL(filePath: path))
    } catch {
      throw CLIError("\(what) '\(path)': \(error)")
    }
  }
}
