import Foundation
import Testing

/// What the connection refuses before any route, on the real server and raw sockets (as
/// `ConnectionLimitTests`, whose short timeouts and cases it reuses), against the description.
extension OpenAPITests {
  /// A request the connection refuses, written out byte for byte, and the status it gets.
  struct Refusal: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var request: String
    var status: Int
    /// Answered by the route, not by the connection: its operation must document the status.
    var routed = false

    /// The request line's method (lowercased) and path, as the description names operations.
    var operation: (method: String, path: String) {
      let line = request.prefix { $0 != "\r" }.split(separator: " ")
      return (String(line.first ?? "").lowercased(), String(line.dropFirst().first ?? ""))
    }
  }

  static let refusals =
    ConnectionLimitTests.refusals.map {
      Refusal(testDescription: $0.testDescription, request: $0.request, status: $0.status)
    } + [
      Refusal(
        testDescription: "the HTTP/2 preface", request: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", status: 400),
      Refusal(
        testDescription: "a head left incomplete", request: "GET /api/robot HTTP/1.1\r\nHost: x\r\n",
        status: 408),
      Refusal(
        testDescription: "a body that stops arriving",
        request: "POST /api/solve HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"target\": [0.2,",
        status: 408, routed: true),
    ]

  /// What each refusal exercises: the operation's own response, or a component's `x-statuses`.
  static func exercised(_ refusal: Refusal, spec: OpenAPISpec) -> String {
    let (method, path) = refusal.operation
    if refusal.routed || spec.operation(method, path)?["responses"]?[String(refusal.status)] != nil {
      return "\(method.uppercased()) \(path) \(refusal.status)"
    }
    return "RefusedRequest \(refusal.status)"
  }

  @Test("a request the connection refuses is answered as the description documents", arguments: refusals)
  func refused(_ refusal: Refusal) async throws {
    let spec = try OpenAPISpec.load()
    try await ConnectionLimitTests.withServer { port in
      let connection = try RawConnection(port: port)
      _ = try await connection.send(Array(refusal.request.utf8))
      let received = try await connection.readUntilClosed(timeout: .seconds(45))
      let (response, _) = try #require(RawResponse.parse(received.bytes), "no answer")
      #expect(response.status == refusal.status)
      let (method, path) = refusal.operation
      let problems = spec.problems(
        status: response.status, contentType: response.headers["content-type"], body: Data(response.body),
        method, path)
      if refusal.routed {
        #expect(spec.operation(method, path)?["responses"]?[String(refusal.status)] != nil, "not documented")
      }
      #expect(problems.isEmpty, "\(refusal.testDescription): \(problems.joined(separator: "; ").prefix(500))")
    }
  }
}
