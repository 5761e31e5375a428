import Foundation
import NeuralIKCore
import TestSupport
import Testing

@Suite("Forward kinematics against hand-computed poses")
struct ForwardKinematicsTests {
  @Test("seed arm: yaw ψ, pitch θ put the tip at S + L(cos θ cos ψ, cos θ sin ψ, sin θ)")
  func seedArm() throws {
    let robot = try FixtureArm.seedArm.robot()
    for (psi, theta) in [(0.0, 0.0), (0.5, 0.3), (-2.0, 1.9), (1.2, -0.4)] {
      let tip = robot.tipPosition(at: [psi, theta])
      let expected = Vector3(
        0.5 * cos(theta) * cos(psi), 0.5 * cos(theta) * sin(psi), 0.3 + 0.5 * sin(theta))
      // Exact trigonometry both ways: only rounding separates them.
      #expect((tip - expected).length < 1e-14)
    }
  }

  @Test("planar 2-link: the textbook x = l1 cos θ1 + l2 cos(θ1+θ2), y = l1 sin θ1 + l2 sin(θ1+θ2)")
  func planar() throws {
    let robot = try FixtureArm.planar2Link.robot()
    for (t1, t2) in [(0.0, 0.0), (0.7, 1.1), (1.5, 3.0)] {
      let tip = robot.tipPosition(at: [t1, t2])
      let expected = Vector3(10 * cos(t1) + 7 * cos(t1 + t2), 10 * sin(t1) + 7 * sin(t1 + t2), 0)
      #expect((tip - expected).length < 1e-13)
    }
  }

  @Test("3-DoF arm: tip at elevation θ2, elbow bend θ3 in the yaw plane")
  func arm3DoF() throws {
    let robot = try FixtureArm.arm3DoF.robot()
    let (psi, t2, t3) = (0.4, 1.0, -0.6)
    let r = 0.4 * cos(t2) + 0.3 * cos(t2 + t3)
    let z = 0.35 + 0.4 * sin(t2) + 0.3 * sin(t2 + t3)
    let tip = robot.tipPosition(at: [psi, t2, t3])
    #expect((tip - Vector3(r * cos(psi), r * sin(psi), z)).length < 1e-14)
    // The tool frame turns with the links: its x axis points along the forearm.
    let xAxis = robot.tipPose(at: [psi, t2, t3]).rotation.column0
    let forearm = Vector3(cos(t2 + t3) * cos(psi), cos(t2 + t3) * sin(psi), sin(t2 + t3))
    #expect((xAxis - forearm).length < 1e-14)
  }

  @Test("joint frames end at the tip pose")
  func frames() throws {
    let robot = try Fixtures.mixedChain()
    let q = [0.3, -0.2, 0.1, 1.0, 0.5]
    let frames = robot.jointFrames(at: q)
    #expect(frames.count == robot.degreesOfFreedom + 1)
    #expect((frames.last!.translation - robot.tipPosition(at: q)).length < 1e-15)
  }

  @Test("quaternion ↔ rotation round trip, sign and normalisation")
  func quaternions() throws {
    let q = try #require(Quaternion(w: 2, x: -1, y: 0.5, z: 3))
    #expect(abs(q.w * q.w + q.x * q.x + q.y * q.y + q.z * q.z - 1) < 1e-15)
    let back = Quaternion(q.rotation)
    // q and −q are one rotation; compare the canonical forms.
    let a = q.canonical
    let b = back.canonical
    #expect(abs(a.w - b.w) + abs(a.x - b.x) + abs(a.y - b.y) + abs(a.z - b.z) < 1e-14)
    let negated = try #require(Quaternion(w: -q.w, x: -q.x, y: -q.y, z: -q.z))
    #expect(negated.rotation.angle(to: q.rotation) < 1e-7)
    #expect(Quaternion(w: 0, x: 0, y: 0, z: 0) == nil)
    #expect(Quaternion(w: .nan, x: 0, y: 0, z: 1) == nil)
  }

  @Test("rotation logarithm and exponential are inverse, near 0 and near π too")
  func logarithm() {
    for vector in [
      Vector3(1e-9, 0, 0), Vector3(0.3, -0.2, 0.1), Vector3(0, 0, .pi - 1e-6),
      Vector3(2.0, 1.0, -1.5) / Vector3(2.0, 1.0, -1.5).length * (.pi - 1e-5),
    ] {
      let back = Rotation3.exponential(vector).logarithm
      #expect((back - vector).length < 1e-8, "\(vector)")
    }
  }
}

@Suite("Kinematics refuse a configuration of the wrong size")
struct WrongSizeTests {
  // Each in a child process: the refusal stops the program, as an index out of range does. Before,
  // more values than joints were read as their first ones, silently.
  @Test("tipPose(at:) with one value too many stops, not reads the first ones")
  func tipPoseTooMany() async {
    await #expect(processExitsWith: .failure) {
      let robot = try FixtureArm.seedArm.robot()
      _ = robot.tipPose(at: [0.1, 0.2, 0.3])
    }
  }

  @Test("jointFrames(at:) and jacobian(at:) with one value too few stop")
  func tooFew() async {
    await #expect(processExitsWith: .failure) {
      let robot = try FixtureArm.seedArm.robot()
      _ = robot.jointFrames(at: [0.1])
    }
    await #expect(processExitsWith: .failure) {
      let robot = try FixtureArm.seedArm.robot()
      _ = robot.jacobian(at: [0.1])
    }
  }
}
