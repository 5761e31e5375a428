import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralIK
import NeuralIKServer
import TestSupport
import Testing

@Suite("HTTP API")
struct APITests {
  static func service() throws -> SolveService {
    let robot = try FixtureArm.seedArm.robot()
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/seed-arm.nikm"), for: robot)
    return try SolveService(robot: robot, network: network)
  }

  static func app() throws -> some ApplicationProtocol {
    Application(router: buildRouter(service: try service()))
  }

  static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
  }

  @Test("GET /api/robot describes the robot, its solvers and its workspace")
  func robot() async throws {
    try await Self.app().test(.router) { client in
      try await client.execute(uri: "/api/robot", method: .get) { response in
        #expect(response.status == .ok)
        let body = try Self.json(response.body)
        #expect(body["name"] as? String == "seed-arm")
        #expect((body["solvers"] as? [String])?.first == "hybrid")
        #expect((body["workspace"] as? [[Double]])?.count == 3000)
        #expect(body["target_kind"] as? String == "position")
        #expect((body["middle_orientation"] as? [Double])?.count == 4)
      }
    }
  }

  @Test("POST /api/solve: one target, reachable, matches a direct solve")
  func solveOne() async throws {
    let service = try Self.service()
    let robot = service.robot
    let p = robot.tipPosition(at: [0.4, 0.7])
    let direct = try SolverFactory.make(robot: robot, network: service.network).solve(IKTarget(position: p))
      .best
    try await Self.app().test(.router) { client in
      let body = ByteBuffer(string: "{\"target\": [\(p.x), \(p.y), \(p.z)]}")
      try await client.execute(uri: "/api/solve", method: .post, body: body) { response in
        #expect(response.status == .ok)
        let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
        let result = try #require(answer.results.first)
        #expect(answer.solver == "hybrid" && result.reachable)
        let values = try #require(result.solutions.first?.solution.jointValues)
        #expect(zip(values, direct.jointValues).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(result.solutions.first?.frames.count == robot.degreesOfFreedom + 1)
      }
    }
  }

  @Test("POST /api/solve: a start is where the solve begins; a start of the wrong size is a 400")
  func solveFromStart() async throws {
    let service = try Self.service()
    let robot = service.robot
    // Both branches reach this target; the start picks the one beside it.
    let q = [0.4, 0.7]
    let p = robot.tipPosition(at: q)
    let direct = try SolverFactory.make(robot: robot, network: service.network).solve(
      IKTarget(position: p), from: [0.35, 0.75]
    ).best
    try await Self.app().test(.router) { client in
      let body = ByteBuffer(string: "{\"target\": [\(p.x), \(p.y), \(p.z)], \"start\": [0.35, 0.75]}")
      try await client.execute(uri: "/api/solve", method: .post, body: body) { response in
        #expect(response.status == .ok)
        let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
        let values = try #require(answer.results.first?.solutions.first?.solution.jointValues)
        #expect(zip(values, direct.jointValues).allSatisfy { abs($0 - $1) < 1e-9 })
        #expect(zip(values, q).allSatisfy { abs($0 - $1) < 1e-6 }, "the branch beside the start")
      }
      let bad = ByteBuffer(string: "{\"target\": [0.1, 0, 0.5], \"start\": [1, 2, 3]}")
      try await client.execute(uri: "/api/solve", method: .post, body: bad) { response in
        #expect(response.status == .badRequest)
        #expect(String(buffer: response.body).contains("start"))
      }
    }
  }

  @Test(
    "POST /api/solve with path: each target from the previous answer, as Solver.solvePath, each step measured and flagged over max_step"
  )
  func solvePath() async throws {
    let service = try Self.service()
    let robot = service.robot
    // Along a turn of the first joint and back, with one jump to the far side of it.
    let configurations = (0..<40).map { [0.3 + 0.02 * Double($0), 0.6] } + [[-2.5, 0.6], [-2.48, 0.62]]
    let targets = try configurations.map { try IKTarget(position: robot.tipPosition(at: $0)) }
    let start = [0.29, 0.6]
    let maxStep = 0.05
    let direct = try SolverFactory.make(robot: robot, network: service.network).solvePath(
      targets, from: start, maxStep: maxStep)
    #expect(!direct.flagged.isEmpty, "the jump is over max_step")
    let list = targets.map { "[\($0.position.x), \($0.position.y), \($0.position.z)]" }.joined(
      separator: ", ")
    try await Self.app().test(.router) { client in
      let body = ByteBuffer(
        string: "{\"targets\": [\(list)], \"path\": true, \"start\": [0.29, 0.6], \"max_step\": \(maxStep)}")
      try await client.execute(uri: "/api/solve", method: .post, body: body) { response in
        #expect(response.status == .ok)
        let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
        #expect(answer.results.count == targets.count)
        #expect(answer.relaxationTimedOut == false)
        for (index, result) in answer.results.enumerated() {
          let values = try #require(result.solutions.first?.solution.jointValues)
          #expect(zip(values, direct.results[index].best.jointValues).allSatisfy { abs($0 - $1) < 1e-9 })
          #expect(abs((result.step ?? -1) - direct.steps[index]) < 1e-12, "target \(index)")
          #expect(result.flagged == direct.flagged.contains(index), "target \(index)")
        }
      }
      // Without `path`, a start alone: each step is measured from it.
      let single = ByteBuffer(
        string: "{\"targets\": [\(list)], \"start\": [0.29, 0.6], \"max_step\": \(maxStep)}")
      try await client.execute(uri: "/api/solve", method: .post, body: single) { response in
        #expect(response.status == .ok)
        let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
        #expect(answer.relaxationTimedOut == nil)
        for result in answer.results {
          let values = try #require(result.solutions.first?.solution.jointValues)
          let step = zip(values, start).map { abs($0 - $1) }.max() ?? 0
          #expect(abs((result.step ?? -1) - step) < 1e-12)
          #expect(result.flagged == (step > maxStep))
        }
        #expect(
          answer.results.contains { $0.flagged == true } && answer.results.contains { $0.flagged == false })
      }
      // Neither: no step, no flag.
      try await client.execute(
        uri: "/api/solve", method: .post, body: ByteBuffer(string: "{\"targets\": [\(list)]}")
      ) { response in
        let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
        #expect(answer.results.allSatisfy { $0.step == nil && $0.flagged == nil })
      }
    }
  }

  @Test(
    "POST /api/solve: a batch, an out-of-reach target with its closest point, every branch; each result's status tells a proved miss (the closed form's) from a search's"
  )
  func solveBatch() async throws {
    try await Self.app().test(.router) { client in
      let body = ByteBuffer(
        string: "{\"targets\": [[0.2, 0.1, 0.7], [-0.5, 0, 0.3]], \"solver\": \"analytic\", \"all\": true}")
      try await client.execute(uri: "/api/solve", method: .post, body: body) { response in
        #expect(response.status == .ok)
        let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
        #expect(answer.results.count == 2)
        let out = answer.results[1]
        #expect(!out.reachable && abs(out.gap - 0.258819) < 1e-5)
        #expect(out.solutions.count == 2)
        #expect(out.status == .outOfReach)
        #expect(answer.results.allSatisfy { ($0.status == .reachable) == $0.reachable })
      }
      // A pose on two joints, answered by lm: a local search's miss proves nothing.
      let pose = ByteBuffer(string: "{\"target\": [0.2, 0.1, 0.7, 1, 0, 0, 0], \"solver\": \"lm\"}")
      try await client.execute(uri: "/api/solve", method: .post, body: pose) { response in
        #expect(response.status == .ok)
        let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
        #expect(answer.results.first?.status == .noSolutionFound, "\(answer.results.first?.status as Any)")
      }
    }
  }

  @Test(
    "POST /api/solve: a long batch body, read in the bulk lane, is answered and refused as a short one is")
  func longBatch() async throws {
    try await Self.app().test(.router) { client in
      let body = ByteBuffer(
        string: "{\"targets\": [\(Self.longBatch), [-0.5, 0, 0.3]], \"solver\": \"analytic\"}")
      #expect(body.readableBytes > 2048)
      let short = ByteBuffer(
        string: "{\"targets\": [[0.2, 0.1, 0.7], [-0.5, 0, 0.3]], \"solver\": \"analytic\"}")
      var answers: [SolveResponse] = []
      for request in [body, short] {
        try await client.execute(uri: "/api/solve", method: .post, body: request) { response in
          #expect(response.status == .ok)
          answers.append(try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body)))
        }
      }
      let (long, brief) = (answers[0].results, answers[1].results)
      #expect(long.count == 301 && brief.count == 2)
      #expect(long.dropLast().allSatisfy { $0.solutions[0].frames == brief[0].solutions[0].frames })
      #expect(long.last?.solutions[0].frames == brief[1].solutions[0].frames)
      #expect(long.last?.reachable == false && long.last?.gap == brief[1].gap)
      // Refused as a short body is, with the same messages.
      for (tail, message) in [("[1, 2]", "targets[300]"), ("oops", "not valid JSON")] {
        let bad = ByteBuffer(string: "{\"targets\": [\(Self.longBatch), \(tail)]}")
        try await client.execute(uri: "/api/solve", method: .post, body: bad) { response in
          #expect(response.status == .badRequest)
          let error = try Self.json(response.body)["error"] as? String ?? ""
          #expect(error.contains(message), "\(error)")
        }
      }
    }
  }

  static let badRequests: [(String, String, Int, String)] = [
    ("not JSON", "{target: oops", 400, "not valid JSON"),
    ("wrong dimension", "{\"target\": [1, 2]}", 400, "has 2 values; expected 3"),
    ("string in target", "{\"target\": [1, \"x\", 2]}", 400, "field 'target.[1]'"),
    ("no target", "{\"solver\": \"hybrid\"}", 400, "give exactly one of"),
    ("both target and targets", "{\"target\": [1,2,3], \"targets\": [[1,2,3]]}", 400, "give exactly one of"),
    ("unknown solver", "{\"target\": [0.1, 0, 0.5], \"solver\": \"magic\"}", 400, "unknown solver 'magic'"),
    ("bad batch entry", "{\"targets\": [[0.1, 0, 0.5], [1, 2, 3, 4]]}", 400, "targets[1]"),
    ("empty batch", "{\"targets\": []}", 400, "empty"),
    ("zero quaternion", "{\"target\": [0.1, 0, 0.5, 0, 0, 0, 0]}", 400, "zero length"),
    (
      "huge number", "{\"target\": [1e999, 0, 0]}", 400,
      "body is not valid JSON: number 1e999 does not fit a Double"
    ),
    (
      "a number that would read as 0", "{\"target\": [0.1, 1e-330, 0.5]}", 400,
      "body is not valid JSON: number 1e-330 does not fit a Double (beyond about ±1.8e308, or nearer 0 than about 5e-324) at line 1, column 18"
    ),
    (
      "a tab inside a string", "{\"target\": [0.1, 0, 0.5], \"solver\": \"lm\t\"}", 400,
      "body is not valid JSON: unescaped control character at line 1, column 40"
    ),
    ("null body", "null", 400, "the body must be a JSON object"),
    ("array body", "[0.1, 0, 0.5]", 400, "the body must be a JSON object"),
    ("object for target", "{\"target\": {\"x\": 1}}", 400, "field 'target': Expected to decode an array"),
    ("fractional id", "{\"target\": [0.1, 0, 0.5], \"id\": 1.5}", 400, "field 'id'"),
    ("id beyond 2^63", "{\"target\": [0.1, 0, 0.5], \"id\": 9223372036854775808}", 400, "got one above it"),
    (
      "a position and a direction as one target", "{\"target\": [0.4, 0.2, 0.5, 0, 0, -1]}", 400,
      "target has 6 values; expected 3 (x, y, z) or 7"
    ),
    (
      "a lone surrogate escape", "{\"target\": [0.1, 0, 0.5], \"solver\": \"lm\\ud800\"}", 400,
      "string escape \\ud800 is half of a UTF-16 surrogate pair, without its other half, at line 1, column 40"
    ),
    (
      "a lone low surrogate escape", "{\"target\": [0.1, 0, 0.5], \"solver\": \"lm\\udc00\"}", 400,
      "string escape \\udc00 is half of a UTF-16 surrogate pair, without its other half, at line 1, column 40"
    ),
    (
      "target given twice", "{\"target\": [0.1, 0, 0.5], \"target\": [0.2, 0, 0.5]}", 400,
      "the request gives 'target' twice"
    ),
    (
      "a comma after the last coordinate", "{\"target\": [0.1, 0, 0.5,]}", 400,
      "body is not valid JSON: a comma after the last item at line 1, column 24"
    ),
    (
      "max_step without path or start", "{\"target\": [0.1, 0, 0.5], \"max_step\": 0.1}", 400,
      "\"max_step\" goes with \"path\" or \"start\""
    ),
    (
      "a negative max_step", "{\"targets\": [[0.1, 0, 0.5]], \"path\": true, \"max_step\": -1}", 400,
      "max_step = -1.0: give a positive joint step"
    ),
    ("path not a boolean", "{\"targets\": [[0.1, 0, 0.5]], \"path\": 1}", 400, "field 'path'"),
  ]

  /// 300 reachable targets: a body far longer than ``SolveService``'s single-target room.
  static let longBatch = Array(repeating: "[0.2, 0.1, 0.7]", count: 300).joined(separator: ",")

  @Test("bad requests get a 4xx with a JSON error naming the problem", arguments: badRequests)
  func badRequest(_ name: String, body: String, status: Int, message: String) async throws {
    try await Self.app().test(.router) { client in
      try await client.execute(uri: "/api/solve", method: .post, body: ByteBuffer(string: body)) { response in
        #expect(Int(response.status.code) == status, "\(name)")
        let error = try Self.json(response.body)["error"] as? String ?? ""
        #expect(error.contains(message), "\(name): \(error)")
      }
    }
  }

  @Test("an oversized batch is refused with 413")
  func oversized() async throws {
    let targets = Array(repeating: "[0.1, 0, 0.5]", count: 1001).joined(separator: ",")
    try await Self.app().test(.router) { client in
      try await client.execute(
        uri: "/api/solve", method: .post, body: ByteBuffer(string: "{\"targets\": [\(targets)]}")
      ) {
        response in
        #expect(response.status == .contentTooLarge)
      }
    }
  }

  @Test(
    "an error quotes at most 60 characters of what the client sent: a 300,000-character solver, field or joint name comes back as an excerpt"
  )
  func errorsQuoteExcerpts() async throws {
    let long = String(repeating: "a", count: 300_000)
    try await Self.app().test(.router) { client in
      for body in [
        "{\"target\": [0.2, 0.1, 0.7], \"solver\": \"\(long)\"}",
        "{\"target\": [0.2, 0.1, 0.7], \"\(long)\": 1}",
        "{\"target\": [0.2, 0.1, 0.7], \"lock\": {\"\(long)\": 0}}",
        "{\"target\": [0.2, 0.1, 0.7], \"lock\": {\"\(long)\": 0, \"\(long)\": 1}}",
        "{\"target\": [0.2, 0.1, 1\(String(repeating: "0", count: 299_999))]}",
        "{\"id\": 1e\(String(repeating: "9", count: 299_998)), \"target\": [0.2, 0.1, 0.7]}",
      ] {
        try await client.execute(uri: "/api/solve", method: .post, body: ByteBuffer(string: body)) {
          response in
          #expect(response.status == .badRequest)
          let error = try Self.json(response.body)["error"] as? String ?? ""
          #expect(error.count < 1000 && error.contains("(300000 characters)"), "\(error.prefix(200))")
        }
      }
    }
  }

  @Test("an answer that would hold more than maxSolutions solutions is refused with 413, naming the limit")
  func tooManySolutions() async throws {
    var service = try Self.service()
    service.maxSolutions = 3
    let app = Application(router: buildRouter(service: service))
    try await app.test(.router) { client in
      // Two solutions (elbow up and down) for each target in reach.
      let body = "{\"targets\": [[0.2, 0.1, 0.7], [0.1, 0.2, 0.6]], \"all\": true}"
      try await client.execute(uri: "/api/solve", method: .post, body: ByteBuffer(string: body)) { response in
        #expect(response.status == .contentTooLarge)
        let error = try Self.json(response.body)["error"] as? String ?? ""
        #expect(error.contains("more than 3 solutions"), "\(error)")
      }
      // A path stops at the target that passes the limit, not after its last.
      let path =
        "{\"targets\": [\((0..<10).map { "[0.2, 0.1, \(0.6 + 0.01 * Double($0))]" }.joined(separator: ", "))], \"all\": true, \"path\": true}"
      try await client.execute(uri: "/api/solve", method: .post, body: ByteBuffer(string: path)) { response in
        #expect(response.status == .contentTooLarge)
        let error = try Self.json(response.body)["error"] as? String ?? ""
        #expect(error.contains("for the first 2 of 10 path targets"), "\(error)")
      }
      // Without "all", one solution per target.
      let best = "{\"targets\": [[0.2, 0.1, 0.7], [0.1, 0.2, 0.6]]}"
      try await client.execute(uri: "/api/solve", method: .post, body: ByteBuffer(string: best)) { response in
        #expect(response.status == .ok)
      }
    }
  }

  @Test("the page and three.js are served, to HEAD without a body; paths out of three.js's folder are not")
  func assets() async throws {
    try await Self.app().test(.router) { client in
      try await client.execute(uri: "/", method: .get) { response in
        #expect(response.status == .ok)
        #expect(String(buffer: response.body).contains("<script type=\"module\" src=\"/app.js\">"))
      }
      try await client.execute(uri: "/app.js", method: .get) { response in
        #expect(String(buffer: response.body).contains("window.neuralIK"))
      }
      try await client.execute(uri: "/three/build/three.module.js", method: .get) { response in
        #expect(response.status == .ok)
        #expect(String(buffer: response.body).contains("REVISION = '111'"))
      }
      try await client.execute(uri: "/three/../../../etc/passwd", method: .get) { response in
        #expect(response.status == .notFound)
        let body = try Self.json(response.body)
        #expect(body["error"] is String, "the one error shape: \(body)")
      }
      // HEAD is GET without the body.
      for uri in ["/", "/app.js", "/api/robot", "/three/build/three.module.js"] {
        try await client.execute(uri: uri, method: .head) { response in
          #expect(response.status == .ok, "HEAD \(uri)")
          #expect(response.body.readableBytes == 0, "HEAD \(uri)")
        }
      }
      for (uri, method) in [
        ("/no/such/page", HTTPRequest.Method.get), ("/api/robot", .delete), ("/no/such/page", .head),
        ("/api/solve", .head),
      ] {
        try await client.execute(uri: uri, method: method) { response in
          #expect((400..<500).contains(response.status.code), "\(method) \(uri)")
          let body = try Self.json(response.body)
          #expect(body["error"] is String, "\(method) \(uri): \(body)")
        }
      }
    }
  }
}

