import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import NeuralIKServer
import Testing

/// The real server on a loopback port against raw sockets: every refused request gets its 4xx
/// answer in the API's one error shape and the connection closes; silent and slow clients are
/// disconnected in bounded time; well-behaved keep-alive and WebSocket connections are not.
@Suite("Connection limits")
struct ConnectionLimitTests {
  /// Served sizes, with timeouts short enough to wait for: a test waits a second, not 20 s.
  static let limits = ConnectionLimits(
    requestHeadTimeout: .seconds(1), requestBodyTimeout: .seconds(1), lingerTimeout: .seconds(1))

  /// Time within which a refused request must be answered and the connection closed: far more
  /// than the milliseconds it takes. CI runs these suites beside the load test, which shares the
  /// event loops and keeps both cores busy (a shutdown took 46 s there), and every failure they
  /// guard against is a connection held for ever.
  static let prompt = 30.0

  static func withServer(
    limits: ConnectionLimits = limits, _ body: @escaping @Sendable (_ port: Int) async throws -> Void
  ) async throws {
    let app = buildApplication(
      service: try APITests.service(), host: "127.0.0.1", port: 0, limits: limits)
    try await app.test(.live) { client in
      try await body(try #require(client.port))
    }
  }

  /// A request head that NIO's decoder refuses, and what the answer must say.
  struct Refusal: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let request: String
    let status: Int
    /// Words the error message must contain, naming the problem.
    let words: [String]
  }

