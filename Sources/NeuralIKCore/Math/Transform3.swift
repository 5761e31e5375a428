import Foundation

/// A rigid transform: `T_a_b` maps points in frame b to frame a.
public struct Transform3: Sendable, Hashable {
  /// The orientation of frame b in frame a: `R_a_b`.
  public var rotation: Rotation3
  /// Origin of frame b expressed in frame a, in metres.
  public var translation: Vector3

  /// A transform from its parts.
  ///
  /// - Parameters:
  ///   - rotation: `R_a_b`.
  ///   - translation: frame b's origin in frame a, metres.
  @inlinable public init(rotation: Rotation3 = .identity, translation: Vector3 = .zero) {
    self.rotation = rotation
    self.translation = translation
  }

  /// The transform between coincident frames.
  public static let identity = Transform3()

  /// The URDF `origin` transform: translation `xyz` (metres), rotation `rpy` (radians).
  ///
  /// - Parameters:
  ///   - xyz: the translation, metres.
  ///   - rpy: roll, pitch and yaw, radians, as ``Rotation3/init(roll:pitch:yaw:)`` takes them.
  public init(xyz: Vector3, rpy: Vector3) {
    self.init(rotation: Rotation3(roll: rpy.x, pitch: rpy.y, yaw: rpy.z), translation: xyz)
  }

  /// Composition: `T_a_b * T_b_c = T_a_c`.
  ///
  /// - Parameters:
  ///   - lhs: `T_a_b`.
  ///   - rhs: `T_b_c`.
  /// - Returns: `T_a_c`.
  @inlinable @inline(__always) public static func * (lhs: Transform3, rhs: Transform3) -> Transform3 {
    Transform3(
      rotation: lhs.rotation * rhs.rotation,
      translation: lhs.rotation * rhs.translation + lhs.translation)
  }

  /// Maps a point from frame b to frame a.
  ///
  /// - Parameters:
  ///   - lhs: `T_a_b`.
  ///   - rhs: a point in frame b, metres.
  /// - Returns: the point in frame a.
  @inlinable @inline(__always) public static func * (lhs: Transform3, rhs: Vector3) -> Vector3 {
    lhs.rotation * rhs + lhs.translation
  }

  /// `T_b_a` for `T_a_b`.
  @inlinable public var inverse: Transform3 {
    let rT = rotation.transposed
    return Transform3(rotation: rT, translation: -(rT * translation))
  }
}
