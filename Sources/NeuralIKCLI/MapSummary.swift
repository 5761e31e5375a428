import Foundation
import NeuralIK

/// The lines `map` prints when it is done: what `make map-panda` copies into Docs/Maps.md.
enum MapSummary {
  static func describe(_ build: ReachabilityMapBuild, builder: ReachabilityMapBuilder, out: String) -> String
  {
    let map = build.map
    let grid = map.grid
    let dimensions = grid.dimensions.map(String.init).joined(separator: "×")
    let orientations =
      map.targetKind == .pose
      ? "\(map.orientationCount) orientations per voxel (\(map.orientationSampling))"
      : "positions only (reached or not; --orientations does not apply)"
    let reachable = map.reachableVoxelCount
    let stored = map.reachedCounts.count
    let meanShare =
      reachable == 0
      ? 0
      : map.reachedCounts.reduce(0.0) { $0 + Double($1) } / Double(reachable) / Double(map.orientationCount)
    let solveRate = build.seconds > 0 ? Double(build.solves) / build.seconds : 0
    return """
      map of '\(map.robotName)' (\(map.specification.kind?.rawValue ?? "?") solver) written to \(out)
      grid: \(dimensions) voxels of \(format(grid.resolution * 100, 1)) cm, \(orientations)
      shard \(map.shard): \(stored) voxels, \(build.voxelsWithinReachBound) within the reach bound, \(reachable) reachable (mean share of orientations where reachable: \(format(meanShare * 100, 1)) %)
      solves: \(build.solves) (\(build.failedSolves) failed numerically) in \(format(build.seconds, 1)) s on \(build.threads) threads: \(format(solveRate, 0)) solves/s
      """
  }

  private static func format(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
  }
}
