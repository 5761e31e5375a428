import Foundation

/// The map file (`.nikmap`, Docs/MapFormat.md): the magic `NIKMAP\r\n`, a little-endian UInt32
/// format version, a UInt32 header length, a JSON header (robot and model fingerprints, solver
/// specification, grid, orientations, shard), the reached counts as little-endian UInt16, the
/// manipulabilities as little-endian Float32, then 16 hex digits of FNV-1a 64 over every byte
/// before them. The bytes depend only on the map, so equal maps are equal files.
extension ReachabilityMap {
  /// The format version this build writes and reads.
  public static let fileFormatVersion: UInt32 = 1
  static let magic = Array("NIKMAP\r\n".utf8)
  /// A header longer than this is no header this build wrote.
  static let maximumHeaderLength = 1 << 20
  private static let checksumLength = 16
  /// How much of a map file to read: nothing past a wrong magic, version or header length, and
  /// no more than the voxels its header declares.
  static let layout = HeaderedFile(
    magic: magic, versions: [fileFormatVersion], maximumHeaderLength: maximumHeaderLength
  ) { header, _ in
    struct Declared: Decodable {
      let voxelCount: Int
      enum CodingKeys: String, CodingKey { case voxelCount = "voxel_count" }
    }
    guard let count = try? JSONDecoder().decode(Declared.self, from: header).voxelCount,
      (0...VoxelGrid.maximumVoxelCount).contains(count)
    else { return nil }
    return 6 * count + checksumLength
  }

  struct FileHeader: Codable {
    var formatVersion: UInt32
    var robotName: String
    var robotFingerprint: String
    var modelFingerprint: String?
    var targetKind: TargetKind
    var specification: SolverSpecification
    var resolution: Double
    var origin: [Double]
    var dimensions: [Int]
    var orientationCount: Int
    var orientationSampling: String
    var shardIndex: Int
    var shardCount: Int
    var voxelCount: Int

    enum CodingKeys: String, CodingKey {
      case formatVersion = "format_version"
      case robotName = "robot_name"
      case robotFingerprint = "robot_fingerprint"
      case modelFingerprint = "model_fingerprint"
      case targetKind = "target_kind"
      case specification
      case resolution = "resolution_m"
      case origin = "origin_m"
      case dimensions
      case orientationCount = "orientation_count"
      case orientationSampling = "orientation_sampling"
      case shardIndex = "shard_index"
      case shardCount = "shard_count"
      case voxelCount = "voxel_count"
    }
  }

  /// The map as bytes.
  public func fileData() -> Data {
    let header = FileHeader(
      formatVersion: Self.fileFormatVersion, robotName: robotName, robotFingerprint: robotFingerprint,
      modelFingerprint: modelFingerprint, targetKind: targetKind, specification: specification,
      resolution: grid.resolution, origin: [grid.origin.x, grid.origin.y, grid.origin.z],
      dimensions: grid.dimensions, orientationCount: orientationCount,
      orientationSampling: orientationSampling,
      shardIndex: shard.index, shardCount: shard.count, voxelCount: reachedCounts.count)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Every field is a finite number, a string or a specification that validated: encoding cannot
    // fail, and an empty header would be refused on reading rather than misread.
    let headerData = (try? encoder.encode(header)) ?? Data()
    var bytes = Self.magic
    bytes.reserveCapacity(16 + headerData.count + reachedCounts.count * 6 + Self.checksumLength)
    Self.append(Self.fileFormatVersion, to: &bytes)
    Self.append(UInt32(headerData.count), to: &bytes)
    bytes.append(contentsOf: headerData)
    for count in reachedCounts {
      bytes.append(UInt8(truncatingIfNeeded: count))
      bytes.append(UInt8(truncatingIfNeeded: count >> 8))
    }
    for value in manipulability { Self.append(value.bitPattern, to: &bytes) }
    bytes.append(contentsOf: Array(IKNetwork.checksum(bytes).utf8))
    return Data(bytes)
  }

  /// Writes the map atomically: a failure leaves any earlier file untouched.
  public func write(to url: URL) throws(ReachabilityMapError) {
    do {
      try OutputFile.write(fileData(), to: url)
    } catch {
      throw .unwritable(path: url.path, reason: error.localizedDescription)
    }
  }

