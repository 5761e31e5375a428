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
/// - a new file is written atomically.
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
    let resolved = url.resolvingSymlinksInPath()
    let attributes: [FileAttributeKey: Any]
    do {
      attributes = try files.attributesOfItem(atPath: resolved.path)
    } catch {
      // Nothing there: a new file. A link whose target cannot be named as a path (a process's
      // `/proc/self/fd/1` is `pipe:[…]`) is written through.
      if (try? files.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType) == .typeSymbolicLink {
        try writeThrough(data, to: url)
      } else {
        try data.write(to: url, options: .atomic)
      }
      return
    }
    switch attributes[.type] as? FileAttributeType {
    case .typeRegular?:
      try data.write(to: resolved, options: .atomic)
      if let mode = attributes[.posixPermissions] as? NSNumber {
        try? files.setAttributes([.posixPermissions: mode], ofItemAtPath: resolved.path)
      }
    case .typeDirectory?:
      throw CocoaError(
        .fileWriteInvalidFileName, userInfo: [NSLocalizedDescriptionKey: "it is a directory; name a file"])
    default:
      try writeThrough(data, to: url)
    }
  }

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
