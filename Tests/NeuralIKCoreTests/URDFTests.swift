import Foundation
import NeuralIKCore
import TestSupport
import Testing

@Suite("URDF import")
struct URDFTests {
  /// A valid three-joint URDF (revolute, prismatic, fixed flange); each case below breaks one thing.
  static let valid = """
    <?xml version="1.0"?>
    <robot name="r">
      <link name="base"/>
      <link name="link1"/>
      <link name="link2"/>
      <link name="tool"/>
      <joint name="j1" type="revolute">
        <parent link="base"/>
        <child link="link1"/>
        <origin xyz="0 0 0.1" rpy="0 0 0"/>
        <axis xyz="0 0 1"/>
        <limit lower="-1" upper="1" effort="10" velocity="1"/>
      </joint>
      <joint name="j2" type="prismatic">
        <parent link="link1"/>
        <child link="link2"/>
        <origin xyz="0.2 0 0"/>
        <axis xyz="1 0 0"/>
        <limit lower="0" upper="0.2"/>
      </joint>
      <joint name="flange" type="fixed">
        <parent link="link2"/>
        <child link="tool"/>
        <origin xyz="0 0 0.05" rpy="0.1 0.2 0.3"/>
      </joint>
    </robot>
    """

  static func load(_ text: String, base: String? = nil, tip: String? = nil) throws -> RobotModel {
    try RobotModel(urdf: Data(text.utf8), base: base, tip: tip)
  }

  /// The template with `old` replaced; a typo in `old` leaves it valid, and the case fails.
  static func replacing(_ old: String, with new: String) -> String {
    valid.replacingOccurrences(of: old, with: new)
  }

  @Test("the template loads: chain in order, fixed joints kept, identity tool, FK as written")
  func validFile() throws {
    let robot = try Self.load(Self.valid)
    #expect(robot.name == "r")
    #expect(robot.joints.map(\.name) == ["j1", "j2", "flange"])
    #expect(robot.joints.map(\.type) == [.revolute, .prismatic, .fixed])
    #expect(robot.limits == [JointLimits(lower: -1, upper: 1), JointLimits(lower: 0, upper: 0.2)])
    #expect(robot.tool == .identity)
    // j1 = 0.5 turns the slide's x axis to (cos 0.5, sin 0.5, 0); slide 0.1 adds to the 0.2 offset.
    let tip = robot.tipPosition(at: [0.5, 0.1])
    let expected = Vector3(0.3 * cos(0.5), 0.3 * sin(0.5), 0.1 + 0.05)
    #expect((tip - expected).length < 1e-15)
  }

