import Foundation
import HummingbirdWebSocket
import NeuralIK

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
    let latest = LatestRequest()
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        defer { Task { await latest.close() } }
        for try await message in inbound.messages(maxSize: 1 << 20) {
          switch message {
          case .text(let text): await latest.put(text)
          case .binary: await latest.put("")
          }
        }
      }
      group.addTask {
        while let text = await latest.next() {
          try await outbound.write(.text(await reply(to: text)))
        }
      }
      try await group.waitForAll()
    }
  }

  package func reply(to text: String) async -> String {
    var id: Int?
    do {
      let request = try JSONRequest.decode(SolveRequest.self, from: Data(text.utf8))
      id = request.id
      return String(decoding: try await service.answerOffPool(request, id: id), as: UTF8.self)
    } catch {
      return String(decoding: JSONResponse.encode(LiveError(error: error.message, id: id)), as: UTF8.self)
    }
  }
}

/// An `/api/live` error reply: the message and, when the request was read, its `id` (a number, as
/// in a solved reply).
struct LiveError: Encodable {
  var error: String
  var id: Int?
}

/// Holds at most one pending request: a newer one replaces it.
actor LatestRequest {
  private var pending: String?
  private var closed = false
  private var waiter: CheckedContinuation<String?, Never>?
  /// Requests replaced before they were solved (dragging faster than solving).
  private(set) var dropped = 0

  func put(_ text: String) {
    if let waiter {
      self.waiter = nil
      waiter.resume(returning: text)
    } else {
      if pending != nil { dropped += 1 }
      pending = text
    }
  }

  func next() async -> String? {
    if let text = pending {
      pending = nil
      return text
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
