import Foundation
import NeuralIK
import TestSupport
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

  @Test(
    "at a six-joint arm's singularity a closed form's branch is one of a continuum: a lock its representative misses proves nothing, and another member meets it"
  )
  func singularBranchesProveNothing() throws {
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "ur5.json"))
    let joints = robot.movableJoints
    var generator = SplitMix64(seed: 20_261_207)
    for trial in 0..<6 {
      // The wrist straight (its middle joint at 0 or π): its first and last axes are parallel.
      var q = joints.map { joint in
        let limits = joint.limits ?? JointLimits(lower: -.pi, upper: .pi)
        return Double.random(in: max(limits.lower, -2.5)...min(limits.upper, 2.5), using: &generator)
      }
      q[4] = trial.isMultiple(of: 2) ? 0 : .pi
      let pose = robot.tipPose(at: q)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      // The last joint locked where the target's own configuration has it, or 0.5 rad away.
      let held = q[5] + (trial < 3 ? 0 : 0.5)
      var specification = SolverSpecification.default(.analytic)
      specification.restrictions = [.lock(joints[5].name, at: held)]
      let analytic = try SolverFactory.make(robot: robot, specification: specification)
      let answer = try analytic.solve(target).best
      if !answer.reachable {
        #expect(
          analytic.verdict(on: answer, for: target) != .outOfReach, "trial \(trial), seed 20261207: \(q)")
      }
      specification.kind = .levenbergMarquardt
      let lm = try SolverFactory.make(robot: robot, specification: specification)
      let reached = try lm.solve(target, from: q.enumerated().map { $0 == 5 ? held : $1 }).best
      #expect(reached.reachable && reached.jointValues[5] == held, "trial \(trial): \(reached.jointValues)")
    }
  }

  @Test(
    "a lock no member of the target's configurations meets, away from a singularity, still proves the miss")
  func regularBranchesProveTheMiss() throws {
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "ur5.json"))
    let q = [0.3, -1.2, 1.5, 0.4, 0.8, 0.7]
    let pose = robot.tipPose(at: q)
    let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
    var specification = SolverSpecification.default(.analytic)
    // Six joints fix a pose to finitely many configurations: a lock on a value none has misses.
    let closedForm = try #require(
      SolverFactory.make(robot: robot, specification: specification).analyticSolver)
    let lastValues = try closedForm.allSolutions(for: target).map { $0.jointValues[5] }
    #expect(lastValues.count >= 8)
    let held = 0.5 + q[5]
    #expect(lastValues.allSatisfy { abs(($0 - held).remainder(dividingBy: 2 * .pi)) > 0.1 })
    specification.restrictions = [.lock(robot.movableJoints[5].name, at: held)]
    let analytic = try SolverFactory.make(robot: robot, specification: specification)
    let answer = try analytic.solve(target).best
    #expect(!answer.reachable)
    #expect(analytic.verdict(on: answer, for: target) == .outOfReach)
  }
}
