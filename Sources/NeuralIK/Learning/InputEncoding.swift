/// How a target becomes the network's input: the position centred and scaled to unit size, then,
/// for pose targets, the first two columns of the rotation matrix (a continuous representation,
/// unlike quaternions or Euler angles).
public struct InputEncoding: Codable, Sendable, Hashable {
  /// Subtracted from the position, metres.
  public var center: [Double]
  /// The position is divided by this, metres.
  public var scale: Double
  /// Whether targets carry an orientation.
  public var poses: Bool

  public init(center: [Double], scale: Double, poses: Bool) {
    self.center = center
    self.scale = scale
    self.poses = poses
  }

  /// Centre and scale that fit the robot's reach: its base-frame tip positions over `samples`.
  public init(robot: RobotModel, poses: Bool, samples: [Vector3]) {
    let count = Double(max(1, samples.count))
    let mean = samples.reduce(Vector3.zero, +) / count
    let radius = samples.map { ($0 - mean).length }.max() ?? 1
    self.init(center: [mean.x, mean.y, mean.z], scale: max(radius, 1e-6), poses: poses)
  }

  public var featureCount: Int { poses ? 9 : 3 }

  /// Writes the features of `target` at `offset`.
  public func encode(_ target: IKTarget, into features: inout [Float], offset: Int) {
    let p = target.position
    // A target 10⁴ reaches away is as "far" as any farther one; clamping keeps features finite in
    // Float (a target at 1e300 m would otherwise become ∞ and the outputs NaN).
    let limit = 1e4
    features[offset] = Float(min(limit, max(-limit, (p.x - center[0]) / scale)))
    features[offset + 1] = Float(min(limit, max(-limit, (p.y - center[1]) / scale)))
    features[offset + 2] = Float(min(limit, max(-limit, (p.z - center[2]) / scale)))
    guard poses else { return }
    let r = (target.orientation?.rotation ?? .identity)
    let (c0, c1) = (r.column0, r.column1)
    for (index, value) in [c0.x, c0.y, c0.z, c1.x, c1.y, c1.z].enumerated() {
      features[offset + 3 + index] = Float(value)
    }
  }
}
