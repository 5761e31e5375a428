import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import NeuralIK
import NeuralIKCore
import NeuralIKServer
import TestSupport
import Testing

/// The server's real answers against `openapi.yaml`: each is checked against the schema the
/// description documents for its path, method and status (with `additionalProperties: false`), so a
/// field added, renamed or dropped on either side, or a new status, fails here.
@Suite("OpenAPI description")
struct OpenAPITests {
  /// One request and the operation of the description it exercises.
  struct Call: Sendable, CustomTestStringConvertible {
    var name: String
    var method: HTTPRequest.Method
    var uri: String
    var body: String?
    /// The operation's path in the description (`/three/{path}`), or a path it lacks.
    var path: String
    var status: Int

    var testDescription: String { name }
    /// "METHOD path status", as `coverage()` lists the documented responses.
    var documented: String { "\(method.rawValue) \(path) \(status)" }
  }

  static func post(_ name: String, _ body: String, status: Int) -> Call {
    Call(name: name, method: .post, uri: "/api/solve", body: body, path: "/api/solve", status: status)
  }

  static func get(_ name: String, _ uri: String, path: String? = nil, status: Int) -> Call {
    Call(name: name, method: .get, uri: uri, path: path ?? uri, status: status)
  }

  static let errorCalls: [Call] = [
    post("not JSON", "{target: oops", status: 400),
    post("wrong dimension", "{\"target\": [1, 2]}", status: 400),
    post("a string for a number", "{\"target\": [1, \"x\", 2]}", status: 400),
    post("neither target nor targets", "{\"solver\": \"hybrid\"}", status: 400),
    post("unknown solver", "{\"target\": [0.1, 0, 0.5], \"solver\": \"magic\"}", status: 400),
    post("start of the wrong size", "{\"target\": [0.1, 0, 0.5], \"start\": [1, 2, 3]}", status: 400),
    post("lock of an unknown joint", "{\"target\": [0.1, 0, 0.5], \"lock\": {\"elbow\": 0}}", status: 400),
    post(
      "limits not [lower, upper]", "{\"target\": [0.1, 0, 0.5], \"limits\": {\"base_yaw\": [0.5]}}",
      status: 400),
    post("rotation weight out of range", "{\"target\": [0.1, 0, 0.5], \"rotation_weight\": -1}", status: 400),
    post("a zero axis", "{\"target\": [0.1, 0, 0.5], \"axis\": [0, 0, 0]}", status: 400),
    post("an axis with a pose", "{\"target\": [0.1, 0, 0.5, 1, 0, 0, 0], \"axis\": [0, 0, 1]}", status: 400),
    post("tool_axis without axis", "{\"target\": [0.1, 0, 0.5], \"tool_axis\": [0, 0, 1]}", status: 400),
    post(
      "batch over 1,000",
      "{\"targets\": [\(Array(repeating: "[0.1, 0, 0.5]", count: 1001).joined(separator: ","))]}",
      status: 413),
    post("body over 4 MiB", String(repeating: " ", count: 5 << 20), status: 413),
    get("unknown path", "/no/such/page", status: 404),
    Call(name: "unknown method", method: .delete, uri: "/api/robot", path: "/api/robot", status: 404),
    get("GET /api/solve", "/api/solve", status: 404),
    get("/api/live without the upgrade", "/api/live", status: 426),
    get("a path out of three.js's folder", "/three/../../../etc/passwd", path: "/three/{path}", status: 404),
    get("the reference, not built", "/docs", status: 404),
    get(
      "a page of the reference, not built", "/docs/documentation/neuralik/", path: "/docs/{path}", status: 404
    ),
    get("workspace count out of range", "/api/workspace?count=5000", path: "/api/workspace", status: 400),
    get("no map loaded", "/api/map", status: 404),
  ]

  static let pageCalls: [Call] = [
    get("this description", "/openapi.yaml", status: 200),
    get("the page", "/", status: 200),
    get("the script", "/app.js", status: 200),
    get("the map script", "/map.js", status: 200),
    get("the style sheet", "/style.css", status: 200),
    get("the workspace view's script", "/workspace.js", status: 200),
    get("three.js", "/three/build/three.module.js", path: "/three/{path}", status: 200),
  ]

  /// The answers the tests below check, beside `errorCalls` and `pageCalls`.
  static let otherResponses = [
    "GET /api/robot 200", "POST /api/solve 200", "GET /api/live 101", "GET /api/workspace 200",
    "GET /api/map 200",
    // DocsSiteTests, against a fake site.
    "GET /docs 302", "GET /docs/{path} 200",
  ]
  /// Documented, but no request can provoke it: a numerical library's failure.
  static let unprovoked = ["POST /api/solve 500", "GET /api/workspace 500"]

  static func check(_ response: TestResponse, _ call: Call, spec: OpenAPISpec) {
    #expect(Int(response.status.code) == call.status, "\(call.name)")
    let problems = spec.problems(of: response, call.method.rawValue.lowercased(), call.path)
    #expect(problems.isEmpty, "\(call.name): \(problems.joined(separator: "; "))")
  }

