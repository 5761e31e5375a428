import Foundation

/// One `<joint>` of a URDF file, as written: nothing here has been checked against the chain yet.
struct URDFJoint: Sendable {
  /// URDF's joint types; NeuralIK can solve the first four.
  enum Kind: String, Sendable, CaseIterable {
    case revolute, continuous, prismatic, fixed, floating, planar
  }

  let name: String
  let kind: Kind
  private(set) var parent: String
  private(set) var child: String
  /// `T_parent_joint` from `<origin xyz rpy>` (metres, radians); identity when absent.
  private(set) var origin: Transform3
  /// `<axis xyz>` in the joint frame, or `nil` when absent (URDF's default is x).
  let axis: Vector3?
  /// Whether a `<limit>` element is present, and its `lower` and `upper` (radians or metres).
  let hasLimit: Bool
  let lower: Double?
  let upper: Double?
  /// The joint named by `<mimic joint>` (empty if unnamed), when this joint copies another's motion.
  let mimics: String?
  /// The line of the `<joint>` start tag.
  let line: Int

  /// The field name used in errors about this joint.
  var field: String { "joint '\(name)'" }

  /// This fixed joint walked from its child to its parent (`T_child_parent`): the way from a base
  /// that hangs off the chain by fixed joints (UR's `base` below `base_link`) up to the chain.
  var reversed: URDFJoint {
    var joint = self
    (joint.parent, joint.child) = (child, parent)
    joint.origin = origin.inverse
    return joint
  }

  init(_ element: URDFElement) throws(RobotModelError) {
    line = element.line
    guard let name = element.attributes["name"], !name.isEmpty else {
      throw RobotModelError(
        field: "joint at line \(element.line)", problem: "missing 'name' attribute; every joint needs a name")
    }
    self.name = name
    let field = "joint '\(name)'"
    guard let typeName = element.attributes["type"] else {
      throw RobotModelError(
        field: field,
        problem: "missing 'type' attribute; expected one of: \(Self.typeList)")
    }
    guard let kind = Kind(rawValue: typeName) else {
      throw RobotModelError(
        field: field, problem: "unknown joint type '\(typeName)'; expected one of: \(Self.typeList)")
    }
    self.kind = kind
    // A reader keeps the first of two <limit>s (or <origin>s, …) and ignores the other without a
    // word, and which one the author meant is unknown (as with a JSON key given twice).
    for tag in ["parent", "child", "origin", "axis", "limit", "mimic"] {
      let given = element.children(named: tag)
      guard given.count < 2 else {
        throw RobotModelError(
          field: field,
          problem: "<\(tag)> is given twice (lines \(given[0].line) and \(given[1].line)); give it once")
      }
    }
    parent = try Self.linkReference("parent", of: element, field: field)
    child = try Self.linkReference("child", of: element, field: field)

    let originElement = element.child(named: "origin")
    let xyz = try originElement?.attributes["xyz"].map { text throws(RobotModelError) in
      try Self.vector(text, "origin xyz", field)
    }
    let rpy = try originElement?.attributes["rpy"].map { text throws(RobotModelError) in
      try Self.vector(text, "origin rpy", field)
    }
    origin = Transform3(xyz: xyz ?? .zero, rpy: rpy ?? .zero)

    if let axisElement = element.child(named: "axis") {
      guard let text = axisElement.attributes["xyz"] else {
        throw RobotModelError(
          field: field, problem: "<axis> has no 'xyz' attribute; give the direction, e.g. xyz=\"0 0 1\"")
      }
      axis = try Self.vector(text, "axis xyz", field)
    } else {
      axis = nil
    }

    let limitElement = element.child(named: "limit")
    hasLimit = limitElement != nil
    lower = try limitElement?.attributes["lower"].map { text throws(RobotModelError) in
      try Self.scalar(text, "limit lower", field)
    }
    upper = try limitElement?.attributes["upper"].map { text throws(RobotModelError) in
      try Self.scalar(text, "limit upper", field)
    }

    if let mimicElement = element.child(named: "mimic") {
      mimics = mimicElement.attributes["joint"] ?? ""
    } else {
      mimics = nil
    }
  }

  private static var typeList: String { Kind.allCases.map(\.rawValue).joined(separator: ", ") }

  private static func linkReference(_ role: String, of element: URDFElement, field: String)
    throws(RobotModelError) -> String
  {
    guard let reference = element.child(named: role) else {
      throw RobotModelError(
        field: field, problem: "missing <\(role) link=\"…\"/>; a joint connects two links")
    }
    guard let link = reference.attributes["link"], !link.isEmpty else {
      throw RobotModelError(field: field, problem: "<\(role)> has no 'link' attribute; name the \(role) link")
    }
    return link
  }

  /// Three numbers separated by whitespace, as URDF writes vectors.
  private static func vector(_ text: String, _ what: String, _ field: String) throws(RobotModelError)
    -> Vector3
  {
    let tokens = text.split(whereSeparator: \.isWhitespace)
    guard tokens.count == 3 else {
      throw RobotModelError(field: field, problem: "\(what) needs 3 numbers, found \(tokens.count)")
    }
    let values = try tokens.map { token throws(RobotModelError) in try number(String(token), what, field) }
    return Vector3(values[0], values[1], values[2])
  }

  private static func scalar(_ text: String, _ what: String, _ field: String) throws(RobotModelError)
    -> Double
  {
    try number(text.trimmingCharacters(in: .whitespacesAndNewlines), what, field)
  }

  private static func number(_ token: String, _ what: String, _ field: String) throws(RobotModelError)
    -> Double
  {
    guard let value = Double(decimal: token) else {
      // `${pi/2}` is xacro's, left unexpanded: the number is what xacro would make of it.
      if token.contains("${") || token.contains("$(") {
        throw RobotModelError(
          field: field,
          problem: "\(what): '\(token)' is an unexpanded xacro expression; "
            + "run `xacro robot.urdf.xacro > robot.urdf` and load the result")
      }
      throw RobotModelError(field: field, problem: "\(what): '\(token)' is not a number")
    }
    guard value.isFinite else {
      throw RobotModelError(field: field, problem: "\(what): '\(token)' is not a finite number")
    }
    return value
  }
}
