import Foundation

/// A file a command will read, checked first: a directory, a missing file and an unreadable one
/// each get their own one-line error, rather than the loader's "cannot read".
enum InputPath {
  /// Throws naming `what` (`robot file`, `model`) and `path` unless it is a readable file.
  static func check(_ path: String, what: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CLIError("\(what) '\(path)' does not exist")
    }
    if isDirectory.boolValue { throw CLIError("\(what) '\(path)' is a directory; give a file") }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw CLIError("\(what) '\(path)' is not readable (check its permissions)")
    }
  }
}
