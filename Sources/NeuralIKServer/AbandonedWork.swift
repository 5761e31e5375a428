import Foundation

/// Requests stopped because their client closed the connection (``SolveService/abandoned``).
package final class AbandonedWork: @unchecked Sendable {
  private let lock = NSLock()
  private var counts = (requests: 0, targets: 0)

  /// Requests stopped, and the targets they left unsolved.
  package var total: (requests: Int, targets: Int) {
    lock.lock()
    defer { lock.unlock() }
    return counts
  }

  func count(targets: Int) {
    lock.lock()
    counts.requests += 1
    counts.targets += targets
    lock.unlock()
  }
}