@Suite("HTTP API: joint restrictions")
struct APIRestrictionTests {
  @Test(
    "POST /api/solve with lock and limits: the answer keeps them; a bad one, or a misspelt field, is a 400 naming it"
  )
  func lockAndLimits() async throws {
    let service = try APITests.service()
    let robot = service.robot
    let names = robot.movableJoints.map(\.name)
    let p = robot.tipPosition(at: [0.4, 0.7])
    try await APITests.app().test(.router) { client in
      let body = ByteBuffer(
        string:
          "{\"target\": [\(p.x), \(p.y), \(p.z)], \"lock\": {\"\(names[0])\": 0.4}, \"limits\": {\"\(names[1])\": [0.5, 0.9]}}"
      )
      try await client.execute(uri: "/api/solve", method: .post, body: body) { response in
        #expect(response.status == .ok)
        let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
        let result = try #require(answer.results.first)
        let values = try #require(result.solutions.first?.solution.jointValues)
        #expect(result.reachable)
        #expect(values[0] == 0.4)
        #expect(values[1] >= 0.5 && values[1] <= 0.9)
      }
      for (request, message) in [
        ("\"lock\": {\"elbow\": 0}", "unknown joint 'elbow'"),
        ("\"limits\": {\"\(names[1])\": [0.5]}", "give [lower, upper]"),
        ("\"limits\": {\"\(names[1])\": [0.9, 0.5]}", "lower ≤ upper"),
        ("\"rotation_weight\": -1", "rotation_weight = -1.0 is out of range"),
        ("\"rotation_weight\": 1e-300", "rotation_weight = 1e-300 is out of range"),
        // A misspelt field is refused, naming it and the fields a request takes.
        (
          "\"locks\": {\"\(names[0])\": 0.4}", "field 'locks': unknown field; a request takes target, targets"
        ),
        ("\"strat\": [0, 0]", "field 'strat': unknown field"),
      ] {
        let bad = ByteBuffer(string: "{\"target\": [\(p.x), \(p.y), \(p.z)], \(request)}")
        try await client.execute(uri: "/api/solve", method: .post, body: bad) { response in
          #expect(response.status == .badRequest)
          let text = String(buffer: response.body)
          #expect(text.contains("\"error\"") && text.contains(message), "\(request): \(text)")
        }
      }
    }
  }
}

