import Foundation
import NIOCore
import NIOHTTP1

/// Bounds the time one HTTP/1 connection may take to send its requests, and answers what the
/// request decoder refuses, from the connection's first byte on.
///
/// Hummingbird's WebSocket-upgrade channel adds its idle timeout and its answer to a decoder error
/// only once a first request head has been decoded: before that, a refused head or a silent client
/// held the connection open for good. This handler sits right after NIO's request decoder, so it
/// sees every decoded request part, every decoder error and every response part. It
/// - closes a connection whose first request head is not complete `requestHeadTimeout` after it
///   opened (with a 408 answer if part of it came, without one if nothing did), and answers 408 to
///   a later request whose head takes longer than that from its first byte, or whose body takes
///   longer than `requestBodyTimeout` from the end of its head;
/// - answers a decoder error (an oversized head or URL, an unknown method, conflicting framing…)
///   with its status and `{"error": "…"}`, after the responses owed before it;
/// - then closes the output at once and the connection after lingering: input is read and
///   discarded until the client closes, for at most `lingerTimeout` or `lingerBytes`, because
///   closing with unread input resets the connection and a reset can destroy the answer.
///
/// Once a WebSocket upgrade is answered (101) it leaves the pipeline; its byte observer stays and
/// checks the client's frame headers (``WebSocketFrameCheck``), closing with 1002 and a reason at the
/// first that breaks the protocol (no mask, a reserved bit or opcode, a malformed control frame, a
/// broken fragmentation), when the client's frames begin after the 101 (RFC 6455 §4.1: a client
/// waits for it).
/// Everything runs on the channel's event loop; besides a timer for each request head and body,
/// it allocates only to write an answer.
final class RequestReadGuard: ChannelDuplexHandler, RemovableChannelHandler {
  // `Any` rather than the HTTP part types: when a WebSocket upgrade removes the decoder, raw bytes
  // can pass here before the 101 does, and unwrapping them as HTTP parts would trap.
  typealias InboundIn = Any
  typealias InboundOut = Any
  typealias OutboundIn = Any
  typealias OutboundOut = Any

  private enum State {
    /// Waiting for a request head, from the connection opening or the end of the last request.
    case awaitingHead
    /// A head has been passed on; its body (often empty) follows.
    case readingBody
    /// Input is discarded; once every response owed is written, the answer (if any) follows
    /// and the connection closes.
    case rejecting(APIError?)
    /// Output closed; input is read and discarded until the client closes or a limit runs out.
    case lingering
    /// Upgraded to WebSocket, or closed: nothing left to guard.
    case done
  }

  private enum Deadline { case head, body, linger }

  private let limits: ConnectionLimits
  /// Marked closed when the client closes its side: the server lets a client half-close (to read
  /// the answer after), but work for one that has closed is, as nginx counts it (its 499), work
  /// for a client that is gone.
  private var liveness: ConnectionLiveness?
  private var context: ChannelHandlerContext?
  private var state = State.awaitingHead
  /// Bytes of the awaited request head have arrived.
  private var headStarted = false
  /// A line feed has arrived since the awaited head began: its request line is complete. (A
  /// pipelined head that begins in the same read as the end of the request before it is scanned
  /// from the next read on, so an overflow of its header fields can be taken for the URL's.)
  private var requestLineComplete = false
  /// A line of the awaited head ended in a line feed without a carriage return before it, which
  /// the decoder refuses under whatever name it meets first (an HTTP version that is not one, for
  /// `GET / HTTP/1.1\n`): the answer names the line ending instead. Scanned as `requestLineComplete`.
  private var bareLineFeed = false
  /// The last byte scanned was a carriage return (it may end one read, its line feed begin the next).
  private var lastByteWasCarriageReturn = false
  /// Bytes of the head's current line scanned so far, and whether its empty last line has ended
  /// it: a body's line feeds are not the head's.
  private var lineLength = 0
  private var headEnded = false
  /// A line with something on it has ended: empty lines before the request line, which a server
  /// ignores (RFC 9112, section 2.2), do not end the head.
  private var headHasLine = false
  private var requestsRead = 0
  /// Body bytes of the request being read. A chunked body declares no length: one that grows
  /// past ``ConnectionLimits/maxBodySize`` is refused there, and the connection closes after the
  /// 413, rather than reading and dropping the rest for as long as the client sends it.
  private var bodyBytes = 0
  private var responsesWritten = 0
  private var discardedBytes = 0
  private var timer: Scheduled<Void>?
  /// The 101 has been written: once it is flushed, this guard and its observer leave.
  private var leaveAfterFlush = false
  private weak var observer: RequestBytesObserver?
  /// A request said it is the connection's last: what follows it is not a request to answer (the
  /// connection closes after its response).
  private var closing = false
  /// A request head was answered here without being passed on: its parts, and any after, go no
  /// further (the connection closes after the answer).
  private var swallowing = false
  /// The last request head asked for a WebSocket upgrade, and its read ended with it: the client's
  /// frames, if the upgrade is answered, begin with the next read. Cleared by any read before the
  /// 101, which the observer could not tell from frames.
  private var framesAligned = false

