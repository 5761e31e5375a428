extension RobotModel {
  /// `T_base_tip` for a configuration: the tool pose in the base frame.
  ///
  /// Performs no heap allocation. `jointValues` must hold ``degreesOfFreedom`` values: another
  /// count is a programming error that stops the program with a message naming both counts, as an
  /// array index out of range does (more values were otherwise read as their first ones). Check
  /// user input first with ``RobotModel/checkConfiguration(_:)``, which throws.
  ///
  /// - Parameter jointValues: one value per movable joint, radians or metres.
  /// - Returns: `T_base_tip`, which maps points in the tool frame to the base frame.
  @inlinable public func tipPose(at jointValues: [Double]) -> Transform3 {
    precondition(jointValues.count == chain.count, wrongCount(jointValues.count, in: "tipPose(at:)"))
    return Self.tipPose(chain: chain, T_lastAxis_tip: T_lastAxis_tip, at: jointValues)
  }

  /// The product behind ``tipPose(at:)``, for a caller that holds the chain without the robot
  /// (``SharedForwardKinematics``).
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @inlinable @inline(__always) static func tipPose(
    chain: [ChainLink], T_lastAxis_tip: Transform3, at jointValues: [Double]
  ) -> Transform3 {
    guard !chain.isEmpty else { return T_lastAxis_tip }
    // Through the axis frames (ChainLink). The first link starts the product: a multiplication by
    // the identity is a seventh of the work.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    var T_base_linkAxis = chain[0].T_previousAxis_movedAxis(jointValues[0])
    for index in chain.indices.dropFirst() {
      T_base_linkAxis = T_base_linkAxis * chain[index].T_previousAxis_movedAxis(jointValues[index])
    }
    return T_base_linkAxis * T_lastAxis_tip
  }

  /// The tool point in the base frame, in metres.
  ///
  /// - Parameter jointValues: one value per movable joint, radians or metres.
  /// - Returns: the translation of ``tipPose(at:)``.
  @inlinable public func tipPosition(at jointValues: [Double]) -> Vector3 {
    tipPose(at: jointValues).translation
  }

  /// `T_base_joint` for every movable joint (its frame before its own motion), then `T_base_tip`.
  ///
  /// For drawing and inspection; allocates its result. `jointValues` must hold
  /// ``degreesOfFreedom`` values, as for ``tipPose(at:)``.
  ///
  /// - Parameter jointValues: one value per movable joint, radians or metres.
  /// - Returns: ``degreesOfFreedom`` + 1 transforms, base outwards.
  public func jointFrames(at jointValues: [Double]) -> [Transform3] {
    precondition(jointValues.count == chain.count, wrongCount(jointValues.count, in: "jointFrames(at:)"))
    var frames: [Transform3] = []
    frames.reserveCapacity(chain.count + 1)
    // swift-format-ignore: AlwaysUseLowerCamelCase
    var T_base_link = Transform3.identity
    for index in chain.indices {
      // swift-format-ignore: AlwaysUseLowerCamelCase
      let T_base_joint = T_base_link * chain[index].T_previous_joint
      frames.append(T_base_joint)
      T_base_link = T_base_joint * chain[index].motion(jointValues[index])
    }
    frames.append(T_base_link * T_lastMovable_tip)
    return frames
  }

  /// Checks that a configuration has the right size and finite values within ±1e6
  /// (``RobotLimits/jointValue``). Values outside the joints' limits pass: a robot's reading may
  /// lie just past one, and solvers start from the configuration clamped into them.
  ///
  /// - Parameter jointValues: a configuration from outside (a caller, a file, a request).
  /// - Throws: ``IKError/wrongDimension(what:expected:got:)``, ``IKError/nonFinite(_:)`` or
  ///   ``IKError/invalidConfiguration(_:)``.
  public func checkConfiguration(_ jointValues: [Double]) throws(IKError) {
    guard jointValues.count == degreesOfFreedom else {
      throw .wrongDimension(
        what: "joint configuration", expected: degreesOfFreedom, got: jointValues.count)
    }
    guard jointValues.allSatisfy(\.isFinite) else {
      throw .nonFinite("joint configuration \(jointValues)")
    }
    // No joint's limits reach beyond ±1e6 (``RobotLimits/jointValue``): a continuous joint at
    // 1e300 rad would keep its start and answer with an angle that has no digit left below a turn.
    if let index = jointValues.firstIndex(where: { abs($0) > RobotLimits.jointValue }) {
      let joint = movableJoints[index]
      let unit = joint.type == .prismatic ? "m" : "rad"
      throw .invalidConfiguration(
        "joint '\(joint.name)' = \(jointValues[index]) \(unit) in the joint configuration lies beyond "
          + "±\(Int(RobotLimits.jointValue)) \(unit), where no joint can be; give a value near its limits")
    }
  }

  /// The message of a configuration of the wrong size passed to a kinematics function.
  @usableFromInline func wrongCount(_ count: Int, in function: String) -> String {
    "\(function): \(count) joint values for the \(chain.count) movable joints of '\(name)'"
  }
}