  @Test("an error naming many links lists twenty and counts the rest: 50,000 leaves made a line of 389 KB")
  func longLists() {
    var text = "<robot name=\"r\"><link name=\"base\"/>"
    for i in 0..<50 {
      text += "<link name=\"l\(i)\"/><joint name=\"j\(i)\" type=\"revolute\"><parent link=\"base\"/>"
      text += "<child link=\"l\(i)\"/><axis xyz=\"0 0 1\"/><limit lower=\"-1\" upper=\"1\"/></joint>"
    }
    text += "</robot>"
    #expect {
      try RobotModel(urdf: Data(text.utf8))
    } throws: { error in
      "\(error)".contains("50 leaf links") && "\(error)".contains(", … and 30 more")
        && "\(error)".count < 1000
    }
  }

  static let broken: [(String, String, String)] = [
    ("not XML", "<robot name=\"r\">\n  <link name=\"a\">\n</robot>\n", "not valid XML at line 3"),
    (
      "unquoted attribute", replacing("<link name=\"link2\"/>", with: "<link name=link2/>"),
      "not valid XML at line 5, column"
    ),
    ("empty document", "", "no <robot> root element; the document is empty"),
    // A reader kept the first and ignored the second without a word.
    (
      "a joint's <limit> given twice",
      replacing(
        "<limit lower=\"-1\"",
        with: "<limit lower=\"-3\" upper=\"3\" effort=\"1\" velocity=\"1\"/><limit lower=\"-1\""),
      "<limit> is given twice (lines"
    ),
    // libxml2's codes, which said only "libxml2 error 80", "libxml2 error 9" and "libxml2 error 81".
    (
      "a UTF-8 file whose declaration says UTF-16",
      replacing("<?xml version=\"1.0\"?>", with: "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"),
      "a URDF is UTF-8"
    ),
    (
      "two hyphens in a comment",
      replacing("<link name=\"link2\"/>", with: "<link name=\"link2\"/><!-- a -- b -->"),
      "'--' inside a comment, which XML does not allow"
    ),
    (
      "a NUL byte in an attribute", replacing("<link name=\"link2\"/>", with: "<link name=\"link\u{0}2\"/>"),
      "a character XML does not allow"
    ),
    (
      "wrong root element", "<sdf version=\"1.6\"><model name=\"m\"/></sdf>",
      "no <robot> root element; found <sdf>"
    ),
    (
      "unexpanded xacro",
      replacing("<link name=\"tool\"/>", with: "<xacro:include filename=\"arm.xacro\"/>")
        .replacingOccurrences(
          of: "<robot name=\"r\">", with: "<robot name=\"r\" xmlns:xacro=\"http://www.ros.org/wiki/xacro\">"),
      "unexpanded xacro: <xacro:include> at line 6; run `xacro"
    ),
    (
      "robot without name", replacing("<robot name=\"r\">", with: "<robot>"),
      "robot: missing 'name' attribute"
    ),
    ("no links", "<robot name=\"r\"/>", "robot: has no <link>"),
    (
      "link without name", replacing("<link name=\"tool\"/>", with: "<link/>"),
      "link at line 6: missing 'name' attribute"
    ),
    (
      "duplicate link", replacing("<link name=\"link2\"/>", with: "<link name=\"link1\"/>"),
      "link 'link1': defined twice (lines 4 and 5); link names must be unique"
    ),
    (
      "joint without name",
      replacing("<joint name=\"j2\" type=\"prismatic\">", with: "<joint type=\"prismatic\">"),
      "joint at line 14: missing 'name' attribute"
    ),
    (
      "joint without type", replacing("<joint name=\"j2\" type=\"prismatic\">", with: "<joint name=\"j2\">"),
      "joint 'j2': missing 'type' attribute; expected one of: revolute, continuous, prismatic, fixed, floating, planar"
    ),
    (
      "unknown joint type", replacing("type=\"prismatic\"", with: "type=\"spherical\""),
      "joint 'j2': unknown joint type 'spherical'; expected one of: revolute"
    ),
    (
      "duplicate joint", replacing("<joint name=\"flange\"", with: "<joint name=\"j2\""),
      "joint 'j2': defined twice (lines 14 and 21)"
    ),
    (
      "joint without parent", replacing("<parent link=\"link1\"/>", with: ""),
      "joint 'j2': missing <parent link=\"…\"/>; a joint connects two links"
    ),
    (
      "joint without child", replacing("<child link=\"link2\"/>", with: ""),
      "joint 'j2': missing <child link=\"…\"/>"
    ),
    (
      "parent without link", replacing("<parent link=\"link1\"/>", with: "<parent/>"),
      "joint 'j2': <parent> has no 'link' attribute"
    ),
    (
      "unknown link", replacing("<child link=\"link2\"/>", with: "<child link=\"link3\"/>"),
      "joint 'j2': child link 'link3' is not defined; links are: base, link1, link2, tool"
    ),
    (
      "link with two parents", replacing("<child link=\"tool\"/>", with: "<child link=\"link1\"/>"),
      "link 'link1': is the child of two joints, 'j1' and 'flange'; URDF links form a tree"
    ),
    (
      "cycle", replacing("<parent link=\"base\"/>", with: "<parent link=\"tool\"/>"),
      "link 'link1': is its own ancestor: link1 → link2 → tool → link1"
    ),
    (
      "several roots",
      replacing("<link name=\"tool\"/>", with: "<link name=\"tool\"/><link name=\"stray\"/>"),
      "base: the links form 2 separate trees with roots base, stray; pass the base link to use (--base"
    ),
    (
      "several leaves", replacing("</robot>", with: Self.cameraBranch + "</robot>"),
      "tip: the tree below 'base' ends in 2 leaf links: camera, tool; pass the tip link to use (--tip"
    ),
    (
      "word for a number", replacing("xyz=\"0.2 0 0\"", with: "xyz=\"0.2 zero 0\""),
      "joint 'j2': origin xyz: 'zero' is not a number"
    ),
    (
      // Swift's Double(String) reads C's hexadecimal floats: this would be a 16 m link.
      "hexadecimal number", replacing("xyz=\"0.2 0 0\"", with: "xyz=\"0x10 0 0\""),
      "joint 'j2': origin xyz: '0x10' is not a number"
    ),
    (
      "infinite number", replacing("xyz=\"0.2 0 0\"", with: "xyz=\"0.2 0 1e999\""),
      "joint 'j2': origin xyz: '1e999' is not a finite number"
    ),
    (
      "an unexpanded xacro expression", replacing("rpy=\"0.1 0.2 0.3\"", with: "rpy=\"0.1 ${pi/2} 0.3\""),
      "joint 'flange': origin rpy: '${pi/2}' is an unexpanded xacro expression; run `xacro"
    ),
    (
      "NaN", replacing("rpy=\"0.1 0.2 0.3\"", with: "rpy=\"0.1 nan 0.3\""),
      "joint 'flange': origin rpy: 'nan' is not a finite number"
    ),
    (
      "two numbers for xyz", replacing("xyz=\"0.2 0 0\"", with: "xyz=\"0.2 0\""),
      "joint 'j2': origin xyz needs 3 numbers, found 2"
    ),
    (
      "four numbers for an axis", replacing("<axis xyz=\"1 0 0\"/>", with: "<axis xyz=\"1 0 0 0\"/>"),
      "joint 'j2': axis xyz needs 3 numbers, found 4"
    ),
    (
      "axis without xyz", replacing("<axis xyz=\"1 0 0\"/>", with: "<axis/>"),
      "joint 'j2': <axis> has no 'xyz' attribute"
    ),
    (
      "limit not a number", replacing("upper=\"0.2\"", with: "upper=\"0.2m\""),
      "joint 'j2': limit upper: '0.2m' is not a number"
    ),
    (
      "revolute without limit",
      replacing("<limit lower=\"-1\" upper=\"1\" effort=\"10\" velocity=\"1\"/>", with: ""),
      "joint 'j1': a revolute joint needs <limit lower=\"…\" upper=\"…\"/> (radians)"
    ),
    (
      "limit with neither lower nor upper",
      replacing("<limit lower=\"0\" upper=\"0.2\"/>", with: "<limit effort=\"1\"/>"),
      "joint 'j2': <limit> gives neither 'lower' nor 'upper' (metres); URDF reads both as 0"
    ),
    (
      "lower alone, above upper's default",
      replacing("<limit lower=\"0\" upper=\"0.2\"/>", with: "<limit lower=\"0.1\"/>"),
      "joint 'j2': <limit> leaves out 'upper', which URDF reads as 0"
    ),
    (
      "lower > upper", replacing("lower=\"-1\" upper=\"1\"", with: "lower=\"2.1\" upper=\"1.9\""),
      "joint 'j1' limits: lower limit 2.1 > upper limit 1.9"
    ),
    (
      "zero axis", replacing("<axis xyz=\"0 0 1\"/>", with: "<axis xyz=\"0 0 0\"/>"),
      "joint 'j1' axis: is the zero vector"
    ),
    (
      "mimic joint on the chain",
      replacing(
        "<limit lower=\"0\" upper=\"0.2\"/>", with: "<limit lower=\"0\" upper=\"0.2\"/><mimic joint=\"j1\"/>"),
      "joint 'j2': is a mimic joint (it copies 'j1') on the chain; NeuralIK solves independent joints only"
    ),
    (
      "floating joint on the chain", replacing("type=\"prismatic\"", with: "type=\"floating\""),
      "joint 'j2': is a floating joint (6 degrees of freedom) on the chain"
    ),
    (
      "planar joint on the chain", replacing("type=\"prismatic\"", with: "type=\"planar\""),
      "joint 'j2': is a planar joint (motion in a plane) on the chain"
    ),
    (
      "no movable joint",
      replacing("type=\"revolute\"", with: "type=\"fixed\"").replacingOccurrences(
        of: "type=\"prismatic\"", with: "type=\"fixed\""),
      "tip: no joint between base 'base' and tip 'tool' moves (all 3 are fixed)"
    ),
  ]

  /// A second leaf off `link1`, with the kind of joint that is fine off the chain only.
  static let cameraBranch = """
      <link name="camera"/>
      <joint name="camera_mount" type="floating">
        <parent link="link1"/>
        <child link="camera"/>
      </joint>
    """

  @Test(
    "a limit left out is 0, as URDF defines it: a rail or finger that gives upper alone loads, as ROS reads it"
  )
  func limitDefaults() throws {
    let upperOnly = try Self.load(
      Self.valid.replacingOccurrences(
        of: "<limit lower=\"0\" upper=\"0.2\"/>", with: "<limit upper=\"0.2\"/>"))
    #expect(upperOnly.movableJoints[1].limits == JointLimits(lower: 0, upper: 0.2))
    let lowerOnly = try Self.load(
      Self.valid.replacingOccurrences(of: "lower=\"-1\" upper=\"1\"", with: "lower=\"-1\""))
    #expect(lowerOnly.movableJoints[0].limits == JointLimits(lower: -1, upper: 0))
  }

  @Test("a malformed URDF is rejected with a message naming the element", arguments: broken)
  func malformed(_ name: String, xml: String, message: String) {
    #expect {
      try Self.load(xml)
    } throws: { error in
      let description = "\(error)"
      let matches = error is RobotModelError && description.contains(message)
      if !matches { Issue.record("\(name): got \"\(description)\"") }
      return matches
    }
  }

  static let badEnds: [(String, String?, String?, String)] = [
    ("unknown tip", nil, "tool0", "tip: unknown link 'tool0'; links are: base, camera, link1, link2, tool"),
    ("unknown base", "world", "tool", "base: unknown link 'world'; links are: base, camera"),
    (
      "tip on another branch", "link2", "camera",
      "tip: link 'camera' is not on a chain below base 'link2'; its chain from the root is: base → link1 → camera"
    ),
    ("tip above base", "link2", "link1", "tip: link 'link1' is not on a chain below base 'link2'"),
    ("tip is the base", "link1", "link1", "tip: link 'link1' is the base itself"),
    ("base is a leaf", "tool", nil, "base: link 'tool' has no joint below it"),
  ]

  @Test("a base or tip that does not fit the tree is named in the error", arguments: badEnds)
  func badBaseOrTip(_ name: String, base: String?, tip: String?, message: String) {
    let xml = Self.replacing("</robot>", with: Self.cameraBranch + "</robot>")
    #expect {
      try Self.load(xml, base: base, tip: tip)
    } throws: { error in
      let matches = error is RobotModelError && "\(error)".contains(message)
      if !matches { Issue.record("\(name): got \"\(error)\"") }
      return matches
    }
  }

  @Test(
    "a base hung off the chain by fixed joints (UR's controller frame 'base', yawed π from base_link) puts targets in its frame; the one other leaf is the tip"
  )
  func fixedBaseFrame() async throws {
    let ur5 = try RealArm.ur5.fromURDF()
    let controller = try RobotModel(
      urdfContentsOf: Fixtures.robots.appending(path: "ur5.urdf"), base: "base", tip: "tool0")
    #expect(
      try RobotModel(urdfContentsOf: Fixtures.robots.appending(path: "ur5.urdf"), base: "base") == controller)
    #expect(controller.movableJoints == ur5.movableJoints)
    let yaw = Transform3(rotation: Rotation3(axis: Vector3(0, 0, 1), angle: .pi))
    await propertyCheck(seed: 0x4241_5345, count: 100, input: ur5.configurations()) { q in
      let expected = yaw.inverse * ur5.tipPose(at: q)
      #expect(URDFFixtureTests.poseGap(controller.tipPose(at: q), expected) < 1e-12, "at \(q)")
    }
    // Two fixed joints up, the first turned and offset: the chain starts with both, inverted.
    let mounted = Self.replacing(
      "</robot>",
      with: """
          <link name="plate"/><link name="marker"/>
          <joint name="plate_mount" type="fixed">
            <parent link="base"/><child link="plate"/><origin xyz="0.3 0 0" rpy="0 0 0.5"/>
          </joint>
          <joint name="marker_mount" type="fixed">
            <parent link="plate"/><child link="marker"/><origin xyz="0 0.1 0.02" rpy="0.2 0 0"/>
          </joint>
        </robot>
        """)
    // A base past the tip, fixed to it, or past the last joint: no joint moves between them.
    for (base, tip) in [("marker", "plate"), ("tool", "link2")] {
      #expect {
        try Self.load(mounted, base: base, tip: tip)
      } throws: { error in
        "\(error)".contains("lies above base '\(base)' through fixed joints only")
      }
    }
    #expect {
      try Self.load(mounted, base: "tool")
    } throws: { error in
      "\(error)".contains("no joint between base 'tool' and tip")
        || "\(error)".contains("has no joint below it")
    }
    let fromBase = try Self.load(mounted, tip: "tool")
    let fromMarker = try Self.load(mounted, base: "marker")
    // swift-format-ignore: AlwaysUseLowerCamelCase
    let T_base_marker =
      Transform3(rotation: Rotation3(axis: Vector3(0, 0, 1), angle: 0.5), translation: Vector3(0.3, 0, 0))
      * Transform3(
        rotation: Rotation3(axis: Vector3(1, 0, 0), angle: 0.2), translation: Vector3(0, 0.1, 0.02))
    for q in [[0.0, 0.0], [0.7, 0.1], [-0.4, 0.2]] {
      let expected = T_base_marker.inverse * fromBase.tipPose(at: q)
      #expect(URDFFixtureTests.poseGap(fromMarker.tipPose(at: q), expected) < 1e-12, "at \(q)")
    }
  }

  @Test("base and tip pick a sub-chain; off-chain joints of any type are ignored")
  func subChain() throws {
    let xml = Self.replacing("</robot>", with: Self.cameraBranch + "</robot>")
    let toTool = try Self.load(xml, tip: "tool")
    #expect(toTool.joints.map(\.name) == ["j1", "j2", "flange"])
    let fromLink1 = try Self.load(xml, base: "link1", tip: "tool")
    #expect(fromLink1.joints.map(\.name) == ["j2", "flange"])
    // Only the chain's joints count: the pose is T_link1_tool, with no trace of j1's 0.1 m offset.
    let tip = fromLink1.tipPosition(at: [0.1])
    #expect((tip - Vector3(0.3, 0, 0.05)).length < 1e-15)
  }

  /// An arm with a two-finger hand, joints listed out of order: the second finger mimics the first.
  /// `drake:` is an undeclared namespace prefix, as in drake's URDFs; it must not stop the reader.
  static let gripperArm = """
    <robot name="gripper-arm">
      <joint name="finger_joint2" type="prismatic">
        <parent link="hand"/>
        <child link="right_finger"/>
        <origin xyz="0 0 0.0584"/>
        <axis xyz="0 -1 0"/>
        <limit lower="0" upper="0.04" effort="20" velocity="0.2"/>
        <mimic joint="finger_joint1"/>
      </joint>
      <joint name="yaw" type="revolute">
        <parent link="base"/>
        <child link="upper"/>
        <axis xyz="0 0 1"/>
        <limit lower="-2" upper="2" drake:acceleration="8.57"/>
      </joint>
      <joint name="hand_mount" type="fixed">
        <parent link="forearm"/>
        <child link="hand"/>
        <origin xyz="0 0 0.1"/>
        <axis xyz="0 0 0"/>
      </joint>
      <joint name="wrist" type="continuous">
        <parent link="upper"/>
        <child link="forearm"/>
        <origin xyz="0 0 0.4"/>
        <limit effort="5" velocity="2"/>
      </joint>
      <joint name="finger_joint1" type="prismatic">
        <parent link="hand"/>
        <child link="left_finger"/>
        <origin xyz="0 0 0.0584"/>
        <axis xyz="0 1 0"/>
        <limit lower="0" upper="0.04" effort="20" velocity="0.2"/>
      </joint>
      <link name="base"><visual><geometry><box size="0.1 0.1 0.1"/></geometry></visual></link>
      <link name="upper"/>
      <link name="forearm"/>
      <link name="hand"/>
      <link name="left_finger"/>
      <link name="right_finger"/>
    </robot>
    """

  @Test("a gripper branch with a mimic finger off the chain loads; the tip must be named")
  func gripperBranch() throws {
    #expect {
      try Self.load(Self.gripperArm)
    } throws: {
      "\($0)".contains("tip: the tree below 'base' ends in 2 leaf links: left_finger, right_finger")
    }
    let toHand = try Self.load(Self.gripperArm, tip: "hand")
    #expect(toHand.joints.map(\.name) == ["yaw", "wrist", "hand_mount"])
    let toFinger = try Self.load(Self.gripperArm, tip: "left_finger")
    #expect(toFinger.movableJoints.map(\.name) == ["yaw", "wrist", "finger_joint1"])
    #expect(toFinger.limits.last == JointLimits(lower: 0, upper: 0.04))
  }

  @Test("the same mimic joint on the chain is refused, naming it and the joint it copies")
  func mimicOnChain() {
    #expect {
      try Self.load(Self.gripperArm, tip: "right_finger")
    } throws: {
      "\($0)" == "joint 'finger_joint2': is a mimic joint (it copies 'finger_joint1') on the chain; "
        + "NeuralIK solves independent joints only, so choose a tip before it"
    }
  }

  @Test("a continuous joint becomes .continuous with no limits, about URDF's default x axis")
  func continuousJoint() throws {
    let robot = try Self.load(Self.gripperArm, tip: "hand")
    let wrist = try #require(robot.joints.first { $0.name == "wrist" })
    #expect(wrist.type == .continuous)
    #expect(wrist.limits == nil)
    #expect(wrist.axis == Vector3(1, 0, 0))
    #expect(robot.limits == [JointLimits(lower: -2, upper: 2), nil])
    // Never clamped: any angle is within limits, and 4 rad turns the hand past π about x.
    #expect(robot.isWithinLimits([0, 10]))
    let theta = 4.0
    let hand = robot.tipPosition(at: [0, theta])
    // Rx(θ)·(0, 0, 0.1) on top of the wrist 0.4 m up.
    #expect((hand - Vector3(0, -0.1 * sin(theta), 0.4 + 0.1 * cos(theta))).length < 1e-15)
  }

  @Test("a missing file is an error, not a crash")
  func missingFile() {
    #expect {
      try RobotModel(urdfContentsOf: URL(filePath: "/nonexistent/robot.urdf"))
    } throws: { "\($0)".contains("cannot read URDF file '/nonexistent/robot.urdf'") }
  }

  @Test(
    "entities are never expanded: a billion-laughs bomb and an external entity are refused in words, not libxml2's error numbers"
  )
  func entities() {
    let joint =
      "<link name=\"a\"/><link name=\"b\"/><joint name=\"j1\" type=\"revolute\"><parent link=\"a\"/>"
      + "<child link=\"b\"/><axis xyz=\"0 0 1\"/><limit lower=\"-1\" upper=\"1\"/></joint></robot>"
    var levels = "<!ENTITY l0 \"lol\">"
    for level in 1...9 {
      levels += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
    }
    let bomb = "<?xml version=\"1.0\"?><!DOCTYPE r [\(levels)]><robot name=\"&l9;\">" + joint
    let external =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><robot name=\"&x;\">"
      + joint
    for (xml, message) in [
      (bomb, "entities that expand into one another"), (external, "an entity defined outside the file"),
    ] {
      #expect {
        try Self.load(xml)
      } throws: { error in
        "\(error)".contains(message) && !"\(error)".contains("libxml2")
      }
    }
  }
}
