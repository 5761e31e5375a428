import Foundation

/// Writes a command's or the library's output file as a shell's redirection would treat the
/// path, but without leaving half a file behind.
///
/// `Data.write(to:options: .atomic)` writes a temporary file and renames it over the path. That
/// keeps an earlier file whole when a write fails, but a rename replaces whatever the path names:
/// run as root, `--out /dev/full` turned the device into a regular file, `--out /dev/stdout` would
/// delete that symlink, `--out link` replaced the link instead of writing its target, and a file's
/// mode fell back to the default. So:
/// - a regular file (or a link to one) is replaced atomically, at the link's target, keeping its
///   mode;
/// - `/dev/stdout` and `/dev/stderr` (or `/dev/fd/1`, …) are the process's own streams, wherever
///   they were redirected;
/// - a device, a FIFO or a socket (or a link to one) is written through, so that `/dev/full` fails
///   with "no space left" and a FIFO's reader gets the data;
/// - a directory is refused;
/// - a new file is written atomically, as is the file that a link to nothing yet names (a
///   shell's `> link` creates it; opening the link for writing failed with "the file doesn't
///   exist", after the command's work was done).
package enum OutputFile {
  /// Writes `data` to `url` by the rules above.
  ///
  /// - Throws: the file system's error, or `CocoaError(.fileWriteInvalidFileName)` for a
  ///   directory.
  package static func write(_ data: Data, to url: URL) throws {
    // The process's own output, by a name for it: reopened by that name, a redirected stdout is
    // a regular file, which a rename would replace and an open from its start would overwrite.
    if let stream = standardStreams[url.path] {
      try stream.write(contentsOf: data)
      return
    }
    let files = FileManager.default
    // The file at the end of the links, which a link to a file not written yet names. A link
    // whose target cannot be named as a path (a process's `/proc/self/fd/1` is `pipe:[…]`) is
    // written through.
    guard let file = destination(of: url) else {
      try writeThrough(data, to: url)
      return
    }
    let attributes: [FileAttributeKey: Any]
    do {
      attributes = try files.attributesOfItem(atPath: file.path)
    } catch {
      // Nothing at the path the links name, but the kernel opens the link: a process's descriptor
      // of a deleted file (`/proc/self/fd/3` names `…/x (deleted)`), written through. Else a new file.
      if file != url, files.fileExists(atPath: url.path) {
        try writeThrough(data, to: url)
      } else {
        try data.write(to: file, options: .atomic)
      }
      return
    }
    switch attributes[.type] as? FileAttributeType {
    case .typeRegular?:
      try data.write(to: file, options: .atomic)
      if let mode = attributes[.posixPermissions] as? NSNumber {
        try? files.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
      }
    case .typeDirectory?:
      throw CocoaError(
        .fileWriteInvalidFileName, userInfo: [NSLocalizedDescriptionKey: "it is a directory; name a file"])
    default:
      try writeThrough(data, to: file)
    }
  }

  /// The file that writing `url` creates or replaces: `url` itself, or at the end of the symbolic
  /// links from it, each read relative to its own directory; `nil` when a link names no path (a
  /// pipe's or a socket's `pipe:[…]`), or there are more than 32 of them (a loop).
  ///
  /// - Parameter url: a file path.
  /// - Returns: the path of the file itself.
  package static func destination(of url: URL) -> URL? {
    let files = FileManager.default
    var current = url
    for _ in 0..<32 {
      guard
        (try? files.attributesOfItem(atPath: current.path)[.type] as? FileAttributeType) == .typeSymbolicLink
      else { return current }
      guard let target = try? files.destinationOfSymbolicLink(atPath: current.path), !target.contains(":[")
      else {
        return nil
      }
      // A relative target is read from the link's directory as the kernel finds it: through the
      // links on the way there, before any `..` in the target (`dir/x -> ../y`, with `dir` a link
      // to `a/b`, names `a/y`, not `y` beside `dir`).
      let directory = current.deletingLastPathComponent()
      current =
        target.hasPrefix("/")
        ? URL(fileURLWithPath: target)
        : URL(fileURLWithPath: realDirectory(directory.path) ?? directory.path).appendingPathComponent(target)
    }
    return nil
  }

  /// `path`, a directory, with every link on the way resolved (`realpath`); `nil` when it does
  /// not exist.
  private static func realDirectory(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Whether `url` names the process's own standard output or error, which ``write(_:to:)``
  /// writes to whatever they were redirected to.
  package static func isStandardStream(_ url: URL) -> Bool { standardStreams[url.path] != nil }

  private static let standardStreams: [String: FileHandle] = [
    "/dev/stdout": .standardOutput, "/dev/fd/1": .standardOutput, "/proc/self/fd/1": .standardOutput,
    "/dev/stderr": .standardError, "/dev/fd/2": .standardError, "/proc/self/fd/2": .standardError,
  ]

  private static func writeThrough(_ data: Data, to url: URL) throws {
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.write(contentsOf: data)
  }
}