  static let refusals = [
    Refusal(
      testDescription: "a 100 KB header",
      request: "GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n",
      status: 431, words: ["header fields too large", "16 KiB"]),
    Refusal(
      testDescription: "2,000 headers",
      request: "GET / HTTP/1.1\r\nHost: x\r\n" + (0..<2000).map { "X-Field-\($0): v\r\n" }.joined() + "\r\n",
      status: 431, words: ["header fields too large", "100 fields"]),
    Refusal(
      testDescription: "Content-Length and Transfer-Encoding: chunked",
      request:
        "POST /api/solve HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      status: 400, words: ["Content-Length", "Transfer-Encoding"]),
    Refusal(
      testDescription: "Transfer-Encoding: chunked and Content-Length",
      request:
        "POST /api/solve HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
      status: 400, words: ["Content-Length", "Transfer-Encoding"]),
    Refusal(
      testDescription: "a 300 KB URL",
      request: "GET /\(String(repeating: "a", count: 300_000)) HTTP/1.1\r\nHost: x\r\n\r\n",
      status: 414, words: ["URL too long", "16 KiB"]),
    Refusal(
      testDescription: "an unknown method",
      request: "BREW / HTTP/1.1\r\nHost: x\r\n\r\n", status: 501, words: ["unknown request method"]),
    Refusal(
      testDescription: "a head whose lines end in bare line feeds",
      request: "GET /api/robot HTTP/1.1\nHost: x\n\n", status: 400, words: ["lines must end in CRLF"]),
    Refusal(
      testDescription: "a bare line feed after the request line",
      request: "GET /api/robot HTTP/1.1\r\nHost: x\n\r\n", status: 400, words: ["lines must end in CRLF"]),
    Refusal(
      testDescription: "bare line feeds after an empty line before the request line",
      request: "\r\nGET /api/robot HTTP/1.1\nHost: x\n\n", status: 400, words: ["lines must end in CRLF"]),
    // WebSocket upgrades that NIO's upgrader refuses by closing without a word.
    // Answered on the head: the body is never sent.
    Refusal(
      testDescription: "a Content-Length of 50 MB",
      request: "POST /api/solve HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n", status: 413,
      words: ["larger than 4 MiB"]),
    Refusal(
      testDescription: "a WebSocket upgrade of another version",
      request: webSocketUpgrade(version: "8"), status: 400, words: ["Sec-WebSocket-Version: 13"]),
    Refusal(
      testDescription: "a WebSocket upgrade over HTTP/1.0",
      request: webSocketUpgrade().replacingOccurrences(of: "HTTP/1.1", with: "HTTP/1.0"), status: 400,
      words: ["needs HTTP/1.1", "HTTP/1.0"]),
    Refusal(
      testDescription: "a WebSocket upgrade with a key of 3 bytes",
      request: webSocketUpgrade(key: "abc"), status: 400, words: ["Sec-WebSocket-Key", "16 bytes"]),
    Refusal(
      testDescription: "a WebSocket upgrade without Connection: Upgrade",
      request: webSocketUpgrade(connection: "keep-alive"), status: 400, words: ["Connection: Upgrade"]),
    // NIO answers a well-formed upgrade of a path without a WebSocket with a bare 400.
    Refusal(
      testDescription: "a WebSocket upgrade of the page's path",
      request: webSocketUpgrade(path: "/"), status: 404, words: ["no WebSocket at '/'", "/api/live"]),
    // Read as plain JSON, a compressed body failed as "not valid JSON".
    Refusal(
      testDescription: "a body in Content-Encoding: gzip",
      request:
        "POST /api/solve HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 27\r\n\r\n{\"target\": [0.2, 0.1, 0.7]}",
      status: 415, words: ["Content-Encoding 'gzip'", "uncompressed"]),
    // A page of another site needs no preflight for a text/plain POST, nor for a WebSocket.
    Refusal(
      testDescription: "a text/plain POST from a page of another site",
      request:
        "POST /api/solve HTTP/1.1\r\nHost: x\r\nOrigin: http://elsewhere.example\r\nContent-Type: text/plain\r\nContent-Length: 27\r\n\r\n{\"target\": [0.2, 0.1, 0.7]}",
      status: 403,
      words: ["'http://elsewhere.example' may not call", "--allow-origin http://elsewhere.example"]),
    Refusal(
      testDescription: "a WebSocket upgrade from a page of another site",
      request: webSocketUpgrade(origin: "http://x:8080"), status: 403, words: ["'http://x:8080' may not call"]
    ),
    // A page of a name pointed at 127.0.0.1 is same-origin with itself (DNS rebinding).
    Refusal(
      testDescription: "a page whose name points at the loopback server",
      request:
        "POST /api/solve HTTP/1.1\r\nHost: evil.example:8080\r\nOrigin: http://evil.example:8080\r\nContent-Length: 27\r\n\r\n{\"target\": [0.2, 0.1, 0.7]}",
      status: 403, words: ["DNS rebinding", "--allow-origin http://evil.example:8080"]),
    Refusal(
      testDescription: "an Origin no browser sends, with a path",
      request:
        "GET /api/robot HTTP/1.1\r\nHost: x\r\nOrigin: http://x/page\r\n\r\n", status: 403,
      words: ["'http://x/page' may not call"]),
    Refusal(
      testDescription: "a list of origins, which no browser sends",
      request: "GET /api/robot HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost, http://x\r\n\r\n",
      status: 403, words: ["'http://localhost, http://x' may not call"]),
    Refusal(
      testDescription: "two Host fields",
      request: "GET /api/robot HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n", status: 400,
      words: ["one Host field", "has 2"]),
    Refusal(
      testDescription: "HTTP/1.1 without a Host field",
      request: "GET /api/robot HTTP/1.1\r\n\r\n", status: 400,
      words: ["an HTTP/1.1 request has a Host field; this one has none"]),
    Refusal(
      testDescription: "Transfer-Encoding: gzip, chunked",
      request:
        "POST /api/solve HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
      status: 501, words: ["Transfer-Encoding 'gzip' is not supported"]),
    Refusal(
      testDescription: "a request from a sandboxed page (Origin: null)",
      request: "GET /api/robot HTTP/1.1\r\nHost: x\r\nOrigin: null\r\n\r\n", status: 403,
      words: ["'null' may not call", "only its own pages"]),
  ]

  static func webSocketUpgrade(
    path: String = "/api/live", version: String = "13", key: String = "dGhlIHNhbXBsZSBub25jZQ==",
    connection: String = "Upgrade", origin: String? = nil
  ) -> String {
    "GET \(path) HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: \(connection)\r\n"
      + (origin.map { "Origin: \($0)\r\n" } ?? "")
      + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: \(version)\r\n\r\n"
  }

  @Test("--allow-origin's origins are read as browsers send them; one no browser sends is none")
  func normalizedOrigins() {
    #expect(ConnectionLimits.normalizedOrigin("HTTP://Ik_Server:80") == "http://ik_server")
    #expect(ConnectionLimits.normalizedOrigin("https://[::1]:443") == "https://[::1]")
    #expect(ConnectionLimits.normalizedOrigin("http://friend.example:8080") == "http://friend.example:8080")
    #expect(ConnectionLimits.normalizedOrigin("http://[::1]:65535") == "http://[::1]:65535")
    let refused = [
      "http://a b", "http://user@x", "http://x/", "ws://x", "null", "", "http://", "http://a:99999",
      "http://a:0",
      "http://a:", "http://[::1]:x",
    ]
    for text in refused {
      #expect(ConnectionLimits.normalizedOrigin(text) == nil, "\(text)")
    }
  }

  @Test(
    "a browser's request from the server's own pages is served, as is one from an origin --allow-origin names; CONNECT gets a 405 and the connection closes"
  )
  func originsAndConnect() async throws {
    let body = "{\"target\": [0.2, 0.1, 0.7]}"
    func post(origin: String, host: String = "x") -> String {
      "POST /api/solve HTTP/1.1\r\nHost: \(host)\r\nOrigin: \(origin)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }
    var allowing = Self.limits
    allowing.allowedOrigins = ["http://localhost:3000", "http://friend.example"]
    for request in [
      post(origin: "http://localhost", host: "localhost"),
      post(origin: "http://LOCALHOST:80", host: "localhost"),
      post(origin: "http://127.0.0.1:8080", host: "127.0.0.1:8080"),
      post(origin: "http://[::1]:8080", host: "[::1]:8080"),
      post(origin: "http://localhost:3000"), post(origin: "http://friend.example", host: "friend.example"),
      Self.webSocketUpgrade(origin: "ws://localhost"),
    ] {
      try await Self.withServer(limits: allowing) { port in
        let connection = try RawConnection(port: port)
        try await connection.send(request)
        let response = try await connection.readResponse(timeout: .seconds(45))
        #expect([200, 101].contains(response.status), "\(request)")
      }
    }
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      try await connection.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      #expect(received.closed && received.seconds < Self.prompt, "closed: \(received.closed)")
      let (response, _) = try #require(RawResponse.parse(received.bytes), "no answer")
      #expect(response.status == 405)
      #expect(response.headers["connection"] == "close")
    }
  }

  @Test(
    "past maxConnections open connections (keep-alive and WebSocket alike) a new one is closed before a byte is read; once one closes, the next is served"
  )
  func connectionCap() async throws {
    var capped = Self.limits
    capped.maxConnections = 3
    try await Self.withServer(limits: capped) { port in
      let robot = "GET /api/robot HTTP/1.1\r\nHost: x\r\n\r\n"
      var held: [RawConnection] = []
      for _ in 0..<2 {
        let connection = try RawConnection(port: port)
        try await connection.send(robot)
        #expect(try await connection.readResponse(timeout: .seconds(45)).status == 200)
        held.append(connection)
      }
      let socket = try RawConnection(port: port)
      _ = try await socket.upgradeToLiveSocket()
      held.append(socket)
      let refused = try RawConnection(port: port)
      // A client's bytes may or may not be taken before the close: either way no answer comes.
      _ = try? await refused.send(robot, timeout: .seconds(1))
      let received = try await refused.readUntilClosed(timeout: .seconds(45))
      #expect(received.closed && received.bytes.isEmpty && received.seconds < Self.prompt, "\(received)")
      held.removeFirst()
      // The server sees the close after the client makes it: a few tries, not a fixed wait.
      var served = false
      for _ in 0..<100 where !served {
        let next = try RawConnection(port: port)
        _ = try? await next.send(robot, timeout: .seconds(1))
        served = (try? await next.readResponse(timeout: .seconds(2)).status) == 200
      }
      #expect(served)
      // The two still held stay open to here: the one closed made the room.
      withExtendedLifetime(held) {}
    }
  }

  @Test(
    "every WebSocket session's upgrade context is freed when its connection closes (hummingbird-websocket's context held itself: 600 to 900 bytes a session, for ever)"
  )
  func sessionsAreFreed() async throws {
    try await Self.withServer { port in
      let before = LiveRequestContext.liveCount
      var sessions: [RawConnection] = []
      for _ in 0..<40 {
        let connection = try RawConnection(port: port)
        #expect(try await connection.upgradeToLiveSocket().hasPrefix("HTTP/1.1 101"))
        sessions.append(connection)
      }
      #expect(LiveRequestContext.liveCount >= 40)
      sessions.removeAll()
      // Other suites' sessions come and go meanwhile: a few, never forty.
      var left = LiveRequestContext.liveCount
      for _ in 0..<500 where left > before + 10 {
        try await Task.sleep(for: .milliseconds(20))
        left = LiveRequestContext.liveCount
      }
      #expect(left <= before + 10, "\(left - before) of 40 sessions' contexts are still alive")
    }
  }

  @Test(
    "the last request of a connection (HTTP/1.0 without keep-alive, or Connection: close) is answered and the connection closed at once, without answering bytes after it"
  )
  func lastRequest() async throws {
    let body = "{\"target\": [0.2, 0.1, 0.7]}"
    for request in [
      "GET /style.css HTTP/1.0\r\n\r\n",
      "POST /api/solve HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)extra",
      // A request after the last one, even one the guard itself would answer, gets nothing.
      "POST /api/solve HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        + Self.webSocketUpgrade(version: "8"),
    ] {
      try await Self.withServer { port in
        let connection = try RawConnection(port: port)
        try await connection.send(request)
        let received = try await connection.readUntilClosed(timeout: .seconds(45))
        // The idle timeout is 60 s: closing before it is closing at once.
        #expect(
          received.closed && received.seconds < Self.prompt,
          "closed: \(received.closed) after \(received.seconds) s")
        let (response, rest) = try #require(RawResponse.parse(received.bytes), "no answer")
        #expect(response.status == 200)
        #expect(rest.isEmpty, "a second answer: \(String(decoding: rest, as: UTF8.self))")
      }
    }
  }

