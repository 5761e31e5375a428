import Foundation

/// The kinematic content of a URDF file: the robot's name, its links and its joints.
///
/// Reading checks what every consumer of the file relies on: a `<robot name>` root, named links
/// and joints, a known joint type, a parent and a child link, and well-formed numbers in every
/// `origin`, `axis` and `limit` (finite, and three of them where three are needed). What only
/// matters for the chain being solved (limits present, no mimic joint) is checked later, on that
/// chain alone. Visual, collision, inertial, transmission and simulator elements are ignored.
struct URDFDocument: Sendable {
  let robotName: String
  /// Every link name, in document order.
  let links: [String]
  /// Every joint, in document order.
  let joints: [URDFJoint]

  /// Reads a URDF document.
  ///
  /// - Throws: ``RobotModelError`` naming the element and the problem.
  init(data: Data) throws(RobotModelError) {
    guard let root = try URDFElement.parse(data) else {
      throw RobotModelError(field: "", problem: "no <robot> root element; the document is empty")
    }
    guard root.name == "robot" else {
      throw RobotModelError(
        field: "", problem: "no <robot> root element; found <\(root.name)> (a URDF file starts with <robot>)")
    }
    if let macro = Self.firstXacroElement(in: root) {
      throw RobotModelError(
        field: "",
        problem: "unexpanded xacro: <\(macro.name)> at line \(macro.line); "
          + "run `xacro robot.urdf.xacro > robot.urdf` and load the result")
    }
    guard let name = root.attributes["name"] else {
      throw RobotModelError(field: "robot", problem: "missing 'name' attribute; give the robot a name")
    }
    robotName = name

    var linkLines: [String: Int] = [:]
    var links: [String] = []
    for element in root.children(named: "link") {
      guard let linkName = element.attributes["name"], !linkName.isEmpty else {
        throw RobotModelError(
          field: "link at line \(element.line)", problem: "missing 'name' attribute; every link needs a name")
      }
      if let first = linkLines[linkName] {
        throw RobotModelError(
          field: "link '\(linkName)'",
          problem: "defined twice (lines \(first) and \(element.line)); link names must be unique")
      }
      linkLines[linkName] = element.line
      links.append(linkName)
    }
    self.links = links

    var jointLines: [String: Int] = [:]
    var joints: [URDFJoint] = []
    for element in root.children(named: "joint") {
      let joint = try URDFJoint(element)
      if let first = jointLines[joint.name] {
        throw RobotModelError(
          field: "joint '\(joint.name)'",
          problem: "defined twice (lines \(first) and \(joint.line)); joint names must be unique")
      }
      jointLines[joint.name] = joint.line
      joints.append(joint)
    }
    self.joints = joints
  }

  /// The first element in the `xacro:` namespace: a macro file handed over before expansion.
  private static func firstXacroElement(in element: URDFElement) -> URDFElement? {
    if element.name.hasPrefix("xacro:") { return element }
    for child in element.children {
      if let found = firstXacroElement(in: child) { return found }
    }
    return nil
  }
}
