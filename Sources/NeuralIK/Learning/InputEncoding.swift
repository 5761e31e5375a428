import Foundation

/// How a target becomes the network's input.
///
/// 1. The position, centred and scaled to the workspace (3 features).
/// 2. When the first joint is revolute, the target's azimuth about that joint's axis as
///    `(u, v) / √(u² + v² + ε²)` (2 features): the first joint's angle is an `atan2` of the
///    target, singular on the axis, which a small network fits poorly from raw coordinates; ε
///    (5% of the workspace radius) keeps the features bounded and smooth on the axis itself.
/// 3. For pose targets, the first two columns of the rotation matrix (6 features), a continuous
///    representation, unlike quaternions or Euler angles.
/// 4. For pose targets whose last joint is revolute, the "wrist point": the origin of the last
///    joint, which its own rotation does not move, so it sits at a fixed offset in the target's
///    frame and depends on the other joints only. Given as a position and an azimuth like the
///    tip's (5 features): on a 7-joint arm it takes much of the work of placing the first joints
///    off the network.
public struct InputEncoding: Codable, Sendable, Hashable {
  /// Subtracted from the position, metres.
  public var center: [Double]
  /// The position is divided by this, metres.
  public var scale: Double
  /// Whether targets carry an orientation.
  public var poses: Bool
  /// A point on the first joint's axis, its unit direction, and two unit vectors spanning the
  /// plane normal to it (12 numbers), or `nil` when the first joint is not revolute.
  public var azimuthFrame: [Double]?
  /// For pose targets: the last joint's origin in the tip frame, metres (3 numbers), or `nil`.
  public var wristOffset: [Double]?
  /// The joint whose value is an input, for redundant arms (see ``FreeJoint``); `nil` otherwise.
  public var freeJoint: FreeJoint?

  /// An encoding from its parts (a model file's header holds them).
  ///
  /// - Parameters:
  ///   - center: the workspace's centre, metres (3 numbers).
  ///   - scale: the workspace's radius, metres, positive.
  ///   - poses: whether targets are poses.
  ///   - azimuthFrame: the first joint's origin, axis and a basis of the plane normal to it (12
  ///     numbers), or `nil`.
  ///   - wristOffset: the last joint's origin in the tip frame (3 numbers), or `nil`.
  ///   - freeJoint: the joint whose value is an input, or `nil`.
  public init(
    center: [Double], scale: Double, poses: Bool, azimuthFrame: [Double]? = nil, wristOffset: [Double]? = nil,
    freeJoint: FreeJoint? = nil
  ) {
    self.center = center
    self.scale = scale
    self.poses = poses
    self.azimuthFrame = azimuthFrame
    self.wristOffset = wristOffset
    self.freeJoint = freeJoint
  }

  /// Centre and scale that fit the robot's reach (its tip positions over `samples`), and the
  /// first joint's axis at the zero configuration.
  ///
  /// - Parameters:
  ///   - robot: the robot the network is for.
  ///   - poses: whether targets are poses.
  ///   - samples: tip positions (metres, base frame) that span the reach, such as FK samples.
  ///   - freeJointSamples: values of a free joint per target at inference; 0 for no free joint.
  ///   - freeJointIndex: the free joint among the movable joints; `nil` for the last.
  public init(
    robot: RobotModel, poses: Bool, samples: [Vector3], freeJointSamples: Int = 0, freeJointIndex: Int? = nil
  ) {
    let count = Double(max(1, samples.count))
    let mean = samples.reduce(Vector3.zero, +) / count
    let radius = samples.map { ($0 - mean).length }.max() ?? 1
    var frame: [Double]?
    if let first = robot.movableJoints.first, first.type != .prismatic {
      // swift-format-ignore: AlwaysUseLowerCamelCase
      let T_base_joint = robot.jointFrames(at: Array(repeating: 0, count: robot.degreesOfFreedom))[0]
      let axis = T_base_joint.rotation * first.axis
      // Any unit vector not along the axis seeds the plane's basis.
      let seed = abs(axis.x) < 0.9 ? Vector3(1, 0, 0) : Vector3(0, 1, 0)
      var e1 = seed - axis * axis.dot(seed)
      e1 /= e1.length
      let e2 = axis.cross(e1)
      let o = T_base_joint.translation
      frame = [o.x, o.y, o.z, axis.x, axis.y, axis.z, e1.x, e1.y, e1.z, e2.x, e2.y, e2.z]
    }
    var wrist: [Double]?
    if poses, let last = robot.movableJoints.last, last.type != .prismatic {
      let zero = Array(repeating: 0.0, count: robot.degreesOfFreedom)
      // T_tip_joint at q = 0; its translation holds for every q, since the last joint turns
      // about its own origin.
      // swift-format-ignore: AlwaysUseLowerCamelCase
      let T_base_joint = robot.jointFrames(at: zero)[robot.degreesOfFreedom - 1]
      let offset = robot.tipPose(at: zero).inverse * T_base_joint.translation
      wrist = [offset.x, offset.y, offset.z]
    }
    self.init(
      center: [mean.x, mean.y, mean.z], scale: max(radius, 1e-6), poses: poses, azimuthFrame: frame,
      wristOffset: wrist,
      freeJoint: FreeJoint(robot: robot, poses: poses, samples: freeJointSamples, index: freeJointIndex))
  }