  /// A client frame of `text`: masked with a fixed key, or not.
  static func textFrame(_ text: String, masked: Bool) -> [UInt8] {
    let payload = Array(text.utf8)
    precondition(payload.count < 126)
    guard masked else { return [0x81, UInt8(payload.count)] + payload }
    let key: [UInt8] = [0x1F, 0x2E, 0x3D, 0x4C]
    return [0x81, 0x80 | UInt8(payload.count)] + key
      + payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
  }

  /// The payload of the first whole (unmasked) server frame in `bytes`, `nil` before it has come.
  static func serverFrame(_ bytes: [UInt8]) -> [UInt8]? {
    guard bytes.count >= 2 else { return nil }
    let short = Int(bytes[1] & 0x7F)
    let lengthBytes = short == 126 ? 2 : short == 127 ? 8 : 0
    guard bytes.count >= 2 + lengthBytes else { return nil }
    let length = lengthBytes == 0 ? short : bytes[2..<(2 + lengthBytes)].reduce(0) { $0 << 8 | Int($1) }
    guard bytes.count >= 2 + lengthBytes + length else { return nil }
    return Array(bytes[(2 + lengthBytes)..<(2 + lengthBytes + length)])
  }

  @Test(
    "the live API's path upgrades however the router would read it (a query, a trailing or doubled slash, an absolute URL); a plain GET of it is a 426",
    arguments: ["/api/live?client=3", "/api/live/", "//api/live", "http://x/api/live"])
  func livePathForms(path: String) async throws {
    try await Self.withServer { port in
      let upgrade = try RawConnection(port: port)
      try await upgrade.send(Self.webSocketUpgrade(path: path))
      let upgraded = try await upgrade.readResponse(timeout: .seconds(45))
      #expect(upgraded.status == 101, "\(path)")
      let plain = try RawConnection(port: port)
      try await plain.send("GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
      let answer = try await plain.readResponse(timeout: .seconds(45))
      #expect(answer.status == 426, "\(path)")
    }
  }

  @Test(
    "a WebSocket client frame without a mask closes the connection with 1002 (RFC 6455 5.1); masked frames are answered before it"
  )
  func unmaskedFrame() async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      try await connection.send(Self.webSocketUpgrade())
      let upgraded = try await connection.readResponse(timeout: .seconds(45))
      #expect(upgraded.status == 101)
      let request = "{\"id\": 3, \"target\": [0.2, 0.1, 0.7], \"solver\": \"analytic\"}"
      try await connection.send(Self.textFrame(request, masked: true))
      let answer = try await connection.read(timeout: .seconds(45)) { Self.serverFrame($0) != nil }
      let payload = try #require(Self.serverFrame(answer.bytes), "no answer to the masked frame")
      let answerText = String(decoding: payload, as: UTF8.self)
      #expect(
        answer.bytes.first == 0x81 && answerText.contains("\"id\":3"),
        "the masked frame's answer: \(answerText)")
      try await connection.send(Self.textFrame(request, masked: false))
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      #expect(received.closed, "the connection stayed open")
      let text = String(decoding: received.bytes, as: UTF8.self)
      // The close frame: opcode 8, then the status 1002 (0x03EA) and the reason.
      let close = try #require(
        received.bytes.firstRange(of: [0x03, 0xEA] as [UInt8]), "no 1002: \(received.bytes)")
      #expect(close.lowerBound >= 2 && received.bytes[close.lowerBound - 2] == 0x88)
      #expect(text.contains("masked"))
      #expect(received.seconds < Self.prompt, "closed after \(received.seconds) s")
    }
  }

  /// A masked client frame: its first header byte (FIN, RSV1–3 and opcode) and payload, the
  /// length written as RFC 6455 §5.2 says.
  static func maskedFrame(first: UInt8, payload: [UInt8]) -> [UInt8] {
    let key: [UInt8] = [0x1F, 0x2E, 0x3D, 0x4C]
    let length: [UInt8] =
      payload.count < 126
      ? [0x80 | UInt8(payload.count)] : [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    return [first] + length + key + payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
  }

  @Test(
    "a WebSocket message in fragments, a ping between them, is answered: the frame check follows fragmentation"
  )
  func fragmentedMessage() async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      try await connection.send(Self.webSocketUpgrade())
      let upgraded = try await connection.readResponse(timeout: .seconds(45))
      #expect(upgraded.status == 101)
      let request = Array("{\"id\": 5, \"target\": [0.2, 0.1, 0.7], \"solver\": \"analytic\"}".utf8)
      try await connection.send(
        Self.maskedFrame(first: 0x01, payload: Array(request[..<10]))
          + Self.maskedFrame(first: 0x89, payload: Array("hi".utf8))
          + Self.maskedFrame(first: 0x00, payload: Array(request[10..<20]))
          + Self.maskedFrame(first: 0x80, payload: Array(request[20...])))
      let answer = try await connection.read(timeout: .seconds(45)) {
        String(decoding: $0, as: UTF8.self).contains("\"id\":5")
      }
      #expect(String(decoding: answer.bytes, as: UTF8.self).contains("\"id\":5"), "\(answer.bytes)")
      #expect(!answer.bytes.contains(0x88), "closed: \(answer.bytes)")
    }
  }

  @Test(
    "a WebSocket frame that breaks RFC 6455 otherwise closes with 1002 and a reason that says what was wrong",
    arguments: [
      ([maskedFrame(first: 0xC1, payload: Array("{}".utf8))], "reserved bits"),
      ([maskedFrame(first: 0x83, payload: [])], "opcode 3 is reserved"),
      ([maskedFrame(first: 0x8F, payload: [])], "opcode 15 is reserved"),
      ([maskedFrame(first: 0x09, payload: [])], "close, ping or pong frame must be whole"),
      ([maskedFrame(first: 0x89, payload: Array(repeating: 7, count: 126))], "at most 125 bytes"),
      ([maskedFrame(first: 0x80, payload: Array("x".utf8))], "no fragmented message"),
      (
        [
          maskedFrame(first: 0x01, payload: Array("{".utf8)),
          maskedFrame(first: 0x81, payload: Array("{}".utf8)),
        ],
        "before the fragmented one ended"
      ),
    ])
  func protocolErrors(frames: [[UInt8]], reason: String) async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      try await connection.send(Self.webSocketUpgrade())
      let upgraded = try await connection.readResponse(timeout: .seconds(45))
      #expect(upgraded.status == 101)
      try await connection.send(frames.flatMap { $0 })
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      #expect(received.closed, "the connection stayed open")
      let payload = try #require(Self.serverFrame(received.bytes), "no close frame: \(received.bytes)")
      #expect(received.bytes.first == 0x88, "not a close frame: \(received.bytes)")
      #expect(Array(payload.prefix(2)) == [0x03, 0xEA], "not 1002: \(payload)")
      let text = String(decoding: payload.dropFirst(2), as: UTF8.self)
      #expect(text.contains(reason), "\(text)")
    }
  }

  @Test(
    "a WebSocket frame over 1 MiB, sent whole, gets a readable close with 1009 and its reason, not a reset that loses it",
    arguments: [(1 << 20) + 1, 3 << 20])
  func oversizedFrame(size: Int) async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      try await connection.send(Self.webSocketUpgrade())
      let upgraded = try await connection.readResponse(timeout: .seconds(45))
      #expect(upgraded.status == 101)
      let key: [UInt8] = [0x1F, 0x2E, 0x3D, 0x4C]
      let header: [UInt8] =
        [0x81, 0x80 | 127] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
      let payload = (0..<size).map { UInt8(ascii: "a") ^ key[$0 % 4] }
      // Sent as far as the server takes it: past its linger limit it closes.
      try await connection.send(header + key + payload, timeout: .seconds(20))
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      #expect(received.closed, "the connection stayed open")
      let close = received.bytes.firstRange(of: [0x03, 0xF1] as [UInt8])
      #expect(
        close.map { $0.lowerBound >= 2 && received.bytes[$0.lowerBound - 2] == 0x88 } == true, "no 1009")
      #expect(String(decoding: received.bytes, as: UTF8.self).contains("at most 1048576 bytes"))
    }
  }

  @Test("a request that expects 100-continue is told to go on at once, then answered")
  func expectContinue() async throws {
    // The body follows the 100 only after this test reads it: under CI's load that gap passed the
    // other tests' 1 s body timeout (a 408). This test is about the 100, not about the timeout.
    let patient = ConnectionLimits(requestHeadTimeout: .seconds(30), requestBodyTimeout: .seconds(30))
    try await Self.withServer(limits: patient) { port in
      let connection = try RawConnection(port: port)
      let body = "{\"target\": [0.2, 0.1, 0.7]}"
      try await connection.send(
        "POST /api/solve HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
      )
      let proceed = try await connection.readResponse(timeout: .seconds(45))
      #expect(proceed.status == 100)
      try await connection.send(body)
      let answer = try await connection.readResponse(timeout: .seconds(45))
      #expect(answer.status == 200)
    }
  }

  @Test(
    "a request asking to upgrade to another protocol than WebSocket (curl --http2's h2c), or with a body, is answered as if it had not asked",
    arguments: [
      "GET /api/robot HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n",
      "GET /style.css HTTP/1.1\r\nHost: x\r\nUpgrade: foo\r\n\r\n",
      "POST /api/solve HTTP/1.1\r\nHost: x\r\nUpgrade: foo\r\nConnection: Upgrade\r\nContent-Length: 27\r\n\r\n{\"target\": [0.2, 0.1, 0.7]}",
      "POST /api/solve HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 27\r\n\r\n{\"target\": [0.2, 0.1, 0.7]}",
    ])
  func foreignUpgrade(_ request: String) async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      try await connection.send(request)
      let response = try await connection.readResponse(timeout: .seconds(45))
      #expect(response.status == 200, "\(request)")
      #expect(!response.body.isEmpty)
    }
  }

  /// Checks one answer: the status, a JSON body of exactly `{"error": …}` naming the problem,
  /// and `Connection: close`.
  static func expectAnswer(
    _ response: RawResponse, status: Int, words: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(response.status == status, sourceLocation: sourceLocation)
    #expect(
      response.headers["content-type"] == "application/json; charset=utf-8", sourceLocation: sourceLocation)
    #expect(response.headers["connection"] == "close", sourceLocation: sourceLocation)
    let json = response.json
    #expect(
      json?.count == 1, "body: \(String(decoding: response.body, as: UTF8.self))",
      sourceLocation: sourceLocation)
    let message = json?["error"] as? String ?? ""
    for word in words {
      #expect(
        message.contains(word), "\"\(message)\" does not say \"\(word)\"", sourceLocation: sourceLocation)
    }
  }

  @Test(
    "a refused request head is answered in the one error shape, then the connection closes",
    arguments: refusals)
  func refused(_ refusal: Refusal) async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      let bytes = Array(refusal.request.utf8)
      let sent = try await connection.send(bytes)
      #expect(sent == bytes.count, "the server stopped reading before the client had sent its request")
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      #expect(received.closed, "the connection was still open after 45 s")
      #expect(received.seconds < Self.prompt, "closed after \(received.seconds) s")
      let (response, rest) = try #require(RawResponse.parse(received.bytes), "no answer")
      Self.expectAnswer(response, status: refusal.status, words: refusal.words)
      #expect(rest.isEmpty)
    }
  }

  @Test("a connection that sends nothing is closed at the head timeout, without an answer")
  func silent() async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      #expect(received.closed, "the silent connection was still open after 45 s")
      #expect(received.bytes.isEmpty)
      #expect(
        received.seconds > 0.9 && received.seconds < 1 + Self.prompt, "closed after \(received.seconds) s")
    }
  }

  @Test(
    "shutting down, the server closes a connection that has not begun a request, without waiting for its timeout"
  )
  func shutdownClosesSilentConnections() async throws {
    // Head and idle timeouts of an hour: only the shutdown can close the connection in the test. The
    // time it takes is not the point (the suites share the event loops with the load test, and a
    // shutdown took 12 s and 46 s in CI), only that it does not wait for the timeout.
    let limits = ConnectionLimits(requestHeadTimeout: .seconds(3600), idleTimeout: .seconds(3600))
    let app = buildApplication(service: try APITests.service(), host: "127.0.0.1", port: 0, limits: limits)
    let start = ContinuousClock.now
    let connection = try await app.test(.live) { client in
      let connection = try RawConnection(port: try #require(client.port))
      try await Task.sleep(for: .milliseconds(300))  // accepted, and its pipeline set up
      return connection
    }
    let received = try await connection.readUntilClosed(timeout: .seconds(600))
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    #expect(received.closed && received.bytes.isEmpty, "still open, or an answer: \(received)")
    #expect(seconds < 600, "the server took \(seconds) s to shut down")
  }

  @Test("a request head trickled byte by byte gets a 408 at the head timeout, then the connection closes")
  func trickledHead() async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      let start = ContinuousClock.now
      // One byte every 50 ms: the whole head would take 10 s.
      let head = Array(
        "GET /api/robot HTTP/1.1\r\nHost: x\r\nX-Slow: \(String(repeating: "a", count: 200))\r\n\r\n".utf8)
      for byte in head {
        guard !connection.isReadable, try await connection.send([byte]) == 1 else { break }
        try await Task.sleep(for: .milliseconds(50))
      }
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      let seconds = (ContinuousClock.now - start) / .seconds(1)
      #expect(received.closed, "the connection was still open")
      #expect(seconds > 0.9 && seconds < 1 + Self.prompt, "answered and closed after \(seconds) s")
      let (response, _) = try #require(RawResponse.parse(received.bytes), "no answer")
      Self.expectAnswer(response, status: 408, words: ["request head not complete within 1 s"])
    }
  }

  @Test("a request body that stops arriving gets a 408 at the body timeout, then the connection closes")
  func stalledBody() async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      try await connection.send(
        "POST /api/solve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
          + "{\"target\": [0.2,")
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      #expect(received.closed, "the connection was still open")
      #expect(
        received.seconds > 0.9 && received.seconds < 1 + Self.prompt, "closed after \(received.seconds) s")
      let (response, _) = try #require(RawResponse.parse(received.bytes), "no answer")
      Self.expectAnswer(response, status: 408, words: ["request body not complete within 1 s"])
    }
  }

  @Test("a chunked body that grows past 4 MiB gets its 413 there, then the connection closes")
  func oversizedChunkedBody() async throws {
    // Beside the other suites, 4 MiB can take longer to send than this suite's 1 s body timeout.
    let limits = ConnectionLimits(
      requestHeadTimeout: .seconds(1), requestBodyTimeout: .seconds(60), lingerTimeout: .seconds(1))
    try await Self.withServer(limits: limits) { port in
      let connection = try RawConnection(port: port)
      try await connection.send(
        "POST /api/solve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
      )
      let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: 0x20, count: 1 << 16) + Array("\r\n".utf8)
      // Chunks until the answer comes, at most 12 MiB: the client stops sending once answered,
      // since a server that closes with input unread may reset the connection over its answer.
      // A chunk may wait long for the server to read (CI's other suites share its two cores: a
      // 1 s wait ended the sending short of 4 MiB once, and the server rightly waited for more).
      var sent = 0
      while sent < 12 << 20, !connection.isReadable {
        guard try await connection.send(chunk, timeout: .seconds(40)) == chunk.count else { break }
        sent += 1 << 16
      }
      #expect(sent > ConnectionLimits.maxBodySize - (1 << 16), "answered after \(sent) bytes")
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      #expect(received.closed, "the connection was still open after 45 s")
      let (response, rest) = try #require(RawResponse.parse(received.bytes), "no answer")
      Self.expectAnswer(response, status: 413, words: ["larger than 4 MiB"])
      // Before, the 413 left the connection open to read the rest (a 408 followed here).
      #expect(rest.isEmpty, "more after the 413: \(String(decoding: rest.prefix(200), as: UTF8.self))")
    }
  }

  @Test("keep-alive: idle past the head timeout the connection stays open; a later refused head is answered")
  func keepAlive() async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      let body = "{\"target\": [0.2, 0.1, 0.7]}"
      try await connection.send(
        "POST /api/solve HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
      let first = try await connection.readResponse(timeout: .seconds(45))
      #expect(first.status == 200)
      // Idle between requests: the 60 s idle timeout applies, not the 1 s head timeout.
      try await Task.sleep(for: .milliseconds(1500))
      #expect(!connection.isReadable, "the idle keep-alive connection was closed")
      try await connection.send("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
      let second = try await connection.readResponse(timeout: .seconds(45))
      #expect(second.status == 200)
      try await connection.send(
        "GET / HTTP/1.1\r\nHost: x\r\n\(String(repeating: "X-A: b\r\n", count: 101))\r\n")
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      #expect(
        received.closed && received.seconds < Self.prompt,
        "closed: \(received.closed) after \(received.seconds) s")
      let (answer, _) = try #require(RawResponse.parse(received.bytes), "no answer")
      Self.expectAnswer(answer, status: 431, words: ["100 fields"])
    }
  }

  @Test("pipelined: a refused head after a good request is answered after that request's response")
  func pipelined() async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      try await connection.send(
        "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\nBREW / HTTP/1.1\r\nHost: x\r\n\r\n")
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      #expect(
        received.closed && received.seconds < Self.prompt,
        "closed: \(received.closed) after \(received.seconds) s")
      let (first, rest) = try #require(RawResponse.parse(received.bytes), "no response")
      #expect(first.status == 200)
      #expect(first.headers["content-type"]?.hasPrefix("text/css") == true)
      let (answer, _) = try #require(RawResponse.parse(rest), "no answer to the refused request")
      Self.expectAnswer(answer, status: 501, words: ["unknown request method"])
    }
  }

  @Test("after its answer, a client that keeps sending is cut off at the linger timeout")
  func lingerIsBounded() async throws {
    try await Self.withServer { port in
      let connection = try RawConnection(port: port)
      // The linger begins when the server answers, so the clock starts before the request: a
      // loaded machine may take most of the linger to hand the answer to this reader.
      let start = ContinuousClock.now
      try await connection.send("BREW / HTTP/1.1\r\nHost: x\r\n\r\n")
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      let (answer, _) = try #require(RawResponse.parse(received.bytes), "no answer")
      #expect(answer.status == 501)
      // 1 KiB every 10 ms for at most 10 s: the server reads and discards it for 1 s, then closes.
      var cutOff = false
      for _ in 0..<1000 {
        guard try await connection.send([UInt8](repeating: 0x61, count: 1024), timeout: .seconds(1)) == 1024
        else {
          cutOff = true
          break
        }
        try await Task.sleep(for: .milliseconds(10))
      }
      let seconds = (ContinuousClock.now - start) / .seconds(1)
      #expect(cutOff, "the server kept reading for 10 s")
      #expect(seconds > 0.9 && seconds < 1 + Self.prompt, "cut off after \(seconds) s")
    }
  }

  @Test("a WebSocket outlives the head and body timeouts: the guard leaves at the upgrade")
  func webSocketOutlivesTimeouts() async throws {
    let app = buildApplication(
      service: try APITests.service(), host: "127.0.0.1", port: 0, limits: Self.limits)
    try await Self.within(.seconds(30)) {
      _ = try await app.test(.live) { client in
        try await client.ws("/api/live") { inbound, outbound, _ in
          var replies = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
          try await Task.sleep(for: .milliseconds(2500))
          try await outbound.write(
            .text("{\"id\": 7, \"target\": [0.2, 0.1, 0.7], \"solver\": \"analytic\"}"))
          guard case .text(let text)? = try await replies.next() else {
            Issue.record("the WebSocket was closed while idle")
            return
          }
          #expect(try LiveSocketTests.decode(text)["id"] as? Int == 7)
        }
      }
    }
  }

  /// Runs `body`, failing (and cancelling it) if it takes longer than `limit`.
  static func within(_ limit: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
      group.addTask {
        try await body()
        return true
      }
      group.addTask {
        try await Task.sleep(for: limit)
        return false
      }
      let finished = try await group.next() ?? false
      group.cancelAll()
      #expect(finished, "not finished within \(limit)")
    }
  }
}
