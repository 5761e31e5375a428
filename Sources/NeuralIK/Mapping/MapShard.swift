/// One of `count` disjoint slices of a map's voxels: shard `index` holds the voxels whose number
/// is `index` modulo `count`. Interleaving spreads the costly voxels (near the reach boundary,
/// where solves fail slowly) evenly over the shards, so a job array's tasks take similar times.
public struct MapShard: Sendable, Hashable {
  /// The most shards a map may be cut into.
  public static let maximumCount = 65_536

  /// This slice, from 0.
  public let index: Int
  /// The number of slices.
  public let count: Int

  /// The whole map as one slice.
  public static let whole = MapShard(checkedIndex: 0, count: 1)

  private init(checkedIndex index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Slice `index` of `count`.
  ///
  /// - Throws: ``ReachabilityMapError/invalidShard(_:)`` unless `1 ≤ count ≤ maximumCount` and
  ///   `0 ≤ index < count`.
  public init(index: Int, count: Int) throws(ReachabilityMapError) {
    guard count >= 1, count <= Self.maximumCount else {
      throw .invalidShard("the shard count must be 1 to \(Self.maximumCount), got \(count)")
    }
    guard index >= 0, index < count else {
      throw .invalidShard("the shard index must be 0 to \(count - 1) for \(count) shards, got \(index)")
    }
    self.init(checkedIndex: index, count: count)
  }

  /// Parses `I/N`, as `--shard 2/4` writes it (shards count from 0).
  ///
  /// - Throws: ``ReachabilityMapError/invalidShard(_:)`` for any other text or a slice out of range.
  public init(parsing text: String) throws(ReachabilityMapError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
      throw .invalidShard("a shard is written I/N (slice I of N, from 0), e.g. 0/4; got '\(text)'")
    }
    try self.init(index: index, count: count)
  }

  /// How many of `total` voxels this slice holds.
  public func voxelCount(of total: Int) -> Int {
    total > index ? (total - index + count - 1) / count : 0
  }

  /// The grid number of this slice's voxel at `position`.
  public func voxel(at position: Int) -> Int { index + position * count }
}

extension MapShard: CustomStringConvertible {
  /// `I/N`, as `--shard` takes it.
  public var description: String { "\(index)/\(count)" }
}
