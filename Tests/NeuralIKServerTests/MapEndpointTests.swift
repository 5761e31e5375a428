import Foundation
import Hummingbird
import HummingbirdTesting
import NeuralIK
import NeuralIKServer
import TestSupport
import Testing

@Suite("GET /api/map")
struct MapEndpointTests {
  /// The 3-joint arm with its model, and its position map on a coarse grid.
  static func service() throws -> SolveService {
    let robot = try FixtureArm.arm3DoF.robot()
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/arm-3dof.nikm"), for: robot)
    return try SolveService(robot: robot, network: network)
  }

  static func map(_ service: SolveService) throws -> ReachabilityMap {
    try ReachabilityMapBuilder(
      robot: service.robot, network: service.network, specification: SolverSpecification(), resolution: 0.25,
      orientationCount: 1
    ).build(threads: 2).map
  }

  @Test("serves the map's reachable voxels, matching the description's schema")
  func servesTheMap() async throws {
    let service = try Self.service()
    let map = try Self.map(service)
    let spec = try OpenAPISpec.load()
    let app = Application(router: buildRouter(service: service, map: map))
    try await app.test(.router) { client in
      let response = try await client.execute(uri: "/api/map", method: .get)
      OpenAPITests.check(response, OpenAPITests.get("a map", "/api/map", status: 200), spec: spec)
      let answer = try JSONDecoder().decode(MapDescription.self, from: Data(buffer: response.body))
      // The robot's description says there is one, so that the page asks.
      let description = try await client.execute(uri: "/api/robot", method: .get)
      #expect(try APITests.json(description.body)["map"] as? Bool == true)
      #expect(answer.voxelCount == map.grid.count)
      #expect(answer.points.count == map.reachableVoxelCount)
      #expect(answer.points.count > 0)
      // Every point is a reached voxel's centre: inside the grid, share 1 for a position map.
      let robot = service.robot
      for point in answer.points {
        #expect(point.count == 5)
        #expect(Vector3(point[0], point[1], point[2]).length <= robot.reachBound + map.grid.resolution)
        #expect(point[3] == 1)
      }
    }
  }

  @Test("without a map: 404 naming the option")
  func noMap() async throws {
    try await APITests.app().test(.router) { client in
      let response = try await client.execute(uri: "/api/map", method: .get)
      #expect(response.status == .notFound)
      #expect(String(buffer: response.body).contains("--map"))
      let description = try await client.execute(uri: "/api/robot", method: .get)
      #expect(try APITests.json(description.body)["map"] as? Bool == false)
    }
  }
}