@Suite("HTTP API: the server's own envelope")
struct APIEnvelopeTests {
  @Test(
    "serve --lock/--limits hold for every request: a request without restrictions keeps them, one within them narrows them, one that leaves them is a 400 naming the joint; /api/robot's first configuration lies inside them and its joints name the envelope; /api/workspace draws inside them"
  )
  func envelope() async throws {
    let robot = try FixtureArm.seedArm.robot()
    let names = robot.movableJoints.map(\.name)
    let envelope = [
      JointRestriction.lock(names[0], at: 0.5), JointRestriction(joint: names[1], lower: 0, upper: 0.5),
    ]
    var specification = SolverSpecification()
    specification.restrictions = envelope
    let service = try SolveService(robot: robot, network: nil, specification: specification)
    let app = Application(router: buildRouter(service: service))
    // Reachable without the envelope only (joint 2 at 1.1, outside 0…0.5).
    let outside = robot.tipPosition(at: [0.4, 1.1])
    let inside = robot.tipPosition(at: [0.5, 0.3])
    try await app.test(.router) { client in
      for (p, request) in [
        (outside, ""), (inside, ""), (inside, ", \"limits\": {\"\(names[1])\": [0.2, 0.4]}"),
        (inside, ", \"lock\": {\"\(names[0])\": 0.5}"),
      ] {
        let body = ByteBuffer(string: "{\"target\": [\(p.x), \(p.y), \(p.z)]\(request)}")
        try await client.execute(uri: "/api/solve", method: .post, body: body) { response in
          #expect(response.status == .ok, "\(request)")
          let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
          let values = try #require(answer.results.first?.solutions.first?.solution.jointValues)
          #expect(values[0] == 0.5, "\(request): \(values)")
          #expect(values[1] >= 0 && values[1] <= 0.5, "\(request): \(values)")
          if request.contains("limits") { #expect(values[1] >= 0.2 && values[1] <= 0.4, "\(values)") }
        }
      }
      for request in [
        "\"lock\": {\"\(names[0])\": 0.4}", "\"limits\": {\"\(names[1])\": [0.2, 0.9]}",
        "\"limits\": {\"\(names[0])\": [0, 1]}",
      ] {
        let bad = ByteBuffer(string: "{\"target\": [\(inside.x), \(inside.y), \(inside.z)], \(request)}")
        try await client.execute(uri: "/api/solve", method: .post, body: bad) { response in
          #expect(response.status == .badRequest, "\(request)")
          let text = String(buffer: response.body)
          #expect(text.contains("leaves the standing envelope"), "\(request): \(text)")
        }
      }
      try await client.execute(uri: "/api/robot", method: .get) { response in
        let description = try APITests.json(response.body)
        let first = try #require(description["first_configuration"] as? [Double])
        #expect(first[0] == 0.5 && first[1] >= 0 && first[1] <= 0.5, "\(first)")
        // Each joint names its envelope beside its own limits, for the page's bars.
        let joints = try #require(description["joints"] as? [[String: Any]])
        let envelopes = joints.map { [$0["envelope_lower"] as? Double, $0["envelope_upper"] as? Double] }
        #expect(envelopes == [[0.5, 0.5], [0, 0.5]], "\(joints)")
      }
    }
    // The workspace view's targets are drawn inside the envelope too: every one is reached under it
    // (drawn over the robot's own limits, most were out of the envelope's reach).
    let workspace = try service.workspace(WorkspaceQuery(parameters: [("count", "50")]))
    let restricted = try SolverFactory.make(robot: robot, specification: specification)
    let missed = try workspace.positions.filter {
      !(try restricted.solve(IKTarget(position: Vector3($0[0], $0[1], $0[2]))).best.reachable)
    }
    #expect(
      workspace.positions.count == 50 && missed.isEmpty, "\(missed.count) of 50 out of the envelope's reach")
  }

