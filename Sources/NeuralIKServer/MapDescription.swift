import NeuralIK

/// `GET /api/map`: a reachability map as the page draws it: the reachable voxels' centres with
/// their share of orientations reached and their best manipulability. Built once at start-up.
public struct MapDescription: Codable, Sendable, Equatable {
  public var robot: String
  /// `pose` or `position` (reached or not).
  public var targetKind: String
  /// Voxel edge, metres.
  public var resolution: Double
  public var orientationCount: Int
  /// Voxels in the grid, reachable or not.
  public var voxelCount: Int
  /// Per reachable voxel: x, y, z of its centre (metres, base frame), the share of orientations
  /// reached (0 to 1) and the best manipulability.
  public var points: [[Double]]

  enum CodingKeys: String, CodingKey {
    case robot
    case targetKind = "target_kind"
    case resolution = "resolution_m"
    case orientationCount = "orientation_count"
    case voxelCount = "voxel_count"
    case points
  }

  /// The description of `map`, which may be one shard of a map (only its voxels are drawn).
  public init(_ map: ReachabilityMap) {
    robot = map.robotName
    targetKind = map.targetKind.rawValue
    resolution = map.grid.resolution
    orientationCount = map.orientationCount
    voxelCount = map.grid.count
    // Rounded to 0.1 mm and 4 digits of share: the page draws points, and the answer stays small.
    func rounded(_ value: Double, _ scale: Double) -> Double { (value * scale).rounded() / scale }
    points = map.reachedCounts.indices.compactMap { position in
      guard map.reachedCounts[position] > 0 else { return nil }
      let centre = map.grid.centre(of: map.shard.voxel(at: position))
      return [
        rounded(centre.x, 1e4), rounded(centre.y, 1e4), rounded(centre.z, 1e4),
        rounded(map.reachability(at: position), 1e4), rounded(Double(map.manipulability[position]), 1e6),
      ]
    }
  }
}
