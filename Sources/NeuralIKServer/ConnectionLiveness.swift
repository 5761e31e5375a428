import Foundation

/// Whether the client a request came from is still there, for work that outlives the handler's
/// awaiting it: a batch solved in the ``BulkLane`` for a client that hung up is stopped between
/// targets. (Twenty batches of 1,000 targets posted and abandoned within a second kept both cores
/// busy for 55 s in a trial.)
///
/// The server's connection handler sets ``current`` for every request on its connection. It is
/// marked closed when the channel closes, or when the client closes its sending side: the server
/// allows half-closed connections, so a client's plain `close()` leaves the channel open until an
/// answer is written, and only the end of its input tells.
package final class ConnectionLiveness: @unchecked Sendable {
  private let lock = NSLock()
  private var closed = false

  package init() {}

  /// The liveness of the connection whose request this task serves; `nil` outside a server
  /// connection (in-process tests, the fuzz targets).
  @TaskLocal package static var current: ConnectionLiveness?

  /// Whether the connection has closed.
  package var isClosed: Bool {
    lock.lock()
    defer { lock.unlock() }
    return closed
  }

  /// Marks the connection closed.
  package func close() {
    lock.lock()
    closed = true
    lock.unlock()
  }
}
