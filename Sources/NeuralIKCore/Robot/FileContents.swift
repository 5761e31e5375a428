import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Why a file's bytes could not be read, in words that say what to do.
public enum FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Nothing is at the path.
  case missing
  /// The path is a directory.
  case directory
  /// The path is a symbolic link to nothing: a missing target, or a loop.
  case brokenLink
  /// The file, or a directory on its path, exists but this process may not read it.
  case permissionDenied
  /// The file holds more than `limit` bytes, the most read.
  case tooLarge(limit: Int)
  /// Reading failed for another reason: the system's message.
  case failed(String)

  /// What was wrong, as the end of "cannot read … 'path': …".
  public var description: String {
    switch self {
    case .missing: "it does not exist"
    case .directory: "it is a directory; give a file"
    case .brokenLink: "it is a symbolic link to nothing (its target is missing, or links loop)"
    case .permissionDenied: "it is not readable (check its permissions, and those of its directories)"
    case .tooLarge(let limit): "it holds more than \(limit) bytes; at most \(limit) are read"
    case .failed(let reason): reason
    }
  }
}

/// Reads a whole file that a user named: a regular file, or a pipe or device (`<(…)`,
/// `/dev/stdin`), which `Data(contentsOf:)` refuses and `FileManager.contents(atPath:)` reports as
/// missing.
public enum FileContents {
  /// What the bytes read so far say of how much more to read.
  public enum Extent: Sendable, Equatable {
    /// Nothing yet: read on, up to the limit.
    case readOn
    /// The file is not of its format (its magic, version or first line is wrong): stop, and let
    /// its reader refuse what was read, rather than read an endless or huge file to its end.
    case stop
    /// The file's own header says it holds at most this many bytes: read at most one more, so
    /// that its reader sees any trailing byte (and keep what a chunk already read past them, so
    /// that it counts them).
    case atMost(Int)
    /// The file is of its format, and its first bytes do not say how long it is: read to its
    /// end, up to the limit.
    case toTheEnd
  }

  /// The bytes of the file at `url`, reading at most `limit + 1` of them: a file endless as
  /// `/dev/zero` is refused as too large rather than filling memory.
  ///
  /// - Parameters:
  ///   - url: the file.
  ///   - limit: the most bytes read.
  ///   - extent: asked after each chunk (a mebibyte) with every byte read so far, until it
  ///     answers other than ``Extent/readOn``: its first other answer holds for the rest.
  /// - Throws: ``FileReadError`` saying which of missing, directory, unreadable, too large or a
  ///   read error it was.
  public static func read(
    _ url: URL, limit: Int = .max, extent: (Data) -> Extent = { _ in .readOn }
  ) throws(FileReadError) -> Data {
    let handle = try open(url)
    defer { try? handle.close() }
    var data = Data()
    var readUpTo = limit
    var decided = false
    // Chunks, rather than one read of `limit + 1`, so that a short file never reserves that much.
    let chunk = 1 << 20
    do {
      while data.count <= readUpTo {
        let wanted = readUpTo - data.count < chunk ? readUpTo - data.count + 1 : chunk
        guard let part = try handle.read(upToCount: wanted), !part.isEmpty else { break }
        data.append(part)
        guard !decided else { continue }
        switch extent(data) {
        case .readOn: break
        case .stop: return data
        case .atMost(let count):
          readUpTo = min(readUpTo, max(count, 0))
          decided = true
        case .toTheEnd: decided = true
        }
      }
    } catch {
      throw .failed(error.localizedDescription)
    }
    guard data.count <= limit else { throw .tooLarge(limit: limit) }
    return data
  }

  /// Checks that the file at `url` exists, is no directory and may be read, opening none of it
  /// (opening a FIFO would take its writer's data): what a command checks of its inputs before
  /// any work.
  ///
  /// - Throws: ``FileReadError`` saying which of missing, a link to nothing, directory or
  ///   unreadable it is.
  public static func checkReadable(_ url: URL) throws(FileReadError) {
    let path = url.path
    var status = stat()
    if stat(path, &status) != 0 {
      switch errno {
      case ENOENT, ENOTDIR:
        var link = stat()
        throw lstat(path, &link) == 0 ? .brokenLink : .missing
      case ELOOP: throw .brokenLink
      case EACCES: throw .permissionDenied
      default: throw .failed(String(cString: strerror(errno)))
      }
    }
    if status.st_mode & S_IFMT == S_IFDIR { throw .directory }
    if access(path, R_OK) != 0 { throw .permissionDenied }
  }

  /// The size in bytes of the regular file at `url`, or `nil` for a pipe, a device or anything
  /// that cannot be stat'ed: what a reader that stopped early says of the bytes it left unread.
  public static func regularFileSize(_ url: URL) -> Int? {
    var status = stat()
    guard stat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
    return Int(status.st_size)
  }

  private static func open(_ url: URL) throws(FileReadError) -> FileHandle {
    try checkReadable(url)
    do {
      return try FileHandle(forReadingFrom: url)
    } catch {
      throw .failed(error.localizedDescription)
    }
  }
}
