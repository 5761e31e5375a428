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

  /// A random arm of one of the closed forms' families, from 40 numbers in [0, 1): a spherical
  /// wrist on a shoulder whose first two axes meet, or the UR family (axes 2–4 parallel, axes 5 and
  /// 6 meeting), with random link offsets and twists, and each joint's limits drawn from: none
  /// (continuous), ±2π, or a random interval from 0.5 rad to a little over a turn.
  static func randomArm(_ u: [Double]) throws -> RobotModel {
    var next = 0
    func draw(_ range: ClosedRange<Double>) -> Double {
      defer { next += 1 }
      return range.lowerBound + u[next] * (range.upperBound - range.lowerBound)
    }
    func limits() -> (JointType, JointLimits?) {
      let kind = draw(0...1)
      if kind < 0.2 { return (.continuous, nil) }
      if kind < 0.4 { return (.revolute, JointLimits(lower: -2 * .pi, upper: 2 * .pi)) }
      let lower = draw(-3...2)
      return (.revolute, JointLimits(lower: lower, upper: lower + draw(0.5...6.5)))
    }
    func joint(_ index: Int, _ xyz: Vector3, rpy: Vector3 = .zero, _ axis: Vector3) -> Joint {
      let (type, limits) = limits()
      return Joint(
        name: "j\(index)", type: type, origin: Transform3(xyz: xyz, rpy: rpy), axis: axis, limits: limits)
    }
    let joints: [Joint]
    if draw(0...1) < 0.5 {
      // Spherical wrist: axes 1 and 2 meet; axes 4–6 pass through one point.
      joints = [
        joint(1, Vector3(0, 0, draw(0.05...0.4)), [0, 0, 1]),
        joint(
          2, Vector3(0, 0, draw(0.05...0.3)), rpy: Vector3(draw(-1...1), 0, 0), [0, 1, 0]),
        joint(
          3, Vector3(draw(0.1...0.5), draw(-0.1...0.1), draw(-0.1...0.1)),
          rpy: Vector3(draw(-0.5...0.5), draw(-0.5...0.5), 0), [0, 1, 0]),
        joint(4, Vector3(draw(0.1...0.4), draw(-0.1...0.1), draw(-0.1...0.1)), [1, 0, 0]),
        joint(5, .zero, rpy: Vector3(0, 0, draw(-0.5...0.5)), [0, 1, 0]),
        joint(6, .zero, [1, 0, 0]),
      ]
    } else {
      // UR family: axes 2–4 parallel (y), axis 5 about z through a point that axis 6 crosses.
      joints = [
        joint(1, Vector3(0, 0, draw(0.05...0.2)), [0, 0, 1]),
        joint(2, Vector3(0, draw(0.05...0.15), 0), [0, 1, 0]),
        joint(3, Vector3(0, draw(-0.15...0), draw(0.2...0.5)), [0, 1, 0]),
        joint(4, Vector3(0, draw(-0.05...0.1), draw(0.2...0.5)), [0, 1, 0]),
        joint(5, Vector3(0, draw(0.05...0.12), 0), [0, 0, 1]),
        joint(6, Vector3(0, 0, draw(0.05...0.12)), rpy: Vector3(0, 0, draw(-1...1)), [0, 1, 0]),
      ]
    }
    let tool = Transform3(xyz: Vector3(draw(-0.05...0.05), draw(0.02...0.1), draw(0...0.05)), rpy: .zero)
    return try RobotModel(name: "random", joints: joints, tool: tool)
  }

  @Test("law: the walk's nearest is the full list's on random arms of both families, with random limits")
  func nearestAsListedRandomArms() async throws {
    let input = zip(Gen.double(in: 0...1).array(of: 40), Gen.double(in: 0...1).array(of: 20))
    var solved = 0
    await propertyCheck(law: "branch and bound nearest random arms", count: 60, input: input) {
      numbers, draws in
      let robot = try Self.randomArm(numbers)
      let solver = try AnalyticSolver(robot: robot)
      solved += 1
      let distance = Self.distance(robot)
      var generator = SplitMix64(seed: UInt64(draws[0] * 1e9))
      for _ in 0..<20 {
        let q = robot.movableJoints.map { joint in
          let limits = joint.limits ?? JointLimits(lower: -.pi, upper: .pi)
          return Double.random(in: limits.lower...limits.upper, using: &generator)
        }
        let radius = [0.1, 0.5, 3.0][Int.random(in: 0..<3, using: &generator)]
        let start = robot.clampedToLimits(
          q.map { $0 + Double.random(in: -radius...radius, using: &generator) })
        let pose = robot.tipPose(at: q)
        let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
        let found = try solver.nearestReachingSolution(
          for: target, freeJointValues: [], near: start, distance: distance)
        let listed = try solver.reachingSolutions(for: target, freeJointValues: [], near: start)
        let nearest = listed.min { distance($0.jointValues, start) < distance($1.jointValues, start) }
        #expect((found == nil) == (nearest == nil), "q \(q), start \(start)")
        if let found, let nearest {
          #expect(
            abs(distance(found.jointValues, start) - distance(nearest.jointValues, start)) <= 1e-12,
            "q \(q), start \(start): walked \(found.jointValues) against listed \(nearest.jointValues)")
        }
      }
    }
    // Every draw is of a family: a refused arm is a failed case above, so all 60 were solved.
    #expect(solved == 60)
  }

  @Test("law: the walk's nearest is the full list's on a chain solved through its reversed chain")
  func nearestAsListedReversed() async throws {
    let robot = try Self.reversedFamilyArm()
    #expect(try AnalyticSolver(robot: robot).family.contains("reversed chain"))
    try await Self.check(robot, law: "branch and bound nearest reversed")
  }
}
