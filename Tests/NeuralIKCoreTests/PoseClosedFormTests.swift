import Foundation
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIKCore

/// The closed forms of the real arms against their own forward kinematics.
@Suite("Pose closed forms")
struct PoseClosedFormTests {
  /// Largest joint difference with revolute values compared modulo 2π.
  static func wrappedDistance(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs(remainder($0 - $1, 2 * .pi)) }.max() ?? 0
  }

  static func poseTarget(_ robot: RobotModel, _ q: [Double]) throws -> IKTarget {
    let pose = robot.tipPose(at: q)
    return try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
  }

  /// Checks the laws on one target made from `q`: every solution reaches it to 1e-9 m and
  /// 1e-9 rad inside the limits, and `q` is among them up to whole turns.
  static func checkRoundTrip(_ solutions: [Solution], robot: RobotModel, q: [Double]) {
    #expect(!solutions.isEmpty, "q \(q)")
    let target = robot.tipPose(at: q)
    for solution in solutions {
      // The robot's own FK of each configuration, not the solver's report of it.
      let reached = robot.tipPose(at: solution.jointValues)
      let positionGap = (reached.translation - target.translation).length
      #expect(positionGap < 1e-9, "q \(q): \(solution.jointValues) misses by \(positionGap) m")
      #expect(reached.rotation.angle(to: target.rotation) < 1e-9, "q \(q): \(solution.jointValues)")
      #expect(solution.positionError < 1e-9 && (solution.rotationError ?? .infinity) < 1e-9, "q \(q)")
      #expect(robot.isWithinLimits(solution.jointValues), "q \(q): \(solution.jointValues)")
    }
    let nearest = solutions.map { wrappedDistance($0.jointValues, q) }.min() ?? .infinity
    // Branches meet at singular configurations, where the generating q is only approached.
    #expect(nearest < 1e-6, "generating q \(q) not among \(solutions.count) solutions (nearest \(nearest))")
  }

  @Test("UR5: IK ∘ FK is exact on every branch, finds the generating q, at most 8 branches")
  func ur5RoundTrip() async throws {
    let robot = try RealArm.ur5.fromJSON()
    let solver = try AnalyticSolver(robot: robot)
    #expect(solver.family.contains("three parallel axes"), "\(solver.family)")
    await propertyCheck(seed: 51, count: 60, input: robot.configurations()) { q in
      let target = try Self.poseTarget(robot, q)
      Self.checkRoundTrip(try solver.allSolutions(for: target), robot: robot, q: q)
      let branches = try solver.branches(for: target).filter { $0.condition == .exact }
      var distinct: [[Double]] = []
      for branch in branches
      where !distinct.contains(where: { Self.wrappedDistance($0, branch.solution.jointValues) < 1e-7 }) {
        distinct.append(branch.solution.jointValues)
      }
      #expect((1...8).contains(distinct.count), "q \(q): \(distinct.count) branches modulo full turns")
    }
  }

  @Test("UR5: joints with a range over 2π list every in-limit copy of each branch")
  func ur5FullTurnCopies() throws {
    let robot = try RealArm.ur5.fromJSON()
    let solver = try AnalyticSolver(robot: robot)
    let q = [0.3, -1.1, 1.4, -0.9, 1.2, 0.4]
    let solutions = try solver.allSolutions(for: Self.poseTarget(robot, q))
    // Limits ±2π: each of six angles has exactly two in-limit values away from ±π and 0.
    let modulo = Set(solutions.map { $0.jointValues.map { (remainder($0, 2 * .pi) * 1e6).rounded() } })
    #expect(solutions.count == modulo.count * 64, "\(solutions.count) solutions, \(modulo.count) branches")
  }

  @Test(
    "7-joint arms with the free joint given: IK ∘ FK is exact on every branch and finds q",
    arguments: [RealArm.iiwa14, .panda])
  func givenFreeJoint(arm: RealArm) async throws {
    let robot = try arm.fromJSON()
    let free = try #require(AnalyticSolver(robot: robot).freeJoint)
    let index = try #require(robot.movableJoints.firstIndex { $0.name == free })
    await propertyCheck(seed: 61, count: 60, input: robot.configurations()) { q in
      let locked = try robot.restricted([.lock(free, at: q[index])])
      let solver = try AnalyticSolver(robot: locked)
      #expect(solver.freeJoint == free)
      Self.checkRoundTrip(try solver.allSolutions(for: Self.poseTarget(robot, q)), robot: locked, q: q)
    }
  }

  @Test(
    "7-joint arms: turning the held joint moves the chain rigidly from its place on (equal to the chain read anew)",
    arguments: [RealArm.iiwa14, .panda])
  func movedChainIsReadChain(arm: RealArm) async throws {
    let robot = try arm.fromJSON()
    for free in 0..<robot.degreesOfFreedom {
      var reference = [Double](repeating: 0, count: 7)
      reference[free] = robot.movableJoints[free].limits?.middle ?? 0
      let chain = ScrewChain(robot: robot, reference: reference, held: [free])
      // Boxed: SIMD values live across the `await` below are what Swift's async frames miscount.
      let frame = HeapBox(robot.jointFrames(at: reference)[free])
      let axis = HeapBox(frame.value.rotation * robot.movableJoints[free].axis)
      await propertyCheck(seed: 65, count: 20, input: robot.configurations()) { q in
        let (frame, axis) = (frame.value, axis.value)
        var moved = reference
        moved[free] = q[free]
        let rotation = Rotation3(axis: axis / axis.length, angle: q[free] - reference[free])
        let motion = Transform3(
          rotation: rotation, translation: frame.translation - rotation * frame.translation)
        let turned = chain.moving(from: free, by: motion)
        let read = ScrewChain(robot: robot, reference: moved, held: [free])
        for index in 0..<6 {
          #expect((turned.axes[index] - read.axes[index]).length < 1e-12, "joint \(free) held, axis \(index)")
          // Points are any point of the line: compare the lines.
          let offset = turned.points[index] - read.points[index]
          #expect(offset.cross(read.axes[index]).length < 1e-12, "joint \(free) held, line \(index)")
        }
        #expect((turned.home.translation - read.home.translation).length < 1e-12)
        #expect(turned.home.rotation.angle(to: read.home.rotation) < 1e-12)
      }
    }
  }

  @Test("7-joint arms: the free joint is the one the self-motion moves most of those leaving a family")
  func freeJointChoice() throws {
    // iiwa: joint 3 moves most with the self-motion (joint 4, the elbow, not at all) and leaves a
    // spherical wrist.
    #expect(try AnalyticSolver(robot: RealArm.iiwa14.fromJSON()).freeJoint == "iiwa_joint_3")
    // Panda: joint 5 moves most, but leaves a family only at 0 (axes 4 and 6 parallel), which
    // the round-trip check refuses; joints 3 and 1 leave none; joint 7 leaves a spherical
    // shoulder with axes 5 and 6 meeting.
    #expect(try AnalyticSolver(robot: RealArm.panda.fromJSON()).freeJoint == "panda_joint7")
    let iiwa = try RealArm.iiwa14.fromJSON().restricted([.lock("iiwa_joint_1", at: 0.4)])
    #expect(try AnalyticSolver(robot: iiwa).freeJoint == "iiwa_joint_1", "a locked joint comes first")
  }

  @Test(
    "Self-motion: J · n = 0 and |n| = 1 at random 7-joint configurations; the elbow of an S-R-S arm keeps still"
  )
  func selfMotionIsNullSpace() async throws {
    for arm in [RealArm.iiwa14, .panda] {
      let robot = try arm.fromJSON()
      await propertyCheck(seed: 64, count: 200, input: robot.configurations()) { q in
        let jacobian = robot.jacobian(at: q)
        let n = try #require(jacobian.selfMotion)
        #expect(abs(n.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
        for row in 0..<6 {
          let velocity = (0..<7).reduce(0) { $0 + jacobian[row, $1] * n[$1] }
          #expect(abs(velocity) < 1e-10, "row \(row): \(velocity)")
        }
        if arm == .iiwa14 { #expect(abs(n[3]) < 1e-9) }
      }
    }
    #expect(Jacobian(columns: 6).selfMotion == nil)
    #expect(Jacobian(columns: 7).selfMotion == nil, "rank 0: no single direction")
  }

  @Test("7-joint arms: solved at the start's free-joint value, the closed form finds the start")
  func startFreeJoint() async throws {
    for arm in [RealArm.iiwa14, .panda] {
      let robot = try arm.fromJSON()
      let solver = try AnalyticSolver(robot: robot)
      await propertyCheck(seed: 62, count: 50, input: robot.configurations()) { q in
        let solutions = try solver.allSolutions(for: Self.poseTarget(robot, q), from: q, sweep: false)
        Self.checkRoundTrip(solutions, robot: robot, q: q)
      }
    }
  }

  @Test("7-joint arms: the sweep reaches most targets, each solution FK-exact and inside the limits")
  func sweep() async throws {
    for arm in [RealArm.iiwa14, .panda] {
      let robot = try arm.fromJSON()
      let solver = try AnalyticSolver(robot: robot)
      var reached = 0
      await propertyCheck(seed: 63, count: 40, input: robot.configurations()) { q in
        let solutions = try solver.allSolutions(for: Self.poseTarget(robot, q))
        if solutions.contains(where: \.reachable) { reached += 1 }
        for solution in solutions {
          #expect(robot.isWithinLimits(solution.jointValues), "q \(q)")
          if solution.reachable {
            #expect(solution.positionError < 1e-9 && (solution.rotationError ?? 1) < 1e-9, "q \(q)")
          }
        }
      }
      // A target whose self-motion stays inside the limits over less than the sweep's spacing
      // (5.9 rad / 63, about 5°) can fall between two samples; on random targets that is rare.
      #expect(reached >= 36, "\(arm): the sweep reached \(reached) of 40 targets")
    }
  }

  @Test(
    "a six-joint arm with a prismatic joint (a rail under it, or a lift after its first axis): the slide is the free joint; with it given, IK ∘ FK is exact on every branch and finds q; swept, most targets are reached",
    arguments: [0, 1])
  func slideAsFreeJoint(before joint: Int) async throws {
    let robot = try RealArm.ur5.withSlide(
      before: joint, axis: [0.6, 0.8, 0], lower: -0.4, upper: 1.6, name: "ur5-slide-\(joint)")
    let solver = try AnalyticSolver(robot: robot)
    #expect(solver.freeJoint == "slide")
    var reached = 0
    await propertyCheck(seed: 66, count: 40, input: robot.configurations()) { q in
      let target = try Self.poseTarget(robot, q)
      Self.checkRoundTrip(try solver.allSolutions(for: target, from: q, sweep: false), robot: robot, q: q)
      let swept = try solver.allSolutions(for: target)
      if swept.contains(where: \.reachable) { reached += 1 }
      for solution in swept {
        #expect(robot.isWithinLimits(solution.jointValues), "q \(q)")
        if solution.reachable {
          let reached = robot.tipPose(at: solution.jointValues)
          #expect((reached.translation - target.position).length < 1e-9, "q \(q): \(solution.jointValues)")
        }
      }
    }
    // The UR5's joints turn ±2π, so the slide is the only narrow range: most targets are met
    // over a wide range of it.
    #expect(reached >= 36, "the sweep reached \(reached) of 40 targets")
  }

  @Test("a random 6-revolute chain of no family is refused, naming each family checked")
  func refusesGenericChain() async throws {
    await propertyCheck(seed: 71, count: 20, input: Gen.double(in: -1...1).array(of: 36)) { values in
      let joints = (0..<6).map { index in
        let v = Array(values[(6 * index)..<(6 * index + 6)])
        return Joint(
          name: "j\(index)", type: .revolute,
          origin: Transform3(xyz: Vector3(v[0], v[1], v[2]) * 0.3, rpy: Vector3(v[3], v[4], v[5]) * 2),
          axis: [0, 0, 1], limits: JointLimits(lower: -3, upper: 3))
      }
      let robot = try RobotModel(name: "generic", joints: joints, tool: .identity)
      #expect {
        try AnalyticSolver(robot: robot)
      } throws: { error in
        let text = "\(error)"
        return text.contains("spherical wrist") && text.contains("spherical shoulder")
          && text.contains("three parallel axes") && text.contains("use the 'lm' solver")
      }
    }
  }

  @Test("position targets on a pose closed form are refused, naming the kind it takes")
  func refusesPositionTarget() throws {
    let robot = try RealArm.ur5.fromJSON()
    let solver = try AnalyticSolver(robot: robot)
    #expect(solver.targetKind == .pose)
    #expect {
      try solver.allSolutions(for: IKTarget(position: Vector3(0.3, 0.1, 0.4)))
    } throws: { "\($0)".contains("takes pose targets") }
  }

  @Test("an unreachable pose is not an error: the least-squares branches, flagged, inside the limits")
  func outOfReach() throws {
    let robot = try RealArm.ur5.fromJSON()
    let solver = try AnalyticSolver(robot: robot)
    let target = try IKTarget(position: Vector3(3, 0, 0), orientation: Quaternion(.identity))
    let solutions = try solver.allSolutions(for: target)
    #expect(!solutions.isEmpty)
    #expect(solutions.allSatisfy { !$0.reachable && robot.isWithinLimits($0.jointValues) })
    #expect(try solver.branches(for: target).contains { $0.condition == .leastSquares })
  }
}

