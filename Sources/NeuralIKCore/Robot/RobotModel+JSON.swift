import Foundation

extension RobotModel {
  /// The `format` value of the robot files this version reads and writes.
  public static let jsonFormat = "neural-ik-robot/1"

  /// Reads a robot from the JSON robot file format (see `Docs/RobotFormat.md`).
  ///
  /// - Parameter data: the file's bytes.
  /// - Throws: ``RobotModelError`` naming the field and the problem: malformed JSON, a missing or
  ///   unknown key, a wrong type, an unknown joint type, a non-finite number, a zero axis,
  ///   lower > upper, no movable joint.
  public init(json data: Data) throws(RobotModelError) {
    let root = try JSONValue.parse(data)
    let top = try JSONField(value: root, path: "").object(allowedKeys: [
      "format", "name", "description", "joints", "tool",
    ])
    guard let format = top["format"] else {
      throw RobotModelError(field: "format", problem: "missing; expected \"\(Self.jsonFormat)\"")
    }
    guard try format.string() == Self.jsonFormat else {
      throw format.fail("unsupported format \"\(try format.string())\"; expected \"\(Self.jsonFormat)\"")
    }
    guard let nameField = top["name"] else {
      throw RobotModelError(field: "name", problem: "missing; give the robot a name")
    }
    let name = try nameField.string()
    _ = try top["description"]?.string()
    guard let jointsField = top["joints"] else {
      throw RobotModelError(field: "joints", problem: "missing; list the joints from the base outwards")
    }
    let joints = try jointsField.array().map(Self.joint(from:))
    let tool = try top["tool"].map(Self.transform(from:)) ?? .identity
    try self.init(name: name, joints: joints, tool: tool)
  }

  /// Reads a robot file from disk.
  ///
  /// - Parameter url: a JSON robot file (`format` ``jsonFormat``).
  /// - Throws: ``RobotModelError`` when the file cannot be read or is not a valid robot.
  public init(contentsOf url: URL) throws(RobotModelError) {
    let data = try Self.fileData(url, what: "robot file")
    try self.init(json: data)
  }

  private static func joint(from field: JSONField) throws(RobotModelError) -> Joint {
    let keys = try field.object(allowedKeys: ["name", "type", "origin", "axis", "limits"])
    guard let nameField = keys["name"] else { throw field.fail("missing 'name'") }
    let name = try nameField.string()
    guard let typeField = keys["type"] else {
      throw field.fail("joint '\(name)' is missing 'type'")
    }
    let typeName = try typeField.string()
    guard let type = JointType(rawValue: typeName) else {
      throw typeField.fail(
        "unknown joint type '\(typeName)'; expected one of: \(JointType.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    let origin = try keys["origin"].map(transform(from:)) ?? .identity
    var axis = Vector3(0, 0, 1)
    if let axisField = keys["axis"] {
      guard type != .fixed else { throw axisField.fail("a fixed joint takes no axis") }
      axis = try axisField.vector3()
      guard !axis.isFinite || axis.direction != nil else {
        throw axisField.fail("is the zero vector; give the direction of motion")
      }
    } else if type.isMovable {
      throw field.fail("joint '\(name)' is missing 'axis'")
    }
    var limits: JointLimits?
    if let limitsField = keys["limits"] {
      let bounds = try limitsField.object(allowedKeys: ["lower", "upper"])
      guard let lower = bounds["lower"], let upper = bounds["upper"] else {
        throw limitsField.fail("needs both 'lower' and 'upper'")
      }
      limits = JointLimits(lower: try lower.number(), upper: try upper.number())
    }
    return Joint(name: name, type: type, origin: origin, axis: axis, limits: limits)
  }

  private static func transform(from field: JSONField) throws(RobotModelError) -> Transform3 {
    let keys = try field.object(allowedKeys: ["xyz", "rpy"])
    let xyz = try keys["xyz"]?.vector3() ?? .zero
    let rpy = try keys["rpy"]?.vector3() ?? .zero
    return Transform3(xyz: xyz, rpy: rpy)
  }

}