  @Test(
    "an envelope the robot cannot take is refused when the service is built, not on every request; a joint the envelope gives twice holds both"
  )
  func envelopeChecks() throws {
    let robot = try FixtureArm.seedArm.robot()
    let names = robot.movableJoints.map(\.name)
    for envelope in [
      [JointRestriction.lock("elbow", at: 0)],
      [JointRestriction.lock(names[0], at: 0.3), JointRestriction(joint: names[0], lower: 0, upper: 1)],
    ] {
      var specification = SolverSpecification()
      specification.restrictions = envelope
      #expect(throws: SolverSpecificationError.self, "\(envelope)") {
        try SolveService(robot: robot, network: nil, specification: specification)
      }
    }
    let twice = [
      JointRestriction(joint: names[0], lower: 0, upper: 1), JointRestriction.lock(names[0], at: 0.3),
    ]
    #expect(
      try JointRestriction.narrowing(twice, by: [.lock(names[0], at: 0.3)]) == [.lock(names[0], at: 0.3)])
    #expect(throws: JointRestrictionError.self) {
      try JointRestriction.narrowing(twice, by: [.lock(names[0], at: 0.9)])
    }
  }
}

@Suite("HTTP API: axis targets")
struct APIAxisTests {
  @Test("POST /api/solve with axis: the tool axis points along it; a bad axis is a 400")
  func axis() async throws {
    let robot = try RealArm.panda.fromJSON()
    let service = try SolveService(robot: robot, network: nil)
    let app = Application(router: buildRouter(service: service))
    let pose = robot.tipPose(at: robot.middleConfiguration)
    let direction = pose.rotation * Vector3(0, 0, 1)
    try await app.test(.router) { client in
      let body = ByteBuffer(
        string:
          "{\"target\": [\(pose.translation.x), \(pose.translation.y), \(pose.translation.z)], \"axis\": [\(direction.x), \(direction.y), \(direction.z)], \"tool_axis\": [0, 0, 1]}"
      )
      try await client.execute(uri: "/api/solve", method: .post, body: body) { response in
        #expect(response.status == .ok)
        let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
        let result = try #require(answer.results.first)
        let values = try #require(result.solutions.first?.solution.jointValues)
        let reached = robot.tipPose(at: values)
        #expect(result.reachable)
        #expect((reached.rotation * Vector3(0, 0, 1) - direction).length < 1e-6)
      }
      for (request, message) in [
        ("\"target\": [0.3, 0, 0.5], \"axis\": [0, 0, 0]", "zero vector"),
        ("\"target\": [0.3, 0, 0.5], \"axis\": [0, 1]", "three numbers"),
        ("\"target\": [0.3, 0, 0.5, 1, 0, 0, 0], \"axis\": [0, 0, 1]", "give a position"),
        ("\"target\": [0.3, 0, 0.5], \"tool_axis\": [0, 0, 1]", "goes with"),
      ] {
        try await client.execute(uri: "/api/solve", method: .post, body: ByteBuffer(string: "{\(request)}")) {
          response in
          #expect(response.status == .badRequest)
          let text = String(buffer: response.body)
          #expect(text.contains("\"error\"") && text.contains(message), "\(request): \(text)")
        }
      }
    }
  }
  @Test(
    "without tool_axis, an axis target turns the robot's approach axis, which GET /api/robot gives: the iiwa's flange normal points down"
  )
  func approachAxisByDefault() async throws {
    let robot = try RealArm.iiwa14.fromJSON()
    let service = try SolveService(robot: robot, network: nil)
    let app = Application(router: buildRouter(service: service))
    try await app.test(.router) { client in
      try await client.execute(uri: "/api/robot", method: .get) { response in
        let description = try JSONDecoder().decode(RobotDescription.self, from: Data(buffer: response.body))
        let approach = robot.approachAxis
        #expect(description.approachAxis == [approach.x, approach.y, approach.z])
      }
      let body = ByteBuffer(
        string: "{\"target\": [0.5, 0, 0.4], \"axis\": [0, 0, -1], \"start\": \(robot.middleConfiguration)}")
      try await client.execute(uri: "/api/solve", method: .post, body: body) { response in
        #expect(response.status == .ok)
        let answer = try JSONDecoder().decode(SolveResponse.self, from: Data(buffer: response.body))
        let result = try #require(answer.results.first)
        let values = try #require(result.solutions.first?.solution.jointValues)
        #expect(result.reachable)
        // The last joint's axis (iiwa_link_ee's x), not the tip frame's z, points down.
        let flange = robot.tipPose(at: values).rotation * Vector3(1, 0, 0)
        #expect((flange - Vector3(0, 0, -1)).length < 1e-6, "\(flange)")
      }
    }
  }
}
