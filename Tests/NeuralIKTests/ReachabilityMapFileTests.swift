import Foundation
import TestSupport
import Testing

@testable import NeuralIK

@Suite("Reachability map files: round trip and refusals")
struct ReachabilityMapFileTests {
  /// A small pose map made from parts (no solving): 3 × 2 × 2 voxels, 8 orientations.
  static func sample(shard: MapShard = .whole, robot: RobotModel? = nil) throws -> ReachabilityMap {
    let robot = try robot ?? FixtureArm.arm3DoF.robot()
    let grid = try VoxelGrid(resolution: 0.25, origin: Vector3(-0.375, -0.25, 0), dimensions: [3, 2, 2])
    let counts: [UInt16] = [0, 3, 8, 1, 0, 0, 5, 2, 7, 0, 4, 6]
    let values: [Float] = counts.enumerated().map { $1 == 0 ? 0 : Float($0) * 0.01 + 0.001 }
    let positions = (0..<shard.voxelCount(of: grid.count)).map(shard.voxel(at:))
    return try ReachabilityMap(
      robotName: robot.name, robotFingerprint: robot.fingerprint, modelFingerprint: "0123456789abcdef",
      targetKind: .pose, specification: SolverSpecification(kind: .levenbergMarquardt), grid: grid,
      orientationCount: 8, orientationSampling: OrientationSampling.identifier, shard: shard,
      reachedCounts: positions.map { counts[$0] }, manipulability: positions.map { values[$0] })
  }

  @Test("write → read gives the same map, and the same bytes")
  func roundTrip() throws {
    let map = try Self.sample()
    let url = FileManager.default.temporaryDirectory.appending(path: "neural-ik-test-\(UUID()).nikmap")
    defer { try? FileManager.default.removeItem(at: url) }
    try map.write(to: url)
    let loaded = try ReachabilityMap(contentsOf: url, for: try FixtureArm.arm3DoF.robot())
    #expect(loaded == map)
    #expect(loaded.fileData() == map.fileData())
  }

  @Test("every flipped byte is refused: no corruption goes unnoticed")
  func corruption() throws {
    let data = try Self.sample().fileData()
    for offset in 0..<data.count {
      var corrupt = data
      corrupt[offset] ^= 0x5A
      #expect(throws: ReachabilityMapError.self, "byte \(offset)") { try ReachabilityMap(fileData: corrupt) }
    }
  }

