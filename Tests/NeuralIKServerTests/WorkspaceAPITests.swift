import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralIK
import NeuralIKServer
import TestSupport
import Testing

@Suite("GET /api/workspace")
struct WorkspaceAPITests {
  @Test(
    "the targets are FK of the seed's configurations, with the default solver's times and the network's errors"
  )
  func answers() async throws {
    let service = try APITests.service()
    let robot = service.robot
    let spec = try OpenAPISpec.load()
    try await APITests.app().test(.router) { client in
      let response = try await client.execute(uri: "/api/workspace?count=20&seed=7", method: .get)
      OpenAPITests.check(
        response, OpenAPITests.get("workspace", "/api/workspace", status: 200), spec: spec)
      let answer = try JSONDecoder().decode(WorkspaceResponse.self, from: Data(buffer: response.body))
      #expect(answer.solver == "hybrid" && answer.seed == 7 && answer.targetKind == .position)
      // Independently: the same seed's configurations, their tool points, the network's own answers.
      var generator = SplitMix64(seed: 7)
      let configurations = (0..<20).map { _ in robot.randomConfiguration(using: &generator) }
      let network = try SolverFactory.make(
        robot: robot, network: service.network, specification: .init(kind: .network))
      #expect(answer.positions.count == 20 && answer.milliseconds.count == 20)
      let errors = try #require(answer.networkErrorM)
      for (index, q) in configurations.enumerated() {
        let p = robot.tipPosition(at: q)
        #expect(zip(answer.positions[index], [p.x, p.y, p.z]).allSatisfy { abs($0 - $1) < 1e-12 })
        let direct = try network.solve(IKTarget(position: p)).best.positionError
        #expect(abs(errors[index] - direct) < 1e-12, "target \(index): \(errors[index]) vs \(direct)")
        #expect(answer.milliseconds[index] >= 0 && answer.milliseconds[index].isFinite)
      }
      let other = try await client.execute(uri: "/api/workspace?count=20&seed=8", method: .get)
      let moved = try JSONDecoder().decode(WorkspaceResponse.self, from: Data(buffer: other.body))
      #expect(moved.positions != answer.positions, "another seed, other targets")
      let plain = try await client.execute(uri: "/api/workspace", method: .get)
      let defaults = try JSONDecoder().decode(WorkspaceResponse.self, from: Data(buffer: plain.body))
      #expect(defaults.positions.count == WorkspaceQuery.defaultCount && defaults.seed == 1)
    }
  }

  @Test("without a model there are no network errors, and the times are the default solver's")
  func noModel() async throws {
    let service = try SolveService(robot: try FixtureArm.arm3DoF.robot(), network: nil)
    let answer = try service.workspace(try WorkspaceQuery(count: "5", seed: nil))
    #expect(answer.networkErrorM == nil)
    #expect(answer.solver == service.solvers[0].rawValue)
    #expect(answer.positions.count == 5)
  }

  @Test(
    "a count or seed that is not a whole number in range is a 400 naming it",
    arguments: [
      ("count=0", "count"), ("count=2001", "count"), ("count=abc", "count"), ("count=", "count"),
      ("count=1.5", "count"), ("seed=-1", "seed"), ("seed=x", "seed"),
    ])
  func refusals(query: String, parameter: String) async throws {
    try await APITests.app().test(.router) { client in
      let response = try await client.execute(uri: "/api/workspace?\(query)", method: .get)
      #expect(response.status == .badRequest, "\(query)")
      let body = try APITests.json(response.body)
      #expect((body["error"] as? String)?.hasPrefix(parameter) == true, "\(query): \(body)")
    }
  }

  @Test(
    "a query parameter given twice, or one /api/workspace does not take, is a 400 naming it",
    arguments: [
      ("count=1&count=2", "query parameter 'count' is given more than once"),
      ("seed=1&count=3&seed=1", "query parameter 'seed' is given more than once"),
      ("cnt=5", "unknown query parameter 'cnt'"),
    ])
  func strictQuery(query: String, message: String) async throws {
    try await APITests.app().test(.router) { client in
      let response = try await client.execute(uri: "/api/workspace?\(query)", method: .get)
      #expect(response.status == .badRequest, "\(query)")
      let body = try APITests.json(response.body)
      #expect((body["error"] as? String)?.hasPrefix(message) == true, "\(query): \(body)")
    }
  }
}
