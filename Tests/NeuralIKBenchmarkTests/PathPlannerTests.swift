import Foundation
import NeuralIKBenchmark
import TestSupport
import Testing

@testable import NeuralIK

@Suite("A path planned over the closed form's branches")
struct PathPlannerTests {
  @Test(
    "plan: over a smooth path, the first configuration kept, every one reaching its target inside the limits, every step within twice the path's largest",
    arguments: [CommittedArm.panda, .iiwa14])
  func planReaches(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    guard case .hybrid(let hybrid) = try SolverFactory.make(robot: robot, network: network).engine,
      let closedForm = hybrid.closedForm
    else {
      Issue.record("no hybrid with a closed form")
      return
    }
    let distance = JointDistance(robot: robot)
    let planner = PathPlanner(closedForm: closedForm, distance: distance)
    let generator = SmoothPaths(robot: robot)
    let path = try #require(generator.generate(count: 1, kind: .pose).first)
    let generating = zip(path.configurations, path.configurations.dropFirst()).map {
      distance.largestChange($0, $1)
    }
    let bound = 1.0
    let plan = try #require(
      planner.plan(path.targets, from: path.configurations[0], bound: bound, until: Deadline(seconds: nil)),
      "seed \(generator.seed)")
    #expect(plan.count == path.targets.count && plan[0] == path.configurations[0])
    // The generating path is one chain; the plan's configurations lie within the grid's gap of it.
    Self.expectFollows(plan, path.targets, generating: generating, robot: robot, seed: generator.seed)
  }

  @Test(
    "plan: with the free joint turning all the way round (the Panda's joint 7 made continuous, or given a turn and a half), a path across the seam keeps every step within twice the path's largest",
    arguments: [nil, 1.5 * Double.pi])
  func planAcrossTheSeam(halfRange: Double?) throws {
    let robot = try RealArm.panda.withFullTurn(joint: 6, halfRange: halfRange, name: "panda-full-turn-7")
    let closedForm = try #require(try? AnalyticSolver(robot: robot))
    #expect(closedForm.freeJointIndex == 6)
    let distance = JointDistance(robot: robot)
    let generator = SmoothPaths(robot: robot)
    // A smooth path with joint 7 turned so that it crosses the seam at ±π halfway along (joint 7
    // turns the flange only: the targets turn with it).
    let smooth = try #require(generator.generate(count: 1, kind: .pose).first)
    let offset = Double.pi - smooth.configurations[smooth.configurations.count / 2][6]
    let configurations = smooth.configurations.map { q in
      var q = q
      q[6] = (q[6] + offset).remainder(dividingBy: 2 * .pi)
      return q
    }
    let targets = try configurations.map { q in
      let pose = robot.tipPose(at: q)
      return try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
    }
    let path = (configurations: configurations, targets: targets)
    #expect(configurations.contains { $0[6] > 3 } && configurations.contains { $0[6] < -3 })
    let generating = zip(path.configurations, path.configurations.dropFirst()).map {
      distance.largestChange($0, $1)
    }
    let plan = try #require(
      PathPlanner(closedForm: closedForm, distance: distance).plan(
        path.targets, from: path.configurations[0], bound: 1.0, until: Deadline(seconds: nil)),
      "seed \(generator.seed)")
    // The generating path is one chain; the plan's configurations lie within the grid's gap of it.
    Self.expectFollows(plan, path.targets, generating: generating, robot: robot, seed: generator.seed)
  }

  @Test(
    "plan: where two joints ride their limits at once, the one configuration inside the limits, narrower than the grid, is found (a path dwelling there steps by nothing)"
  )
  func twoLimitsAtOnce() throws {
    let robot = try RealArm.panda.fromJSON()
    let closedForm = try #require(try? AnalyticSolver(robot: robot))
    let planner = PathPlanner(closedForm: closedForm, distance: JointDistance(robot: robot))
    var generator = SplitMix64(seed: 0x11_71E5)
    var checked = 0
    for _ in 0..<12 {
      // Joints 2 and 4 on their limits (the upper or the lower, as drawn), the rest anywhere.
      var q = robot.randomConfiguration(using: &generator)
      for joint in [1, 3] {
        let limits = try #require(robot.movableJoints[joint].limits)
        q[joint] = Bool.random(using: &generator) ? limits.upper : limits.lower
      }
      let pose = robot.tipPose(at: q)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      guard
        Solution(
          robot: robot, target: target, jointValues: q, tolerance: .exact, iterations: 0, solver: .analytic
        )
        .reachable
      else { continue }
      checked += 1
      guard let plan = planner.plan([target, target], from: q, bound: 2 * .pi, until: Deadline(seconds: nil))
      else {
        Issue.record("from \(q): no plan")
        continue
      }
      let step = JointDistance(robot: robot).largestChange(q, plan[1])
      #expect(step < 1e-3, "from \(q): the plan stepped \(step)")
    }
    #expect(checked >= 8)
  }

  /// Every configuration of `plan` reaches its target exactly inside the limits, and every step
  /// is within twice the generating path's largest.
  static func expectFollows(
    _ plan: [[Double]], _ targets: [IKTarget], generating: [Double], robot: RobotModel, seed: UInt64,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (q, target) in zip(plan, targets) {
      let solution = Solution(
        robot: robot, target: target, jointValues: q, tolerance: .exact, iterations: 0, solver: .analytic)
      #expect(solution.reachable && robot.isWithinLimits(q), sourceLocation: sourceLocation)
    }
    let distance = JointDistance(robot: robot)
    let steps = zip(plan, plan.dropFirst()).map { distance.largestChange($0, $1) }
    #expect(steps.max() ?? 0 <= 2 * (generating.max() ?? 0), "seed \(seed)", sourceLocation: sourceLocation)
  }

  @Test(
    "continuity: on the Panda's smooth paths the relaxed answers' largest step is never above the followed answers', and below on some"
  )
  func relaxedIsNeverWorse() throws {
    let robot = try CommittedArm.panda.robot()
    let network = try IKNetwork(contentsOf: CommittedArm.panda.modelURL, for: robot)
    let solver = try SolverFactory.make(robot: robot, network: network)
    let distance = JointDistance(robot: robot)
    let generator = SmoothPaths(robot: robot)
    var better = 0
    for path in generator.generate(count: 10, kind: .pose) {
      var previous = path.configurations[0]
      var followed: [[Double]] = []
      for target in path.targets {
        previous = try solver.solve(target, from: previous).best.jointValues
        followed.append(previous)
      }
      let followedLargest =
        zip(followed, followed.dropFirst()).map { distance.largestChange($0, $1) }.max() ?? 0
      let result = try solver.solvePath(path.targets, from: path.configurations[0])
      let relaxedLargest = result.steps.dropFirst().max() ?? 0
      #expect(relaxedLargest <= followedLargest, "seed \(generator.seed)")
      #expect(result.results.allSatisfy { $0.best.reachable })
      if relaxedLargest < followedLargest { better += 1 }
    }
    #expect(better > 0)
  }

  @Test(
    "continuity: on 10 smooth paths each, every step within twice the path's largest generating step",
    arguments: [CommittedArm.panda, .iiwa14])
  func everyStepWithinTwiceThePaths(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    // A debug build plans 30 times slower than a release one: the law, not the default time
    // budget (60 s a path), is under test.
    let solver = try SolverFactory.make(
      robot: robot, network: network, specification: SolverSpecification(timeBudget: 100))
    let generator = SmoothPaths(robot: robot)
    let outcome = try PathOutcome.measure(
      solver, on: generator.generate(count: 10, kind: .pose), name: "hybrid paths")
    #expect(outcome.unreached == 0)
    #expect(
      outcome.withinTwiceLargest == outcome.steps && outcome.flagged == 0,
      "seed \(generator.seed): \(outcome.line(for: "hybrid paths"))")
  }

  @Test(
    "continuity: with targets out of reach along a smooth path, every step but into and out of a miss is within twice the path's largest generating step (on the Panda, a miss left the whole path unrelaxed; on the iiwa, two misses let a run relaxed from before its miss spread that untravelled step over the run; a first target missed relaxes the run after it from the start too)",
    arguments: [(CommittedArm.panda, [50]), (.ur5, [50]), (.iiwa14, [30, 70]), (.panda, [0])])
  func missInTheMiddle(arm: CommittedArm, misses: [Int]) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    let solver = try SolverFactory.make(
      robot: robot, network: network, specification: SolverSpecification(timeBudget: 100))
    let distance = JointDistance(robot: robot)
    let generator = SmoothPaths(robot: robot)
    for path in generator.generate(count: 1, kind: .pose) {
      let largest =
        zip(path.configurations, path.configurations.dropFirst()).map { distance.largestChange($0, $1) }.max()
        ?? 0
      var targets = path.targets
      for miss in misses {
        targets[miss] = try IKTarget(
          position: Vector3(2, 0, 0.5), orientation: try #require(targets[miss].orientation))
      }
      let result = try solver.solvePath(targets, from: path.configurations[0])
      #expect(result.results.indices.filter { !result.results[$0].best.reachable } == misses)
      let far = result.steps.indices.filter { index in
        !misses.contains(index) && !misses.contains(index - 1) && result.steps[index] > 2 * largest
      }
      #expect(
        far.isEmpty,
        "seed \(generator.seed): steps over \(2 * largest): \(far.map { ($0, result.steps[$0]) })")
    }
  }

  @Test("paths: the answers are the same with --max-step as without (it only flags)")
  func maxStepOnlyFlags() throws {
    let robot = try CommittedArm.iiwa14.robot()
    let network = try IKNetwork(contentsOf: CommittedArm.iiwa14.modelURL, for: robot)
    let solver = try SolverFactory.make(robot: robot, network: network)
    let path = try #require(SmoothPaths(robot: robot).generate(count: 1, kind: .pose).first)
    let free = try solver.solvePath(path.targets, from: path.configurations[0])
    let strict = try solver.solvePath(path.targets, from: path.configurations[0], maxStep: 0.01)
    #expect(free.results.map(\.best.jointValues) == strict.results.map(\.best.jointValues))
    #expect(free.flagged.isEmpty && !strict.flagged.isEmpty)
  }
}
