import NIOCore

/// Reads the frame headers of a WebSocket client's byte stream, from a frame boundary on, and
/// finds the first frame that breaks the protocol (RFC 6455 §5), or declares more than the size
/// limit.
///
/// A client masks every frame it sends (§5.1), sets no reserved bit without an extension that
/// defines it (§5.2; the server negotiates none), uses the opcodes §5.2 defines, sends control
/// frames whole and within 125 bytes (§5.5), and continues a message only while one is fragmented
/// (§5.4). NIO's frame decoder accepts unmasked frames, and hummingbird-websocket closes on the
/// others with a bare 1002 that says nothing of what was wrong; so the connection's
/// `RequestBytesObserver` runs the raw bytes through this after the upgrade, and closes with the
/// code and a reason. It keeps at most one header (14 bytes) between reads and allocates nothing
/// else.
struct WebSocketFrameCheck {
  /// The header bytes of the frame being read, until its length and mask bit are known.
  private var header: [UInt8] = []
  /// Payload bytes (and mask key) of the current frame still to skip.
  private var remaining: UInt64 = 0
  /// Whether a data frame without FIN began a message that continuation frames must finish.
  private var fragmented = false
  /// The largest payload a frame may declare; a larger one is refused on its header.
  private let maxFrameSize: UInt64

  /// Why a frame is refused, and the close frame the server answers it with.
  enum Refusal: Equatable {
    /// Not masked: 1002.
    case unmasked
    /// Any of RSV1–3 set: 1002.
    case reservedBits
    /// An opcode RFC 6455 reserves (3–7, 0xB–0xF): 1002.
    case unknownOpcode(UInt8)
    /// A control frame (close, ping, pong) in fragments, or with more than 125 bytes: 1002.
    case malformedControl
    /// A continuation frame with no fragmented message to continue: 1002.
    case strayContinuation
    /// A new text or binary message before the fragmented one ended: 1002.
    case interleavedMessage
    /// Declares more than the frame size limit (`declared` payload bytes): 1009.
    case tooLarge(declared: UInt64)

    /// The close code and the reason a client reads in the close frame.
    func close(maxFrameSize: UInt64) -> (code: UInt16, reason: String) {
      switch self {
      case .unmasked: return (1002, "client frames must be masked (RFC 6455 section 5.1)")
      case .reservedBits:
        return (1002, "reserved bits RSV1-3 must be 0: no extension was negotiated (RFC 6455 section 5.2)")
      case .unknownOpcode(let opcode):
        return (
          1002,
          "opcode \(opcode) is reserved; frames are text (1), binary (2), continuation (0), close, ping, pong"
        )
      case .malformedControl:
        return (
          1002, "a close, ping or pong frame must be whole and hold at most 125 bytes (RFC 6455 section 5.5)"
        )
      case .strayContinuation:
        return (1002, "a continuation frame came with no fragmented message to continue")
      case .interleavedMessage:
        return (1002, "a new message began before the fragmented one ended; finish it with FIN first")
      case .tooLarge: return (1009, "a frame may hold at most \(maxFrameSize) bytes; send smaller messages")
      }
    }
  }

  /// The close frame for `refusal`: its code and reason (unmasked, as every server frame is).
  func closeFrame(for refusal: Refusal) -> [UInt8] {
    let (code, reason) = refusal.close(maxFrameSize: maxFrameSize)
    // A close frame's payload is at most 125 bytes: the code and up to 123 of the reason (ASCII).
    let text = Array(reason.utf8.prefix(123))
    return [0x88, UInt8(2 + text.count), UInt8(code >> 8), UInt8(code & 0xFF)] + text
  }

  init(maxFrameSize: Int = .max) {
    self.maxFrameSize = UInt64(max(0, maxFrameSize))
  }

  /// Reads `buffer`, the next bytes of the stream: `nil` while every frame keeps the protocol and
  /// the size limit, else how many of its bytes come before the first frame that does not (0 when
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
      if header.count == 2, let refusal = refusal(first: header[0], second: header[1]) {
        return (headerStart - bytes.startIndex, refusal)
      }
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

  /// What is wrong with a frame whose header begins `first`, `second`, if anything; a data frame
  /// that passes moves the fragmentation state on.
  private mutating func refusal(first: UInt8, second: UInt8) -> Refusal? {
    let fin = first & 0x80 != 0
    let opcode = first & 0x0F
    if first & 0x70 != 0 { return .reservedBits }
    switch opcode {
    case 0:
      guard fragmented else { return .strayContinuation }
      fragmented = !fin
    case 1, 2:
      guard !fragmented else { return .interleavedMessage }
      fragmented = !fin
    case 8, 9, 10:
      if !fin || second & 0x7F > 125 { return .malformedControl }
    default: return .unknownOpcode(opcode)
    }
    return second & 0x80 == 0 ? .unmasked : nil
  }
}
