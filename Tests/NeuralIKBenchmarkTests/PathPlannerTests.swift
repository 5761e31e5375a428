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
    for (q, target) in zip(plan, path.targets) {
      let solution = Solution(
        robot: robot, target: target, jointValues: q, tolerance: .exact, iterations: 0, solver: .analytic)
      #expect(solution.reachable && robot.isWithinLimits(q))
    }
    let steps = zip(plan, plan.dropFirst()).map { distance.largestChange($0, $1) }
    // The generating path is one chain; the plan's configurations lie within the grid's gap of it.
    #expect(steps.max() ?? 0 <= 2 * (generating.max() ?? 0), "seed \(generator.seed)")
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
