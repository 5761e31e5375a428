import Foundation

/// A serial kinematic chain: joints from the base to the last link, then a fixed tool offset.
///
/// The model is an immutable value. Building one validates it: every number finite, every axis
/// non-zero (it is normalised), every limit ordered, joint names unique, at least one movable joint.
public struct RobotModel: Sendable, Hashable {
  /// The robot's name, as its file gives it.
  public let name: String
  /// Every joint from the base outwards, fixed ones included.
  public let joints: [Joint]
  /// `T_lastLink_tip`: the tool point in the frame of the last joint.
  public let tool: Transform3
  /// The movable joints, in chain order: their values form a configuration.
  public let movableJoints: [Joint]
  /// The kinematic chain as forward kinematics walks it (fixed joints folded in).
  @usableFromInline let chain: [ChainLink]
  /// `T_lastMovable_tip`: fixed joints after the last movable one, then the tool.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @usableFromInline let T_lastMovable_tip: Transform3
  /// `T_lastMovable_tip` from the last joint's axis frame (``ChainLink/R_joint_axis``).
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @usableFromInline let T_lastAxis_tip: Transform3

  /// Whether `text` holds a control character or a bidirectional text control
  /// (`Unicode.Scalar.isControlOrBidiControl`), which no name may hold.
  package static func hasControlCharacter(_ text: String) -> Bool {
    text.unicodeScalars.contains(where: \.isControlOrBidiControl)
  }

  /// Creates and validates a robot model.
  ///
  /// - Parameters:
  ///   - name: the robot's name.
  ///   - joints: every joint from the base outwards, fixed ones included; at least one movable.
  ///   - tool: `T_lastLink_tip`, the tool point in the last joint's frame.
  /// - Throws: ``RobotModelError`` naming the joint and the problem.
  public init(name: String, joints: [Joint], tool: Transform3 = .identity) throws(RobotModelError) {
    guard joints.count <= RobotLimits.joints else {
      throw RobotModelError(
        field: "joints", problem: "\(joints.count) joints; a robot may have at most \(RobotLimits.joints)")
    }
    let movable = joints.filter(\.type.isMovable).count
    guard movable <= RobotLimits.movableJoints else {
      throw RobotModelError(
        field: "joints",
        problem: "\(movable) movable joints; a robot may have at most \(RobotLimits.movableJoints)")
    }
    guard !Self.hasControlCharacter(name) else {
      throw RobotModelError(
        field: "name",
        problem:
          "contains a control character (a line break, tab, escape or bidirectional text control); give a printable name"
      )
    }
    var seen = Set<String>()
    var normalised: [Joint] = []
    for (index, var joint) in joints.enumerated() {
      // Named as a person finds it in either format (a URDF has no joint indices).
      let field = "joint '\(joint.name)'"
      guard !joint.name.isEmpty else {
        throw RobotModelError(field: "joints[\(index)].name", problem: "must not be empty")
      }
      // A joint's name heads a column of CSV output and is printed to terminals: a line break
      // would split the header, an escape sequence would drive the terminal.
      guard !Self.hasControlCharacter(joint.name) else {
        throw RobotModelError(
          field: "joint \"\(joint.name.escapingControls)\"",
          problem:
            "its name contains a control character (a line break, tab, escape or bidirectional text control); give a printable name"
        )
      }
      guard seen.insert(joint.name).inserted else {
        throw RobotModelError(
          field: field, problem: "duplicate joint name; each joint needs its own name")
      }
      try Self.checkFinite(joint.origin, field: "\(field) origin")
      if joint.type.isMovable {
        guard joint.axis.isFinite else {
          throw RobotModelError(field: "\(field) axis", problem: "has a non-finite component")
        }
        // Any finite non-zero length: a huge axis (1e200 each way) overflowed its length to
        // infinity and turned into NaN.
        guard let unit = joint.axis.direction else {
          throw RobotModelError(
            field: "\(field) axis", problem: "is the zero vector; give the direction of motion")
        }
        joint.axis = unit
      }
      switch joint.type {
      case .revolute, .prismatic:
        guard let limits = joint.limits else {
          throw RobotModelError(
            field: "\(field) limits",
            problem: "a \(joint.type.rawValue) joint needs lower and upper limits")
        }
        guard limits.lower.isFinite, limits.upper.isFinite else {
          throw RobotModelError(field: "\(field) limits", problem: "limits must be finite numbers")
        }
        guard limits.lower <= limits.upper else {
          throw RobotModelError(
            field: "\(field) limits",
            problem: "lower limit \(limits.lower) > upper limit \(limits.upper)")
        }
        let magnitude = max(abs(limits.lower), abs(limits.upper))
        guard magnitude <= RobotLimits.jointValue else {
          let unit = joint.type == .prismatic ? "m" : "rad"
          let advice =
            joint.type == .prismatic
            ? "are the limits in metres?" : "a joint that turns without limit is 'continuous'"
          throw RobotModelError(
            field: "\(field) limits",
            problem:
              "a limit of \(magnitude) \(unit); limits may be at most ±\(RobotLimits.jointValue) \(unit) "
              + "(\(advice))")
        }
      case .continuous, .fixed:
        guard joint.limits == nil else {
          throw RobotModelError(
            field: "\(field) limits",
            problem: "a \(joint.type.rawValue) joint takes no limits (use 'revolute' for a limited one)")
        }
      }
      normalised.append(joint)
    }
    guard normalised.contains(where: { $0.type.isMovable }) else {
      throw RobotModelError(
        field: "joints",
        problem: "the chain has no movable joint; add a revolute, continuous or prismatic joint")
    }
    try Self.checkFinite(tool, field: "tool")

    self.name = name
    self.joints = normalised
    self.tool = tool
    self.movableJoints = normalised.filter { $0.type.isMovable }
    var links: [ChainLink] = []
    var pending = Transform3.identity
    // swift-format-ignore: AlwaysUseLowerCamelCase
    var R_previous_previousAxis = Rotation3.identity
    for joint in normalised {
      pending = pending * joint.origin
      if joint.type.isMovable {
        let link = ChainLink(
          T_previous_joint: pending, axis: joint.axis, isPrismatic: joint.type == .prismatic,
          R_previous_previousAxis: R_previous_previousAxis)
        links.append(link)
        R_previous_previousAxis = link.R_joint_axis
        pending = .identity
      }
    }
    self.chain = links
    self.T_lastMovable_tip = pending * tool
    self.T_lastAxis_tip = Transform3(rotation: R_previous_previousAxis.transposed) * T_lastMovable_tip
    // Each offset may be long, but an arm that reaches farther than a tenth of the farthest target
    // has poses, and points about its reach, that no target can name (a data set's FK of such an
    // arm stopped the program).
    guard reachBound <= RobotLimits.reach else {
      throw RobotModelError(
        field: "joints",
        problem:
          "the chain reaches up to \(reachBound) m from its base (its offsets and prismatic travel "
          + "added up); a robot may reach at most \(RobotLimits.reach) m, a tenth of the farthest "
          + "target (±\(IKTarget.maximumCoordinate) m): are the lengths in metres?")
    }
  }