  @Test("GET /openapi.yaml serves the file as application/yaml: OpenAPI 3.1 written as JSON")
  func served() async throws {
    let file = try Data(contentsOf: OpenAPISpec.fileURL)
    let spec = try OpenAPISpec(data: file)
    #expect(spec.document["openapi"] == .string("3.1.0"))
    try await APITests.app().test(.router) { client in
      let response = try await client.execute(uri: "/openapi.yaml", method: .get)
      #expect(response.status == .ok)
      #expect(response.headers[.contentType] == "application/yaml")
      #expect(Data(buffer: response.body) == file, "the served copy is the file in the source tree")
    }
  }

  @Test("every example in the description matches its schema")
  func examples() throws {
    let spec = try OpenAPISpec.load()
    let examples = spec.examples
    #expect(examples.count > 30, "the walk found \(examples.count) examples")
    for example in examples {
      let errors = spec.validator.errors(of: example.value, against: example.schema)
      #expect(errors.isEmpty, "\(example.label): \(errors.joined(separator: "; "))")
    }
  }

  @Test("every operation, status and refusal the description documents is exercised here")
  func coverage() throws {
    let spec = try OpenAPISpec.load()
    let documented = spec.operations.flatMap { operation in
      let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
      let responses = spec.operation(parts[0].lowercased(), parts[1])?["responses"]?.objectValue ?? [:]
      return responses.keys.map { "\(operation) \($0)" }
    }
    let refused =
      spec.document["components"]?["responses"]?["RefusedRequest"]?["x-statuses"]?.arrayValue ?? []
    let documentedRefusals = refused.compactMap(\.numberValue).map { "RefusedRequest \(Int($0))" }
    // Calls to paths or methods the description lacks exercise its NotFound rule, not an operation.
    let calls = (Self.errorCalls + Self.pageCalls).filter {
      spec.operation($0.method.rawValue.lowercased(), $0.path) != nil
    }
    let exercised =
      calls.map(\.documented) + Self.refusals.map { Self.exercised($0, spec: spec) } + Self.otherResponses
      + Self.unprovoked
    #expect(Set(documented + documentedRefusals) == Set(exercised))
  }

  @Test("the request schema names every field of SolveRequest, and no other")
  func requestFields() throws {
    var request = SolveRequest(
      target: [0, 0, 1], targets: [[0, 0, 1]], solver: "lm", all: true, start: [0, 0], id: 1, lock: ["a": 0],
      limits: ["b": [0, 1]])
    request.rotationWeight = 0.2
    request.axis = [0, 0, 1]
    request.toolAxis = [0, 0, 1]
    request.path = true
    request.maxStep = 0.1
    let encoded = try JSONValue(parsing: JSONEncoder().encode(request)).objectValue ?? [:]
    let schema = try OpenAPISpec.load().document["components"]?["schemas"]?["SolveRequest"]
    let properties = schema?["properties"]?.objectValue ?? [:]
    #expect(Set(encoded.keys) == Set(properties.keys))
  }

