import HummingbirdWebSocket
import NIOCore

/// What one connection may take before the server answers it with an error and closes it, or
/// closes it without an answer when there is nothing to answer.
///
/// Every limit is enforced from the first byte of a connection, not only after its first
/// request: a malformed or oversized request head gets a 4xx JSON answer
/// (`{"error": "…"}`) followed by the close, and a client that sends nothing, or trickles its
/// request, is disconnected after a bounded time. `RequestReadGuard` applies the timeouts and
/// answers the request decoder's errors; NIO's HTTP/1 decoder (llhttp) enforces the sizes.
public struct ConnectionLimits: Sendable {
  /// Time to send a complete request head: from the connection opening for its first request,
  /// from the first byte of a later one. A head not complete by then gets a 408 answer; a
  /// connection that sent nothing at all is closed without one.
  public var requestHeadTimeout: Duration
  /// Time to send a request's body, from the end of its head to the end of the body (a 4 MiB
  /// body needs 140 KB/s; the page's requests are a few hundred bytes). Past it, the request gets
  /// a 408 answer. Keep it below `idleTimeout`, which closes a stalled body without one.
  public var requestBodyTimeout: Duration
  /// Time a keep-alive connection may sit between requests, with nothing sent.
  public var idleTimeout: Duration
  /// How long an answer may wait for a client that has stopped reading it (the socket and the
  /// connection's write buffer full, nothing taken) before the connection is closed
  /// (`SendStallGuard`). Whenever fewer bytes wait than at the last look, the wait starts again.
  public var sendStallTimeout: Duration
  /// After an error answer, how long the server keeps reading, and discarding, what the client
  /// still sends before closing for good. Closing with unread input resets the connection, and a
  /// reset can destroy the answer before the client has read it.
  public var lingerTimeout: Duration
  /// The most the server discards while lingering (bytes).
  public var lingerBytes: Int
  /// Longest request line (the URL, 414 beyond it) and longest header field (431), in bytes.
  public var maxHeaderFieldSize: Int
  /// Largest request head: request line and header fields together, in bytes (431).
  public var maxHeaderListSize: Int
  /// Most header fields in one request (431).
  public var maxHeaderFieldCount: Int
  /// Largest WebSocket frame, in bytes, as large as a message may be.
  public var maxWebSocketFrameSize: Int
  /// Origins (`http://host:port`, as ``normalizedOrigin(_:)`` writes them) besides the server's
  /// own whose pages may call it from a browser (`*`: any); others get a 403 (`neural-ik serve
  /// --allow-origin`).
  public var allowedOrigins: Set<String>
  /// Most connections open at once, WebSockets included: a connection past them is closed as it
  /// is accepted. By default the soft limit of open files (`ulimit -n`) less an eighth of it (at
  /// least 64) kept for the process itself, which a process out of descriptors loses to an abort.
  public var maxConnections: Int
  /// Largest request body any route takes, in bytes (413 beyond it): one declared larger is
  /// refused on its head, before a byte of it is read.
  public static let maxBodySize = 4 << 20

  /// The limits `neural-ik serve` runs with: a head within 20 s of the connection (or of its
  /// first byte) and a body within 30 s of its head; 60 s idle between requests; 30 s for a
  /// client that has stopped reading its answer to read some of it; at most 100
  /// header fields of at most 16 KiB (the request line too), 64 KiB in all; WebSocket frames of
  /// at most 1 MiB; after an error answer, at most 2 s or 1 MiB of lingering; browsers' requests
  /// from the server's own pages only.
  public init(
    requestHeadTimeout: Duration = .seconds(20), requestBodyTimeout: Duration = .seconds(30),
    idleTimeout: Duration = .seconds(60), sendStallTimeout: Duration = .seconds(30),
    lingerTimeout: Duration = .seconds(2), lingerBytes: Int = 1 << 20,
    maxHeaderFieldSize: Int = 16 * 1024, maxHeaderListSize: Int = 64 * 1024, maxHeaderFieldCount: Int = 100,
    maxWebSocketFrameSize: Int = 1 << 20, allowedOrigins: Set<String> = [], maxConnections: Int? = nil
  ) {
    self.maxConnections =
      maxConnections
      ?? ConnectionAdmission.connections(withinDescriptorLimit: ConnectionAdmission.descriptorLimit)
    self.requestHeadTimeout = requestHeadTimeout
    self.requestBodyTimeout = requestBodyTimeout
    self.idleTimeout = idleTimeout
    self.sendStallTimeout = sendStallTimeout
    self.lingerTimeout = lingerTimeout
    self.lingerBytes = lingerBytes
    self.maxHeaderFieldSize = maxHeaderFieldSize
    self.maxHeaderListSize = maxHeaderListSize
    self.maxHeaderFieldCount = maxHeaderFieldCount
    self.maxWebSocketFrameSize = maxWebSocketFrameSize
    self.allowedOrigins = allowedOrigins
  }

  /// `text` as a browser sends an origin: `http://` or `https://`, then the host in lower case
  /// and a port unless it is the scheme's default (`HTTP://Friend.example:80` is
  /// `http://friend.example`); `nil` for anything else (a path, user information, white space,
  /// a list), which no browser sends.
  public static func normalizedOrigin(_ text: String) -> String? {
    let lower = text.lowercased()
    for (scheme, port) in [("http://", ":80"), ("https://", ":443")] where lower.hasPrefix(scheme) {
      let authority = lower.dropFirst(scheme.count)
      guard !authority.isEmpty,
        authority.unicodeScalars.allSatisfy({ scalar in
          scalar.isASCII && scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            || "-_.:[]".unicodeScalars.contains(scalar)
        })
      else { return nil }
      // A port, after the host (an IPv6 host is in brackets), is 1 to 65535: no browser sends another.
      let host = authority.lastIndex(of: "]").map { authority[authority.index(after: $0)...] } ?? authority
      if let colon = host.lastIndex(of: ":") {
        let digits = host[host.index(after: colon)...]
        guard let number = Int(digits), digits.allSatisfy({ ("0"..."9").contains($0) }),
          (1...65535).contains(number)
        else {
          return nil
        }
      }
      return scheme + (authority.hasSuffix(port) ? String(authority.dropLast(port.count)) : String(authority))
    }
    return nil
  }

  /// The server listens on a loopback address only: an origin must then also name it so
  /// (`RequestReadGuard.refusedOrigin`). Set by `buildApplication` from its host.
  var listensOnLoopback = false

  /// Hummingbird's part: the decoder's size limits, the idle timeout between requests, and
  /// WebSocket frames at most `maxWebSocketFrameSize`, text valid UTF-8.
  var channelConfiguration: HTTP1WebSocketUpgradeChannel.Configuration {
    HTTP1WebSocketUpgradeChannel.Configuration(
      http1: .init(
        idleTimeout: TimeAmount(idleTimeout),
        httpDecoderConfiguration: .init(
          maxHeaderFieldSize: maxHeaderFieldSize, maxHeaderListSize: maxHeaderListSize,
          maxHeaderFieldCount: maxHeaderFieldCount)),
      ws: .init(
        maxFrameSize: maxWebSocketFrameSize, closeTimeout: Self.webSocketCloseTimeout, validateUTF8: true))
  }

  /// How long a closing WebSocket waits for its client's close frame before it drops the
  /// connection (the library's default is 15 s): on shutdown, the longest a client that never
  /// answers holds the server.
  static let webSocketCloseTimeout: Duration = .seconds(3)
}
