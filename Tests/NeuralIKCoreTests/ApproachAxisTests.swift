import Foundation
import NeuralIKCore
import TestSupport
import Testing

@Suite("The tool's approach axis")
struct ApproachAxisTests {
  /// The last movable joint's axis in the base frame at `q`.
  static func lastAxis(_ robot: RobotModel, at q: [Double]) -> Vector3 {
    let frames = robot.jointFrames(at: q)
    return frames[robot.degreesOfFreedom - 1].rotation * robot.movableJoints[robot.degreesOfFreedom - 1].axis
  }

  @Test(
    "on an arm that ends in a wrist roll, the approach axis, turned by the tip, lies along the last joint's axis at every configuration",
    arguments: [CommittedArm.panda, .iiwa14, .ur5])
  func alongTheLastJoint(arm: CommittedArm) async throws {
    let robot = try arm.robot()
    let approach = robot.approachAxis
    #expect(abs(approach.length - 1) < 1e-12)
    await propertyCheck(seed: 0x4150_5052, count: 200, input: robot.configurations()) { q in
      let pointing = robot.tipPose(at: q).rotation * approach
      // Parallel either way round: the sign is the tip frame's (or the flange's outward side).
      #expect(pointing.cross(Self.lastAxis(robot, at: q)).length < 1e-12, "\(arm) at \(q)")
    }
  }

  @Test("the flange's normal: z on the Panda's flange and UR's tool0, x on iiwa_stack's iiwa_link_ee")
  func realArms() throws {
    #expect(try RealArm.panda.fromURDF().approachAxis == Vector3(0, 0, 1))
    #expect(try RealArm.ur5.fromURDF().approachAxis == Vector3(0, 0, 1))
    // iiwa_link_ee is pitched −90° from link 7, 0.045 m out along joint 7's axis.
    let iiwa = try RealArm.iiwa14.fromURDF().approachAxis
    #expect((iiwa - Vector3(1, 0, 0)).length < 1e-12, "\(iiwa)")
    #expect(try RealArm.iiwa14.fromJSON().approachAxis == iiwa)
  }

  /// One joint of a test URDF, from its parent link to its child.
  struct Link {
    var name, type, parent, child, xyz, rpy: String
    var axis: String?
    var limits: (lower: Double, upper: Double)

    init(
      _ name: String, from parent: String, to child: String, type: String = "revolute", xyz: String = "0 0 0",
      rpy: String = "0 0 0", axis: String? = nil, limits: (lower: Double, upper: Double) = (-3, 3)
    ) {
      (self.name, self.type, self.parent, self.child, self.xyz, self.rpy) = (
        name, type, parent, child, xyz, rpy
      )
      (self.axis, self.limits) = (axis, limits)
    }

    var xml: String {
      "<joint name=\"\(name)\" type=\"\(type)\"><parent link=\"\(parent)\"/><child link=\"\(child)\"/>"
        + "<origin xyz=\"\(xyz)\" rpy=\"\(rpy)\"/>" + (axis.map { "<axis xyz=\"\($0)\"/>" } ?? "")
        + (type == "fixed"
          ? "" : "<limit lower=\"\(limits.lower)\" upper=\"\(limits.upper)\" effort=\"1\" velocity=\"1\"/>")
        + "</joint>"
    }
  }

  /// The robot of `links`, a chain from their first parent, out to `tip` (default its one leaf).
  static func chain(_ links: [Link], tip: String? = nil) throws -> RobotModel {
    let names = [links[0].parent] + links.map(\.child)
    let urdf =
      "<robot name=\"test\">" + names.map { "<link name=\"\($0)\"/>" }.joined()
      + links.map(\.xml).joined() + "</robot>"
    return try RobotModel(urdf: Data(urdf.utf8), tip: tip)
  }

  /// A one-joint arm turning about `axis`, with its tip `offset` along the joint's z axis and then
  /// turned by `tipRPY`.
  static func wrist(axis: String, offset: Double, tipRPY: String) throws -> RobotModel {
    try chain([
      Link("roll", from: "base", to: "flange", axis: axis),
      Link("tool", from: "flange", to: "tip", type: "fixed", xyz: "0 0 \(offset)", rpy: tipRPY),
    ])
  }

