import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralIK
import NeuralIKServer
import TestSupport
import Testing

@Suite("Requests whose client hangs up")
struct AbandonedRequestTests {
  /// 1,000 poses far out of reach, for lm, which runs every restart on each: seconds of work.
  static let farBatch: String = {
    var generator = SplitMix64(seed: 99)
    let targets = (0..<1000).map { _ in
      "[\((0..<3).map { _ in Double.random(in: 3...6, using: &generator) }.map { "\($0)" }.joined(separator: ", ")), 1, 0, 0, 0]"
    }
    return "{\"targets\": [\(targets.joined(separator: ", "))], \"solver\": \"lm\"}"
  }()

  @Test(
    "a batch, or a path, whose client closes the connection before its answer is stopped between targets, not solved in full; the server goes on answering",
    arguments: [false, true])
  func batchStops(path: Bool) async throws {
    let service = try APITests.service()
    let app = buildApplication(service: service, host: "127.0.0.1", port: 0)
    let body =
      path
      ? Self.farBatch.replacingOccurrences(of: "\"solver\"", with: "\"path\": true, \"solver\"")
      : Self.farBatch
    let request =
      "POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    try await app.test(.live) { client in
      let port = try #require(client.port)
      do {
        let connection = try RawConnection(port: port)
        try await connection.send(request)
        // Closed as it goes out of scope: the client hangs up before any answer.
      }
      let deadline = ContinuousClock.now + .seconds(60)
      while service.abandoned.total.requests == 0 && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(50))
      }
      let (requests, unsolved) = service.abandoned.total
      #expect(requests == 1, "the \(path ? "path" : "batch") was not stopped")
      #expect(unsolved >= 900, "\(unsolved) of 1,000 targets left unsolved")
      // A fresh connection is answered as ever.
      let fresh = try RawConnection(port: port)
      try await fresh.send(
        "POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 27\r\n\r\n{\"target\": [0.2, 0.1, 0.7]}"
      )
      let response = try await fresh.readResponse(timeout: .seconds(30))
      #expect(response.status == 200)
    }
  }

  @Test(
    "GET /api/workspace whose client closes the connection is stopped between targets, not solved in full"
  )
  func workspaceStops() async throws {
    let robot = try RealArm.panda.fromJSON()
    let url = try #require(RealArm.panda.modelURL, "Fixtures/models/panda.nikm is missing")
    let service = try SolveService(robot: robot, network: try IKNetwork(contentsOf: url, for: robot))
    let app = buildApplication(service: service, host: "127.0.0.1", port: 0)
    try await app.test(.live) { client in
      let port = try #require(client.port)
      do {
        let connection = try RawConnection(port: port)
        try await connection.send("GET /api/workspace?count=2000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
      }
      let deadline = ContinuousClock.now + .seconds(60)
      while service.abandoned.total.requests == 0 && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(50))
      }
      let (requests, unsolved) = service.abandoned.total
      #expect(requests == 1, "the workspace was not stopped")
      // 2,000 targets for the hybrid, then 2,000 for the network: stopped in the first pass.
      #expect(unsolved >= 1000, "\(unsolved) of 2,000 targets left unsolved")
    }
  }

  @Test(
    "a batch is stopped between targets too when its client resets the connection, or sent it over the WebSocket and left",
    arguments: [false, true])
  func resetOrWebSocket(webSocket: Bool) async throws {
    let service = try APITests.service()
    let app = buildApplication(service: service, host: "127.0.0.1", port: 0)
    let body = Self.farBatch
    try await app.test(.live) { client in
      let port = try #require(client.port)
      do {
        let connection = try RawConnection(port: port)
        if webSocket {
          #expect(try await connection.upgradeToLiveSocket().hasPrefix("HTTP/1.1 101"))
          try await connection.send(SendStallTests.maskedFrame(opcode: 0x1, payload: Array(body.utf8)))
        } else {
          try await connection.send(
            "POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
          )
        }
        // Let the batch start, then go: a reset over HTTP, a plain close over the WebSocket.
        try await Task.sleep(for: .milliseconds(500))
        if !webSocket { connection.resetOnClose() }
      }
      let deadline = ContinuousClock.now + .seconds(60)
      while service.abandoned.total.requests == 0 && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(50))
      }
      let (requests, unsolved) = service.abandoned.total
      #expect(requests == 1, "the batch was not stopped")
      #expect(unsolved >= 900, "\(unsolved) of 1,000 targets left unsolved")
    }
  }

  @Test("a client that closes its sending side after a single target (nc -N) still gets its answer")
  func halfClosedSingleTarget() async throws {
    let app = buildApplication(service: try APITests.service(), host: "127.0.0.1", port: 0)
    try await app.test(.live) { client in
      let connection = try RawConnection(port: try #require(client.port))
      let body = "{\"target\": [0.2, 0.1, 0.7], \"solver\": \"lm\"}"
      try await connection.send(
        "POST /api/solve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
      connection.closeSending()
      let response = try await connection.readResponse(timeout: .seconds(30))
      #expect(response.status == 200)
    }
  }
}
