import Foundation
import NeuralIKCore
import TestSupport
import Testing

@Suite("Numbers that look written in the wrong unit")
struct UnitWarningsTests {
  static func arm(limit: Double, reach: Double, tool: Double = 0.1) throws -> RobotModel {
    func joint(_ name: String, _ xyz: Vector3, _ axis: Vector3) -> Joint {
      Joint(
        name: name, type: .revolute, origin: Transform3(xyz: xyz, rpy: .zero), axis: axis,
        limits: JointLimits(lower: -limit, upper: limit))
    }
    return try RobotModel(
      name: "units",
      joints: [
        joint("j1", Vector3(0, 0, 0.1), Vector3(0, 0, 1)),
        joint("j2", Vector3(0, 0, reach), Vector3(0, 1, 0)),
        joint("j3", Vector3(0.3, 0, 0), Vector3(0, 1, 0)),
      ],
      tool: Transform3(xyz: Vector3(tool, 0, 0), rpy: .zero))
  }

  @Test("every fixture arm, and an arm whose joints turn twice each way, give no warning")
  func noneForRealArms() throws {
    for arm in FixtureArm.allCases { #expect(try arm.robot().unitWarnings.isEmpty, "\(arm)") }
    for arm in RealArm.allCases { #expect(try arm.fromURDF().unitWarnings.isEmpty, "\(arm)") }
    #expect(try Self.arm(limit: 4 * .pi, reach: 0.3).unitWarnings.isEmpty)
  }

  @Test("limits in degrees and lengths in millimetres are named, joint by joint, with the unit expected")
  func degreesAndMillimetres() throws {
    let degrees = try Self.arm(limit: 170, reach: 0.3).unitWarnings
    #expect(
      degrees.count == 3 && degrees.allSatisfy { $0.contains("written in degrees? (limits are radians)") })
    #expect(
      degrees.first?.hasPrefix("joint 'j1': limits [-170.0, 170.0] rad span 54.1 turns") == true, "\(degrees)"
    )
    let rail = try RobotModel(
      name: "rail",
      joints: [
        Joint(
          name: "slide", type: .prismatic, axis: Vector3(1, 0, 0), limits: JointLimits(lower: 0, upper: 1500))
      ])
    #expect(
      rail.unitWarnings == [
        "joint 'slide': limits [0.0, 1500.0] m reach beyond 20 m; written in millimetres? (lengths are metres)"
      ], "\(rail.unitWarnings)")
    // A cell frame 30 m from the arm is a place, not a link: only offsets after the first joint count.
    let placed = try RobotModel(
      name: "placed",
      joints: [
        Joint(name: "cell", type: .fixed, origin: Transform3(xyz: Vector3(30, 4, 0), rpy: .zero)),
        Joint(name: "yaw", type: .continuous, axis: Vector3(0, 0, 1)),
        Joint(
          name: "pitch", type: .revolute, origin: Transform3(xyz: Vector3(0, 0, 0.4), rpy: .zero),
          axis: Vector3(0, 1, 0), limits: JointLimits(lower: -2, upper: 2)),
      ], tool: Transform3(xyz: Vector3(0.5, 0, 0), rpy: .zero))
    #expect(placed.unitWarnings.isEmpty, "\(placed.unitWarnings)")
    let millimetres = try Self.arm(limit: 3, reach: 300, tool: 100).unitWarnings
    #expect(
      millimetres == [
        "joint 'j2': origin 300 m from the joint before; written in millimetres? (lengths are metres)",
        "tool: 100 m from the last joint; written in millimetres? (lengths are metres)",
      ], "\(millimetres)")
  }

  @Test(
    "a start more than a full turn past a revolute joint's limits, or two turns on a continuous one, looks like degrees; one a little past does not"
  )
  func degreesInAStart() throws {
    let panda = try RealArm.panda.fromJSON()
    #expect(panda.unitWarnings(start: panda.middleConfiguration).isEmpty)
    var nearby = panda.middleConfiguration
    nearby[0] = (panda.limits[0]?.upper ?? 0) + 6
    #expect(panda.unitWarnings(start: nearby).isEmpty)
    let degrees = [0, -45, 0, -135, 0, 90, 45.0]
    let warnings = panda.unitWarnings(start: degrees)
    #expect(warnings.count == 4 && warnings.allSatisfy { $0.contains("written in degrees?") }, "\(warnings)")
    #expect(warnings.first?.contains("joint 'panda_joint2' = -45.0 rad") == true, "\(warnings)")
    let ur5 = try RealArm.ur5.withFullTurn(joint: 0, name: "ur5-turning")
    #expect(ur5.unitWarnings(start: [12, 0, 0, 0, 0, 0]).isEmpty)
    #expect(
      ur5.unitWarnings(start: [90, 0, 0, 0, 0, 0]).first?.contains("turns; written in degrees?") == true)
    // A 1.5 m rail read 1,500 is millimetres; 1.6 is a reading just past its end.
    let rail = try RobotModel(
      name: "rail",
      joints: [
        Joint(
          name: "slide", type: .prismatic, axis: Vector3(1, 0, 0), limits: JointLimits(lower: 0, upper: 1.5))
      ])
    #expect(rail.unitWarnings(start: [1.6]).isEmpty)
    #expect(rail.unitWarnings(start: [1500]).first?.contains("written in millimetres?") == true)
  }

  @Test(
    "a lock or limits beyond two turns on a continuous joint look like degrees; within them, or on a joint with limits (checked against them), they do not"
  )
  func degreesInARestriction() throws {
    let ur5 = try RealArm.ur5.withFullTurn(joint: 0, name: "ur5-turning")
    let turning = ur5.movableJoints[0].name
    #expect(ur5.unitWarnings(restrictions: [.lock(turning, at: 12)]).isEmpty)
    let locked = ur5.unitWarnings(restrictions: [.lock(turning, at: 100)])
    #expect(
      locked == [
        "joint '\(turning)' is locked at 100.0 rad, 15.9 turns; written in degrees? (joint values are radians)"
      ], "\(locked)")
    let held = ur5.unitWarnings(restrictions: [JointRestriction(joint: turning, lower: -90, upper: 90)])
    #expect(held.first?.contains("is held within -90.0…90.0 rad") == true, "\(held)")
    #expect(ur5.unitWarnings(restrictions: [.lock(ur5.movableJoints[1].name, at: 100)]).isEmpty)
  }

  @Test("a target ten reaches and 20 m from the base looks like millimetres; one just out of reach does not")
  func millimetresInATarget() throws {
    let panda = try RealArm.panda.fromJSON()
    let sphere = panda.reachSphere
    #expect(!panda.looksLikeMillimetres(sphere.centre + Vector3(2 * sphere.radius, 0, 0)))
    #expect(!panda.looksLikeMillimetres(Vector3(19, 0, 0)))
    #expect(panda.looksLikeMillimetres(Vector3(400, 200, 500)))
  }
}
