import Foundation

/// A rigid transform: `T_a_b` maps points in frame b to frame a.
public struct Transform3: Sendable, Hashable {
  public var rotation: Rotation3
  /// Origin of frame b expressed in frame a, in metres.
  public var translation: Vector3

  @inlinable public init(rotation: Rotation3 = .identity, translation: Vector3 = .zero) {
    self.rotation = rotation
    self.translation = translation
  }

  public static let identity = Transform3()

  /// The URDF `origin` transform: translation `xyz` (metres), rotation `rpy` (radians).
  public init(xyz: Vector3, rpy: Vector3) {
    self.init(rotation: Rotation3(roll: rpy.x, pitch: rpy.y, yaw: rpy.z), translation: xyz)
  }

  /// Composition: `T_a_b * T_b_c = T_a_c`.
  @inlinable public static func * (lhs: Transform3, rhs: Transform3) -> Transform3 {
    Transform3(
      rotation: lhs.rotation * rhs.rotation,
      translation: lhs.rotation * rhs.translation + lhs.translation)
  }

  /// Maps a point from frame b to frame a.
  @inlinable public static func * (lhs: Transform3, rhs: Vector3) -> Vector3 {
    lhs.rotation * rhs + lhs.translation
  }

  @inlinable public var inverse: Transform3 {
    let rT = rotation.transposed
    return Transform3(rotation: rT, translation: -(rT * translation))
  }
}
