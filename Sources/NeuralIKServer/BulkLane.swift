import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Threads for bulk work (batches, workspace samples) that run at a lower scheduling priority
/// than the live drag: while drags wait, a client holding down a batch endpoint gets about a
/// tenth of their share of the cores.
///
/// Both kinds of work ran on one queue at one priority, so a drag request waited behind whichever
/// batch held the cores (Docs/Performance.md, "The server under load"). The operating system's scheduler, not a queue, is what can let a short job through
/// between the long ones, so each bulk thread lowers its own nice value (Linux's per-thread
/// priority; a niceness of 10 weighs about a tenth of the default).
package final class BulkLane: @unchecked Sendable {
  /// The niceness of a bulk thread, above the default 0.
  package static let niceness: Int32 = 10

  private let condition = NSCondition()
  private var jobs: [@Sendable () -> Void] = []
  private var head = 0
  private let threadCount: Int
  private var started = false

  /// `threads` workers, started on the first job.
  package init(threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
    threadCount = max(1, threads)
  }

  /// Runs `job` on a bulk thread, in the order jobs come.
  package func async(_ job: @escaping @Sendable () -> Void) {
    condition.lock()
    if !started {
      started = true
      for number in 0..<threadCount {
        Thread { [self] in work(name: "nik-bulk-\(number)") }.start()
      }
    }
    jobs.append(job)
    condition.signal()
    condition.unlock()
  }

  private func work(name: String) {
    // Named for `top -H` and profiles (Linux keeps 15 bytes).
    Thread.current.name = name
    #if canImport(Glibc)
      // On Linux the nice value is a thread's, and `who` 0 is the calling thread: the server's
      // other threads keep theirs. Refused (never, when lowering), the thread works at the
      // default priority.
      _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
    #endif
    while true {
      condition.lock()
      while head == jobs.count { condition.wait() }
      let job = jobs[head]
      // Released now, not when the queue drains: a job holds its request and its reply's sink.
      jobs[head] = {}
      head += 1
      // Reclaim the front when the queue drains, or, under a load that never lets it drain, once
      // the front is half of it: the array stays within twice the jobs waiting.
      if head == jobs.count {
        jobs.removeAll(keepingCapacity: true)
        head = 0
      } else if head >= 64, 2 * head >= jobs.count {
        jobs.removeFirst(head)
        head = 0
      }
      condition.unlock()
      job()
    }
  }
}
