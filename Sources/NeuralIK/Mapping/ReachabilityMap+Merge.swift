extension ReachabilityMap {
  /// Joins the shards of one map into the whole map (``shard`` ``MapShard/whole``), voxel by
  /// voxel: the result is the map that one unsharded run builds, so its file is the same bytes.
  ///
  /// - Parameters:
  ///   - shards: every shard of one map, once each, in any order.
  ///   - labels: names for the shards in errors (file paths); by default "input 1", "input 2", ….
  /// - Throws: ``ReachabilityMapError/incompatibleShards(_:)`` naming the inputs when there is no
  ///   shard, when two differ in robot, model, solver, grid or orientations, when they were cut
  ///   into different numbers of shards, when two hold the same slice, or when slices are missing.
  public static func merged(_ shards: [ReachabilityMap], labels: [String] = []) throws(ReachabilityMapError)
    -> ReachabilityMap
  {
    func label(_ position: Int) -> String {
      position < labels.count ? "'\(labels[position])'" : "input \(position + 1)"
    }
    guard let first = shards.first else { throw .incompatibleShards("no shard given") }
    let count = first.shard.count
    var slices = [Int?](repeating: nil, count: count)
    for (position, map) in shards.enumerated() {
      if let field = first.firstDifference(from: map) {
        throw .incompatibleShards(
          "\(label(position)) has another \(field) than \(label(0)): they are not shards of one map")
      }
      guard map.shard.count == count else {
        throw .incompatibleShards(
          "\(label(position)) is shard \(map.shard) but \(label(0)) is shard \(first.shard): shards of one map share their count"
        )
      }
      if let earlier = slices[map.shard.index] {
        throw .incompatibleShards(
          "\(label(earlier)) and \(label(position)) are both shard \(map.shard): shards overlap")
      }
      slices[map.shard.index] = position
    }
    let missing = slices.indices.filter { slices[$0] == nil }
    guard missing.isEmpty else {
      let list = missing.prefix(10).map { "\($0)/\(count)" }.joined(separator: ", ")
      throw .incompatibleShards(
        "\(missing.count) of \(count) shards missing (\(list)\(missing.count > 10 ? ", …" : "")): give every shard once"
      )
    }
    let total = first.grid.count
    var reached = [UInt16](repeating: 0, count: total)
    var manipulability = [Float](repeating: 0, count: total)
    for map in shards {
      for position in map.reachedCounts.indices {
        let voxel = map.shard.voxel(at: position)
        reached[voxel] = map.reachedCounts[position]
        manipulability[voxel] = map.manipulability[position]
      }
    }
    return try ReachabilityMap(
      robotName: first.robotName, robotFingerprint: first.robotFingerprint,
      modelFingerprint: first.modelFingerprint,
      targetKind: first.targetKind, specification: first.specification, grid: first.grid,
      orientationCount: first.orientationCount, orientationSampling: first.orientationSampling, shard: .whole,
      reachedCounts: reached, manipulability: manipulability)
  }

  /// The first setting in which `other` differs from this map, named for an error; `nil` when
  /// both come from one build.
  private func firstDifference(from other: ReachabilityMap) -> String? {
    if robotFingerprint != other.robotFingerprint { return "robot (fingerprint \(other.robotFingerprint))" }
    if modelFingerprint != other.modelFingerprint {
      return "model (fingerprint \(other.modelFingerprint ?? "none"))"
    }
    if targetKind != other.targetKind { return "target kind (\(other.targetKind.rawValue))" }
    if specification != other.specification { return "solver specification" }
    if grid != other.grid { return "grid (resolution, origin or dimensions)" }
    if orientationCount != other.orientationCount { return "orientation count (\(other.orientationCount))" }
    if orientationSampling != other.orientationSampling { return "orientation sampling" }
    return nil
  }
}
