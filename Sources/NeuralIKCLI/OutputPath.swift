import ArgumentParser
import Foundation
import NeuralIK

/// A file a command will write, checked before any work: training for an hour and then failing
/// to write the model into a directory that does not exist loses the hour.
enum OutputPath {
  /// Throws a one-line error naming `option` when `path` cannot take a file: it is a directory,
  /// or its directory does not exist or is not writable.
  ///
  /// - Parameters:
  ///   - path: the file to be written.
  ///   - option: the command-line option that named it, for the message.
  ///   - inputs: the files the command reads, by the option that names them: writing over one
  ///     would destroy it (the robot file replaced by a model, say), so that is refused too.
  ///   - outputs: the command's other outputs, by option: two naming one file would leave only
  ///     the one written last.
  static func check(
    _ path: String, option: String, inputs: KeyValuePairs<String, String?> = [:],
    outputs: KeyValuePairs<String, String?> = [:]
  ) throws {
    for case (let inputOption, let input?) in inputs where sameFile(path, input) {
      throw ValidationError(
        "\(option) '\(path)' is the \(inputOption) file: writing it would destroy that input; give another file"
      )
    }
    for case (let outputOption, let output?) in outputs where sameFile(path, output) {
      throw ValidationError(
        "\(option) '\(path)' is the \(outputOption) file: one output would replace the other; give another file"
      )
    }
    let files = FileManager.default
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if path.isEmpty { throw CLIError("\(option) is empty; give a file name") }
    // Many tools read `-` as standard output; writing a file named `-` would surprise.
    if path == "-" {
      throw ValidationError(
        "\(option) - : results go to a file, not standard output; give a file name (./- for one named '-')")
    }
    if files.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw CLIError("\(option) '\(path)' is a directory; give a file name in it")
    }
    if OutputFile.isStandardStream(url) { return }
    guard let file = OutputFile.destination(of: url) else {
      // A link the kernel opens though it names no file (a pipe's `/proc/self/fd/1`) is written
      // through; one it cannot open is a loop.
      if files.fileExists(atPath: url.path) { return }
      throw CLIError("\(option) '\(path)' is a loop of symbolic links; give a file")
    }
    if let attributes = try? files.attributesOfItem(atPath: file.path) {
      // A device or a FIFO (`/dev/null`, a pipe) is written through: its directory does not count.
      guard attributes[.type] as? FileAttributeType == .typeRegular else { return }
      // A file made read-only says not to write it, even to root, and a rename in its directory
      // would replace it anyway.
      let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o644
      if mode & 0o222 == 0 || !files.isWritableFile(atPath: file.path) {
        throw CLIError("\(option) '\(path)' is read-only; make it writable, or give another file")
      }
    }
    // Through a link to a file not written yet, the file it names is created: its directory counts.
    let parent = file.deletingLastPathComponent()
    guard files.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw CLIError("\(option) '\(path)': the directory '\(parent.path)' does not exist")
    }
    guard files.isWritableFile(atPath: parent.path) else {
      throw CLIError("\(option) '\(path)': the directory '\(parent.path)' is not writable")
    }
  }

  /// Whether two paths name one file (through `.`, `..`, symbolic links and hard links).
  static func sameFile(_ a: String, _ b: String) -> Bool {
    func resolved(_ path: String) -> String {
      URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
    if resolved(a) == resolved(b) { return true }
    // The device and inode numbers, whichever integer type the platform's Foundation gives them.
    func identity(_ path: String) -> [UInt64]? {
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
      let numbers = [attributes[.systemNumber], attributes[.systemFileNumber]].compactMap {
        value -> UInt64? in
        switch value {
        case let number as UInt64: number
        case let number as Int: UInt64(bitPattern: Int64(number))
        case let number as NSNumber: number.uint64Value
        default: nil
        }
      }
      return numbers.count == 2 ? numbers : nil
    }
    guard let first = identity(a), let second = identity(b) else { return false }
    return first == second
  }
}