  init(limits: ConnectionLimits) {
    self.limits = limits
  }

  /// Adds a guard right after the request decoder of an HTTP/1 server pipeline and its byte
  /// observer first in the pipeline.
  /// - Throws: `ChannelPipelineError.notFound` when the pipeline has no request decoder.
  static func install(
    on pipeline: ChannelPipeline.SynchronousOperations, limits: ConnectionLimits,
    liveness: ConnectionLiveness? = nil
  ) throws {
    let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
    let readGuard = RequestReadGuard(limits: limits)
    readGuard.liveness = liveness
    let observer = RequestBytesObserver(readGuard: readGuard, limits: limits)
    readGuard.observer = observer
    try pipeline.addHandler(readGuard, position: .after(decoder))
    try pipeline.addHandler(observer, position: .first)
  }

  // MARK: Lifecycle

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    if context.channel.isActive { startFirstHeadTimer() }
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    cancelTimer()
    self.context = nil
  }

  func channelActive(context: ChannelHandlerContext) {
    startFirstHeadTimer()
    context.fireChannelActive()
  }

  func channelInactive(context: ChannelHandlerContext) {
    cancelTimer()
    state = .done
    context.fireChannelInactive()
  }

  /// The first request's head is timed from the connection opening, so a silent client is closed.
  private func startFirstHeadTimer() {
    guard case .awaitingHead = state, requestsRead == 0, timer == nil else { return }
    schedule(.head)
  }

  // MARK: Inbound

  /// Shown every read before the decoder gets it; returns whether to pass it on.
  func shouldDecode(_ buffer: ByteBuffer) -> Bool {
    framesAligned = false
    switch state {
    case .awaitingHead:
      if !headStarted {
        headStarted = true
        if timer == nil { schedule(.head) }
      }
      if !requestLineComplete {
        requestLineComplete = buffer.readableBytesView.contains(UInt8(ascii: "\n"))
      }
      if !bareLineFeed && !headEnded {
        for byte in buffer.readableBytesView {
          if byte == UInt8(ascii: "\n") {
            if !lastByteWasCarriageReturn { bareLineFeed = true }
            headEnded = lineLength == 0 && headHasLine
            if bareLineFeed || headEnded { break }
            headHasLine = headHasLine || lineLength > 0
            lineLength = 0
          } else if byte != UInt8(ascii: "\r") {
            lineLength += 1
          }
          lastByteWasCarriageReturn = byte == UInt8(ascii: "\r")
        }
      }
      return true
    case .readingBody, .done:
      return true
    case .rejecting:
      return false
    case .lingering:
      discardedBytes += buffer.readableBytes
      if discardedBytes > limits.lingerBytes { context?.close(promise: nil) }
      return false
    }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if case .done = state {
      context.fireChannelRead(data)
      return
    }
    // The rest of a request whose head was answered here: the handlers after never saw it.
    if swallowing { return }
    switch unwrapInboundIn(data) as? HTTPServerRequestPart {
    case .head(let head):
      // An upgrade that NIO would refuse by closing without a word is answered here, as are the
      // requests refused on their head (RequestHeadChecks).
      if case .awaitingHead = state,
        let refusal = Self.refusedWebSocketUpgrade(head) ?? Self.refusedLength(head)
          ?? Self.refusedMethod(head) ?? Self.refusedHosts(head) ?? Self.refusedTransferCoding(head)
          ?? Self.refusedEncoding(head)
          ?? Self.refusedOrigin(head, allowed: limits.allowedOrigins, loopback: limits.listensOnLoopback)
      {
        swallowing = true
        reject(refusal)
        return
      }
      requestsRead += 1
      framesAligned =
        Self.withoutForeignUpgrade(head) == nil && !head.headers[canonicalForm: "upgrade"].isEmpty
        && observer?.lastReadEndedHead == true
      // A client that waits for leave to send its body (curl does above 1 MB) gets it at once,
      // rather than after its own timeout; only when no earlier response is still owed, since
      // responses go out in order.
      if head.version.major == 1, head.version.minor >= 1, responsesWritten == requestsRead - 1,
        head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" })
      {
        let proceed = HTTPResponseHead(version: .http1_1, status: .continue)
        context.writeAndFlush(wrapOutboundOut(HTTPServerResponsePart.head(proceed)), promise: nil)
      }
      if case .awaitingHead = state {
        cancelTimer()
        state = .readingBody
        bodyBytes = 0
        schedule(.body)
      }
      var forwarded = Self.withoutForeignUpgrade(head) ?? head
      // The last request of the connection: Hummingbird closes after a request whose Connection
      // field is exactly `close`, which an HTTP/1.0 request without keep-alive means too (RFC 9112
      // §9.3: it would otherwise wait out the idle timeout, reading until the server closes).
      let tokens = head.headers[canonicalForm: "connection"].map { $0.lowercased() }
      if tokens.contains("close")
        || (head.version.major == 1 && head.version.minor == 0 && !tokens.contains("keep-alive"))
      {
        closing = true
        forwarded.headers.replaceOrAdd(name: "connection", value: "close")
      }
      if forwarded != head {
        context.fireChannelRead(wrapInboundOut(HTTPServerRequestPart.head(forwarded)))
        return
      }
    case .end:
      if closing {
        // The last request is complete: its response goes out, then the connection closes, and
        // nothing after it is read as a request.
        context.fireChannelRead(data)
        swallowing = true
        reject(nil)
        return
      }
      if case .readingBody = state {
        cancelTimer()
        state = .awaitingHead
        headStarted = false
        requestLineComplete = false
        bareLineFeed = false
        lastByteWasCarriageReturn = false
        lineLength = 0
        headEnded = false
        headHasLine = false
      }
    case .body(let chunk):
      bodyBytes += chunk.readableBytes
      if case .readingBody = state, bodyBytes > ConnectionLimits.maxBodySize {
        failRequest(.bodyTooLarge)
        return
      }
    case nil:
      break
    }
    context.fireChannelRead(data)
  }

  /// `head` without its `Upgrade` field when it asks for anything but a WebSocket upgrade without a
  /// body; `nil` when it has none, or is such an upgrade. NIO's upgrade handler drops the head of
  /// a request for a protocol it has no upgrader for (`Upgrade: h2c`, which `curl --http2` sends)
  /// and fails an upgrade request with a body: either way the connection closed without an answer.
  /// A server may ignore `Upgrade` (RFC 9110 §7.8), so the request is answered as any other.
  static func withoutForeignUpgrade(_ head: HTTPRequestHead) -> HTTPRequestHead? {
    let protocols = head.headers[canonicalForm: "upgrade"]
    guard !protocols.isEmpty else { return nil }
    let hasBody =
      !head.headers[canonicalForm: "transfer-encoding"].isEmpty
      || head.headers[canonicalForm: "content-length"].contains { $0 != "0" }
    let webSocket = protocols.contains { $0.lowercased() == "websocket" }
    if head.method == .GET, webSocket, !hasBody { return nil }
    var plain = head
    plain.headers.remove(name: "upgrade")
    return plain
  }

  /// A 413 for a request whose declared body is larger than any route takes
  /// (``ConnectionLimits/maxBodySize``): answered on its head, instead of after reading it all or
  /// waiting out the body timeout.
  static func refusedLength(_ head: HTTPRequestHead) -> APIError? {
    guard let length = head.headers[canonicalForm: "content-length"].first.flatMap({ Int($0) }),
      length > ConnectionLimits.maxBodySize
    else { return nil }
    return .bodyTooLarge
  }

  /// Why `head`, a WebSocket upgrade request (a GET without a body asking for `websocket`), is
  /// one NIO's upgrader refuses, which it does by closing the connection without an answer, or
  /// with a bare 400 for a path that has no WebSocket; `nil` for any other request and for a
  /// well-formed upgrade of ``LiveSession/path`` (RFC 6455 §4.2.1).
  static func refusedWebSocketUpgrade(_ head: HTTPRequestHead) -> APIError? {
    guard head.method == .GET, withoutForeignUpgrade(head) == nil,
      !head.headers[canonicalForm: "upgrade"].isEmpty
    else { return nil }
    // RFC 6455 §4.1: the opening handshake is an HTTP/1.1 request (a 1.0 client cannot hold the
    // connection open as the protocol needs).
    guard head.version.major == 1, head.version.minor >= 1 else {
      return APIError(
        "a WebSocket upgrade needs HTTP/1.1, got HTTP/\(head.version.major).\(head.version.minor)")
    }
    let connection = head.headers[canonicalForm: "connection"].map { $0.lowercased() }
    guard connection.contains("upgrade") else {
      return APIError("a WebSocket upgrade needs 'Connection: Upgrade'")
    }
    let versions = head.headers[canonicalForm: "sec-websocket-version"]
    guard versions.count == 1, versions[0] == "13" else {
      return APIError("a WebSocket upgrade needs 'Sec-WebSocket-Version: 13'")
    }
    let keys = head.headers[canonicalForm: "sec-websocket-key"]
    guard keys.count == 1, let key = Data(base64Encoded: String(keys[0])), key.count == 16 else {
      return APIError("a WebSocket upgrade needs a 'Sec-WebSocket-Key' of 16 bytes in base64")
    }
    // Compared as the router compares paths: by their non-empty pieces (`/api/live/` is the same
    // route), after the scheme and host of an absolute URL.
    var target = Substring(head.uri)
    if let scheme = target.range(of: "://") {
      target = target[scheme.upperBound...].drop { $0 != "/" }
    }
    let path = target.prefix { $0 != "?" && $0 != "#" }
    func pieces(_ path: Substring) -> [Substring] { path.split(separator: "/") }
    guard pieces(path) == pieces(Substring(LiveSession.path)) else {
      return APIError("no WebSocket at '\(path)': the live API is \(LiveSession.path)", status: 404)
    }
    return nil
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    guard let decoderError = error as? HTTPParserError else {
      context.fireErrorCaught(error)
      return
    }
    var inHead = false
    if case .awaitingHead = state { inHead = true }
    let answer =
      bareLineFeed && inHead
      ? APIError("malformed request: lines must end in CRLF (\\r\\n), not in a bare line feed")
      : APIError(decoderError: decoderError, requestLineComplete: requestLineComplete, limits: limits)
    switch state {
    case .awaitingHead: reject(answer)
    case .readingBody: failRequest(answer)
    case .rejecting, .lingering, .done: break  // already answered, or nothing left to answer
    }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if event as? ChannelEvent == .inputClosed { liveness?.close() }
    context.fireUserInboundEventTriggered(event)
    if case .lingering = state, event as? ChannelEvent == .inputClosed {
      context.close(promise: nil)
    } else if event is ChannelShouldQuiesceEvent, case .awaitingHead = state, !headStarted, requestsRead == 0
    {
      // The server is shutting down and this connection has not begun a request: nothing to
      // wait for. (Once it has served one, Hummingbird's idle handler does the same.)
      state = .done
      context.close(promise: nil)
    }
  }

  // MARK: Outbound

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    let part = unwrapOutboundIn(data) as? HTTPServerResponsePart
    if case .head(var head) = part, case .rejecting = state, responsesWritten + 1 >= requestsRead,
      head.status.code >= 200
    {
      // The last response before the connection closes says so.
      head.headers.replaceOrAdd(name: "Connection", value: "close")
      context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: promise)
      return
    }
    context.write(data, promise: promise)
    switch part {
    case .head(let head) where head.status == .switchingProtocols:
      // Not in here: NIO passes a write-and-flush's flush to the same handler, and the flush
      // would be lost with it.
      cancelTimer()
      state = .done
      leaveAfterFlush = true
    case .end:
      responsesWritten += 1
      if case .rejecting(let answer) = state, responsesWritten >= requestsRead {
        answerAndClose(answer)
      }
    default:
      break
    }
  }

  func flush(context: ChannelHandlerContext) {
    context.flush()
    if leaveAfterFlush {
      leaveAfterFlush = false
      if let observer {
        if framesAligned {
          observer.checkFrames()
        } else {
          context.pipeline.syncOperations.removeHandler(observer, promise: nil)
        }
      }
      context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
  }

  // MARK: Answering and closing

  /// The request being read cannot complete: its body fails with `answer`, which its route
  /// answers if it is still reading it, and the connection closes after the response.
  private func failRequest(_ answer: APIError) {
    if responsesWritten < requestsRead { context?.fireErrorCaught(answer) }
    reject(nil)
  }

  /// Stops reading, and answers (if `answer`) and closes once every response owed is written.
  private func reject(_ answer: APIError?) {
    cancelTimer()
    state = .rejecting(answer)
    if responsesWritten >= requestsRead { answerAndClose(answer) }
  }

  private func answerAndClose(_ answer: APIError?) {
    guard let context else { return }
    state = .lingering
    discardedBytes = 0
    schedule(.linger)
    guard let answer else {
      // Output closes once the writes already flushed are done.
      context.flush()
      context.close(mode: .output, promise: nil)
      return
    }
    let body = context.channel.allocator.buffer(bytes: JSONResponse.encode(["error": answer.message]))
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
    headers.add(name: "Content-Length", value: String(body.readableBytes))
    headers.add(name: "Connection", value: "close")
    let head = HTTPResponseHead(
      version: .http1_1, status: HTTPResponseStatus(statusCode: answer.status), headers: headers)
    context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
    context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
    // After the answer is written: if the client has closed its side, this closes it all.
    context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).assumeIsolated().whenComplete { _ in
      context.close(mode: .output, promise: nil)
    }
  }

  // MARK: Deadlines

  private func schedule(_ deadline: Deadline) {
    guard let context else { return }
    cancelTimer()
    let delay =
      switch deadline {
      case .head: limits.requestHeadTimeout
      case .body: limits.requestBodyTimeout
      case .linger: limits.lingerTimeout
      }
    timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
      self.timer = nil
      self.deadlinePassed(deadline)
    }
  }

  private func cancelTimer() {
    timer?.cancel()
    timer = nil
  }

  private func deadlinePassed(_ deadline: Deadline) {
    guard let context else { return }
    switch (deadline, state) {
    case (.head, .awaitingHead) where headStarted:
      reject(
        APIError(
          "request head not complete within \(Self.spoken(limits.requestHeadTimeout))", status: 408))
    case (.head, .awaitingHead):
      // Nothing sent: nothing to answer.
      state = .done
      context.close(promise: nil)
    case (.body, .readingBody):
      failRequest(
        APIError(
          "request body not complete within \(Self.spoken(limits.requestBodyTimeout)) of its head",
          status: 408))
    case (.linger, .lingering):
      context.close(promise: nil)
    default:
      break
    }
  }

  /// "20 s", "1.5 s".
  private static func spoken(_ duration: Duration) -> String {
    let milliseconds =
      duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(Double(milliseconds) / 1000) s"
  }
}

