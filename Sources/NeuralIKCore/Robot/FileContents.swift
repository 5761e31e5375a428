import Foundation

/// Why a file's bytes could not be read, in words that say what to do.
public enum FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Nothing is at the path.
  case missing
  /// The path is a directory.
  case directory
  /// The file exists but this process may not read it.
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
    case .permissionDenied: "it is not readable (check its permissions)"
    case .tooLarge(let limit): "it holds more than \(limit) bytes; at most \(limit) are read"
    case .failed(let reason): reason
    }
  }
}

/// Reads a whole file that a user named: a regular file, or a pipe or device (`<(…)`,
/// `/dev/stdin`), which `Data(contentsOf:)` refuses and `FileManager.contents(atPath:)` reports as
/// missing.
public enum FileContents {
  /// The bytes of the file at `url`, reading at most `limit + 1` of them: a file endless as
  /// `/dev/zero` is refused as too large rather than filling memory.
  ///
  /// - Parameters:
  ///   - url: the file.
  ///   - limit: the most bytes read.
  ///   - magic: the bytes a file of its format begins with: a file that begins otherwise is
  ///     returned after its first chunk, for its reader to refuse, rather than read to the end.
  /// - Throws: ``FileReadError`` saying which of missing, directory, unreadable, too large or a
  ///   read error it was.
  public static func read(_ url: URL, limit: Int = .max, magic: [UInt8] = []) throws(FileReadError) -> Data {
    let path = url.path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .missing }
    if isDirectory.boolValue { throw .directory }
    let handle: FileHandle
    do {
      handle = try FileHandle(forReadingFrom: url)
    } catch {
      throw FileManager.default.isReadableFile(atPath: path)
        ? .failed(error.localizedDescription) : .permissionDenied
    }
    defer { try? handle.close() }
    var data = Data()
    // Chunks, rather than one read of `limit + 1`, so that a short file never reserves that much.
    let chunk = 1 << 20
    do {
      while data.count <= limit {
        let wanted = limit - data.count < chunk ? limit - data.count + 1 : chunk
        guard let part = try handle.read(upToCount: wanted), !part.isEmpty else { break }
        data.append(part)
        if data.count >= magic.count, !data.starts(with: magic) { return data }
      }
    } catch {
      throw .failed(error.localizedDescription)
    }
    guard data.count <= limit else { throw .tooLarge(limit: limit) }
    return data
  }
}