  /// Features per input row: position, azimuth, rotation, wrist point and free joint as used.
  public var featureCount: Int {
    let azimuth = azimuthFrame == nil ? 0 : 2
    return 3 + azimuth + (poses ? 6 : 0) + (poses && wristOffset != nil ? 3 + azimuth : 0)
      + (freeJoint?.featureCount ?? 0)
  }

  /// Writes the features of `target` at `offset`; `freeValue` is the ``freeJoint``'s value (its
  /// middle when `nil`).
  ///
  /// Features are clamped to ±10⁴ workspace radii, so any finite target gives finite inputs.
  ///
  /// - Parameters:
  ///   - target: a position, or a pose for a pose encoding.
  ///   - freeValue: the free joint's value (radians), or `nil` for the middle of its range.
  ///   - features: the input buffer, written at `offset..<offset + featureCount`.
  ///   - offset: where the row starts.
  public func encode(_ target: IKTarget, freeValue: Double? = nil, into features: inout [Float], offset: Int)
  {
    if let freeJoint {
      freeJoint.encode(
        freeValue ?? (freeJoint.lower + freeJoint.upper) / 2, into: &features,
        offset: offset + featureCount - freeJoint.featureCount)
    }
    let p = pulledIn(target.position)
    // Never reached after `pulledIn`; kept so that no feature can leave Float's range whatever
    // the centre and scale a model file gives.
    let limit = 1e4
    features[offset] = Float(min(limit, max(-limit, (p.x - center[0]) / scale)))
    features[offset + 1] = Float(min(limit, max(-limit, (p.y - center[1]) / scale)))
    features[offset + 2] = Float(min(limit, max(-limit, (p.z - center[2]) / scale)))
    var cursor = offset + 3
    writeAzimuth(of: p, into: &features, cursor: &cursor)
    guard poses else { return }
    let r = (target.orientation?.rotation ?? .identity)
    let (c0, c1) = (r.column0, r.column1)
    for value in [c0.x, c0.y, c0.z, c1.x, c1.y, c1.z] {
      features[cursor] = Float(value)
      cursor += 1
    }
    guard let w = wristOffset, w.count == 3 else { return }
    let wrist = p + r * Vector3(w[0], w[1], w[2])
    features[cursor] = Float(min(limit, max(-limit, (wrist.x - center[0]) / scale)))
    features[cursor + 1] = Float(min(limit, max(-limit, (wrist.y - center[1]) / scale)))
    features[cursor + 2] = Float(min(limit, max(-limit, (wrist.z - center[2]) / scale)))
    cursor += 3
    writeAzimuth(of: wrist, into: &features, cursor: &cursor)
  }

  /// How far from ``center`` a target is given to the network as it is, in workspace radii
  /// (``scale``): past it, a target is moved in along its ray from the centre to this distance.
  ///
  /// A network meets targets where it was trained only: in the workspace's box widened by a
  /// quarter of its size on every side (``TrainingConfig/margin``), at most 1.5 · √3 ≈ 2.6 radii
  /// from the centre. A ReLU network extrapolates linearly beyond, so a target 1 km away asked
  /// for joint values far past the limits, clamped into a corner that folds the arm away from the
  /// target. The closest point to a distant target depends on its direction, less and less on
  /// its distance, and the direction is what a pulled-in target keeps.
  public static let farRadius = 3.0

  /// `position`, or where its ray from ``center`` crosses ``farRadius`` when it lies beyond.
  public func pulledIn(_ position: Vector3) -> Vector3 {
    let centre = Vector3(center[0], center[1], center[2])
    let offset = position - centre
    let radius = Self.farRadius * scale
    // Scaled by its largest component before squaring: finite for any finite offset.
    let largest = max(abs(offset.x), abs(offset.y), abs(offset.z))
    guard largest * 3.0.squareRoot() > radius, largest.isFinite else { return position }
    let direction = offset / largest
    let length = direction.length
    guard largest * length > radius else { return position }
    return centre + direction * (radius / length)
  }

  /// The azimuth of `p` about the first joint's axis as a bounded unit-ish 2-vector.
  private func writeAzimuth(of p: Vector3, into features: inout [Float], cursor: inout Int) {
    guard let f = azimuthFrame, f.count == 12 else { return }
    let d = (p - Vector3(f[0], f[1], f[2])) / scale
    let (u, v) = (d.dot(Vector3(f[6], f[7], f[8])), d.dot(Vector3(f[9], f[10], f[11])))
    // Finite even for a target at 1e300 m: (u, v) are scaled down before squaring.
    let largest = max(abs(u), abs(v), 1e-300)
    let (su, sv, se) = (u / largest, v / largest, 0.05 / largest)
    let norm = (su * su + sv * sv + se * se).squareRoot()
    features[cursor] = Float(su / norm)
    features[cursor + 1] = Float(sv / norm)
    cursor += 2
  }
}
