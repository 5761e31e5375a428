import Foundation

/// The layout of the files this package writes with a JSON header, models and maps: an 8-byte
/// magic, a little-endian UInt32 format version, a UInt32 header length, the header, then a body
/// whose length the header gives. From it, how much of such a file to read
/// (``FileContents/Extent``): nothing past a wrong magic, version or header length, and no chunk
/// past the body the header declares, so that a corrupt or endless file is refused after its
/// first chunk or its declared length rather than read whole.
struct HeaderedFile: Sendable {
  /// The bytes such a file begins with.
  let magic: [UInt8]
  /// The format versions this build reads.
  let versions: [UInt32]
  /// A longer header is no header this build wrote.
  let maximumHeaderLength: Int
  /// The bytes after the header that `header` (its JSON) and the version declare, or `nil` when
  /// the header declares none this build would read; its reader then says what is wrong.
  let bodyLength: @Sendable (_ header: Data, _ version: UInt32) -> Int?

  /// A little-endian UInt32 at `offset` from the start of `bytes`.
  static func uint32<Bytes: Collection<UInt8>>(_ bytes: Bytes, at offset: Int) -> UInt32
  where Bytes.Index == Int {
    (0..<4).reduce(0) { $0 | UInt32(bytes[bytes.startIndex + offset + $1]) << (8 * $1) }
  }

  /// What the first bytes of such a file hold.
  struct Prefix: Sendable {
    /// The format version.
    let version: UInt32
    /// The header's bytes (JSON).
    let header: Data
    /// The offset at which the body begins.
    let bodyStart: Int
  }

  /// Why a file's first bytes are not such a prefix; each reader words it as its own error.
  enum PrefixProblem: Error, Sendable, Equatable {
    /// The magic is wrong, or the bytes are fewer than the magic's.
    case notOfFormat
    /// The bytes end before this many, which the prefix needs.
    case truncated(expectedBytes: Int)
    /// A version this build does not read.
    case unsupportedVersion(UInt32)
    /// A header longer than ``maximumHeaderLength``.
    case headerTooLong(Int)
  }

  /// Reads the magic, the version and the header from a file's first bytes: the one parse of the
  /// prefix that the readers and ``extent(_:)`` share.
  func prefix<Bytes: Collection<UInt8>>(of bytes: Bytes) throws(PrefixProblem) -> Prefix
  where Bytes.Index == Int {
    // The version and the header's length follow the magic; the header follows them.
    let (versionAt, lengthAt, headerAt) = (magic.count, magic.count + 4, magic.count + 8)
    guard bytes.count >= magic.count, bytes.starts(with: magic) else { throw .notOfFormat }
    guard bytes.count >= headerAt else { throw .truncated(expectedBytes: headerAt) }
    let version = Self.uint32(bytes, at: versionAt)
    guard versions.contains(version) else { throw .unsupportedVersion(version) }
    let headerLength = Int(Self.uint32(bytes, at: lengthAt))
    guard headerLength <= maximumHeaderLength else { throw .headerTooLong(headerLength) }
    guard bytes.count >= headerAt + headerLength else {
      throw .truncated(expectedBytes: headerAt + headerLength)
    }
    return Prefix(
      version: version, header: Data(bytes.dropFirst(headerAt).prefix(headerLength)),
      bodyStart: headerAt + headerLength)
  }

  /// The bytes after a body, where a reader of `read` (the first bytes of the file at `url`) found
  /// `count`: a read stops a chunk past the body, so a regular file's size gives the whole count,
  /// and a pipe's is only a least one.
  static func trailingBytes(_ count: Int, read: Data, of url: URL) -> (count: Int, atLeast: Bool) {
    guard let size = FileContents.regularFileSize(url), size >= read.count else { return (count, true) }
    // In this order, as a sparse file's size may be Int.max.
    return (size - read.count + count, false)
  }

  /// "N unexpected bytes", or "at least N …", for a reader's error.
  static func trailingBytesPhrase(_ count: Int, atLeast: Bool) -> String {
    "\(atLeast ? "at least " : "")\(count) unexpected byte\(count == 1 ? "" : "s")"
  }

  /// ``prefix(of:)``, its problems worded as `E`, the reader's own error: a version this build does
  /// not read names the newest it does, and a header too long the most it reads.
  func prefix<E: HeaderedFileError>(of bytes: [UInt8], as _: E.Type) throws(E) -> Prefix {
    do {
      return try prefix(of: bytes)
    } catch {
      switch error {
      case .notOfFormat: throw .notOfFormat
      case .truncated(let expected): throw .truncated(expectedBytes: expected, foundBytes: bytes.count)
      case .unsupportedVersion(let found):
        throw .unsupportedVersion(found: found, supported: versions.max() ?? 0)
      case .headerTooLong(let length):
        throw .corruptHeader("its length \(length) exceeds \(maximumHeaderLength) bytes")
      }
    }
  }

  /// How much more of a file beginning with `data` to read.
  func extent(_ data: Data) -> FileContents.Extent {
    guard data.count >= magic.count else { return .readOn }
    do {
      let prefix = try prefix(of: data)
      guard let body = bodyLength(prefix.header, prefix.version), body >= 0 else { return .stop }
      return .atMost(prefix.bodyStart + body)
    } catch .truncated {
      return .readOn
    } catch {
      return .stop
    }
  }
}

/// A reader's error for a ``HeaderedFile``: the cases its prefix's problems are worded as.
protocol HeaderedFileError: Error {
  /// The magic is not this format's.
  static var notOfFormat: Self { get }
  /// The file ends after `foundBytes`; its prefix needs `expectedBytes`.
  static func truncated(expectedBytes: Int, foundBytes: Int) -> Self
  /// A version this build does not read; the newest it does.
  static func unsupportedVersion(found: UInt32, supported: UInt32) -> Self
  /// The header is not one this build wrote.
  static func corruptHeader(_ detail: String) -> Self
}

extension ModelFileError: HeaderedFileError {
  static var notOfFormat: Self { .notAModel }
}

extension ReachabilityMapError: HeaderedFileError {
  static var notOfFormat: Self { .notAMap }
}
