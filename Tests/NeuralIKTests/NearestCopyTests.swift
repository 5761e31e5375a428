import Foundation
import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIK

@Suite("Full-turn joints answered in the copy nearest the start")
struct NearestCopyTests {
  /// The UR5 (every joint's limits span ±2π), with its first joint made continuous.
  static func ur5WithContinuousBase() throws -> RobotModel {
    try RealArm.ur5.withFullTurn(joint: 0, name: "ur5-continuous-base")
  }

  @Test(
    "nearest copy: no whole-turn copy inside the limits of an answer's full-turn joint is nearer the start, and a continuous joint's lies within half a turn of it"
  )
  func nearestCopy() async throws {
    let robot = try Self.ur5WithContinuousBase()
    // `lm` from the start: its answers land in whichever copy its steps reach (the closed form
    // already answers in the copy nearest the start).
    let solver = try Solvers.make(.levenbergMarquardt, robot)
    // Starts anywhere in the limits, the continuous joint's up to three turns either way.
    let input = Generator<([Double], [Double]), Shrink.None<([Double], [Double])>> { rng in
      var start = robot.randomConfiguration(using: &rng)
      start[0] = Double.random(in: -6 * .pi...6 * .pi, using: &rng)
      return (start, robot.randomConfiguration(using: &rng))
    }
    await propertyCheck(law: "nearest copy on the UR5", count: 200, input: input) { start, q in
      let pose = robot.tipPose(at: q)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      // Reached or not (`lm` may miss from a far start), the answer is in its nearest copy.
      let answer = try solver.solve(target, from: start).best.jointValues
      #expect(abs(answer[0] - start[0]) <= .pi + 1e-9, "continuous joint at \(answer[0])")
      for (joint, limits) in robot.movableJoints.map(\.limits).enumerated() {
        guard let limits, limits.range >= 2 * .pi else { continue }
        let reference = limits.clamp(start[joint])
        for copy in [answer[joint] - 2 * .pi, answer[joint] + 2 * .pi] where limits.clamp(copy) == copy {
          #expect(
            abs(copy - reference) >= abs(answer[joint] - reference), "joint \(joint + 1) at \(answer[joint])")
        }
      }
    }
  }

  @Test(
    "a continuous joint's answer stays within the values a start may take, so that it serves as the next start, however near their bound the start is",
    arguments: [SolverKind.levenbergMarquardt, .hybrid])
  func continuousWithinStartBound(kind: SolverKind) throws {
    let robot = try Self.ur5WithContinuousBase()
    let solver = try Solvers.make(kind, robot)
    let q = [0.3, -1.2, 1.5, 0.4, 0.8, 0.7]
    let pose = robot.tipPose(at: q)
    let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
    for edge in [RobotLimits.jointValue - 0.1, -RobotLimits.jointValue + 0.1, RobotLimits.jointValue] {
      var start = q
      start[0] = edge
      let answer = try solver.solve(target, from: start).best
      #expect(answer.reachable, "\(kind) from \(edge): \(answer.jointValues)")
      #expect(
        abs(answer.jointValues[0]) <= RobotLimits.jointValue, "\(kind) from \(edge): \(answer.jointValues[0])"
      )
      // The answer as the next start: accepted, and answered where it is.
      let again = try solver.solve(target, from: answer.jointValues).best
      #expect(again.reachable && abs(again.jointValues[0] - answer.jointValues[0]) < 1e-6)
    }
  }

  @Test("custom limits: a joint narrowed below a turn is never moved a turn, out of them, towards the start")
  func narrowedJointKeepsItsLimits() async throws {
    let robot = try Self.ur5WithContinuousBase()
    let name = robot.movableJoints[1].name
    let solver = try Solvers.make(.levenbergMarquardt, robot) {
      $0.restrictions = [JointRestriction(joint: name, lower: -3, upper: 3)]
    }
    // The start near one end of the narrowed range, the target's configuration near the other:
    // the copy a turn away would be nearer the start, and outside the narrowed limits.
    let input = Generator<([Double], [Double]), Shrink.None<([Double], [Double])>> { rng in
      var start = robot.randomConfiguration(using: &rng)
      var q = robot.randomConfiguration(using: &rng)
      start[1] = Double.random(in: 2.5...3, using: &rng)
      q[1] = Double.random(in: -3 ... -2.5, using: &rng)
      return (start, q)
    }
    await propertyCheck(law: "nearest copy inside custom limits", count: 100, input: input) { start, q in
      let pose = robot.tipPose(at: q)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      let answer = try solver.solve(target, from: start).best.jointValues
      #expect((-3...3).contains(answer[1]), "joint 2 at \(answer[1])")
    }
  }

  @Test(
    "travel: a continuous joint is measured the short way round, a joint with limits by its change of value")
  func travel() throws {
    let robot = try Self.ur5WithContinuousBase()
    let travel = JointDistance(travelOf: robot)
    let distance = JointDistance(robot: robot)
    // Joint 1 continuous, joint 2 revolute over ±2π: 5 → −3 is 1.28 the short way, 8 by value.
    let a = [5.0, 5.0, 0, 0, 0, 0]
    let b = [-3.0, -3.0, 0, 0, 0, 0]
    #expect(abs(travel.change(a[0], b[0], joint: 0) - (8 - 2 * .pi).magnitude) < 1e-12)
    #expect(travel.change(a[1], b[1], joint: 1) == 8)
    #expect(travel.largestChange(a, b) == 8)
    #expect(abs(distance.change(a[1], b[1], joint: 1) - (2 * .pi - 8).magnitude) < 1e-12)
  }
}
