import Foundation
import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIK

@Suite("Two axes on one line: the pair split nearest the start")
struct CollinearAxesTests {
  /// The iiwa 14 with joint 3 locked at 0: a six-joint arm whose last three axes meet (a spherical
  /// wrist), so that with joint 6 at 0 the axes of joints 5 and 7 are one line.
  static func sixJointIiwa() throws -> (RobotModel, [JointRestriction]) {
    let robot = try RealArm.iiwa14.fromJSON()
    return (robot, [.lock(robot.movableJoints[2].name, at: 0)])
  }

  @Test(
    "collinear pairs: the iiwa's joints 1 and 3, 3 and 5, 5 and 7 line up when the joint between is at 0, and only there; on every real arm, turning a pair's joints by t and −sign·t where it holds leaves the tool where it is, and elsewhere moves it",
    arguments: RealArm.allCases)
  func pairs(arm: RealArm) async throws {
    let robot = try arm.fromJSON()
    let pairs = robot.collinearPairs
    if arm == .iiwa14 {
      // Straight (the second axis along the first) at 0, folded back (against it) half a turn away.
      let found = pairs.map { "\($0.first)-\($0.middle ?? -1)-\($0.second) \($0.sign)" }
      #expect(
        found == ["0-1-2 1.0", "0-1-2 -1.0", "2-3-4 1.0", "2-3-4 -1.0", "4-5-6 1.0", "4-5-6 -1.0"])
      #expect(
        pairs.allSatisfy {
          abs($0.middleValue - ($0.sign > 0 ? 0 : .pi)) < 1e-9 || abs($0.middleValue + .pi) < 1e-9
        })
    }
    // The UR5's wrist axes are parallel but apart at any angle.
    if arm == .ur5 { #expect(pairs.isEmpty) }
    await propertyCheck(law: "collinear pairs on \(arm)", count: 100, input: robot.configurations()) { q in
      for pair in pairs {
        for aligned in [true, false] {
          var at = q
          if let middle = pair.middle, aligned { at[middle] = pair.middleValue }
          // Unaligned: a random configuration misses the value.
          guard aligned || !pair.holds(at: at) else { continue }
          var moved = at
          moved[pair.first] += 0.3
          moved[pair.second] -= pair.sign * 0.3
          let (a, b) = (robot.tipPose(at: at), robot.tipPose(at: moved))
          let change = (a.translation - b.translation).length + a.rotation.angle(to: b.rotation)
          if aligned {
            #expect(change < 1e-12, "pair \(pair) at \(at)")
          } else {
            #expect(change > 1e-6, "pair \(pair) at \(at)")
          }
        }
      }
    }
  }

  @Test(
    "nearest split: a six-joint arm started at a configuration with its wrist held straight, asked for that configuration's pose, answers the start itself, with the closed form and with the hybrid",
    arguments: [SolverKind.analytic, .hybrid])
  func startIsTheAnswer(kind: SolverKind) async throws {
    let (robot, restrictions) = try Self.sixJointIiwa()
    let network = kind == .hybrid ? try IKNetwork(contentsOf: CommittedArm.iiwa14.modelURL, for: robot) : nil
    let solver = try Solvers.make(kind, robot, network: network) { $0.restrictions = restrictions }
    let all = try Solvers.make(kind, robot, network: network) {
      $0.restrictions = restrictions
      $0.findAll = true
    }
    await propertyCheck(
      law: "nearest split on the six-joint iiwa with \(kind)", count: 100, input: robot.configurations()
    ) { q in
      var start = q
      start[2] = 0
      start[5] = 0
      let pose = robot.tipPose(at: start)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      let answer = try solver.solve(target, from: start).best
      #expect(answer.reachable)
      #expect(
        JointDistance(robot: robot)(answer.jointValues, start) < 1e-6, "\(answer.jointValues) from \(start)")
      // Every solution listed: the start's branch among them (its split of joints 5 and 7 may
      // differ), none twice.
      let listed = try all.solve(target, from: start).solutions
      #expect(
        listed.contains { s in [0, 1, 3].allSatisfy { abs(s.jointValues[$0] - start[$0]) < 1e-6 } },
        "\(listed.map(\.jointValues)) from \(start)")
      for (index, solution) in listed.enumerated() {
        #expect(
          !listed[..<index].contains {
            LevenbergMarquardtSolver.sameConfiguration($0.jointValues, solution.jointValues)
          })
      }
    }
  }
}
