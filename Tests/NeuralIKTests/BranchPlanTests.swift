import Foundation
import NeuralIKCore
import TestSupport
import Testing

@testable import NeuralIK

@Suite("A six-joint path chosen over the closed form's branches")
struct BranchPlanTests {
  /// An ABB IRB 120 from its published dimensions: a six-joint arm with a spherical wrist whose
  /// elbow (joint 3, −110° to 70°) cannot bend far the other way.
  static let irb120 = """
    <robot name="abb_irb120">
      <link name="base_link"/><link name="link_1"/><link name="link_2"/><link name="link_3"/>
      <link name="link_4"/><link name="link_5"/><link name="link_6"/><link name="tool0"/>
      <joint name="joint_1" type="revolute"><parent link="base_link"/><child link="link_1"/>
        <origin xyz="0 0 0"/><axis xyz="0 0 1"/><limit lower="-2.87979" upper="2.87979"/></joint>
      <joint name="joint_2" type="revolute"><parent link="link_1"/><child link="link_2"/>
        <origin xyz="0 0 0.29"/><axis xyz="0 1 0"/><limit lower="-1.91986" upper="1.91986"/></joint>
      <joint name="joint_3" type="revolute"><parent link="link_2"/><child link="link_3"/>
        <origin xyz="0 0 0.27"/><axis xyz="0 1 0"/><limit lower="-1.91986" upper="1.22173"/></joint>
      <joint name="joint_4" type="revolute"><parent link="link_3"/><child link="link_4"/>
        <origin xyz="0 0 0.07"/><axis xyz="1 0 0"/><limit lower="-2.79253" upper="2.79253"/></joint>
      <joint name="joint_5" type="revolute"><parent link="link_4"/><child link="link_5"/>
        <origin xyz="0.302 0 0"/><axis xyz="0 1 0"/><limit lower="-2.094395" upper="2.094395"/></joint>
      <joint name="joint_6" type="revolute"><parent link="link_5"/><child link="link_6"/>
        <origin xyz="0.072 0 0"/><axis xyz="1 0 0"/><limit lower="-6.98132" upper="6.98132"/></joint>
      <joint name="joint_6-tool0" type="fixed"><parent link="link_6"/><child link="tool0"/>
        <origin xyz="0 0 0" rpy="0 1.5707963267948966 0"/></joint>
    </robot>
    """

  /// A six-joint arm with a spherical wrist, offsets at the shoulder and elbow and a tilted tool,
  /// not one of the fixtures (from a user's trial).
  static let trialArm = """
    <robot name="trial6">
      <link name="base"/><link name="l1"/><link name="l2"/><link name="l3"/><link name="l4"/><link name="l5"/>
      <link name="l6"/><link name="tool"/>
      <joint name="j1" type="revolute"><parent link="base"/><child link="l1"/><origin xyz="0 0 0.3"/>
        <axis xyz="0 0 1"/><limit lower="-3" upper="3"/></joint>
      <joint name="j2" type="revolute"><parent link="l1"/><child link="l2"/><origin xyz="0 0.05 0"/>
        <axis xyz="0 1 0"/><limit lower="-2" upper="2"/></joint>
      <joint name="j3" type="revolute"><parent link="l2"/><child link="l3"/><origin xyz="0 0 0.4"/>
        <axis xyz="0 1 0"/><limit lower="-2.5" upper="2.5"/></joint>
      <joint name="j4" type="revolute"><parent link="l3"/><child link="l4"/><origin xyz="0.05 0 0.35"/>
        <axis xyz="0 0 1"/><limit lower="-3" upper="3"/></joint>
      <joint name="j5" type="revolute"><parent link="l4"/><child link="l5"/><origin xyz="0 0 0.1" rpy="0.1 0 0"/>
        <axis xyz="0 1 0"/><limit lower="-2" upper="2"/></joint>
      <joint name="j6" type="continuous"><parent link="l5"/><child link="l6"/><origin xyz="0 0 0.08"/>
        <axis xyz="0 0 1"/></joint>
      <joint name="tj" type="fixed"><parent link="l6"/><child link="tool"/><origin xyz="0.02 0 0.1" rpy="0 0.3 0"/></joint>
    </robot>
    """

