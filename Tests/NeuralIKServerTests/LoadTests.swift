import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import NeuralIK
import NeuralIKServer
import TestSupport
import Testing

/// A small, bounded load test on loopback: WebSocket clients dragging a target at 200 Hz and HTTP
/// clients posting batches, all at once. It asserts correctness (no error, no dropped connection,
/// every drag's final target answered) and reports throughput and latency; speed is measured, not
/// asserted. `make loadtest` copies the report into Docs/LoadTest.md.
@Suite("Load")
struct LoadTests {
  static let reportPath = Fixtures.directory.deletingLastPathComponent().appending(path: ".build/loadtest.md")

  final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    var webSocketLatencies: [Double] = []
    var httpLatencies: [Double] = []
    var errors: [String] = []
    var finishedDrags = 0

    func record(_ body: (Recorder) -> Void) {
      lock.lock()
      defer { lock.unlock() }
      body(self)
    }
  }

  @Test("concurrent dragging clients and batch requests: no errors, no dropped connections")
  func load() async throws {
    let (sockets, messages, httpClients, batches, batchSize) = (16, 100, 4, 10, 50)
    let recorder = Recorder()
    let start = Date()
    try await LiveSocketTests.app().test(.live) { client in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for socket in 0..<sockets {
          group.addTask {
            try await client.ws("/api/live") { inbound, outbound, _ in
              let sent = SentTimes()
              try await withThrowingTaskGroup(of: Void.self) { drag in
                drag.addTask {
                  for id in 1...messages {
                    let angle = Double(id + socket * 7) * 0.05
                    let target =
                      "[\(0.35 * cos(angle)), \(0.35 * sin(angle)), \(0.45 + 0.1 * sin(angle * 3))]"
                    await sent.mark(id)
                    try await outbound.write(.text("{\"id\": \(id), \"target\": \(target)}"))
                    try await Task.sleep(for: .milliseconds(5))
                  }
                }
                drag.addTask {
                  for try await message in inbound.messages(maxSize: 1 << 22) {
                    guard case .text(let text) = message,
                      let reply = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                    else { continue }
                    if let error = reply["error"] as? String { recorder.record { $0.errors.append(error) } }
                    guard let id = reply["id"] as? Int else { continue }
                    let latency = await sent.latency(id)
                    recorder.record { $0.webSocketLatencies.append(latency) }
                    if id == messages {
                      recorder.record { $0.finishedDrags += 1 }
                      break
                    }
                  }
                }
                try await drag.waitForAll()
              }
            }
          }
        }
        for _ in 0..<httpClients {
          group.addTask {
            for _ in 0..<batches {
              let targets = (0..<batchSize).map { index in
                let angle = Double(index) * 0.13
                return "[\(0.3 * cos(angle)), \(0.3 * sin(angle)), 0.5]"
              }
              let body = ByteBuffer(string: "{\"targets\": [\(targets.joined(separator: ","))]}")
              let began = Date()
              try await client.execute(uri: "/api/solve", method: .post, body: body) { response in
                let latency = Date().timeIntervalSince(began) * 1000
                recorder.record {
                  $0.httpLatencies.append(latency)
                  if response.status != .ok { $0.errors.append("HTTP \(response.status.code)") }
                }
              }
            }
          }
        }
        try await group.waitForAll()
      }
    }
    let seconds = Date().timeIntervalSince(start)
    #expect(recorder.errors.isEmpty, "errors: \(recorder.errors.prefix(5))")
    #expect(
      recorder.finishedDrags == sockets,
      "\(sockets - recorder.finishedDrags) connections never got their last answer")
    #expect(recorder.httpLatencies.count == httpClients * batches)
    try writeReport(
      recorder, seconds: seconds, sockets: sockets, messages: messages, httpClients: httpClients,
      batches: batches, batchSize: batchSize)
  }

  private func writeReport(
    _ recorder: Recorder, seconds: Double, sockets: Int, messages: Int, httpClients: Int, batches: Int,
    batchSize: Int
  ) throws {
    let ws = recorder.webSocketLatencies.sorted()
    let http = recorder.httpLatencies.sorted()
    func q(_ values: [Double], _ p: Double) -> String {
      String(format: "%.1f", Quantile.of(sorted: values, p))
    }
    // Measured, never written in: the errors and drops the run recorded.
    let httpErrors = recorder.errors.filter { $0.hasPrefix("HTTP ") }.count
    let webSocketErrors = recorder.errors.count - httpErrors
    let dropped = sockets - recorder.finishedDrags
    let report = """
      | load | requests | answered | answered/s | p50 ms | p99 ms | errors | dropped connections |
      | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
      | \(sockets) WebSocket clients dragging at 200 Hz, hybrid | \(sockets * messages) | \(ws.count) | \(String(format: "%.0f", Double(ws.count) / seconds)) | \(q(ws, 0.5)) | \(q(ws, 0.99)) | \(webSocketErrors) | \(dropped) |
      | \(httpClients) HTTP clients, batches of \(batchSize) targets | \(httpClients * batches) | \(http.count) (\(http.count * batchSize) targets) | \(String(format: "%.1f", Double(http.count) / seconds)) (\(String(format: "%.0f", Double(http.count * batchSize) / seconds)) targets/s) | \(q(http, 0.5)) | \(q(http, 0.99)) | \(httpErrors) | \(httpClients * batches - http.count) |

      All at once on loopback for \(String(format: "%.1f", seconds)) s. WebSocket requests a client sends while its
      previous one is being solved are replaced by newer ones (latest wins), so "answered" is below "requests" by
      design; every drag's final target was answered.
      """
    try FileManager.default.createDirectory(
      at: Self.reportPath.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data((report + "\n").utf8).write(to: Self.reportPath)
  }
}

/// When each drag request left, to measure its latency.
actor SentTimes {
  private var times: [Int: Date] = [:]
  func mark(_ id: Int) { times[id] = Date() }
  func latency(_ id: Int) -> Double { times[id].map { Date().timeIntervalSince($0) * 1000 } ?? .nan }
}
