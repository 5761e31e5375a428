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

  /// A one-joint arm turning about `axis`, with its tip `offset` along the joint's z axis and then
  /// turned by `tipRPY`.
  static func wrist(axis: String, offset: Double, tipRPY: String) throws -> RobotModel {
    let urdf = """
      <robot name="wrist">
        <link name="base"/><link name="flange"/><link name="tip"/>
        <joint name="roll" type="revolute">
          <parent link="base"/><child link="flange"/><axis xyz="\(axis)"/>
          <limit lower="-3" upper="3" effort="1" velocity="1"/>
        </joint>
        <joint name="tool" type="fixed">
          <parent link="flange"/><child link="tip"/><origin xyz="0 0 \(offset)" rpy="\(tipRPY)"/>
        </joint>
      </robot>
      """
    return try RobotModel(urdf: Data(urdf.utf8))
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
    let urdf = """
      <robot name="pitch">
        <link name="base"/><link name="arm"/><link name="tip"/>
        <joint name="pitch" type="revolute">
          <parent link="base"/><child link="arm"/><axis xyz="0 1 0"/>
          <limit lower="-3" upper="3" effort="1" velocity="1"/>
        </joint>
        <joint name="tool" type="fixed">
          <parent link="arm"/><child link="tip"/><origin xyz="0.1 0 0" rpy="0 0 1.5707963267948966"/>
        </joint>
      </robot>
      """
    let turned = try RobotModel(urdf: Data(urdf.utf8)).approachAxis
    #expect((turned - Vector3(0, -1, 0)).length < 1e-12, "\(turned)")
    // An OpenManipulator-X's tip on its last pitch joint: the way the link before comes in, bent
    // 11° up, read as the tip frame's x.
    let onJoint = """
      <robot name="omx">
        <link name="base"/><link name="l3"/><link name="l4"/>
        <joint name="joint3" type="revolute">
          <parent link="base"/><child link="l3"/><origin xyz="0 0 0.2"/><axis xyz="0 1 0"/>
          <limit lower="-2" upper="2" effort="1" velocity="1"/>
        </joint>
        <joint name="joint4" type="revolute">
          <parent link="l3"/><child link="l4"/><origin xyz="0.124 0 0.024"/><axis xyz="0 1 0"/>
          <limit lower="-2" upper="2" effort="1" velocity="1"/>
        </joint>
      </robot>
      """
    #expect(try RobotModel(urdf: Data(onJoint.utf8)).approachAxis == Vector3(1, 0, 0))
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
    let urdf = """
      <robot name="industrial">
        <link name="base"/><link name="link_5"/><link name="link_6"/><link name="flange"/>
        <joint name="joint_5" type="revolute">
          <parent link="base"/><child link="link_5"/><origin xyz="0 0 0.5"/><axis xyz="0 1 0"/>
          <limit lower="-2" upper="2" effort="1" velocity="1"/>
        </joint>
        <joint name="joint_6" type="revolute">
          <parent link="link_5"/><child link="link_6"/><origin xyz="0.1 0 0"/><axis xyz="-1 0 0"/>
          <limit lower="-6" upper="6" effort="1" velocity="1"/>
        </joint>
        <joint name="joint_6-flange" type="fixed">
          <parent link="link_6"/><child link="flange"/><origin xyz="0 \(sideways) 0"/>
        </joint>
      </robot>
      """
    return try RobotModel(urdf: Data(urdf.utf8))
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
    let scara = """
      <robot name="scara">
        <link name="base"/><link name="arm"/><link name="quill"/><link name="c4"/><link name="tcp"/>
        <joint name="shoulder" type="revolute">
          <parent link="base"/><child link="arm"/><origin xyz="0 0 0.4"/><axis xyz="0 0 1"/>
          <limit lower="-2" upper="2" effort="1" velocity="1"/>
        </joint>
        <joint name="quill" type="prismatic">
          <parent link="arm"/><child link="quill"/><origin xyz="0.4 0 0"/><axis xyz="0 0 -1"/>
          <limit lower="0" upper="0.2" effort="1" velocity="1"/>
        </joint>
        <joint name="roll" type="revolute">
          <parent link="quill"/><child link="c4"/><origin xyz="0 0 -0.05"/><axis xyz="0 0 1"/>
          <limit lower="-3" upper="3" effort="1" velocity="1"/>
        </joint>
        <joint name="tool" type="fixed">
          <parent link="c4"/><child link="tcp"/><origin xyz="0 0 -0.03"/>
        </joint>
      </robot>
      """
    for tip in ["tcp", "c4"] {
      let robot = try RobotModel(urdf: Data(scara.utf8), tip: tip)
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
