import Foundation

extension RobotModel {
  /// Reads the serial chain from `base` to `tip` out of a URDF file (see `Docs/URDF.md`).
  ///
  /// The chain's joints become the model's joints in order, fixed ones included, with an identity
  /// tool, so ``tipPose(at:)`` is `T_base_tip`. Joints off the chain (a gripper's fingers, sensor
  /// mounts) are ignored, whatever their type. A `continuous` joint becomes
  /// ``JointType/continuous`` with no limits; `revolute` and `prismatic` keep their `<limit>`
  /// (radians, metres).
  ///
  /// - Parameters:
  ///   - data: the URDF document (plain URDF; expand xacro files first).
  ///   - base: the link the chain starts from; default the tree's root link.
  ///   - tip: the link the chain ends at; default the one leaf link below `base`.
  /// - Throws: ``RobotModelError`` naming the element and the problem: malformed XML (with its
  ///   line), no `<robot>` root, a joint without name, type, parent or child, an unknown link, a
  ///   link with two parent joints, a cycle, an unknown or unreachable base or tip, several leaves
  ///   and no tip, a malformed or non-finite number, missing limits, lower > upper, a zero axis,
  ///   or a mimic, floating or planar joint on the chain.
  public init(urdf data: Data, base: String? = nil, tip: String? = nil) throws(RobotModelError) {
    let tree = try URDFTree(try URDFDocument(data: data))
    let baseLink = try tree.base(named: base)
    let tipLink = try tree.tip(named: tip, below: baseLink)
    let joints = try tree.chain(from: baseLink, to: tipLink).map(Self.joint(from:))
    // Said in the file's terms: RobotModel alone would advise adding a joint.
    guard joints.contains(where: \.type.isMovable) else {
      throw RobotModelError(
        field: "tip",
        problem:
          "no joint between base '\(baseLink)' and tip '\(tipLink)' moves (all \(joints.count) are fixed); "
          + "choose a base nearer the root or a tip further out")
    }
    try self.init(name: tree.document.robotName, joints: joints, tool: .identity)
  }

  /// Reads the serial chain from `base` to `tip` out of a URDF file on disk.
  ///
  /// - Parameters:
  ///   - url: the URDF file.
  ///   - base: the link the chain starts from; default the tree's root link.
  ///   - tip: the link the chain ends at; default the one leaf link below `base`.
  /// - Throws: ``RobotModelError`` when the file cannot be read or its chain is not a valid robot.
  public init(urdfContentsOf url: URL, base: String? = nil, tip: String? = nil) throws(RobotModelError) {
    let data = try Self.fileData(url, what: "URDF file")
    try self.init(urdf: data, base: base, tip: tip)
  }

  /// One chain joint as the model needs it; refuses what NeuralIK cannot solve.
  private static func joint(from urdf: URDFJoint) throws(RobotModelError) -> Joint {
    let type: JointType
    switch urdf.kind {
    case .revolute: type = .revolute
    case .continuous: type = .continuous
    case .prismatic: type = .prismatic
    case .fixed: type = .fixed
    case .floating, .planar:
      let freedom = urdf.kind == .floating ? "6 degrees of freedom" : "motion in a plane"
      throw RobotModelError(
        field: urdf.field,
        problem: "is a \(urdf.kind.rawValue) joint (\(freedom)) on the chain; NeuralIK solves revolute, "
          + "continuous, prismatic and fixed joints only")
    }
    if type.isMovable, let leader = urdf.mimics {
      throw RobotModelError(
        field: urdf.field,
        problem: "is a mimic joint\(leader.isEmpty ? "" : " (it copies '\(leader)')") on the chain; "
          + "NeuralIK solves independent joints only, so choose a tip before it")
    }
    var limits: JointLimits?
    if type == .revolute || type == .prismatic {
      let unit = type == .revolute ? "radians" : "metres"
      guard urdf.hasLimit else {
        throw RobotModelError(
          field: urdf.field,
          problem: "a \(type.rawValue) joint needs <limit lower=\"…\" upper=\"…\"/> (\(unit)); "
            + "use type=\"continuous\" for a joint that turns without limits")
      }
      // URDF's own default for either is 0 (a gripper finger or a rail often gives only `upper`,
      // and ROS reads it so); neither given would be a joint that cannot move, more likely a
      // slip than meant.
      guard urdf.lower != nil || urdf.upper != nil else {
        throw RobotModelError(
          field: urdf.field,
          problem: "<limit> gives neither 'lower' nor 'upper' (\(unit)); URDF reads both as 0, a joint "
            + "that cannot move: give its range")
      }
      let (lower, upper) = (urdf.lower ?? 0, urdf.upper ?? 0)
      guard lower <= upper || (urdf.lower != nil && urdf.upper != nil) else {
        let missing = urdf.lower == nil ? "lower" : "upper"
        throw RobotModelError(
          field: urdf.field,
          problem: "<limit> leaves out '\(missing)', which URDF reads as 0, and 0 is on the wrong side of "
            + "the other limit (\(urdf.lower ?? urdf.upper ?? 0)): give both (\(unit))")
      }
      limits = JointLimits(lower: lower, upper: upper)
    }
    // URDF's default axis is x; a fixed joint's axis means nothing, so keep Joint's default there.
    let axis = type.isMovable ? urdf.axis ?? Vector3(1, 0, 0) : Vector3(0, 0, 1)
    return Joint(name: urdf.name, type: type, origin: urdf.origin, axis: axis, limits: limits)
  }
}
