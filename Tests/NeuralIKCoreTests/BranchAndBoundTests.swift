import Foundation
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIKCore

/// The nearest reaching branch by branch and bound against the nearest of the full list.
@Suite("Pose closed forms: branch and bound")
struct BranchAndBoundTests {
  /// `JointDistance`'s rule, written out: a joint whose limits span a turn the short way round,
  /// any other by its change of value.
  static func distance(_ robot: RobotModel) -> ([Double], [Double]) -> Double {
    let wraps = robot.movableJoints.map { ($0.limits?.range ?? 2 * .pi) >= 2 * .pi }
    return { a, b in
      var sum = 0.0
      for index in wraps.indices {
        let change = wraps[index] ? remainder(a[index] - b[index], 2 * .pi) : a[index] - b[index]
        sum += change * change
      }
      return sum.squareRoot()
    }
  }

  /// Axes 1 and 2 meet, axes 3–5 are parallel: the UR family of the reversed chain, which the
  /// walk visits through `ReversedBranchVisitor`.
  static func reversedFamilyArm() throws -> RobotModel {
    func joint(_ name: String, _ xyz: Vector3, _ axis: Vector3) -> Joint {
      Joint(
        name: name, type: .revolute, origin: Transform3(xyz: xyz, rpy: .zero), axis: axis,
        limits: JointLimits(lower: -3, upper: 3))
    }
    return try RobotModel(
      name: "reversed-ur",
      joints: [
        joint("j1", Vector3(0, 0, 0.1), Vector3(0, 0, 1)), joint("j2", Vector3(0, 0, 0), Vector3(1, 0, 0)),
        joint("j3", Vector3(0, 0.05, 0.3), Vector3(0, 1, 0)),
        joint("j4", Vector3(0.04, 0, 0.35), Vector3(0, 1, 0)),
        joint("j5", Vector3(0, -0.03, 0.3), Vector3(0, 1, 0)),
        joint("j6", Vector3(0, 0.1, 0.1), Vector3(0, 0, 1)),
      ],
      tool: Transform3(xyz: Vector3(0, 0, 0.08), rpy: .zero))
  }

  /// A target from a configuration, a start near it (every joint moved by up to a radius drawn
  /// from a tenth of a radian to half a turn, clamped), and a shift of a seven-joint arm's free joint.
  struct Case: Sendable, CustomStringConvertible {
    var q: [Double]
    var offsets: [Double]
    var radius: Double
    var shift: Double
    var description: String { "q \(q), offsets \(offsets) × \(radius), free-joint shift \(shift)" }
  }

  static func cases(_ robot: RobotModel) -> Generator<Case, some Sequence & SendableMetatype> {
    zip(
      robot.configurations(), Gen.double(in: -1...1).array(of: robot.degreesOfFreedom),
      Gen.element(of: [0.1, 0.2, 0.5, 1.5, 3.1]), Gen.element(of: [0, 0, 0.05, -0.3])
    ).map { Case(q: $0, offsets: $1, radius: $2 ?? 0.2, shift: $3 ?? 0) }
  }

  static func check(_ robot: RobotModel, law: String) async throws {
    let solver = try AnalyticSolver(robot: robot)
    let free = solver.freeJointIndex
    let distance = Self.distance(robot)
    await propertyCheck(law: law, count: 300, input: Self.cases(robot)) { sample in
      let pose = robot.tipPose(at: sample.q)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      let start = robot.clampedToLimits(zip(sample.q, sample.offsets).map { $0 + $1 * sample.radius })
      let values = free.map { [sample.q[$0] + sample.shift] } ?? []
      let found = try solver.nearestReachingSolution(
        for: target, freeJointValues: values, near: start, distance: distance)
      let listed = try solver.reachingSolutions(for: target, freeJointValues: values, near: start)
      let nearest = listed.min { distance($0.jointValues, start) < distance($1.jointValues, start) }
      // The generating configuration reaches at its own value of the free joint.
      if sample.shift == 0 { #expect(nearest != nil) }
      #expect(
        (found == nil) == (nearest == nil), "found \(String(describing: found)), listed \(listed.count)")
      guard let found, let nearest else { return }
      #expect(found.reachable)
      #expect(
        abs(distance(found.jointValues, start) - distance(nearest.jointValues, start)) <= 1e-12,
        "walked \(found.jointValues) against listed \(nearest.jointValues)")
    }
  }

  @Test(
    "law: the walk's nearest reaching branch is the full list's nearest (six joints, and seven at a given free joint)",
    arguments: RealArm.allCases)
  func nearestAsListed(arm: RealArm) async throws {
    try await Self.check(arm.fromJSON(), law: "branch and bound nearest \(arm.rawValue)")
  }

  @Test("law: the walk's nearest is the full list's on a chain solved through its reversed chain")
  func nearestAsListedReversed() async throws {
    let robot = try Self.reversedFamilyArm()
    #expect(try AnalyticSolver(robot: robot).family.contains("reversed chain"))
    try await Self.check(robot, law: "branch and bound nearest reversed")
  }
}
