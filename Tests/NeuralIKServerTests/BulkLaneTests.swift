import Foundation
import NeuralIKServer
import Testing

@Suite("Bulk lane")
struct BulkLaneTests {
  /// The nice value of the calling thread, from `/proc/thread-self/stat` (Linux).
  static func threadNiceness() throws -> Int32 {
    let stat = try String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8)
    // Fields after the command name, which is in parentheses and may hold spaces; nice is the 19th
    // field of the line, the 17th after the name.
    let afterName = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...]
    let fields = afterName.split(separator: " ")
    return try #require(Int32(fields[16]))
  }

  @Test("every job runs, each on a thread at the bulk niceness, while the caller's thread keeps its own")
  func jobsRunAtLowPriority() async throws {
    #if os(Linux)
      let before = try Self.threadNiceness()
      let lane = BulkLane(threads: 2)
      let count = 200
      let niceness = try await withThrowingTaskGroup(of: Int32.self) { group in
        for _ in 0..<count {
          group.addTask {
            try await withCheckedThrowingContinuation { continuation in
              lane.async { continuation.resume(with: Result { try Self.threadNiceness() }) }
            }
          }
        }
        return try await group.reduce(into: [Int32]()) { $0.append($1) }
      }
      #expect(niceness.count == count)
      #expect(niceness.allSatisfy { $0 == BulkLane.niceness }, "\(Set(niceness))")
      #expect(try Self.threadNiceness() == before)
    #endif
  }

  @Test("jobs run in the order they came, also when the queue never drains while they are added")
  func firstInFirstOut() async {
    let lane = BulkLane(threads: 1)
    let gate = DispatchSemaphore(value: 0)
    let order = OrderLog()
    let count = 1000
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
      // The first job holds the only thread while the rest queue up behind it.
      lane.async { gate.wait() }
      for index in 0..<count {
        lane.async {
          order.append(index)
          if index == count - 1 { done.resume() }
        }
      }
      gate.signal()
    }
    #expect(order.values == Array(0..<count))
  }
}

/// Indices appended from the lane's thread, read once it is done.
final class OrderLog: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [Int] = []
  func append(_ value: Int) { lock.withLock { stored.append(value) } }
  var values: [Int] { lock.withLock { stored } }
}
