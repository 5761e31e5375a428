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
    // Joints up to the first that moves (its origin included) place the arm in a world or cell
    // frame, which may lie tens of metres away; after it, an offset is a link.
    var placesTheArm = true
    for joint in joints {
      defer { if joint.type.isMovable { placesTheArm = false } }
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
      if offset > Self.suspectOffset, !placesTheArm {
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

  /// What a configuration from outside (`solve --initial`) holds that looks written in the wrong
  /// unit: a revolute joint more than a full turn past its limits, or a continuous one beyond two
  /// turns (degrees); a prismatic one more than 1 m and ten times its range past its limits
  /// (millimetres). The configuration is valid either way (a solver starts from it clamped into
  /// the limits); the command line prints these as warnings (the API has no place for them).
  ///
  /// - Parameter jointValues: one value per movable joint (``checkConfiguration(_:)`` passed).
  public func unitWarnings(start jointValues: [Double]) -> [String] {
    zip(movableJoints, jointValues).compactMap { joint, value in
      switch joint.type {
      case .revolute:
        guard let limits = joint.limits else { return nil }
        let beyond = max(limits.lower - value, value - limits.upper)
        guard beyond > 2 * .pi else { return nil }
        return "joint '\(joint.name)' = \(value) rad lies " + String(format: "%.1f", beyond)
          + " rad beyond its limits [\(limits.lower), \(limits.upper)] (the solve starts from "
          + "\(limits.clamp(value))); written in degrees? (joint values are radians)"
      case .continuous:
        guard abs(value) > Self.suspectRevoluteLimit else { return nil }
        return "joint '\(joint.name)' = \(value) rad is " + String(format: "%.1f", abs(value) / (2 * .pi))
          + " turns; written in degrees? (joint values are radians)"
      case .prismatic:
        // A 10 m rail at 5,000 is millimetres; a reading a little past a short slide is not.
        guard let limits = joint.limits else { return nil }
        let beyond = max(limits.lower - value, value - limits.upper)
        guard beyond > max(1, 10 * limits.range) else { return nil }
        return "joint '\(joint.name)' = \(value) m lies " + String(format: "%g", beyond)
          + " m beyond its limits [\(limits.lower), \(limits.upper)] (the solve starts from "
          + "\(limits.clamp(value))); written in millimetres? (lengths are metres)"
      case .fixed:
        return nil
      }
    }
  }

  /// What restrictions from outside (`--lock`, `--limits`) hold that looks written in degrees: a
  /// continuous joint's bound beyond two turns. Other joints' bounds must lie within their limits,
  /// which ``restricted(_:)`` checks; a continuous joint has none, and took a lock at 100 silently.
  ///
  /// - Parameter restrictions: restrictions of this robot's joints; other names are passed over.
  public func unitWarnings(restrictions: [JointRestriction]) -> [String] {
    restrictions.compactMap { restriction in
      guard let joint = movableJoints.first(where: { $0.name == restriction.joint }),
        joint.type == .continuous
      else { return nil }
      let largest = max(abs(restriction.lower), abs(restriction.upper))
      guard largest > Self.suspectRevoluteLimit else { return nil }
      let bounds =
        restriction.lower == restriction.upper
        ? "is locked at \(restriction.lower) rad"
        : "is held within \(restriction.lower)…\(restriction.upper) rad"
      return "joint '\(joint.name)' \(bounds), " + String(format: "%.1f", largest / (2 * .pi))
        + " turns; written in degrees? (joint values are radians)"
    }
  }

  /// Whether a target position lies so far beyond the arm (ten times its reach, and 20 m) that it
  /// looks written in millimetres (``ReachSphere/suggestsMillimetres(_:)``, with the sphere worked
  /// out on each call: keep it for many targets).
  ///
  /// - Parameter position: metres in the base frame.
  public func looksLikeMillimetres(_ position: Vector3) -> Bool {
    reachSphere.suggestsMillimetres(position)
  }
}