/// First in the pipeline: shows every read to the guard before the decoder gets it, so that the
/// guard can time a request head from its first byte, tell a request line from header fields,
/// and discard input while it answers and closes. After a WebSocket upgrade, the guard gone, it
/// checks the client's frames for their masks.
final class RequestBytesObserver: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer
  typealias InboundOut = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private weak var readGuard: RequestReadGuard?
  private let limits: ConnectionLimits
  /// The last four bytes read, the latest in the low byte: whether a read ended with a request
  /// head's blank line. (A shift register, so that reading allocates nothing.)
  private var tail: UInt32 = 0
  private var frameCheck: WebSocketFrameCheck?
  /// A frame was refused: what follows is read and discarded while the connection lingers.
  private var refused = false
  private var discarded = 0
  private lazy var lingerAllowance = limits.lingerBytes
  private var lingerTimer: Scheduled<Void>?

  init(readGuard: RequestReadGuard, limits: ConnectionLimits) {
    self.readGuard = readGuard
    self.limits = limits
  }

  /// Whether the last read ended with the blank line that ends a request head.
  var lastReadEndedHead: Bool {
    tail == 0x0D0A_0D0A || tail & 0xFFFF == 0x0A0A
  }

  /// From the next read on, the stream is the client's WebSocket frames.
  func checkFrames() {
    readGuard = nil
    frameCheck = WebSocketFrameCheck(maxFrameSize: limits.maxWebSocketFrameSize)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let buffer = unwrapInboundIn(data)
    if refused {
      discarded += buffer.readableBytes
      if discarded > lingerAllowance { context.close(promise: nil) }
      return
    }
    if let check = frameCheck {
      var checking = check
      defer { frameCheck = checking }
      guard let (offset, refusal) = checking.firstRefusedFrame(in: buffer) else {
        context.fireChannelRead(data)
        return
      }
      // The frames before it are read as usual; the connection closes with 1002 (a protocol
      // error) or 1009 (too large). The decoder would refuse a large one too, but it closed at once with
      // the frame unread, and the reset that such a close sends could destroy the close frame
      // before the client read it: so the output closes, and what the client still sends is
      // read and discarded for at most the linger limits, as after an HTTP error answer.
      refused = true
      if offset > 0, let sound = buffer.getSlice(at: buffer.readerIndex, length: offset) {
        context.fireChannelRead(wrapInboundOut(sound))
      }
      // A refused frame's own payload, up to a request body's limit, is read on top of the
      // linger's bytes: a client that sends a message just too large whole gets its close.
      if case .tooLarge(let declared) = refusal {
        lingerAllowance = limits.lingerBytes + Int(min(declared, UInt64(ConnectionLimits.maxBodySize)))
      }
      discarded = buffer.readableBytes - offset
      let close = context.channel.allocator.buffer(bytes: checking.closeFrame(for: refusal))
      context.writeAndFlush(wrapOutboundOut(close)).assumeIsolated().whenComplete { _ in
        context.close(mode: .output, promise: nil)
      }
      lingerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limits.lingerTimeout)) {
        context.close(promise: nil)
      }
      return
    }
    for byte in buffer.readableBytesView.suffix(4) { tail = tail << 8 | UInt32(byte) }
    if readGuard?.shouldDecode(buffer) ?? true { context.fireChannelRead(data) }
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    // Lingering after a refused frame: the client has closed its side, so all it sent is read.
    if refused, event as? ChannelEvent == .inputClosed {
      context.close(promise: nil)
      return
    }
    context.fireUserInboundEventTriggered(event)
  }

  func channelInactive(context: ChannelHandlerContext) {
    lingerTimer?.cancel()
    lingerTimer = nil
    context.fireChannelInactive()
  }
}

@available(*, unavailable)
extension RequestReadGuard: Sendable {}

@available(*, unavailable)
extension RequestBytesObserver: Sendable {}
