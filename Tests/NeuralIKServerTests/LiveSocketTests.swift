import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import NeuralIK
import NeuralIKServer
import TestSupport
import Testing

@Suite("Live WebSocket")
struct LiveSocketTests {
  static func app() throws -> some ApplicationProtocol {
    buildApplication(service: try APITests.service(), host: "127.0.0.1", port: 0)
  }

  static func decode(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test("a target is answered with its solution; bad input gets an error and the socket stays open")
  func answersAndErrors() async throws {
    _ = try await Self.app().test(.live) { client in
      try await client.ws("/api/live") { inbound, outbound, _ in
        var replies = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        try await outbound.write(.text("{\"id\": 1, \"target\": [0.2, 0.1, 0.7], \"solver\": \"analytic\"}"))
        guard case .text(let first)? = try await replies.next() else { Issue.record("no reply"); return }
        let answer = try Self.decode(first)
        #expect(answer["id"] as? Int == 1)
        #expect((answer["results"] as? [[String: Any]])?.first?["reachable"] as? Bool == false)
        try await outbound.write(.text("{\"id\": 2, \"target\": [1, \"x\"]}"))
        guard case .text(let second)? = try await replies.next() else {
          Issue.record("no error reply"); return
        }
        #expect((try Self.decode(second)["error"] as? String)?.contains("target") == true)
        // The id of a request that does not decode is still echoed, when it can be read.
        #expect(try Self.decode(second)["id"] as? Int == 2)
        try await outbound.write(.text("not json at all"))
        guard case .text(let third)? = try await replies.next() else {
          Issue.record("no error reply"); return
        }
        #expect(try Self.decode(third)["error"] as? String != nil)
        try await outbound.write(.text("{\"id\": 4, \"target\": [0.1, 0.1, 0.6]}"))
        guard case .text(let fourth)? = try await replies.next() else {
          Issue.record("socket closed after errors"); return
        }
        #expect(try Self.decode(fourth)["id"] as? Int == 4)
      }
    }
  }

  @Test("dragging faster than solving: the latest target wins, nothing queues up")
  func latestWins() async throws {
    _ = try await Self.app().test(.live) { client in
      try await client.ws("/api/live") { inbound, outbound, _ in
        let count = 200
        // LM with restarts out of reach takes milliseconds: far longer than sending a message.
        for id in 1...count {
          let x = -0.5 - Double(id) * 1e-4
          try await outbound.write(
            .text("{\"id\": \(id), \"target\": [\(x), 0.05, 0.3], \"solver\": \"lm\"}"))
        }
        var ids: [Int] = []
        for try await message in inbound.messages(maxSize: 1 << 20) {
          guard case .text(let text) = message, let id = try Self.decode(text)["id"] as? Int else { continue }
          ids.append(id)
          if id == count { break }
        }
        #expect(ids.last == count, "the last target was not answered")
        #expect(ids == ids.sorted(), "answers out of order: \(ids)")
        #expect(
          ids.count < count / 2,
          "\(ids.count) of \(count) answered: requests queued instead of being replaced")
      }
    }
  }

  @Test("a binary frame, even of valid JSON, is answered with an error that asks for text frames")
  func binaryFrame() async throws {
    _ = try await Self.app().test(.live) { client in
      try await client.ws("/api/live") { inbound, outbound, _ in
        var replies = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        try await outbound.write(.binary(ByteBuffer(string: "{\"id\": 1, \"target\": [0.1, 0.2, 0.5]}")))
        guard case .text(let text)? = try await replies.next() else {
          Issue.record("no reply to a binary frame")
          return
        }
        let error = try Self.decode(text)["error"] as? String
        #expect(error?.contains("text frame holding JSON, not a binary frame") == true, "\(text)")
      }
    }
  }

  @Test("one client's bad input never affects another client")
  func isolation() async throws {
    try await Self.app().test(.live) { client in
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          try await client.ws("/api/live") { inbound, outbound, _ in
            for _ in 0..<20 { try await outbound.write(.text("{\"target\": [NaN]}")) }
            try await outbound.write(.binary(ByteBuffer(bytes: [0, 1, 2])))
          }
        }
        group.addTask {
          try await client.ws("/api/live") { inbound, outbound, _ in
            var replies = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            for id in 1...20 {
              try await outbound.write(
                .text("{\"id\": \(id), \"target\": [0.1, 0.2, 0.5], \"solver\": \"network\"}"))
              guard case .text(let text)? = try await replies.next() else {
                Issue.record("good client lost its connection")
                return
              }
              #expect(try Self.decode(text)["id"] as? Int == id)
            }
          }
        }
        try await group.waitForAll()
      }
    }
  }
}
