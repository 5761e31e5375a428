import NIOCore

/// Reads the frame headers of a WebSocket client's byte stream, from a frame boundary on, and
/// finds the first frame that is not masked, or declares more than the size limit.
///
/// RFC 6455 §5.1: a client masks every frame it sends, and a server that receives an unmasked one
/// must close the connection (with 1002, protocol error). NIO's frame decoder accepts either, so
/// the connection's `RequestBytesObserver` runs the raw bytes through this after the upgrade.
/// It keeps at most one header (14 bytes) between reads and allocates nothing else.
struct WebSocketMaskCheck {
  /// The header bytes of the frame being read, until its length and mask bit are known.
  private var header: [UInt8] = []
  /// Payload bytes (and mask key) of the current frame still to skip.
  private var remaining: UInt64 = 0
  /// The largest payload a frame may declare; a larger one is refused on its header.
  private let maxFrameSize: UInt64

  /// Why a frame is refused, and the close frame the server answers it with.
  enum Refusal: Equatable {
    /// Not masked: 1002.
    case unmasked
    /// Declares more than the frame size limit (`declared` payload bytes): 1009.
    case tooLarge(declared: UInt64)
  }

  /// The close frame for `refusal`: its code and reason (unmasked, as every server frame is).
  func closeFrame(for refusal: Refusal) -> [UInt8] {
    switch refusal {
    case .unmasked: return Self.closeFrame
    case .tooLarge:
      let reason = Array("a frame may hold at most \(maxFrameSize) bytes; send smaller messages".utf8)
      return [0x88, UInt8(2 + reason.count), 0x03, 0xF1] + reason
    }
  }

  init(maxFrameSize: Int = .max) {
    self.maxFrameSize = UInt64(max(0, maxFrameSize))
  }

  /// Reads `buffer`, the next bytes of the stream: `nil` while every frame is masked and within
  /// the size limit, else how many of its bytes come before the first frame that is not (0 when
  /// that frame's header began in an earlier read), and why.
  mutating func firstRefusedFrame(in buffer: ByteBuffer) -> (offset: Int, refusal: Refusal)? {
    let bytes = buffer.readableBytesView
    var index = bytes.startIndex
    var headerStart = bytes.startIndex
    while index < bytes.endIndex {
      if remaining > 0 {
        let skipped = Int(min(remaining, UInt64(bytes.endIndex - index)))
        index += skipped
        remaining -= UInt64(skipped)
        continue
      }
      if header.isEmpty { headerStart = index }
      header.append(bytes[index])
      index += 1
      guard header.count >= 2 else { continue }
      if header[1] & 0x80 == 0 { return (headerStart - bytes.startIndex, .unmasked) }
      let short = header[1] & 0x7F
      let lengthBytes = short == 126 ? 2 : short == 127 ? 8 : 0
      guard header.count == 2 + lengthBytes else { continue }
      var length = UInt64(short)
      if lengthBytes > 0 {
        length = header[2...].reduce(0) { $0 << 8 | UInt64($1) }
      }
      if length > maxFrameSize { return (headerStart - bytes.startIndex, .tooLarge(declared: length)) }
      // The mask key, then the payload. A length beyond 2⁶³ is the decoder's to refuse; the sum
      // saturates rather than traps.
      remaining = length.addingReportingOverflow(4).overflow ? .max : length + 4
      header.removeAll(keepingCapacity: true)
    }
    return nil
  }

  /// The close frame a server sends for an unmasked client frame: 1002 with its reason
  /// (unmasked, as every server frame is).
  static let closeFrame: [UInt8] = {
    let reason = Array("client frames must be masked (RFC 6455 section 5.1)".utf8)
    return [0x88, UInt8(2 + reason.count), 0x03, 0xEA] + reason
  }()
}