  /// An upper bound of the tool point's distance from the base origin over every configuration,
  /// in metres: the lengths of every fixed offset along the chain and the longest travel of every
  /// prismatic joint, added up (the triangle inequality). A position farther than this is out of
  /// reach for certain.
  public var reachBound: Double {
    var bound = T_lastMovable_tip.translation.length
    for (link, joint) in zip(chain, movableJoints) {
      bound += link.T_previous_joint.translation.length
      if link.isPrismatic, let limits = joint.limits { bound += max(abs(limits.lower), abs(limits.upper)) }
    }
    return bound
  }

  /// The number of joint values in a configuration.
  public var degreesOfFreedom: Int { chain.count }

  /// The movable joints that can move: all but those held at one value by equal limits (a pinned
  /// joint, or one a lock restricted). Continuous joints count.
  public var freeJointCount: Int { movableJoints.filter { ($0.limits?.range ?? 1) > 0 }.count }

  /// The limits of each movable joint; continuous joints get `nil`.
  public var limits: [JointLimits?] { movableJoints.map(\.limits) }

  /// The configuration in the middle of every limit (0 for continuous joints).
  public var middleConfiguration: [Double] { movableJoints.map { $0.limits?.middle ?? 0 } }

  /// `true` when every value of `jointValues` lies within its limits (widened by `tolerance`).
  ///
  /// - Parameters:
  ///   - jointValues: one value per movable joint, radians or metres.
  ///   - tolerance: how far outside a limit still counts as inside.
  /// - Returns: `false` also for the wrong count or a non-finite value.
  public func isWithinLimits(_ jointValues: [Double], tolerance: Double = 0) -> Bool {
    guard jointValues.count == degreesOfFreedom else { return false }
    for (value, joint) in zip(jointValues, movableJoints) {
      guard value.isFinite else { return false }
      if let limits = joint.limits, !limits.contains(value, tolerance: tolerance) { return false }
    }
    return true
  }

  /// Each joint value moved into its limits.
  ///
  /// - Parameter jointValues: one value per movable joint, radians or metres.
  /// - Returns: the values, each clamped to its limits (continuous joints unchanged).
  public func clampedToLimits(_ jointValues: [Double]) -> [Double] {
    zip(jointValues, movableJoints).map { value, joint in joint.limits?.clamp(value) ?? value }
  }

