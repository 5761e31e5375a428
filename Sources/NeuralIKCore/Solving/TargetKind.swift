/// What a target fixes: the tool position alone, or its full pose.
public enum TargetKind: String, Sendable, Hashable, CaseIterable, Codable {
  /// x, y, z in metres.
  case position
  /// x, y, z in metres and an orientation quaternion.
  case pose
  /// x, y, z in metres and a direction a tool axis must point along, the rotation about it free.
  case axis

  /// The values a target of this kind is written with.
  public var valuesDescription: String {
    switch self {
    case .position: return "x, y, z"
    case .pose: return "x, y, z, qw, qx, qy, qz"
    case .axis: return "x, y, z and an axis direction"
    }
  }

  /// The kind an arm is asked for when nothing else says: poses for arms with the six joints that
  /// a pose needs, positions for smaller ones.
  ///
  /// - Parameter robot: the arm.
  /// - Returns: `.pose` for 6 or more movable joints, else `.position`.
  public static func natural(for robot: RobotModel) -> TargetKind {
    robot.degreesOfFreedom >= 6 ? .pose : .position
  }
}

extension IKTarget {
  /// Whether this target fixes an orientation, a tool axis or neither.
  public var kind: TargetKind { orientation != nil ? .pose : axis != nil ? .axis : .position }
}
