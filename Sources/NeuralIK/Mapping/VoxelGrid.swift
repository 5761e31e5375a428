import Foundation

/// A regular grid of cubic voxels over a box, in the robot's base frame. Voxels are numbered
/// x fastest, then y, then z: voxel `ix + nx·(iy + ny·iz)`.
public struct VoxelGrid: Sendable, Hashable {
  /// The most voxels a grid may hold (256³): a map of more would take days and gigabytes.
  public static let maximumVoxelCount = 16_777_216

  /// Edge of a voxel, metres.
  public let resolution: Double
  /// The grid's lowest corner, metres, in the base frame.
  public let origin: Vector3
  /// Voxels along x, y and z.
  public let dimensions: [Int]

  /// A grid of `dimensions` voxels of edge `resolution` from `origin`.
  ///
  /// - Throws: ``ReachabilityMapError/invalidGrid(_:)`` for a resolution that is not a positive
  ///   finite number, a non-finite origin, or dimensions that are not three positive counts whose
  ///   product is at most ``maximumVoxelCount``.
  public init(resolution: Double, origin: Vector3, dimensions: [Int]) throws(ReachabilityMapError) {
    guard resolution.isFinite, resolution > 0 else {
      throw .invalidGrid("resolution must be a positive number of metres, got \(resolution)")
    }
    guard origin.isFinite else { throw .invalidGrid("the grid origin has a non-finite coordinate") }
    guard dimensions.count == 3, dimensions.allSatisfy({ $0 >= 1 && $0 <= Self.maximumVoxelCount }) else {
      throw .invalidGrid(
        "dimensions must be three counts from 1 to \(Self.maximumVoxelCount), got \(dimensions)")
    }
    let count = dimensions.reduce(1.0) { $0 * Double($1) }
    guard count <= Double(Self.maximumVoxelCount) else {
      throw .tooManyVoxels(count: count, maximum: Self.maximumVoxelCount)
    }
    // Where targets can be: a grid beyond (a resolution of 1e308) had voxel centres of infinity.
    let bound = IKTarget.maximumCoordinate
    let far = (0..<3).map { origin[$0] + resolution * Double(dimensions[$0]) }
    guard (0..<3).allSatisfy({ abs(origin[$0]) <= bound && abs(far[$0]) <= bound }) else {
      throw .invalidGrid(
        "the grid runs from \(origin) to \(far) m; a grid lies within ±\(bound) m of the base, as targets do")
    }
    self.resolution = resolution
    self.origin = origin
    self.dimensions = dimensions
  }

  /// The grid of voxels of edge `resolution` (metres) over the cube that holds every position
  /// `robot` can reach (± ``/NeuralIKCore/RobotModel/reachBound`` about the base origin), centred on the base.
  ///
  /// - Throws: ``ReachabilityMapError/invalidGrid(_:)`` for a resolution that is not positive and
  ///   finite, ``ReachabilityMapError/tooManyVoxels(count:maximum:)`` for one so small that the grid
  ///   would hold more than ``maximumVoxelCount`` voxels.
  public init(covering robot: RobotModel, resolution: Double) throws(ReachabilityMapError) {
    guard resolution.isFinite, resolution > 0 else {
      throw .invalidGrid("resolution must be a positive number of metres, got \(resolution)")
    }
    let perAxis = max(1, (2 * robot.reachBound / resolution).rounded(.up))
    let count = perAxis * perAxis * perAxis
    guard count <= Double(Self.maximumVoxelCount) else {
      throw .tooManyVoxels(count: count, maximum: Self.maximumVoxelCount)
    }
    let n = Int(perAxis)
    let corner = -Double(n) * resolution / 2
    try self.init(resolution: resolution, origin: Vector3(corner, corner, corner), dimensions: [n, n, n])
  }

  /// The number of voxels.
  public var count: Int { dimensions[0] * dimensions[1] * dimensions[2] }

  /// The centre of voxel `index`, metres, in the base frame.
  public func centre(of index: Int) -> Vector3 {
    let ix = index % dimensions[0]
    let iy = (index / dimensions[0]) % dimensions[1]
    let iz = index / (dimensions[0] * dimensions[1])
    return origin + resolution * Vector3(Double(ix) + 0.5, Double(iy) + 0.5, Double(iz) + 0.5)
  }
}
