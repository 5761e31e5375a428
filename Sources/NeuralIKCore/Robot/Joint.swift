/// The kind of motion a joint allows.
public enum JointType: String, Sendable, Hashable, CaseIterable, Codable {
  /// Rotation about the axis, within limits (radians).
  case revolute
  /// Rotation about the axis with no limits: a full circle, never clamped.
  case continuous
  /// Translation along the axis, within limits (metres).
  case prismatic
  /// No motion; only its origin transform counts.
  case fixed

  /// `true` for joints that contribute a joint value.
  public var isMovable: Bool { self != .fixed }
}

/// Lower and upper joint limits: radians for revolute joints, metres for prismatic ones.
public struct JointLimits: Sendable, Hashable {
  public var lower: Double
  public var upper: Double

  public init(lower: Double, upper: Double) {
    self.lower = lower
    self.upper = upper
  }

  /// The middle of the range.
  public var middle: Double { (lower + upper) / 2 }

  /// The width of the range.
  public var range: Double { upper - lower }

  /// `value` moved to the nearest point of the range.
  public func clamp(_ value: Double) -> Double { min(upper, max(lower, value)) }

  /// `true` when `value` lies in the range, widened by `tolerance` on both sides.
  public func contains(_ value: Double, tolerance: Double = 0) -> Bool {
    value >= lower - tolerance && value <= upper + tolerance
  }
}

/// One joint of a serial chain, as URDF describes it.
public struct Joint: Sendable, Hashable {
  public var name: String
  public var type: JointType
  /// `T_parent_joint`: where the joint frame sits in the previous joint's (moved) frame.
  public var origin: Transform3
  /// Unit axis of motion in the joint frame (ignored for fixed joints).
  public var axis: Vector3
  /// Limits for revolute and prismatic joints; `nil` for continuous and fixed ones.
  public var limits: JointLimits?

  /// Creates a joint; ``RobotModel/init(name:joints:tool:)`` validates it.
  public init(
    name: String, type: JointType, origin: Transform3 = .identity,
    axis: Vector3 = Vector3(0, 0, 1), limits: JointLimits? = nil
  ) {
    self.name = name
    self.type = type
    self.origin = origin
    self.axis = axis
    self.limits = limits
  }
}
