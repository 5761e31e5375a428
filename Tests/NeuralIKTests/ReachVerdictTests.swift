import Foundation
import NeuralIK
import Testing

@Suite("The verdict on a miss")
struct ReachVerdictTests {
  /// The three-joint fixture arm's geometry (links 0.35, 0.4 and 0.3 m) at `scale`.
  static func threeJointArm(scale: Double) throws -> RobotModel {
    let pitch = Vector3(0, -1, 0)
    return try RobotModel(
      name: "three-joint-\(scale)",
      joints: [
        Joint(name: "yaw", type: .revolute, limits: JointLimits(lower: -2.967, upper: 2.967)),
        Joint(
          name: "shoulder", type: .revolute, origin: Transform3(translation: Vector3(0, 0, 0.35 * scale)),
          axis: pitch, limits: JointLimits(lower: -0.349, upper: 3.49)),
        Joint(
          name: "elbow", type: .revolute, origin: Transform3(translation: Vector3(0.4 * scale, 0, 0)),
          axis: pitch, limits: JointLimits(lower: -2.618, upper: 2.618)),
      ],
      tool: Transform3(translation: Vector3(0.3 * scale, 0, 0)))
  }

  @Test(
    "a miss by less than a millimetre is a hair's on a metre-sized arm, and proved out of reach on a millimetre-sized one, whose near-miss band is a thousandth of its reach",
    arguments: [1.0, 1e-3])
  func nearMissScalesWithTheArm(scale: Double) throws {
    let robot = try Self.threeJointArm(scale: scale)
    let solver = try SolverFactory.make(robot: robot, specification: .default(.analytic))
    // 0.4 mm beyond the outstretched arm (0.7 m from the shoulder, or 0.7 mm), straight ahead.
    let target = try IKTarget(position: Vector3(0.7 * scale + 4e-4, 0, 0.35 * scale))
    let best = try solver.solve(target).best
    #expect(!best.reachable)
    #expect(abs(best.positionError - 4e-4) < 1e-9, "\(best.positionError)")
    let expected: ReachVerdict = scale == 1 ? .notReachedToTolerance : .outOfReach
    #expect(solver.verdict(on: best, for: target) == expected)
  }

  @Test("a robot whose every joint is held proves its miss: it has one pose, and the answer is that pose")
  func heldJointsProveTheMiss() throws {
    let robot = try Self.threeJointArm(scale: 1)
    var specification = SolverSpecification.default(.levenbergMarquardt)
    specification.restrictions = robot.movableJoints.map { .lock($0.name, at: 0.3) }
    let solver = try SolverFactory.make(robot: robot, specification: specification)
    let target = try IKTarget(position: Vector3(0.2, 0.1, 0.5))
    let best = try solver.solve(target).best
    #expect(!best.reachable && best.jointValues == [0.3, 0.3, 0.3])
    #expect(solver.verdict(on: best, for: target) == .outOfReach)
    // One joint free again: a search's miss proves nothing.
    specification.restrictions.removeFirst()
    let searching = try SolverFactory.make(robot: robot, specification: specification)
    let searched = try searching.solve(target).best
    #expect(!searched.reachable)
    #expect(searching.verdict(on: searched, for: target) == .noSolutionFound)
  }
}
