import Foundation

/// A file a command will write, checked before any work: training for an hour and then failing
/// to write the model into a directory that does not exist loses the hour.
enum OutputPath {
  /// Throws a one-line error naming `option` when `path` cannot take a file: it is a directory,
  /// or its directory does not exist or is not writable.
  ///
  /// - Parameters:
  ///   - path: the file to be written.
  ///   - option: the command-line option that named it, for the message.
  static func check(_ path: String, option: String) throws {
    let files = FileManager.default
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if path.isEmpty { throw CLIError("\(option) is empty; give a file name") }
    if files.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw CLIError("\(option) '\(path)' is a directory; give a file name in it")
    }
    let parent = url.deletingLastPathComponent()
    guard files.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw CLIError("\(option) '\(path)': the directory '\(parent.path)' does not exist")
    }
    guard files.isWritableFile(atPath: parent.path) else {
      throw CLIError("\(option) '\(path)': the directory '\(parent.path)' is not writable")
    }
  }
}
