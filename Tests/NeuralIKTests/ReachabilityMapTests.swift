import Foundation
import NeuralIK
import TestSupport
import Testing

@Suite("Reachability maps: build, shards, merge")
struct ReachabilityMapTests {
  /// The 3-joint arm with its committed model (a position map; a 2-joint arm reaches only a
  /// surface, which voxel centres miss) and the Panda with its own (a pose map), on grids coarse
  /// enough for a test; the Panda with 4 orientations per voxel.
  static func positionBuilder() throws -> ReachabilityMapBuilder {
    let robot = try FixtureArm.arm3DoF.robot()
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/arm-3dof.nikm"), for: robot)
    return try ReachabilityMapBuilder(
      robot: robot, network: network, specification: SolverSpecification(), resolution: 0.1,
      orientationCount: 8)
  }

  static func pandaBuilder() throws -> ReachabilityMapBuilder {
    let robot = try RealArm.panda.fromJSON()
    let network = try RealArm.panda.modelURL.map { try IKNetwork(contentsOf: $0, for: robot) }
    return try ReachabilityMapBuilder(
      robot: robot, network: network, specification: SolverSpecification(), resolution: 0.35,
      orientationCount: 4)
  }

  @Test("4 shards merged are the unsharded map, byte for byte", arguments: ["arm-3dof", "panda"])
  func shardsMergeToTheWhole(arm: String) throws {
    let builder = try arm == "panda" ? Self.pandaBuilder() : Self.positionBuilder()
    let whole = try builder.build(threads: 2).map
    #expect(whole.reachableVoxelCount > 0)
    #expect(whole.reachableVoxelCount < whole.reachedCounts.count)
    let shards = try (0..<4).map { try builder.build(shard: MapShard(index: $0, count: 4), threads: 1).map }
    #expect(shards.map(\.reachedCounts.count).reduce(0, +) == whole.reachedCounts.count)
    let merged = try ReachabilityMap.merged([shards[2], shards[0], shards[3], shards[1]])
    #expect(merged.fileData() == whole.fileData())
  }

  @Test("a pose map samples orientations; a position map is reached or not")
  func targetKinds() throws {
    let arm = try Self.positionBuilder()
    #expect(arm.targetKind == .position)
    let armMap = try arm.build(threads: 1).map
    #expect(armMap.orientationCount == 1)
    #expect(armMap.reachedCounts.allSatisfy { $0 <= 1 })
    let panda = try Self.pandaBuilder()
    #expect(panda.targetKind == .pose)
    #expect(panda.orientations.count == 4)
  }

  @Test("a reached voxel is reached by FK of a configuration; a voxel beyond the reach bound never")
  func reachedMeansReachable() throws {
    let builder = try Self.positionBuilder()
    let map = try builder.build(threads: 2).map
    let robot = builder.robot
    for (position, count) in map.reachedCounts.enumerated() {
      let centre = map.grid.centre(of: map.shard.voxel(at: position))
      if centre.length > robot.reachBound { #expect(count == 0) }
      if count > 0 {
        // Independently of the map and its solver: the arm's closed form reaches the centre.
        let solver = try SolverFactory.make(robot: robot, specification: SolverSpecification(kind: .analytic))
        let result = try solver.solve(try IKTarget(position: centre))
        #expect(result.best.positionError < 1e-4, "voxel \(position) at \(centre)")
      }
    }
  }

  @Test("super-Fibonacci orientations are unit, distinct and spread over SO(3)")
  func orientationsSpread() {
    let samples = OrientationSampling.superFibonacci(count: 64)
    #expect(samples.count == 64)
    // Antipodal quaternions are one rotation: |q·p| near 1 would be a repeat. With 64 evenly spread
    // rotations the closest pair is tens of degrees apart; require more than 10°.
    var closest = Double.pi
    for i in samples.indices {
      for j in samples.indices where j > i {
        let dot = abs(
          samples[i].w * samples[j].w + samples[i].x * samples[j].x + samples[i].y * samples[j].y
            + samples[i].z * samples[j].z)
        closest = min(closest, 2 * acos(min(1, dot)))
      }
    }
    #expect(closest > 10 * Double.pi / 180)
  }

  @Test("manipulability of a planar 2-link arm is l₁·l₂·|sin θ₂|")
  func manipulabilityOfPlanarArm() throws {
    let robot = try FixtureArm.planar2Link.robot()
    for theta2 in stride(from: 0.0, through: Double.pi, by: 0.25) {
      let value = robot.manipulability(at: [0.3, theta2], rows: 3)
      let expected = 70 * abs(sin(theta2))
      // The fixture's links are 10 m and 7 m. Squares are compared: at the singularity (θ₂ = 0) the
      // square root turns a determinant's rounding (1e-12 of 70²) into 1e-6.
      #expect(abs(value * value - expected * expected) <= 1e-9 * 70 * 70, "θ₂ = \(theta2)")
    }
  }

  @Test("bad resolutions, orientation counts and shards are refused with the allowed range")
  func refusals() throws {
    let robot = try FixtureArm.seedArm.robot()
    for resolution in [0, -0.1, .nan, .infinity] {
      #expect(throws: ReachabilityMapError.self) {
        try ReachabilityMapBuilder(
          robot: robot, network: nil, specification: SolverSpecification(), resolution: resolution,
          orientationCount: 4)
      }
    }
    do {
      _ = try ReachabilityMapBuilder(
        robot: robot, network: nil, specification: SolverSpecification(), resolution: 1e-5,
        orientationCount: 4)
      Issue.record("a resolution of 10 µm was accepted")
    } catch {
      #expect("\(error)".contains("\(VoxelGrid.maximumVoxelCount)"))
    }
    for count in [0, -1, ReachabilityMap.maximumOrientationCount + 1] {
      #expect(
        throws: ReachabilityMapError.invalidOrientationCount(
          count, maximum: ReachabilityMap.maximumOrientationCount)
      ) {
        try ReachabilityMapBuilder(
          robot: robot, network: nil, specification: SolverSpecification(), resolution: 0.1,
          orientationCount: count)
      }
    }
    for text in ["4/4", "-1/4", "1", "1/0", "a/b", "1/2/3", "", "0/100000"] {
      #expect(throws: ReachabilityMapError.self) { try MapShard(parsing: text) }
    }
    #expect(try MapShard(parsing: "3/4") == MapShard(index: 3, count: 4))
  }
}
