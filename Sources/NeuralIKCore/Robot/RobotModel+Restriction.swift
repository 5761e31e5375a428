/// One joint held tighter than the robot allows, for one request: locked at a value
/// (`lower == upper`) or kept within a safety envelope inside its limits.
public struct JointRestriction: Sendable, Hashable, Codable {
  /// The movable joint's name.
  public var joint: String
  /// Radians or metres, as the joint moves.
  public var lower: Double
  /// The highest value allowed, radians or metres; equal to ``lower`` for a locked joint.
  public var upper: Double

  /// A restriction of `joint` to `lower...upper`; ``RobotModel/restricted(_:)`` checks it.
  ///
  /// - Parameters:
  ///   - joint: the movable joint's name.
  ///   - lower: the lowest value allowed, within the joint's limits.
  ///   - upper: the highest value allowed, at least `lower`.
  public init(joint: String, lower: Double, upper: Double) {
    self.joint = joint
    self.lower = lower
    self.upper = upper
  }

  /// The joint locked at `value`.
  ///
  /// - Parameters:
  ///   - joint: the movable joint's name.
  ///   - value: where it stays, radians or metres.
  /// - Returns: a restriction with `lower == upper == value`.
  public static func lock(_ joint: String, at value: Double) -> JointRestriction {
    JointRestriction(joint: joint, lower: value, upper: value)
  }
}

/// Why a ``JointRestriction`` cannot apply to a robot.
public struct JointRestrictionError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The joint, what was wrong and what the joint accepts.
  public var description: String
}

extension RobotModel {
  /// This robot with the restricted joints' limits replaced: the same chain, limits no wider than
  /// the robot's own (its ``fingerprint`` changes with them). A continuous joint becomes a revolute
  /// one with the given limits.
  ///
  /// - Parameter restrictions: at most one per movable joint; empty returns this robot unchanged.
  /// - Returns: the restricted robot.
  /// - Throws: ``JointRestrictionError`` naming the joint and what it accepts: an unknown or fixed
  ///   joint, a joint restricted twice, non-finite or unordered bounds, or bounds outside the
  ///   joint's own limits.
  public func restricted(_ restrictions: [JointRestriction]) throws(JointRestrictionError) -> RobotModel {
    guard !restrictions.isEmpty else { return self }
    var joints = self.joints
    var seen = Set<String>()
    for restriction in restrictions {
      let name = restriction.joint
      guard let index = joints.firstIndex(where: { $0.name == name && $0.type.isMovable }) else {
        let movable = movableJoints.map(\.name).joined(separator: ", ")
        // A URDF's fixed joints stay in the chain: one named is known, and cannot move anyway.
        let problem =
          joints.contains { $0.name == name }
          ? "joint '\(name)' is fixed, so it never moves and takes no lock or limits"
          : "unknown joint \(name.quotedExcerpt)"
        throw JointRestrictionError(description: "\(problem); the movable joints are: \(movable)")
      }
      guard seen.insert(name).inserted else {
        throw JointRestrictionError(description: "joint '\(name)' is restricted twice; give it once")
      }
      let (lower, upper) = (restriction.lower, restriction.upper)
      guard lower.isFinite, upper.isFinite, lower <= upper else {
        throw JointRestrictionError(
          description: "joint '\(name)': bounds \(lower):\(upper) must be finite with lower ≤ upper")
      }
      if let limits = joints[index].limits {
        guard lower >= limits.lower, upper <= limits.upper else {
          // A lock is one value: say it as one.
          let asked = lower == upper ? "the value \(lower)" : "\(lower):\(upper)"
          throw JointRestrictionError(
            description:
              "joint '\(name)': \(asked) leaves its limits \(limits.lower):\(limits.upper); give values within them"
          )
        }
      }
      if joints[index].limits == nil, max(abs(lower), abs(upper)) > RobotLimits.jointValue {
        throw JointRestrictionError(
          description:
            "joint '\(name)' (continuous): \(lower):\(upper) lies beyond ±\(Int(RobotLimits.jointValue)) rad, where no joint can be; give values within a few turns of 0"
        )
      }
      if joints[index].type == .continuous { joints[index].type = .revolute }
      joints[index].limits = JointLimits(lower: lower, upper: upper)
    }
    do {
      return try RobotModel(name: self.name, joints: joints, tool: tool)
    } catch {
      throw JointRestrictionError(description: "\(error)")
    }
  }
}

extension JointRestriction {
  /// `requested` inside `envelope` (a standing safety envelope, such as `serve --lock/--limits`): a
  /// joint in both keeps the request's bounds, which must lie within the envelope's; a joint in
  /// one of them keeps its own. A request can narrow the envelope, never widen or leave it.
  ///
  /// - Parameters:
  ///   - envelope: the standing restrictions (a joint given twice must hold both).
  ///   - requested: one request's restrictions (``RobotModel/restricted(_:)`` checks them after).
  /// - Returns: the restrictions that hold for the request.
  /// - Throws: ``JointRestrictionError`` naming the joint whose requested bounds leave the envelope.
  public static func narrowing(_ envelope: [JointRestriction], by requested: [JointRestriction])
    throws(JointRestrictionError) -> [JointRestriction]
  {
    for asked in requested {
      // Every standing entry of the joint holds (``RobotModel/restricted(_:)`` refuses an envelope
      // that gives one twice, but a library caller's may).
      for standing in envelope where standing.joint == asked.joint {
        guard asked.lower < standing.lower || asked.upper > standing.upper else { continue }
        func text(_ r: JointRestriction) -> String {
          r.lower == r.upper ? "locked at \(r.lower)" : "\(r.lower):\(r.upper)"
        }
        throw JointRestrictionError(
          description:
            "joint '\(asked.joint)': \(text(asked)) leaves the standing envelope (\(text(standing))); give bounds within it"
        )
      }
    }
    return envelope.filter { standing in !requested.contains { $0.joint == standing.joint } } + requested
  }
}