  @Test("GET /api/robot matches its schema: a position model, a pose model, no model")
  func robot() async throws {
    let spec = try OpenAPISpec.load()
    let panda = try RealArm.panda.fromJSON()
    let pandaModel = try IKNetwork(contentsOf: try #require(RealArm.panda.modelURL), for: panda)
    let services = [
      try APITests.service(),
      try SolveService(robot: panda, network: pandaModel),
      try SolveService(robot: try Fixtures.mixedChain(), network: nil),
    ]
    for service in services {
      try await Application(router: buildRouter(service: service)).test(.router) { client in
        let response = try await client.execute(uri: "/api/robot", method: .get)
        Self.check(response, Self.get(service.robot.name, "/api/robot", status: 200), spec: spec)
      }
    }
  }

  @Test(
    "POST /api/solve answers match the schema: one target, a batch, out of reach, a pose, an axis, restrictions"
  )
  func solve() async throws {
    let spec = try OpenAPISpec.load()
    let robot = try APITests.service().robot
    let p = robot.tipPosition(at: [0.4, 0.7])
    let reachable = "[\(p.x), \(p.y), \(p.z)]"
    // Each body, and what its answer must show for the case to be exercised.
    let cases: [(Call, @Sendable (JSONValue) -> Bool)] = [
      (
        Self.post("one target", "{\"target\": \(reachable)}", status: 200),
        { Self.first($0)?["reachable"] == .bool(true) }
      ),
      (
        Self.post("a batch", "{\"targets\": [\(reachable), [-0.5, 0, 0.3]]}", status: 200),
        { $0["results"]?.arrayValue?.count == 2 }
      ),
      (
        Self.post(
          "out of reach, every branch",
          "{\"target\": [-0.5, 0, 0.3], \"solver\": \"analytic\", \"all\": true}", status: 200),
        {
          Self.first($0)?["reachable"] == .bool(false) && Self.first($0)?["solutions"]?.arrayValue?.count == 2
        }
      ),
      (
        Self.post(
          "a pose target", "{\"target\": [0.2, 0.1, 0.7, 1, 0, 0, 0], \"solver\": \"lm\"}", status: 200),
        { Self.first($0)?["solutions"]?.arrayValue?.first?["solution"]?["rotation_error_deg"] != nil }
      ),
      (
        Self.post(
          "an axis target", "{\"target\": [0.3, 0, 0.5], \"axis\": [0, 0, -1], \"solver\": \"lm\"}",
          status: 200),
        { Self.first($0)?["solutions"]?.arrayValue?.first?["solution"]?["rotation_error_deg"] != nil }
      ),
      (
        Self.post(
          "start, lock, limits and rotation weight",
          "{\"target\": \(reachable), \"start\": [0.35, 0.75], \"lock\": {\"base_yaw\": 0.4}, \"limits\": {\"shoulder_pitch\": [0.5, 0.9]}, \"rotation_weight\": 0.2}",
          status: 200),
        { Self.first($0)?["reachable"] == .bool(true) }
      ),
      (
        Self.post(
          "a path with a step limit",
          "{\"targets\": [\(reachable), [0.21, 0.1, 0.69]], \"path\": true, \"start\": [0.35, 0.75], \"max_step\": 0.001}",
          status: 200),
        {
          $0["relaxation_timed_out"] == .bool(false) && Self.first($0)?["step"] != nil
            && $0["results"]?.arrayValue?.contains { $0["flagged"] == .bool(true) } == true
        }
      ),
    ]
    try await APITests.app().test(.router) { client in
      for (call, shows) in cases {
        let response = try await client.execute(
          uri: call.uri, method: call.method, body: ByteBuffer(string: call.body ?? ""))
        Self.check(response, call, spec: spec)
        let body = try JSONValue(parsing: Data(buffer: response.body))
        #expect(
          shows(body),
          "\(call.name): the answer does not show the case: \(String(buffer: response.body).prefix(300))")
      }
    }
  }

  /// The first result of a solve answer.
  static func first(_ body: JSONValue) -> JSONValue? {
    body["results"]?.arrayValue?.first
  }

  @Test("each error matches the error schema documented for its status", arguments: errorCalls)
  func error(_ call: Call) async throws {
    let spec = try OpenAPISpec.load()
    try await APITests.app().test(.router) { client in
      let response = try await client.execute(
        uri: call.uri, method: call.method, body: call.body.map { ByteBuffer(string: $0) })
      Self.check(response, call, spec: spec)
    }
  }

  @Test("the page's files are served with the documented media types", arguments: pageCalls)
  func page(_ call: Call) async throws {
    let spec = try OpenAPISpec.load()
    try await APITests.app().test(.router) { client in
      Self.check(try await client.execute(uri: call.uri, method: call.method), call, spec: spec)
    }
  }

  @Test("/api/live replies match the description's reply schemas, answers and errors alike")
  func live() async throws {
    let spec = try OpenAPISpec.load()
    let socket = try #require(spec.operation("get", "/api/live")?["x-websocket"])
    let reply = try #require(socket["reply"])
    let schemas = try #require(spec.document["components"]?["schemas"])
    // Each message, the schema its reply must match beside `reply`, and the reply's `id`.
    let exchanges: [(String, String, JSONValue?)] = [
      ("{\"id\": 1, \"target\": [0.2, 0.1, 0.7]}", "LiveReply", .number(1)),
      (
        "{\"targets\": [[0.2, 0.1, 0.7], [-0.5, 0, 0.3]], \"solver\": \"analytic\", \"all\": true}",
        "LiveReply", nil
      ),
      // An error reply echoes the id as a number, like a solved one.
      ("{\"id\": 5, \"target\": [1, 2]}", "LiveError", .number(5)),
      // And when the rest of the request does not decode, as long as the id itself reads.
      ("{\"id\": 6, \"target\": [1, \"x\"]}", "LiveError", .number(6)),
      ("not json at all", "LiveError", nil),
    ]
    _ = try await LiveSocketTests.app().test(.live) { client in
      try await client.ws("/api/live") { inbound, outbound, _ in
        var replies = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        for (message, name, id) in exchanges {
          // One at a time, so that none is replaced by the next.
          try await outbound.write(.text(message))
          guard case .text(let text)? = try await replies.next() else {
            Issue.record("no reply to \(message)")
            return
          }
          let value = try JSONValue(parsing: Data(text.utf8))
          let errors =
            spec.validator.errors(of: value, against: reply)
            + spec.validator.errors(of: value, against: schemas[name] ?? .null)
          #expect(errors.isEmpty, "\(message) → \(text.prefix(300)): \(errors.joined(separator: "; "))")
          #expect(value["id"] == id, "\(message) → \(text.prefix(300))")
        }
      }
    }
  }
}
