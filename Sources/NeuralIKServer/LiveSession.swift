import Foundation
import HummingbirdWebSocket
import NIOCore
import NIOFoundationCompat
import NIOWebSocket
import NeuralIK
import ServiceLifecycle

/// One WebSocket client dragging a target: requests arrive faster than they are solved, and the
/// latest one wins. A reader keeps only the newest pending request; the solver answers it next.
/// Nothing queues up, and a bad message gets an error reply without closing the connection.
/// `package` (with ``reply(to:)``) for the WebSocket message fuzz target.
package struct LiveSession {
  let service: SolveService

  /// The one path that upgrades to a WebSocket.
  static let path = "/api/live"

  package init(service: SolveService) { self.service = service }

  func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
    // On a graceful shutdown (Ctrl-C, SIGTERM) the library sends the close frame at once, but a
    // session runs until its client answers it: one that never did kept the server running for as
    // long as it stayed connected (75 s in a trial, through a second SIGINT). So the session ends
    // itself then, and the close handshake gets the configuration's close timeout.
    let (shutdown, signal) = AsyncStream<Void>.makeStream()
    try await withGracefulShutdownHandler {
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await session(inbound: inbound, outbound: outbound) }
        group.addTask { for await _ in shutdown {} }
        // Whichever ends first (the client closed, or the server shuts down) ends the other.
        try await group.next()
        group.cancelAll()
      }
    } onGracefulShutdown: {
      signal.finish()
    }
  }

  private func session(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
    let latest = LatestRequest()
    // The end of the client's messages (its close frame, or its side of the connection closed)
    // ends its wish for answers: a batch being solved stops before its next target, as over HTTP.
    // The connection stays open meanwhile (half-closed, or for the close handshake), so its own
    // liveness would not tell.
    let liveness = ConnectionLiveness.current ?? ConnectionLiveness()
    try await ConnectionLiveness.$current.withValue(liveness) {
      try await exchange(inbound: inbound, outbound: outbound, latest: latest, liveness: liveness)
    }
  }

  private func exchange(
    inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, latest: LatestRequest,
    liveness: ConnectionLiveness
  ) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        defer {
          liveness.close()
          Task { await latest.close() }
        }
        for try await message in inbound.messages(maxSize: 1 << 20) {
          switch message {
          case .text(let text): await latest.put(.text(text))
          case .binary: await latest.put(.binary)
          }
        }
      }
      group.addTask {
        while let message = await latest.next() {
          switch message {
          case .text(let text):
            // Framed from the encoder's bytes: a batch's answer runs to tens of megabytes, and
            // going through a String held it twice more.
            let frame = WebSocketFrame(
              fin: true, opcode: .text, data: ByteBuffer(data: await replyData(to: text)))
            try await outbound.write(.custom(frame))
          case .binary: try await outbound.write(.text(Self.binaryReply))
          }
        }
      }
      try await group.waitForAll()
    }
  }

  /// A binary frame's reply: the request may be valid JSON, but the protocol sends text.
  static let binaryReply = String(
    decoding: JSONResponse.encode(
      LiveError(error: "send each request as a text frame holding JSON, not a binary frame", id: nil)),
    as: UTF8.self)

  package func reply(to text: String) async -> String {
    String(decoding: await replyData(to: text), as: UTF8.self)
  }

  /// The reply to a text message, as UTF-8 JSON.
  func replyData(to text: String) async -> Data {
    var id: Int?
    do {
      let request = try JSONRequest.decode(SolveRequest.self, from: Data(text.utf8))
      id = request.id
      return try await service.answerOffPool(request, id: id)
    } catch {
      // A request that failed to decode may still hold a readable id: the client matches the
      // error to its request by it.
      let readable = id ?? (try? JSONDecoder().decode(RequestID.self, from: Data(text.utf8)))?.id
      return JSONResponse.encode(LiveError(error: error.message, id: readable))
    }
  }

  /// A request's `id` alone, read from a request that is otherwise malformed.
  private struct RequestID: Decodable {
    var id: Int?
  }
}

/// An `/api/live` error reply: the message and, when the request was read, its `id` (a number, as
/// in a solved reply).
struct LiveError: Encodable {
  var error: String
  var id: Int?
}

/// A message from the client, as the solver takes it up.
enum LiveMessage: Sendable {
  case text(String)
  case binary
}

/// Holds at most one pending request: a newer one replaces it.
actor LatestRequest {
  private var pending: LiveMessage?
  private var closed = false
  private var waiter: CheckedContinuation<LiveMessage?, Never>?
  /// Requests replaced before they were solved (dragging faster than solving).
  private(set) var dropped = 0

  func put(_ message: LiveMessage) {
    if let waiter {
      self.waiter = nil
      waiter.resume(returning: message)
    } else {
      if pending != nil { dropped += 1 }
      pending = message
    }
  }

  func next() async -> LiveMessage? {
    if let message = pending {
      pending = nil
      return message
    }
    if closed { return nil }
    return await withCheckedContinuation { waiter = $0 }
  }

  func close() {
    closed = true
    waiter?.resume(returning: nil)
    waiter = nil
  }
}