@Suite("Joint values of a closed-form angle")
struct AngleJointTests {
  @Test(
    "a value a hair past a limit is taken, clamped, where it is the only copy near that end; exact copies come before such a one"
  )
  func hairPastALimit() {
    let stop = AngleJoint(sign: 1, offset: 0, limits: JointLimits(lower: -3.3, upper: 3.3))
    let past = -3.3 - 2.7e-10
    #expect(stop.values(forAngle: past) == [past + 2 * .pi, -3.3])
    #expect(stop.value(forAngle: past, nearest: -3.2) == -3.3)
    #expect(stop.values(forAngle: -3.3 - 1e-6) == [-3.3 - 1e-6 + 2 * .pi])
    // A joint at 0 on limits of ±2π: 0 and 2π are exact, and −2π, a hair past, is not listed.
    let turning = AngleJoint(sign: 1, offset: 0, limits: JointLimits(lower: -2 * .pi, upper: 2 * .pi))
    #expect(turning.values(forAngle: -1e-9) == [-1e-9, 2 * .pi - 1e-9])
  }

  @Test("copies of a branch share one FK only when every joint differs by whole turns")
  func wholeTurns() {
    #expect(AnalyticSolver.differsByWholeTurns([0.5, -1], [0.5 + 2 * .pi, -1 - 4 * .pi]))
    #expect(!AnalyticSolver.differsByWholeTurns([-3.3, 1], [-3.3 - 2.7e-10 + 2 * .pi, 1]))
    #expect(!AnalyticSolver.differsByWholeTurns([0.5], [0.5, 1]))
  }

  @Test("the nearest in-limit value is the nearest of every in-limit value, and nil when there is none")
  func nearestOfEvery() async {
    let draws = Gen.double(in: -1...1).array(of: 5)
    await propertyCheck(seed: 85, count: 5000, input: draws) { d in
      let lower = d[0] * 7
      let limits = JointLimits(lower: lower, upper: lower + abs(d[1]) * 9)
      let joint = AngleJoint(sign: d[2] < 0 ? -1 : 1, offset: d[3], limits: limits)
      let angle = d[4] * 4
      let start = d[1] * 8
      let every = joint.values(forAngle: angle)
      let nearest = every.min { abs($0 - start) < abs($1 - start) }
      let value = joint.value(forAngle: angle, nearest: start)
      #expect(
        value.map { v in abs(v - (nearest ?? .nan)) < 1e-12 } ?? (nearest == nil),
        "\(d): \(every), \(String(describing: value))")
    }
  }
}