  /// Reads a map, checking every part; with `robot`, also that it was built for that robot.
  public init(contentsOf url: URL, for robot: RobotModel? = nil) throws(ReachabilityMapError) {
    let data: Data
    do {
      data = try FileContents.read(url, extent: Self.layout.extent)
    } catch {
      throw .unreadable(path: url.path, reason: error)
    }
    do {
      try self.init(fileData: data, for: robot)
    } catch .trailingBytes(let count, _) {
      let trailing = HeaderedFile.trailingBytes(count, read: data, of: url)
      throw .trailingBytes(trailing.count, atLeast: trailing.atLeast)
    }
  }

  /// Reads a map from bytes (see ``init(contentsOf:for:)``).
  public init(fileData data: Data, for robot: RobotModel? = nil) throws(ReachabilityMapError) {
    let bytes = [UInt8](data)
    let prefix = try Self.layout.prefix(of: bytes, as: ReachabilityMapError.self)
    let version = prefix.version
    let header: FileHeader
    do {
      header = try JSONDecoder().decode(FileHeader.self, from: prefix.header)
    } catch let error as DecodingError {
      throw .corruptHeader(error.summary)
    } catch {
      throw .corruptHeader("\(error)")
    }
    guard header.formatVersion == version else {
      throw .inconsistent("the header says format version \(header.formatVersion), the file \(version)")
    }
    // Printed by `map merge` and `serve`, and served to pages.
    guard !RobotModel.hasControlCharacter(header.robotName)
    else {
      throw .inconsistent(
        "the robot name contains a control character (a line break, tab, escape or bidirectional text control)"
      )
    }
    guard header.origin.count == 3 else {
      throw .inconsistent("the grid origin has \(header.origin.count) coordinates, not 3")
    }
    let grid = try VoxelGrid(
      resolution: header.resolution, origin: Vector3(header.origin[0], header.origin[1], header.origin[2]),
      dimensions: header.dimensions)
    let shard = try MapShard(index: header.shardIndex, count: header.shardCount)
    let voxels = shard.voxelCount(of: grid.count)
    guard header.voxelCount == voxels else {
      throw .inconsistent(
        "shard \(shard) of \(grid.count) voxels holds \(voxels), the header says \(header.voxelCount)")
    }
    let expectedSampling = header.targetKind == .position ? "none" : OrientationSampling.identifier
    guard header.orientationSampling == expectedSampling else {
      throw .inconsistent(
        "orientation sampling '\(header.orientationSampling)' is not this build's '\(expectedSampling)'")
    }
    let dataStart = prefix.bodyStart
    let expected = dataStart + voxels * 6 + Self.checksumLength
    guard bytes.count >= expected else { throw .truncated(expectedBytes: expected, foundBytes: bytes.count) }
    guard bytes.count == expected else { throw .trailingBytes(bytes.count - expected) }
    let body = expected - Self.checksumLength
    guard Array(IKNetwork.checksum(Array(bytes[0..<body])).utf8) == Array(bytes[body...]) else {
      throw .checksumMismatch
    }
    let counts = (0..<voxels).map {
      UInt16(bytes[dataStart + 2 * $0]) | UInt16(bytes[dataStart + 2 * $0 + 1]) << 8
    }
    let manipulabilityStart = dataStart + 2 * voxels
    let values = (0..<voxels).map {
      Float(bitPattern: HeaderedFile.uint32(bytes, at: manipulabilityStart + 4 * $0))
    }
    try self.init(
      robotName: header.robotName, robotFingerprint: header.robotFingerprint,
      modelFingerprint: header.modelFingerprint, targetKind: header.targetKind,
      specification: header.specification, grid: grid, orientationCount: header.orientationCount,
      orientationSampling: header.orientationSampling, shard: shard, reachedCounts: counts,
      manipulability: values)
    if let robot, robot.fingerprint != robotFingerprint {
      throw .wrongRobot(
        expected: "'\(robot.name)' (fingerprint \(robot.fingerprint))",
        found: "'\(robotName)' (fingerprint \(robotFingerprint))")
    }
  }

  private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
  }
}
