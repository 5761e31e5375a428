import Foundation
import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIK

@Suite("Out of reach, where the robot is decides among the closest")
struct OutOfReachNearStartTests {
  /// A straight line of `count` position targets, `length` long, whose every point lies at least
  /// `1.5` reach radii from the reach sphere's centre and away from the base's vertical axis
  /// (straight above or below it, the first joint's best value is undetermined and a path there
  /// may turn it as the target passes).
  static func farLine(_ robot: RobotModel, count: Int, using rng: inout some RandomNumberGenerator) throws
    -> [IKTarget]
  {
    let sphere = robot.reachSphere
    // A heading and an elevation of at most about 31°: never near the base's vertical axis.
    let heading = Double.random(in: -.pi...(.pi), using: &rng)
    let elevation = Double.random(in: -0.55...0.55, using: &rng)
    let direction = Vector3(cos(elevation) * cos(heading), cos(elevation) * sin(heading), sin(elevation))
    let centre = sphere.centre + direction * (sphere.radius * Double.random(in: 1.6...3, using: &rng))
    // Across the line of sight, so the whole line stays out of reach.
    var across = direction.cross(Vector3(0, 0, 1))
    across = across / across.length
    let length = 0.2 * sphere.radius
    return try (0..<count).map { step in
      let along = length * (Double(step) / Double(count - 1) - 0.5)
      return try IKTarget(position: centre + across * along)
    }
  }

  @Test(
    "continuity beyond the reach: along a line of position targets out of reach, each solved by the default hybrid from the answer before, a step turns a joint by more than 0.2 rad only to an answer closer, beyond the tolerance, than the local search from the answer before finds (the closest configurations facing the line, or the mirror ones reaching over the shoulder, are as close: the start decides)",
    arguments: [CommittedArm.panda, .iiwa14, .ur5])
  func continuityBeyondTheReach(arm: CommittedArm) async throws {
    let robot = try arm.robot()
    let solver = try Solvers.make(
      .hybrid, robot, network: try IKNetwork(contentsOf: arm.modelURL, for: robot))
    // The configurations that continue the answer before: a local search from it.
    let local = try Solvers.make(.levenbergMarquardt, robot) { $0.randomRestarts = 0 }
    let input = Generator<[IKTarget], Shrink.None<[IKTarget]>> { rng in
      (try? Self.farLine(robot, count: 11, using: &rng)) ?? []
    }
    var jumps = 0
    await propertyCheck(law: "continuity beyond the reach on \(arm)", count: 10, input: input) { targets in
      try #require(targets.count == 11, "no line drawn")
      let path = try solver.solvePath(targets)
      #expect(path.results.allSatisfy { !$0.best.reachable })
      // A search from the middle can settle on closest configurations against a limit, and a
      // later target's search find closer ones on another branch (the iiwa: 0.4 mm closer).
      for index in path.steps.indices.dropFirst() where path.steps[index] > 0.2 {
        jumps += 1
        let answer = path.results[index].best
        let continued = try local.solve(targets[index], from: path.results[index - 1].best.jointValues).best
        #expect(
          answer.positionError < continued.positionError - 1e-6,
          "step \(index) of \(path.steps[index]): \(answer.positionError) m at \(answer.jointValues), continuing \(continued.positionError) m at \(continued.jointValues)"
        )
      }
    }
    // Most steps follow on (a jump needs a closer branch that the first search missed): a law
    // that held only because every step jumped to a closer answer would say little.
    #expect(jumps <= 10, "\(jumps) jumps in 100 steps")
  }

  @Test(
    "a joint that does not move the tool stays where the robot has it: out of reach, the UR5's last joint (its tool point lies on that joint's axis) keeps the start's value for a position target"
  )
  func idleJointStays() throws {
    let robot = try CommittedArm.ur5.robot()
    let network = try IKNetwork(contentsOf: CommittedArm.ur5.modelURL, for: robot)
    for solver in [
      try Solvers.make(.hybrid, robot, network: network), try Solvers.make(.levenbergMarquardt, robot),
    ] {
      var rng = SplitMix64(seed: 5)
      for _ in 0..<5 {
        let target = try Self.farLine(robot, count: 2, using: &rng)[0]
        var start = robot.randomConfiguration(using: &rng)
        start[5] = Double.random(in: -3...3, using: &rng)
        let answer = try solver.solve(target, from: start).best
        #expect(!answer.reachable)
        #expect(answer.jointValues[5] == start[5], "\(solver.kind): \(answer.jointValues) from \(start)")
        // Without a start, the same closest distance, to the tie.
        let cold = try solver.solve(target).best
        #expect(
          answer.positionError <= cold.positionError + 1e-6 + OutOfReachChoice.relativeTie
            * cold.positionError)
      }
    }
  }

  @Test(
    "the choice among the closest: without a start, the least error (the first found among exact ties); with one, the nearest it among those within the tolerance of the least error, never a farther-off one"
  )
  func choice() throws {
    let robot = try CommittedArm.ur5.robot()
    let target = try IKTarget(position: Vector3(3, 0, 0.5))
    func solution(_ q: [Double]) -> Solution {
      Solution(
        robot: robot, target: target, jointValues: q, tolerance: .exact, iterations: 0,
        solver: .levenbergMarquardt)
    }
    // The closest configuration, and the same with the last joint, which turns the tool about its
    // point, elsewhere: three equally close configurations.
    let facing = try Solvers.make(.levenbergMarquardt, robot).solve(target).best.jointValues
    var turned = facing
    turned[5] = facing[5] + 2.0
    var turnedFurther = facing
    turnedFurther[5] = facing[5] - 2.5
    // The elbow bent: farther from the target.
    var folded = facing
    folded[2] += facing[2] > 0 ? -1.5 : 1.5
    let candidates = [facing, turned, turnedFurther, folded].map(solution)
    #expect(candidates[3].positionError > candidates[0].positionError + 0.1)
    let choice = OutOfReachChoice(
      distance: JointDistance(robot: robot), rotationWeight: 0.1, tolerance: .exact)
    #expect(choice.closestIndex(candidates, near: nil) == 0)
    #expect(choice.closestIndex([], near: nil) == nil)
    var start = facing
    start[5] = facing[5] + 1.8
    #expect(choice.closestIndex(candidates, near: start) == 1)
    start[5] = facing[5] - 2.2
    start[2] = folded[2]
    #expect(choice.closestIndex(candidates, near: start) == 2)
    // Settling: the idle last joint goes to the start's value; the elbow would change the error.
    let settled = choice.settled(
      candidates[0], toward: start, robot: robot, target: target, tolerance: .exact)
    var expected = facing
    expected[5] = start[5]
    #expect(settled.jointValues == expected)
    #expect(settled.positionError <= candidates[0].positionError * (1 + 1e-12))
  }

  @Test(
    "as close means within the tolerance's position bound and a ten-thousandth of the closest miss: micrometres of a centimetres-long miss are no reason to swing"
  )
  func tieScalesWithTheMiss() throws {
    let robot = try FixtureArm.arm3DoF.robot()
    let choice = OutOfReachChoice(
      distance: JointDistance(robot: robot), rotationWeight: 0.1, tolerance: .exact)
    // An xArm6's two answers to one pose 4.5 cm out of reach: its start's, and one half a turn away.
    #expect(choice.isAsClose(0.0448978, as: 0.0448953))
    #expect(!choice.isAsClose(0.04491, as: 0.0448953))
    // Within reach's scale, the tolerance decides.
    #expect(choice.isAsClose(1.5e-6, as: 1e-6))
    #expect(!choice.isAsClose(2.1e-6, as: 1e-6))
  }
}
