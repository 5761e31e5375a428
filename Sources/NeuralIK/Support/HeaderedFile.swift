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

  /// How much more of a file beginning with `data` to read.
  func extent(_ data: Data) -> FileContents.Extent {
    // The version and the header's length follow the magic; the header follows them.
    let (versionAt, lengthAt, headerAt) = (magic.count, magic.count + 4, magic.count + 8)
    guard data.count >= magic.count else { return .readOn }
    guard data.starts(with: magic) else { return .stop }
    guard data.count >= headerAt else { return .readOn }
    let version = Self.uint32(data, at: versionAt)
    let headerLength = Int(Self.uint32(data, at: lengthAt))
    guard versions.contains(version), headerLength <= maximumHeaderLength else { return .stop }
    guard data.count >= headerAt + headerLength else { return .readOn }
    let header = Data(data.dropFirst(headerAt).prefix(headerLength))
    guard let body = bodyLength(header, version), body >= 0 else { return .stop }
    return .atMost(headerAt + headerLength + body)
  }
}
