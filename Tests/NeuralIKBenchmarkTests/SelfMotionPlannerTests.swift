import Foundation
import NeuralIKBenchmark
import TestSupport
import Testing

@testable import NeuralIK

@Suite("A path planned over sampled self-motion (seven joints without a closed form)")
struct SelfMotionPlannerTests {
  /// A seven-joint arm shaped like Kinova's Gen3: offsets at the shoulder, elbow and wrist, so no
  /// three axes meet and no closed form takes it; four continuous joints.
  static let gen3Like = """
    <?xml version="1.0"?>
    <robot name="gen3_like">
      <link name="base_link"/>
      <link name="l1"/><link name="l2"/><link name="l3"/><link name="l4"/><link name="l5"/><link name="l6"/>
      <link name="l7"/><link name="tool"/>
      <joint name="joint_1" type="continuous"><parent link="base_link"/><child link="l1"/>
        <origin xyz="0 0 0.15643" rpy="3.1416 0 0"/><axis xyz="0 0 1"/></joint>
      <joint name="joint_2" type="revolute"><parent link="l1"/><child link="l2"/>
        <origin xyz="0 0.005375 -0.12838" rpy="1.5708 0 0"/><axis xyz="0 0 1"/>
        <limit lower="-2.41" upper="2.41" effort="1" velocity="1"/></joint>
      <joint name="joint_3" type="continuous"><parent link="l2"/><child link="l3"/>
        <origin xyz="0 -0.21038 -0.006375" rpy="-1.5708 0 0"/><axis xyz="0 0 1"/></joint>
      <joint name="joint_4" type="revolute"><parent link="l3"/><child link="l4"/>
        <origin xyz="0 0.006375 -0.21038" rpy="1.5708 0 0"/><axis xyz="0 0 1"/>
        <limit lower="-2.66" upper="2.66" effort="1" velocity="1"/></joint>
      <joint name="joint_5" type="continuous"><parent link="l4"/><child link="l5"/>
        <origin xyz="0 -0.20843 -0.006375" rpy="-1.5708 0 0"/><axis xyz="0 0 1"/></joint>
      <joint name="joint_6" type="revolute"><parent link="l5"/><child link="l6"/>
        <origin xyz="0 0.00017505 -0.10593" rpy="1.5708 0 0"/><axis xyz="0 0 1"/>
        <limit lower="-2.23" upper="2.23" effort="1" velocity="1"/></joint>
      <joint name="joint_7" type="continuous"><parent link="l6"/><child link="l7"/>
        <origin xyz="0 -0.10593 -0.00017505" rpy="-1.5708 0 0"/><axis xyz="0 0 1"/></joint>
      <joint name="tool_joint" type="fixed"><parent link="l7"/><child link="tool"/>
        <origin xyz="0 0 -0.061525" rpy="3.14159265 0 0"/></joint>
    </robot>
    """

  @Test(
    "plan: where the answers followed from one another jump, the plan over the self-motion keeps every configuration reaching its target inside the limits, never a larger step than theirs, and every step within twice the path's largest on most such paths"
  )
  func planRemovesJumps() throws {
    let robot = try RobotModel(urdf: Data(Self.gen3Like.utf8))
    #expect((try? AnalyticSolver(robot: robot)) == nil, "the arm has no closed form")
    let solver = try SolverFactory.make(robot: robot)
    guard case .levenbergMarquardt(let lm) = solver.engine else {
      Issue.record("the default without a closed form is lm")
      return
    }
    let distance = JointDistance(robot: robot)
    let planner = SelfMotionPlanner(lm: lm, distance: distance)
    let generator = SmoothPaths(robot: robot)
    var jumping = 0
    var fixed = 0
    // Ten paths: four of them jump when followed (as written), one through a singularity (the
    // shoulder's axes lining up) where sampled curves bend too sharply to follow.
    for path in generator.generate(count: 10, kind: .pose) {
      let generating = zip(path.configurations, path.configurations.dropFirst()).map {
        distance.largestChange($0, $1)
      }
      let limit = 2 * (generating.max() ?? 0)
      // Followed: each target from the answer before, as `solvePath` begins.
      var followed = [path.configurations[0]]
      for target in path.targets.dropFirst() {
        followed.append(try solver.solve(target, from: followed[followed.count - 1]).best.jointValues)
      }
      let steps = zip(followed, followed.dropFirst()).map { distance.largestChange($0, $1) }
      let largest = steps.max() ?? 0
      guard largest > limit else { continue }
      jumping += 1
      guard
        let plan = planner.plan(
          path.targets, along: followed, from: followed[0], into: nil, bound: largest,
          until: Deadline(seconds: nil))
      else { continue }
      #expect(plan.count == path.targets.count && plan[0] == followed[0])
      for (q, target) in zip(plan, path.targets) {
        let solution = Solution(
          robot: robot, target: target, jointValues: q, tolerance: solver.specification.tolerance,
          iterations: 0,
          solver: .levenbergMarquardt)
        #expect(solution.reachable && robot.isWithinLimits(q), "seed \(generator.seed)")
      }
      let planned = zip(plan, plan.dropFirst()).map { distance.largestChange($0, $1) }.max() ?? 0
      #expect(planned < largest, "seed \(generator.seed)")
      if planned <= limit { fixed += 1 }
    }
    #expect(jumping > 0, "seed \(generator.seed): no followed path jumps; the test checks nothing")
    #expect(
      fixed * 4 >= jumping * 3,
      "seed \(generator.seed): \(fixed) of \(jumping) jumping paths planned within twice")
  }
}
