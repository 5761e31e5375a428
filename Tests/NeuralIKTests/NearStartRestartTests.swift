import Foundation
import NeuralIK
import TestSupport
import Testing

/// `lm` under the nearest preference where the caller's own start misses: the restarts begin near
/// the start, and the nearest of the answers that reach wins.
@Suite("Where the robot is: when the start's own steps miss")
struct NearStartRestartTests {
  /// A five-joint arm whose last joint turns the gripper about its own axis: for a position it
  /// moves nothing, and a nearest answer leaves it where it was. No closed form: the default
  /// solver is `lm`.
  static let fiveJointArm = """
    <?xml version="1.0"?>
    <robot name="five-joint-arm">
      <link name="base"/><link name="l1"/><link name="l2"/><link name="l3"/><link name="l4"/>
      <link name="l5"/><link name="grip"/>
      <joint name="yaw" type="revolute"><parent link="base"/><child link="l1"/>
        <origin xyz="0 0 0.1"/><axis xyz="0 0 1"/><limit lower="-2.6" upper="2.6" effort="1" velocity="1"/></joint>
      <joint name="shoulder" type="revolute"><parent link="l1"/><child link="l2"/>
        <origin xyz="0 0 0.12"/><axis xyz="0 1 0"/><limit lower="-1.6" upper="1.6" effort="1" velocity="1"/></joint>
      <joint name="elbow" type="revolute"><parent link="l2"/><child link="l3"/>
        <origin xyz="0 0 0.3"/><axis xyz="0 1 0"/><limit lower="-2.4" upper="2.4" effort="1" velocity="1"/></joint>
      <joint name="wrist_pitch" type="revolute"><parent link="l3"/><child link="l4"/>
        <origin xyz="0.25 0 0"/><axis xyz="0 1 0"/><limit lower="-1.8" upper="1.8" effort="1" velocity="1"/></joint>
      <joint name="wrist_roll" type="revolute"><parent link="l4"/><child link="l5"/>
        <origin xyz="0.06 0 0"/><axis xyz="1 0 0"/><limit lower="-3" upper="3" effort="1" velocity="1"/></joint>
      <joint name="grip_mount" type="fixed"><parent link="l5"/><child link="grip"/>
        <origin xyz="0.1 0 0"/></joint>
    </robot>
    """

  @Test(
    "a start whose own steps run into a limit: the answer reaches near it, and the joint that moves nothing stays put"
  )
  func startThatMisses() throws {
    let robot = try RobotModel(urdf: Data(Self.fiveJointArm.utf8))
    let solver = try SolverFactory.make(robot: robot)
    #expect(solver.kind == .levenbergMarquardt)
    // Close to the yaw axis: the steps from this start turn the yaw into its limit and miss (a
    // user's report; before, the first restart that reached was the answer, 3.4 rad away with
    // the wrist roll turned by 2.2 rad). A configuration 1.03 rad from the start reaches it.
    let start = [
      0.7332060107807657, -1.0585726353105853, 2.2968635193045777, -1.1221934640469104, 0.4973098593,
    ]
    let target = try IKTarget(
      position: Vector3(0.05474928155566387, 0.01628422637897152, 0.29509259719403486))
    let answer = try solver.solve(target, from: start).best
    #expect(answer.reachable)
    let largest = solver.largestStep(from: start, to: answer.jointValues)
    #expect(largest < 1.0, "largest joint change \(largest): \(answer.jointValues)")
    #expect(abs(answer.jointValues[4] - start[4]) < 0.05, "the wrist roll moved: \(answer.jointValues)")
  }

  @Test(
    "budget law: lm from starts anywhere, under tight budgets too, never runs more than its iteration budget",
    arguments: ["five-joint", "panda", "ur5", "gen3-like"])
  func budget(arm: String) throws {
    let robot =
      switch arm {
      case "five-joint": try RobotModel(urdf: Data(Self.fiveJointArm.utf8))
      case "panda": try RealArm.panda.fromJSON()
      case "ur5": try RealArm.ur5.fromJSON()
      default: try RobotModel(urdfContentsOf: Fixtures.robots.appending(path: "gen3-like.urdf"))
      }
    let poses = robot.degreesOfFreedom >= 6
    // The near-start slides of a redundant arm once took their 30 steps whatever was left (37
    // iterations of a budget of 10).
    for (total, perStart) in [(10, 10), (40, 10), (60, 200), (2000, 200)] {
      let solver = try Solvers.make(.levenbergMarquardt, robot) {
        $0.iterationBudget = total
        $0.startIterationBudget = perStart
      }
      var generator = SplitMix64(seed: 7)
      for index in 0..<40 {
        let q = robot.randomConfiguration(using: &generator)
        let start = robot.randomConfiguration(using: &generator)
        let result = try solver.solve(DataGeneration.target(robot: robot, q: q, poses: poses), from: start)
        #expect(
          result.iterations <= total, "seed 7, \(total)/\(perStart), target \(index): \(result.iterations)")
        #expect(robot.isWithinLimits(result.best.jointValues), "seed 7, target \(index)")
      }
    }
  }
}
