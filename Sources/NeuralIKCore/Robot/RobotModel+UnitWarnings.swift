import Foundation

extension RobotModel {
  /// A revolute joint's limit beyond this many radians (two turns) is more likely degrees than a
  /// joint that turns that far: `lower="-170" upper="170"` loads as ±27 turns.
  static let suspectRevoluteLimit = 4 * Double.pi
  /// A joint offset or tool beyond this many metres is more likely millimetres than an arm that
  /// long (the largest industrial arms reach about 5 m).
  static let suspectOffset = 20.0

  /// Numbers in the robot that look written in the wrong unit: a revolute joint's limits in
  /// degrees (beyond two turns), or an offset or a prismatic joint's limit in millimetres (beyond
  /// 20 m). The robot is valid
  /// either way, and loads; a command prints these as warnings, since every answer would be in
  /// the wrong unit too.
  public var unitWarnings: [String] {
    var warnings: [String] = []
    for joint in joints {
      if joint.type == .revolute, let limits = joint.limits,
        max(abs(limits.lower), abs(limits.upper)) > Self.suspectRevoluteLimit
      {
        let turns = (limits.upper - limits.lower) / (2 * .pi)
        warnings.append(
          "joint '\(joint.name)': limits [\(limits.lower), \(limits.upper)] rad span "
            + String(format: "%.1f", turns)
            + " turns; written in degrees? (limits are radians)")
      }
      if joint.type == .prismatic, let limits = joint.limits,
        max(abs(limits.lower), abs(limits.upper)) > Self.suspectOffset
      {
        warnings.append(
          "joint '\(joint.name)': limits [\(limits.lower), \(limits.upper)] m reach beyond "
            + String(format: "%g", Self.suspectOffset) + " m; written in millimetres? (lengths are metres)")
      }
      let offset = joint.origin.translation.length
      if offset > Self.suspectOffset {
        warnings.append(
          "joint '\(joint.name)': origin " + String(format: "%g", offset)
            + " m from the joint before; written in millimetres? (lengths are metres)")
      }
    }
    let toolOffset = tool.translation.length
    if toolOffset > Self.suspectOffset {
      warnings.append(
        "tool: " + String(format: "%g", toolOffset)
          + " m from the last joint; written in millimetres? (lengths are metres)")
    }
    return warnings
  }
}
