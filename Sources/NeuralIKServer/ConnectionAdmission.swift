import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Counts the server's open connections, and closes a new one at once when `limit` are open.
///
/// Each connection holds a file descriptor. A process out of descriptors does not just refuse
/// connections: libdispatch aborts it when its worker-pool monitor cannot open `/proc` (measured:
/// SIGILL a second after 20,000 idle WebSockets filled the limit). So connections stop short of
/// the limit, leaving descriptors for the process itself.
final class ConnectionAdmission: Sendable {
  let limit: Int
  private let open = Atomic<Int>(0)

  init(limit: Int) {
    self.limit = limit
  }

  /// Counts a new connection if fewer than `limit` are open; `false` (counting nothing) otherwise.
  func admit() -> Bool {
    var current = open.load(ordering: .relaxed)
    while current < limit {
      let (exchanged, original) = open.compareExchange(
        expected: current, desired: current + 1, ordering: .relaxed)
      if exchanged { return true }
      current = original
    }
    return false
  }

  /// A connection counted by ``admit()`` has closed.
  func release() {
    open.subtract(1, ordering: .relaxed)
  }

  /// Open connections now, for tests and logs.
  var count: Int { open.load(ordering: .relaxed) }

  /// The most connections a process whose soft limit of open files is `descriptors` may hold:
  /// an eighth of them (at least 64) kept for the process (its event loops, the files it serves,
  /// libdispatch), and at least 8.
  static func connections(withinDescriptorLimit descriptors: Int) -> Int {
    max(8, descriptors - max(64, descriptors / 8))
  }

  /// This process's soft limit of open files (`ulimit -n`): 1,024 when it cannot be read, 2²⁰
  /// when it is unlimited (memory then bounds the connections first).
  static var descriptorLimit: Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
    // RLIM_INFINITY is all ones, which Swift cannot import as a constant of an unsigned type.
    return limit.rlim_cur == .max ? 1 << 20 : Int(clamping: limit.rlim_cur)
  }
}