  @Test(
    "without a start, a tool-down line is planned over every target's branches, the first included: every target reached and no step over 0.05 (followed from the middle of the limits, lm ran joint 1 into its limit, missed the target there and jumped 3.6 rad after it)",
    arguments: [SolverKind.analytic, .levenbergMarquardt])
  func missedTargetPlanned(kind: SolverKind) throws {
    let robot = try RobotModel(urdf: Data(Self.trialArm.utf8))
    let solver = try Solvers.make(kind, robot)
    let down = try #require(Quaternion(w: 0, x: 1, y: 0, z: 0))
    let targets = try (0...100).map {
      try IKTarget(position: Vector3(0.4, -0.3 + 0.006 * Double($0), 0.5), orientation: down)
    }
    let path = try solver.solvePath(targets)
    #expect(path.steps.first == 0)
    #expect(path.results.allSatisfy { $0.best.reachable })
    #expect(
      path.largestStep <= 0.05, "steps over 0.05: \(path.steps.enumerated().filter { $0.element > 0.05 })")
    for result in path.results {
      #expect(result.best.positionError < 1e-6 && (result.best.rotationError ?? 0) < 1e-6)
      #expect(robot.isWithinLimits(result.best.jointValues))
    }
  }

  @Test(
    "out of reach and back: a line of tool-down poses from inside the reach to 0.5 m beyond it and back is answered without a jump where it comes back in (following alone crossed the fold onto the elbow branch that runs into joint 3's limit, and jumped 1.18 rad), every reaching answer exact",
    arguments: [SolverKind.analytic, .levenbergMarquardt])
  func outAndBack(kind: SolverKind) throws {
    let robot = try RobotModel(urdf: Data(Self.irb120.utf8))
    let solver = try Solvers.make(kind, robot)
    let xs = (0..<50).map { 0.3 + 0.7 * Double($0) / 49 }
    let down = try #require(Quaternion(w: 0, x: 0, y: 1, z: 0))
    let targets = try (xs + xs.reversed()).map {
      try IKTarget(position: Vector3($0, 0.05, 0.4), orientation: down)
    }
    let path = try solver.solvePath(targets, from: robot.middleConfiguration)
    let reached = path.results.filter { $0.best.reachable }.count
    #expect(reached > 20 && reached < 100)
    // Leaving and re-entering the reach straightens the arm within a step or two (about 0.32 rad);
    // the jump back from the wrong elbow branch was 1.18.
    let later = path.steps.dropFirst()
    #expect(
      later.allSatisfy { $0 < 0.5 }, "steps over 0.5: \(later.enumerated().filter { $0.element >= 0.5 })")
    for result in path.results where result.best.reachable {
      #expect(result.best.positionError < 1e-6 && (result.best.rotationError ?? 0) < 1e-6)
      #expect(robot.isWithinLimits(result.best.jointValues))
    }
  }

  @Test(
    "one unavoidable jump stays one: a UR5 wrist held within ±3.2 rad whose target turns past the limit jumps once, not in three whole-arm swings through other branches and back (the least largest step chose those), every answer reached inside the limits"
  )
  func oneJumpNotThree() throws {
    let robot = try CommittedArm.ur5.robot()
    let solver = try Solvers.make(.hybrid, robot) {
      $0.restrictions = [JointRestriction(joint: "wrist_3_joint", lower: -3.2, upper: 3.2)]
    }
    let configurations = (0...20).map { [0.3, -1.2, 1.4, -1.0, 1.2, 3.0 + 0.02 * Double($0)] }
    let targets = try configurations.map { q in
      let pose = robot.tipPose(at: q)
      return try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
    }
    let path = try solver.solvePath(targets, from: configurations[0], maxStep: 0.1)
    #expect(path.results.allSatisfy { $0.best.reachable })
    #expect(path.flagged.count == 1, "steps: \(path.steps)")
    for result in path.results {
      #expect(result.best.jointValues[5] >= -3.2 && result.best.jointValues[5] <= 3.2)
      #expect(robot.isWithinLimits(result.best.jointValues))
    }
  }
}
