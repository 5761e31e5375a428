import Foundation

/// A direction the tool must point along, with the rotation about it left free: a gripper
/// pointing down at any yaw, a camera looking at a point, a drill along a bore.
public struct AxisTarget: Sendable, Hashable {
  /// The tool's axis in the tip frame, a unit vector.
  public let toolAxis: Vector3
  /// The direction that axis must point along, in the base frame, a unit vector.
  public let direction: Vector3

  /// A tool axis and the direction it must point along, both normalised here.
  ///
  /// - Parameters:
  ///   - toolAxis: the axis in the tip frame (default: its z axis); any non-zero length.
  ///   - direction: where it must point, in the base frame; any non-zero length.
  /// - Throws: ``IKError/nonFinite(_:)`` or ``IKError/invalidTarget(_:)`` for a zero vector.
  public init(toolAxis: Vector3 = Vector3(0, 0, 1), direction: Vector3) throws(IKError) {
    self.toolAxis = try Self.unit(toolAxis, "tool axis")
    self.direction = try Self.unit(direction, "axis direction")
  }

  private static func unit(_ vector: Vector3, _ name: String) throws(IKError) -> Vector3 {
    guard vector.isFinite else { throw .nonFinite("\(name) \(IKTarget.format(vector))") }
    // Scaled first, so that neither a tiny nor a huge vector under- or overflows its length.
    let largest = max(abs(vector.x), abs(vector.y), abs(vector.z))
    guard largest > 0 else { throw .invalidTarget("\(name) is the zero vector; give a direction") }
    let scaled = vector / largest
    return scaled / scaled.length
  }

  /// The angle in radians, in [0, π], between the tool axis at `rotation` (`R_base_tip`) and
  /// ``direction``.
  ///
  /// - Parameter rotation: the tool's orientation in the base frame.
  /// - Returns: the angle, radians (0 when the axis points exactly along ``direction``).
  public func angle(at rotation: Rotation3) -> Double {
    let axis = rotation * toolAxis
    return atan2(axis.cross(direction).length, axis.dot(direction))
  }
}

extension IKTarget {
  /// A position with a tool axis that must point along a direction, the rotation about it free.
  ///
  /// - Parameters:
  ///   - position: metres in the base frame.
  ///   - axis: the tool axis and the direction it must point along.
  /// - Throws: as ``init(position:)``.
  public init(position: Vector3, axis: AxisTarget) throws(IKError) {
    try self.init(position: position)
    self.axis = axis
  }
}
