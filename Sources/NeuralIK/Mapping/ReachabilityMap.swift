/// A reachability map: for each voxel of a grid over the robot's reach, the share of a fixed set
/// of tool orientations that the solver reached at the voxel's centre, and the best manipulability
/// among the configurations that reached them.
///
/// A map of a robot asked for positions (fewer than six joints, or a model trained on positions)
/// has one "orientation": a voxel is reached or not. A map may hold one ``shard`` of the voxels;
/// ``merged(_:labels:)`` joins the shards of one map. Files: ``write(to:)``, ``init(contentsOf:for:)``.
public struct ReachabilityMap: Sendable, Hashable {
  /// The most orientations a map samples per voxel.
  public static let maximumOrientationCount = 4096

  /// The name of the robot the map was built for.
  public let robotName: String
  /// ``/NeuralIKCore/RobotModel/fingerprint`` of the robot the map was built for.
  public let robotFingerprint: String
  /// Checksum of the model file the solver used (16 hex digits), `nil` without a model.
  public let modelFingerprint: String?
  /// `.pose` (orientations sampled) or `.position` (reached or not).
  public let targetKind: TargetKind
  /// The solver's resolved specification.
  public let specification: SolverSpecification
  /// The voxels the map covers.
  public let grid: VoxelGrid
  /// Orientations tried per voxel: 1 for a position map.
  public let orientationCount: Int
  /// How they were chosen: ``OrientationSampling/identifier``, or `"none"` for a position map.
  public let orientationSampling: String
  /// The slice of the grid's voxels this map holds.
  public let shard: MapShard
  /// Per voxel of the shard, in order (voxel ``MapShard/voxel(at:)``): orientations reached.
  public let reachedCounts: [UInt16]
  /// Per voxel of the shard: the largest `RobotModel.manipulability(at:rows:)` of a reached
  /// configuration, 0 where none was reached.
  public let manipulability: [Float]

  /// A map from its parts.
  ///
  /// - Throws: ``ReachabilityMapError/inconsistent(_:)`` when the counts disagree with the grid,
  ///   the shard or the orientation count, or a manipulability is negative, non-finite, or
  ///   non-zero where nothing was reached.
  public init(
    robotName: String, robotFingerprint: String, modelFingerprint: String?, targetKind: TargetKind,
    specification: SolverSpecification, grid: VoxelGrid, orientationCount: Int, orientationSampling: String,
    shard: MapShard, reachedCounts: [UInt16], manipulability: [Float]
  ) throws(ReachabilityMapError) {
    guard orientationCount >= 1, orientationCount <= Self.maximumOrientationCount else {
      throw .inconsistent(
        "orientation count \(orientationCount) is not 1 to \(Self.maximumOrientationCount)")
    }
    guard targetKind != .axis else {
      throw .inconsistent("a map samples positions or poses, not axis targets")
    }
    guard targetKind != .position || orientationCount == 1 else {
      throw .inconsistent("a position map has 1 orientation, not \(orientationCount)")
    }
    let expected = shard.voxelCount(of: grid.count)
    guard reachedCounts.count == expected, manipulability.count == expected else {
      throw .inconsistent(
        "shard \(shard) of \(grid.count) voxels holds \(expected), got \(reachedCounts.count) counts and \(manipulability.count) manipulabilities"
      )
    }
    for (position, (reached, best)) in zip(reachedCounts, manipulability).enumerated() {
      guard Int(reached) <= orientationCount, best.isFinite, best >= 0, reached > 0 || best == 0 else {
        throw .inconsistent(
          "voxel \(shard.voxel(at: position)): \(reached) of \(orientationCount) orientations reached, manipulability \(best)"
        )
      }
    }
    self.robotName = robotName
    self.robotFingerprint = robotFingerprint
    self.modelFingerprint = modelFingerprint
    self.targetKind = targetKind
    self.specification = specification
    self.grid = grid
    self.orientationCount = orientationCount
    self.orientationSampling = orientationSampling
    self.shard = shard
    self.reachedCounts = reachedCounts
    self.manipulability = manipulability
  }

  /// The share of orientations reached in the shard's voxel at `position`, 0 to 1.
  public func reachability(at position: Int) -> Double {
    Double(reachedCounts[position]) / Double(orientationCount)
  }

  /// Voxels of the shard where at least one orientation was reached.
  public var reachableVoxelCount: Int { reachedCounts.lazy.filter { $0 > 0 }.count }
}