  @Test("truncated, extended, foreign and future files get their own errors")
  func typedRefusals() throws {
    let data = try Self.sample().fileData()
    #expect(throws: ReachabilityMapError.notAMap) { try ReachabilityMap(fileData: Data("NEURALIK".utf8)) }
    #expect(throws: ReachabilityMapError.notAMap) { try ReachabilityMap(fileData: Data()) }
    for length in [10, data.count / 2, data.count - 1] {
      do {
        _ = try ReachabilityMap(fileData: data.prefix(length))
        Issue.record("a file cut to \(length) of \(data.count) bytes was read")
      } catch {
        guard case .truncated = error else {
          Issue.record("cut to \(length): \(error), not truncated")
          continue
        }
      }
    }
    #expect(throws: ReachabilityMapError.trailingBytes(3)) {
      try ReachabilityMap(fileData: data + Data([1, 2, 3]))
    }
    var future = data
    future[8] = 9
    #expect(
      throws: ReachabilityMapError.unsupportedVersion(found: 9, supported: ReachabilityMap.fileFormatVersion)
    ) {
      try ReachabilityMap(fileData: future)
    }
    var huge = data
    huge.replaceSubrange(12..<16, with: [0xFF, 0xFF, 0xFF, 0x7F])
    #expect(throws: ReachabilityMapError.self) { try ReachabilityMap(fileData: huge) }
  }

  @Test(
    "a map file's first bytes bound its reading: another version is refused after its first chunk, a valid map followed by 900 MB is read no further than its first chunk, and the 900 MB are counted"
  )
  func boundedReading() throws {
    let directory = try scratchDirectory("map-extent")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appending(path: "big.nikmap")
    let map = try Self.sample().fileData()
    var future = map
    future[8] = 9
    for data in [future, map] {
      try data.write(to: url)
      // Sparse: 900 MB that take no disk, and would take 900 MB of memory to read whole.
      let handle = try FileHandle(forWritingTo: url)
      try handle.truncate(atOffset: 900_000_000)
      try handle.close()
      let read = try FileContents.read(url, extent: ReachabilityMap.layout.extent)
      #expect(read.count <= 1 << 20)
      let error =
        data == map
        ? ReachabilityMapError.trailingBytes(900_000_000 - map.count)
        : .unsupportedVersion(found: 9, supported: ReachabilityMap.fileFormatVersion)
      #expect(throws: error) { try ReachabilityMap(contentsOf: url) }
    }
  }

  @Test("a map of another robot is refused with both fingerprints")
  func wrongRobot() throws {
    let data = try Self.sample().fileData()
    let other = try FixtureArm.seedArm.robot()
    do {
      _ = try ReachabilityMap(fileData: data, for: other)
      Issue.record("the arm-3dof map was read for the seed arm")
    } catch {
      guard case .wrongRobot(let expected, _) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(expected.contains(other.fingerprint))
    }
  }

  @Test("counts beyond the orientations, or manipulability without a reach, are inconsistent")
  func inconsistentValues() throws {
    let robot = try FixtureArm.arm3DoF.robot()
    let grid = try VoxelGrid(resolution: 0.5, origin: Vector3(0, 0, 0), dimensions: [1, 1, 2])
    func make(_ counts: [UInt16], _ values: [Float]) throws -> ReachabilityMap {
      try ReachabilityMap(
        robotName: robot.name, robotFingerprint: robot.fingerprint, modelFingerprint: nil, targetKind: .pose,
        specification: SolverSpecification(), grid: grid, orientationCount: 4,
        orientationSampling: OrientationSampling.identifier, shard: .whole, reachedCounts: counts,
        manipulability: values)
    }
    #expect(throws: ReachabilityMapError.self) { try make([5, 0], [1, 0]) }
    #expect(throws: ReachabilityMapError.self) { try make([0, 0], [1, 0]) }
    #expect(throws: ReachabilityMapError.self) { try make([1, 0], [.nan, 0]) }
    #expect(throws: ReachabilityMapError.self) { try make([1], [1]) }
    #expect(try make([4, 0], [0.5, 0]).reachability(at: 0) == 1)
  }

  @Test(
    "a grid beyond where targets can be (a resolution of 1e308, an origin at 1e7 m) is refused, naming its extent"
  )
  func gridWithinTargets() throws {
    for (resolution, origin) in [
      (1e308, Vector3(0, 0, 0)), (0.5, Vector3(1e7, 0, 0)), (1e5, Vector3(0, 0, 0)),
    ] {
      #expect {
        try VoxelGrid(resolution: resolution, origin: origin, dimensions: [20, 1, 1])
      } throws: { error in
        "\(error)".contains("a grid lies within ±1000000.0 m")
      }
    }
    #expect(throws: Never.self) {
      try VoxelGrid(resolution: 0.5, origin: Vector3(-5, -5, 0), dimensions: [20, 20, 20])
    }
  }

  @Test("merge refuses overlapping, missing and foreign shards, naming them")
  func mergeRefusals() throws {
    let shards = try (0..<3).map { try Self.sample(shard: MapShard(index: $0, count: 3)) }
    #expect(try ReachabilityMap.merged(shards) == Self.sample())
    func refusal(_ inputs: [ReachabilityMap]) -> String {
      do {
        _ = try ReachabilityMap.merged(inputs, labels: inputs.indices.map { "s\($0).nikmap" })
        return "merged"
      } catch {
        return "\(error)"
      }
    }
    #expect(refusal([shards[0], shards[1]]).contains("missing (2/3)"))
    #expect(refusal([shards[0], shards[1], shards[1], shards[2]]).contains("overlap"))
    #expect(refusal([]).contains("no shard"))
    let foreign = try Self.sample(shard: MapShard(index: 2, count: 3), robot: FixtureArm.seedArm.robot())
    #expect(refusal([shards[0], shards[1], foreign]).contains("another robot"))
    let otherCount = try Self.sample(shard: MapShard(index: 1, count: 2))
    #expect(refusal([shards[0], otherCount]).contains("shard 1/2"))
  }
}