  @Test(
    "a pitch joint with a link out to the tip (the small arms): the approach axis points from the joint's axis out to the tip, at every configuration",
    arguments: [CommittedArm.seedArm, .arm3DoF, .planar2Link])
  func pitch(arm: CommittedArm) async throws {
    let robot = try arm.robot()
    let approach = robot.approachAxis
    await propertyCheck(seed: 0x5049_5443, count: 200, input: robot.configurations()) { q in
      let frames = robot.jointFrames(at: q)
      let last = robot.degreesOfFreedom - 1
      let axis = Self.lastAxis(robot, at: q)
      let out = frames[last + 1].translation - frames[last].translation
      let sideways = out - axis * out.dot(axis)
      let pointing = robot.tipPose(at: q).rotation * approach
      #expect((pointing - sideways / sideways.length).length < 1e-9, "\(arm) at \(q): \(pointing)")
    }
    // The tip 0.1 m out along x from a joint about y, its frame turned 90° about z.
    let link = [
      Link("pitch", from: "base", to: "arm", axis: "0 1 0"),
      Link("tool", from: "arm", to: "tip", type: "fixed", xyz: "0.1 0 0", rpy: "0 0 1.5707963267948966"),
    ]
    let turned = try Self.chain(link).approachAxis
    #expect((turned - Vector3(0, -1, 0)).length < 1e-12, "\(turned)")
    // An OpenManipulator-X's tip on its last pitch joint: the way the link before comes in, bent
    // 11° up, read as the tip frame's x.
    let onJoint = [
      Link("joint3", from: "base", to: "l3", xyz: "0 0 0.2", axis: "0 1 0", limits: (-2, 2)),
      Link("joint4", from: "l3", to: "l4", xyz: "0.124 0 0.024", axis: "0 1 0", limits: (-2, 2)),
    ]
    #expect(try Self.chain(onJoint).approachAxis == Vector3(1, 0, 0))
  }

  @Test("the tip's z wins either way along the joint; otherwise the joint's axis, pointing out to the tip")
  func signs() throws {
    // A joint declared about −z: the tip frame's z still points out of the flange.
    #expect(try Self.wrist(axis: "0 0 -1", offset: 0.1, tipRPY: "0 0 0").approachAxis == Vector3(0, 0, 1))
    // Pitched −90°: the joint's z is the tip's x, and the tip lies out along +z.
    let pitched = try Self.wrist(axis: "0 0 1", offset: 0.1, tipRPY: "0 -1.5707963267948966 0").approachAxis
    #expect((pitched - Vector3(1, 0, 0)).length < 1e-12, "\(pitched)")
    // The same tip with the joint declared the other way: still out to the tip.
    let reversed = try Self.wrist(axis: "0 0 -1", offset: 0.1, tipRPY: "0 -1.5707963267948966 0").approachAxis
    #expect((reversed - Vector3(1, 0, 0)).length < 1e-12, "\(reversed)")
    // A tip behind the joint's origin points the other way; on it, with no joint before, as declared.
    let behind = try Self.wrist(axis: "0 0 1", offset: -0.1, tipRPY: "0 -1.5707963267948966 0").approachAxis
    #expect((behind - Vector3(-1, 0, 0)).length < 1e-12, "\(behind)")
    let level = try Self.wrist(axis: "0 0 -1", offset: 0, tipRPY: "0 -1.5707963267948966 0").approachAxis
    #expect((level - Vector3(-1, 0, 0)).length < 1e-12, "\(level)")
  }

  /// A Fanuc-like wrist: joint 5 pitches, joint 6 turns about −x (declared inwards, as
  /// ROS-Industrial's Fanuc and KUKA KR files do), and the tip `flange` sits on joint 6's origin
  /// (x out of the flange, REP-I0004), `sideways` metres off it along y.
  static func industrialWrist(sideways: Double) throws -> RobotModel {
    try chain([
      Link("joint_5", from: "base", to: "link_5", xyz: "0 0 0.5", axis: "0 1 0", limits: (-2, 2)),
      Link("joint_6", from: "link_5", to: "link_6", xyz: "0.1 0 0", axis: "-1 0 0", limits: (-6, 6)),
      Link("joint_6-flange", from: "link_6", to: "flange", type: "fixed", xyz: "0 \(sideways) 0"),
    ])
  }

  @Test(
    "a flange on the last joint's origin, whose axis is declared inwards, points out of the arm, away from the joint before; a calibration's 10 µm off the axis changes nothing"
  )
  func outOfTheArm() throws {
    for sideways in [0, 1e-5] {
      let approach = try Self.industrialWrist(sideways: sideways).approachAxis
      #expect((approach - Vector3(1, 0, 0)).length < 1e-12, "\(sideways): \(approach)")
    }
    // A SCARA's roll with its TCP 3 cm below, the frame z up: the tool points down.
    let scara = [
      Link("shoulder", from: "base", to: "arm", xyz: "0 0 0.4", axis: "0 0 1", limits: (-2, 2)),
      Link(
        "quill", from: "arm", to: "quill", type: "prismatic", xyz: "0.4 0 0", axis: "0 0 -1", limits: (0, 0.2)
      ),
      Link("roll", from: "quill", to: "c4", xyz: "0 0 -0.05", axis: "0 0 1"),
      Link("tool", from: "c4", to: "tcp", type: "fixed", xyz: "0 0 -0.03"),
    ]
    for tip in ["tcp", "c4"] {
      let robot = try Self.chain(scara, tip: tip)
      #expect(robot.approachAxis == Vector3(0, 0, -1), "\(tip): \(robot.approachAxis)")
    }
    // Out of the arm on every real arm: the approach axis points away from the joint before.
    for arm in RealArm.allCases {
      let robot = try arm.fromURDF()
      let q = robot.middleConfiguration
      let frames = robot.jointFrames(at: q)
      let n = robot.degreesOfFreedom
      let pointing = robot.tipPose(at: q).rotation * robot.approachAxis
      #expect(pointing.dot(frames[n].translation - frames[n - 2].translation) > 0, "\(arm)")
    }
  }
}
