import Foundation
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIKCore

/// Forward kinematics shared along a run of configurations is the robot's own forward kinematics,
/// whichever joints change from one configuration to the next.
@Suite("Shared forward kinematics")
struct SharedForwardKinematicsTests {
  static let cases = PropertyRun.cases(fallback: 400)

  /// A run of configurations, each the previous one with a random subset of its joints redrawn
  /// (none, some, all): what the branches of a closed form look like to the cache.
  static func run(_ robot: RobotModel, using rng: inout some RandomNumberGenerator) -> [[Double]] {
    var q = robot.biasedConfiguration(using: &rng)
    var run = [q]
    for _ in 0..<16 {
      let fresh = robot.biasedConfiguration(using: &rng)
      let share = Double.random(in: 0...1, using: &rng)
      for index in q.indices where Double.random(in: 0...1, using: &rng) >= share { q[index] = fresh[index] }
      run.append(q)
    }
    return run
  }

  /// A random serial chain of `count` movable joints: random axes and offsets up to 0.5 m, a
  /// quarter prismatic, some continuous, a random tool.
  static func chain(joints count: Int, using rng: inout some RandomNumberGenerator) throws -> RobotModel {
    func vector(_ scale: Double) -> Vector3 {
      Vector3(
        Double.random(in: -scale...scale, using: &rng), Double.random(in: -scale...scale, using: &rng),
        Double.random(in: -scale...scale, using: &rng))
    }
    func origin() -> Transform3 {
      Transform3(
        rotation: Rotation3(
          roll: Double.random(in: -3...3, using: &rng), pitch: Double.random(in: -1.5...1.5, using: &rng),
          yaw: Double.random(in: -3...3, using: &rng)),
        translation: vector(0.5))
    }
    var joints: [Joint] = []
    for index in 0..<count {
      var axis = vector(1)
      if axis.length < 1e-3 { axis = Vector3(0, 0, 1) }
      let limits = JointLimits(
        lower: -Double.random(in: 0.1...3, using: &rng), upper: Double.random(in: 0.1...3, using: &rng))
      switch Int.random(in: 0..<4, using: &rng) {
      case 0:
        joints.append(
          Joint(name: "j\(index)", type: .prismatic, origin: origin(), axis: axis, limits: limits))
      case 1: joints.append(Joint(name: "j\(index)", type: .continuous, origin: origin(), axis: axis))
      default:
        joints.append(Joint(name: "j\(index)", type: .revolute, origin: origin(), axis: axis, limits: limits))
      }
    }
    return try RobotModel(name: "random-\(count)", joints: joints, tool: origin())
  }

  /// A random chain of a number of joints in `joints` (`nil` if it failed to build), with a run.
  static func randomRuns(joints: ClosedRange<Int>) -> Generator<
    (RobotModel?, [[Double]]), Shrink.None<(RobotModel?, [[Double]])>
  > {
    Generator { rng in
      let robot = try? Self.chain(joints: Int.random(in: joints, using: &rng), using: &rng)
      return (robot, robot.map { Self.run($0, using: &rng) } ?? [])
    }
  }

  static func check(_ robot: RobotModel, _ run: [[Double]]) {
    var shared = SharedForwardKinematics(robot: robot)
    // Rounding only: the products associate differently; positions scale with the reach.
    let scale = max(1, robot.reachBound)
    for q in run {
      let pose = shared.tipPose(at: q)
      let expected = robot.tipPose(at: q)
      #expect((pose.translation - expected.translation).length <= 1e-13 * scale, "\(robot.name) at \(q)")
      #expect(pose.rotation.angle(to: expected.rotation) <= 1e-13, "\(robot.name) at \(q)")
    }
  }

  @Test("equals tipPose along runs that share joint values, on every fixture arm")
  func fixtureArms() async throws {
    let robots =
      try FixtureArm.allCases.map { try $0.robot() } + RealArm.allCases.map { try $0.fromJSON() }
      + [Fixtures.mixedChain()]
    for robot in robots {
      await propertyCheck(
        law: "shared FK equals tipPose on \(robot.name)", count: Self.cases,
        input: Generator { rng in Self.run(robot, using: &rng) }
      ) { run in Self.check(robot, run) }
    }
  }

  @Test("equals tipPose on random chains of 1 to 12 joints, beyond the inline capacity too")
  func randomChains() async {
    await propertyCheck(
      law: "shared FK equals tipPose on a random chain", count: Self.cases,
      input: Self.randomRuns(joints: 1...12)
    ) { robot, run in
      guard let robot else {
        Issue.record("a random chain failed to build")
        return
      }
      Self.check(robot, run)
    }
  }

  @Test("FK through the axis frames equals the product of the joints' own Rodrigues motions (random chains)")
  func axisFrames() async {
    await propertyCheck(
      law: "axis-frame FK equals the joint-frame product on a random chain", count: Self.cases,
      input: Self.randomRuns(joints: 1...9)
    ) { robot, run in
      guard let robot else {
        Issue.record("a random chain failed to build")
        return
      }
      let scale = max(1, robot.reachBound)
      for q in run {
        // jointFrames walks the joints' own frames: the origin, then Rodrigues about the axis.
        let reference = try #require(robot.jointFrames(at: q).last)
        let pose = robot.tipPose(at: q)
        #expect((pose.translation - reference.translation).length <= 1e-13 * scale, "\(q)")
        #expect(pose.rotation.angle(to: reference.rotation) <= 1e-13, "\(q)")
      }
    }
  }

  @Test("a joint about z keeps its own frame as its axis frame, exactly")
  func zAxisFrame() {
    #expect(ChainLink.axisFrame(Vector3(0, 0, 1)) == .identity)
    for axis in [
      Vector3(1, 0, 0), Vector3(0, -1, 0), Vector3(0, 0, -1), Vector3(0.6, 0, 0.8), Vector3(0.48, 0.6, 0.64),
    ] {
      let frame = ChainLink.axisFrame(axis)
      #expect((frame.column2 - axis).length < 1e-15)
      #expect((frame * frame.transposed).angle(to: .identity) < 1e-15)
      #expect(abs(frame.column0.cross(frame.column1).dot(frame.column2) - 1) < 1e-15)
    }
  }

  @Test("a repeated configuration returns the same pose, bit for bit")
  func repeated() throws {
    let robot = try RealArm.ur5.fromJSON()
    var shared = SharedForwardKinematics(robot: robot)
    let q = [0.3, -1.2, 0.8, 2.0, -0.4, 1.1]
    let first = shared.tipPose(at: q)
    _ = shared.tipPose(at: [0.3, -1.0, 0.8, 2.0, -0.4, 1.1])
    #expect(shared.tipPose(at: q) == first)
    #expect(shared.tipPose(at: q) == first)
  }
}
