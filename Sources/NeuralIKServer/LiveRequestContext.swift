import Hummingbird
import HummingbirdWebSocket
import NIOCore
import Synchronization

/// The request context of `/api/live`'s upgrade: hummingbird-websocket's
/// `BasicWebSocketRequestContext`, without its leak.
///
/// The library keeps the upgrade's handler in a box that the context holds, and puts a copy of
/// the context, box included, into that box: a cycle, so every WebSocket session's context (its
/// logger with the connection's metadata, the box) outlived it, 600 to 900 bytes a session (the
/// seed server grew from 47 to 343 MB over 100,000 sessions). Here the box is held through a
/// ``Slot`` that lets go of it when the connection closes, which breaks the cycle.
package struct LiveRequestContext: RequestContext, WebSocketRequestContext {
  package var coreContext: CoreRequestContextStorage
  private let slot: Slot

  /// The library's box, while the connection is open; an empty one after (nothing asks then).
  package var webSocket: WebSocketHandlerReference<Self> { slot.reference ?? WebSocketHandlerReference() }

  package init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    let slot = Slot()
    self.slot = slot
    source.channel.closeFuture.whenComplete { _ in slot.release() }
  }

  /// Holds the library's box until ``release()``.
  final class Slot: Sendable {
    private let held = Mutex<WebSocketHandlerReference<LiveRequestContext>?>(WebSocketHandlerReference())
    /// Slots not yet deinitialised, for the test that every session's context is freed.
    static let live = Atomic<Int>(0)

    init() { Self.live.add(1, ordering: .relaxed) }
    deinit { Self.live.subtract(1, ordering: .relaxed) }

    var reference: WebSocketHandlerReference<LiveRequestContext>? { held.withLock { $0 } }

    func release() { held.withLock { $0 = nil } }
  }
}

extension LiveRequestContext {
  /// Contexts of upgrades alive now (a connection's, from its upgrade request to its close).
  package static var liveCount: Int { Slot.live.load(ordering: .relaxed) }
}
