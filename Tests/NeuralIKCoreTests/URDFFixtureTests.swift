import Foundation
import NeuralIKCore
import TestSupport
import Testing

@Suite("URDF fixtures of real arms")
struct URDFFixtureTests {
  /// The larger of the translation gap (metres) and the largest rotation-matrix entry gap.
  static func poseGap(_ a: Transform3, _ b: Transform3) -> Double {
    let rows = [
      a.rotation.row0 - b.rotation.row0, a.rotation.row1 - b.rotation.row1, a.rotation.row2 - b.rotation.row2,
    ]
    let rotationGap = rows.map { max(abs($0.x), abs($0.y), abs($0.z)) }.max() ?? 0
    return max((a.translation - b.translation).length, rotationGap)
  }

  @Test(
    "each URDF loads and equals its JSON twin: same joints, limits and FK on 500 configurations",
    arguments: RealArm.allCases)
  func twins(arm: RealArm) async throws {
    let urdf = try arm.fromURDF()
    let json = try arm.fromJSON()
    #expect(urdf.name == json.name)
    #expect(urdf.degreesOfFreedom == arm.degreesOfFreedom)
    #expect(urdf.joints.map(\.name) == json.joints.map(\.name))
    #expect(urdf.joints.map(\.type) == json.joints.map(\.type))
    // Limits within 1e-15 rad, not equal: corelibs' JSONSerialization rounds some 17-digit decimals
    // an ulp or two off (2.0943951023931953 reads as 2.0943951023931957); Double(String) does not.
    for (a, b) in zip(urdf.limits, json.limits) {
      let (a, b) = (try #require(a), try #require(b))
      #expect(abs(a.lower - b.lower) < 1e-15 && abs(a.upper - b.upper) < 1e-15, "\(arm): \(a) vs \(b)")
    }
    await propertyCheck(seed: 0x5552_4446, count: 500, input: json.configurations()) { q in
      // Both files hold the same decimals, read at most a few ulps apart: only rounding can differ.
      #expect(Self.poseGap(urdf.tipPose(at: q), json.tipPose(at: q)) < 1e-12, "\(arm) at \(q)")
    }
  }

  @Test("joint 1 turns the whole arm about the base z axis", arguments: RealArm.allCases)
  func firstJointIsBaseYaw(arm: RealArm) async throws {
    let robot = try arm.fromURDF()
    await propertyCheck(seed: 0x5941_5700, count: 100, input: robot.configurations()) { q in
      var turned = q
      turned[0] += 0.7
      let before = robot.tipPosition(at: q)
      let after = robot.tipPosition(at: turned)
      let expected = Vector3(
        before.x * cos(0.7) - before.y * sin(0.7), before.x * sin(0.7) + before.y * cos(0.7), before.z)
      // Rounding only: two FK passes over metre-scale arms.
      #expect((after - expected).length < 1e-14, "\(arm) at \(q)")
    }
  }

  @Test("Panda at zero: flange at x = 0.088, z = 0.333 + 0.316 + 0.384 − 0.107 = 0.926 m, pointing down")
  func pandaZero() throws {
    let robot = try RealArm.panda.fromURDF()
    let flange = robot.tipPose(at: Array(repeating: 0, count: 7))
    // Joints 2–7 alternate ±90° about x: up 0.316 (link 3), out 0.0825 and back (links 4, 5), up
    // 0.384, out 0.088 (link 7), and after the two final +90° the flange's z axis points down, so
    // the 0.107 m flange offset comes off the height.
    #expect((flange.translation - Vector3(0.088, 0, 0.333 + 0.316 + 0.384 - 0.107)).length < 1e-12)
    #expect((flange.rotation.column0 - Vector3(1, 0, 0)).length < 1e-12)
    #expect((flange.rotation.column2 - Vector3(0, 0, -1)).length < 1e-12)
  }

  @Test("iiwa 14 at zero: straight up, tool at z = 0.36 + 0.42 + 0.4 + 0.126 = 1.306 m, x axis up")
  func iiwaZero() throws {
    let robot = try RealArm.iiwa14.fromURDF()
    let tool = robot.tipPose(at: Array(repeating: 0, count: 7))
    // 0.1575 + 0.2025 (shoulder) + 0.2045 + 0.2155 (elbow) + 0.1845 + 0.2155 (wrist)
    // + 0.081 (flange) + 0.045 (tool0_joint) = 1.306; tool0_joint's pitch −90° puts x along z.
    #expect((tool.translation - Vector3(0, 0, 1.306)).length < 1e-12)
    #expect((tool.rotation.column0 - Vector3(0, 0, 1)).length < 1e-12)
  }

  @Test("UR5 at zero: tool0 at (0.81725, 0.19145, −0.005491) m in base_link, z axis along +y")
  func ur5Zero() throws {
    let robot = try RealArm.ur5.fromURDF()
    let tool0 = robot.tipPose(at: Array(repeating: 0, count: 6))
    // The arm lies stretched along −x of the controller's base frame, which base_link turns by π:
    // x = a2 + a3 = 0.425 + 0.39225, y = d4 + d6 = 0.10915 + 0.0823, z = d1 − d5 = 0.089159 − 0.09465.
    // The yaml's roll 1.570796327 is 2.1e-10 rad off π/2 and its z offsets are ~1e-11 m: with lever
    // arms under 1 m they move tool0 by less than 1e-9 m.
    let expected = Vector3(0.425 + 0.39225, 0.10915 + 0.0823, 0.089159 - 0.09465)
    #expect((tool0.translation - expected).length < 1e-9)
    #expect((tool0.rotation.column0 - Vector3(-1, 0, 0)).length < 1e-9)
    #expect((tool0.rotation.column2 - Vector3(0, 1, 0)).length < 1e-9)
  }

  @Test("UR5 without a tip: the two leaves, base and tool0, are listed")
  func ur5NeedsTip() {
    #expect {
      try RobotModel(urdfContentsOf: Fixtures.robots.appending(path: "ur5.urdf"))
    } throws: {
      "\($0)"
        == "tip: the tree below 'base_link' ends in 2 leaf links: base, tool0; "
        + "pass the tip link to use (--tip, or tip: in RobotModel(urdf:))"
    }
  }

  @Test("UR5 keeps the published full-circle limits as revolute joints, not continuous")
  func ur5Limits() throws {
    let robot = try RealArm.ur5.fromURDF()
    #expect(robot.movableJoints.allSatisfy { $0.type == .revolute })
    #expect(robot.limits.allSatisfy { $0 == JointLimits(lower: -2 * .pi, upper: 2 * .pi) })
  }
}
