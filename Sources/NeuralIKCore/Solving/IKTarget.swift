/// What the tool should reach: a position (metres, base frame), optionally with an orientation or
/// with a tool axis that must point along a direction.
public struct IKTarget: Sendable, Hashable {
  /// Target tool position in the base frame, in metres.
  public let position: Vector3
  /// Target tool orientation in the base frame; `nil` for a position-only or axis target.
  public let orientation: Quaternion?
  /// A tool axis and the direction it must point along (the rotation about it free); `nil`
  /// unless the target was made with ``init(position:axis:)``.
  public internal(set) var axis: AxisTarget?

  /// The largest coordinate a target may have, in metres. A thousand kilometres is beyond every
  /// arm's reach by far, and it keeps every distance and squared error finite in `Double`.
  public static let maximumCoordinate = 1e6

  /// A position target.
  ///
  /// - Parameter position: metres in the base frame.
  /// - Throws: ``IKError/nonFinite(_:)`` when a coordinate is NaN or infinite,
  ///   ``IKError/invalidTarget(_:)`` when one is beyond ``maximumCoordinate``.
  public init(position: Vector3) throws(IKError) {
    try Self.check(position)
    self.position = position
    self.orientation = nil
  }

  /// A pose target.
  ///
  /// - Parameters:
  ///   - position: metres in the base frame.
  ///   - orientation: the tool's orientation in the base frame (`q` and `−q` are the same).
  /// - Throws: ``IKError/nonFinite(_:)`` when a coordinate or the orientation is NaN or
  ///   infinite (a quaternion of a matrix with such an entry), ``IKError/invalidTarget(_:)`` when
  ///   a coordinate is beyond ``maximumCoordinate``.
  public init(position: Vector3, orientation: Quaternion) throws(IKError) {
    try Self.check(position)
    // Every quaternion the type builds is a unit one (its components are read-only) but that of a
    // matrix with a NaN or infinite entry.
    guard orientation.w.isFinite, orientation.x.isFinite, orientation.y.isFinite, orientation.z.isFinite
    else {
      throw .nonFinite(
        "target orientation (qw, qx, qy, qz) = (\(orientation.w), \(orientation.x), \(orientation.y), \(orientation.z))"
      )
    }
    self.position = position
    self.orientation = orientation
  }

  private static func check(_ position: Vector3) throws(IKError) {
    guard position.isFinite else { throw .nonFinite("target position \(format(position))") }
    let largest = max(abs(position.x), abs(position.y), abs(position.z))
    guard largest <= maximumCoordinate else {
      throw .invalidTarget(
        "target position \(format(position)) lies \(largest) m from the base; give coordinates within ±\(Int(maximumCoordinate)) m"
      )
    }
  }

  /// A target from a flat list: `x, y, z` (position) or `x, y, z, qw, qx, qy, qz` (pose).
  ///
  /// The quaternion may have any non-zero length; it is normalised.
  ///
  /// - Parameter values: 3 or 7 numbers: metres, then the quaternion.
  /// - Throws: ``IKError`` for another count, a non-finite value or a zero quaternion.
  public init(values: [Double]) throws(IKError) {
    // Six numbers are most often a position and a direction: say where a direction goes.
    if values.count == 6 {
      throw .invalidTarget(
        "target has 6 values; expected 3 (x, y, z) or 7 (x, y, z, qw, qx, qy, qz). A direction for the tool to point along is not part of the target: give it as the target's axis, beside a 3-value position"
      )
    }
    guard values.count == 3 || values.count == 7 else {
      // The nearer of the two counts: four or five values are a pose short of its quaternion.
      throw .wrongDimension(
        what: "target (x, y, z or x, y, z, qw, qx, qy, qz)", expected: values.count > 3 ? 7 : 3,
        got: values.count)
    }
    guard values.allSatisfy(\.isFinite) else { throw .nonFinite("target \(values)") }
    let position = Vector3(values[0], values[1], values[2])
    if values.count == 3 {
      try self.init(position: position)
      return
    }
    guard let q = Quaternion(w: values[3], x: values[4], y: values[5], z: values[6]) else {
      throw .invalidTarget(
        "target orientation (qw, qx, qy, qz) = \(Array(values[3...])) has zero length; give a unit quaternion"
      )
    }
    try self.init(position: position, orientation: q)
  }

  /// `true` for a pose target.
  public var hasOrientation: Bool { orientation != nil }

  /// Residual rows: 3 for a position target, 6 for a pose or axis target.
  public var residualCount: Int { orientation == nil && axis == nil ? 3 : 6 }

  static func format(_ v: Vector3) -> String { "(\(v.x), \(v.y), \(v.z))" }
}
