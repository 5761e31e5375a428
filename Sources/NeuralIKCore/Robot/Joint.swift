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
  /// The lowest value, radians or metres.
  public var lower: Double
  /// The highest value, radians or metres.
  public var upper: Double

  /// Limits from their ends; a robot file's reader refuses `lower > upper`
  /// (``RobotModel/init(name:joints:tool:)`` validates them).
  ///
  /// - Parameters:
  ///   - lower: the lowest value, radians or metres.
  ///   - upper: the highest value.
  public init(lower: Double, upper: Double) {
    self.lower = lower
    self.upper = upper
  }

  /// The middle of the range.
  public var middle: Double { (lower + upper) / 2 }

  /// The width of the range.
  public var range: Double { upper - lower }

  /// `value` moved to the nearest point of the range.
  ///
  /// - Parameter value: radians or metres.
  /// - Returns: `value` when it is in the range, else the nearer limit.
  public func clamp(_ value: Double) -> Double { min(upper, max(lower, value)) }

  /// `true` when `value` lies in the range, widened by `tolerance` on both sides.
  ///
  /// - Parameters:
  ///   - value: radians or metres.
  ///   - tolerance: how far outside still counts as inside, radians or metres.
  /// - Returns: whether `lower − tolerance ≤ value ≤ upper + tolerance`.
  public func contains(_ value: Double, tolerance: Double = 0) -> Bool {
    value >= lower - tolerance && value <= upper + tolerance
  }
}

/// One joint of a serial chain, as URDF describes it.
public struct Joint: Sendable, Hashable {
  /// The joint's name, unique in its robot (URDF's `name`).
  public var name: String
  /// The kind of motion.
  public var type: JointType
  /// `T_parent_joint`: where the joint frame sits in the previous joint's (moved) frame.
  public var origin: Transform3
  /// Unit axis of motion in the joint frame (ignored for fixed joints).
  public var axis: Vector3
  /// Limits for revolute and prismatic joints; `nil` for continuous and fixed ones.
  public var limits: JointLimits?

  /// Creates a joint; ``RobotModel/init(name:joints:tool:)`` validates it.
  ///
  /// - Parameters:
  ///   - name: unique in its robot.
  ///   - type: the kind of motion.
  ///   - origin: `T_parent_joint`.
  ///   - axis: the unit axis of motion in the joint frame.
  ///   - limits: the limits of a revolute or prismatic joint; `nil` for continuous and fixed ones.
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