  private static func checkFinite(_ transform: Transform3, field: String) throws(RobotModelError) {
    let r = transform.rotation
    let t = transform.translation
    guard t.isFinite else {
      throw RobotModelError(field: "\(field) xyz", problem: "has a non-finite component")
    }
    guard max(abs(t.x), abs(t.y), abs(t.z)) <= RobotLimits.length else {
      throw RobotModelError(
        field: "\(field) xyz",
        problem: "an offset of \(max(abs(t.x), abs(t.y), abs(t.z))) m; an offset may be at most "
          + "\(RobotLimits.length) m (are the lengths in metres?)")
    }
    guard r.row0.isFinite, r.row1.isFinite, r.row2.isFinite else {
      throw RobotModelError(field: "\(field) rpy", problem: "has a non-finite component")
    }
    // A matrix built in code may be no rotation at all (a scale, a zero, a mirror); rpy angles
    // always give one, orthonormal to rounding.
    let product = r * r.transposed
    let deviation =
      [
        product.row0 - Vector3(1, 0, 0), product.row1 - Vector3(0, 1, 0), product.row2 - Vector3(0, 0, 1),
      ].map { max(abs($0.x), abs($0.y), abs($0.z)) }.max() ?? 0
    let determinant = r.row0.dot(r.row1.cross(r.row2))
    guard deviation <= 1e-6, determinant > 0 else {
      throw RobotModelError(
        field: "\(field) rotation",
        problem:
          "is not a rotation (R·Rᵀ differs from the identity by \(deviation), determinant \(determinant)); "
          + "give an orthonormal matrix with determinant +1, as rpy angles give")
    }
  }
}

/// One movable joint as forward kinematics uses it.
///
/// Forward kinematics runs through the joints' *axis frames*: each joint's frame turned about its
/// origin so that its axis is z (`R_joint_axis`; the identity for a joint about z, as URDFs mostly
/// declare them). A revolute motion is then a turn about z, which mixes two columns (12 products)
/// instead of building a Rodrigues rotation; the turn of one link's axis frame is undone in the next
/// link's offset, `T_previousAxis_jointAxis = R_previous_previousAxisᵀ · T_previous_joint ·
/// R_joint_axis`, and in the robot's `T_lastAxis_tip`.
@usableFromInline struct ChainLink: Sendable, Hashable {
  /// From the previous movable joint's moved frame to this joint's frame (fixed joints folded in).
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @usableFromInline let T_previous_joint: Transform3
  @usableFromInline let axis: Vector3
  @usableFromInline let isPrismatic: Bool
  /// This joint's axis frame in its frame: a rotation that takes z to `axis`.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @usableFromInline let R_joint_axis: Rotation3
  /// From the previous joint's moved axis frame to this joint's axis frame.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @usableFromInline let T_previousAxis_jointAxis: Transform3

  // swift-format-ignore: AlwaysUseLowerCamelCase
  init(T_previous_joint: Transform3, axis: Vector3, isPrismatic: Bool, R_previous_previousAxis: Rotation3) {
    self.T_previous_joint = T_previous_joint
    self.axis = axis
    self.isPrismatic = isPrismatic
    let R_joint_axis = Self.axisFrame(axis)
    self.R_joint_axis = R_joint_axis
    T_previousAxis_jointAxis =
      Transform3(rotation: R_previous_previousAxis.transposed) * T_previous_joint
      * Transform3(rotation: R_joint_axis)
  }

  /// A rotation whose third column is the unit `axis`: exactly the identity for z.
  static func axisFrame(_ axis: Vector3) -> Rotation3 {
    if axis == Vector3(0, 0, 1) { return .identity }
    // Any unit vector perpendicular to the axis, then the third of a right-handed frame.
    let x = unitPerpendicular(to: axis)
    let y = axis.cross(x)
    return Rotation3(
      row0: Vector3(x.x, y.x, axis.x), row1: Vector3(x.y, y.y, axis.y), row2: Vector3(x.z, y.z, axis.z))
  }

  /// The joint's own motion for joint value `value`.
  @inlinable func motion(_ value: Double) -> Transform3 {
    isPrismatic
      ? Transform3(translation: axis * value)
      : Transform3(rotation: Rotation3(axis: axis, angle: value))
  }

  /// `T_previousAxis_jointAxis · motion about z`: from the previous joint's moved axis frame to this
  /// joint's moved axis frame, at joint value `value`.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @inlinable @inline(__always) func T_previousAxis_movedAxis(_ value: Double) -> Transform3 {
    let r = T_previousAxis_jointAxis.rotation
    let t = T_previousAxis_jointAxis.translation
    if isPrismatic { return Transform3(rotation: r, translation: t + r.column2 * value) }
    let (s, c) = sineCosine(value)
    // R · Rz(value): the first two columns turn, the third stays.
    return Transform3(
      rotation: Rotation3(
        row0: Vector3(r.row0.x * c + r.row0.y * s, r.row0.y * c - r.row0.x * s, r.row0.z),
        row1: Vector3(r.row1.x * c + r.row1.y * s, r.row1.y * c - r.row1.x * s, r.row1.z),
        row2: Vector3(r.row2.x * c + r.row2.y * s, r.row2.y * c - r.row2.x * s, r.row2.z)),
      translation: t)
  }
}
