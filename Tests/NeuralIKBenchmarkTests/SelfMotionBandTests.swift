import Foundation
import NeuralIKBenchmark
import TestSupport
import Testing

@testable import NeuralIK

@Suite("The elastic band along a seven-joint arm's self-motion")
struct SelfMotionBandTests {
  @Test(
    "band: along smooth paths the summed squared steps fall, the first answer stays, every answer still reaches inside the limits",
    arguments: [CommittedArm.panda, .iiwa14])
  func bandLowersTheEnergy(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    let solver = try SolverFactory.make(robot: robot, network: network)
    guard case .hybrid(let hybrid) = solver.engine else {
      Issue.record("not a hybrid")
      return
    }
    let distance = JointDistance(robot: robot)
    let band = SelfMotionBand(lm: hybrid.lm, distance: distance)
    func energy(_ path: [[Double]]) -> Double {
      zip(path, path.dropFirst()).reduce(0) { $0 + pow(distance($1.0, $1.1), 2) }
    }
    let generator = SmoothPaths(robot: robot)
    var lowered = 0
    let paths = generator.generate(count: 6, kind: .pose)
    for path in paths {
      // Each answer from the one before: the band's start.
      var followed: [[Double]] = []
      var previous = path.configurations[0]
      for target in path.targets {
        previous = try solver.solve(target, from: previous).best.jointValues
        followed.append(previous)
      }
      let banded = band.smoothed(followed, targets: path.targets, until: Deadline(seconds: nil))
      #expect(banded.count == followed.count && banded[0] == followed[0], "seed \(generator.seed)")
      #expect(energy(banded) <= energy(followed), "seed \(generator.seed)")
      if energy(banded) < energy(followed) { lowered += 1 }
      for (q, target) in zip(banded, path.targets) {
        let solution = Solution(
          robot: robot, target: target, jointValues: q, tolerance: .exact, iterations: 0, solver: .hybrid)
        #expect(solution.reachable && robot.isWithinLimits(q), "seed \(generator.seed)")
      }
    }
    // Least-motion answers drift along the self-motion: the band has energy to take out on most paths.
    #expect(lowered * 2 >= paths.count, "lowered on \(lowered) of \(paths.count)")
  }

  @Test(
    "continuity: with the band, the iiwa 14 follows smooth paths with steps within twice the path's on 98.5%")
  func bandKeepsTheIiwaNearItsPath() throws {
    let robot = try CommittedArm.iiwa14.robot()
    let network = try IKNetwork(contentsOf: CommittedArm.iiwa14.modelURL, for: robot)
    let solver = try SolverFactory.make(robot: robot, network: network)
    let generator = SmoothPaths(robot: robot)
    let outcome = try PathOutcome.measure(
      solver, on: generator.generate(count: 20, kind: .pose), name: "hybrid paths")
    #expect(outcome.unreached == 0)
    #expect(
      1000 * outcome.withinTwiceLargest >= 985 * outcome.steps,
      "seed \(generator.seed): \(outcome.line(for: "hybrid paths"))")
  }
}

@Suite("A path planned over the closed form's branches")
struct PathPlannerTests {
  @Test(
    "plan: over a smooth path, the first configuration kept, every one reaching its target inside the limits, the largest step below the bound",
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
      planner.plan(path.targets, first: path.configurations[0], bound: bound, until: Deadline(seconds: nil)),
      "seed \(generator.seed)")
    #expect(plan.count == path.targets.count && plan[0] == path.configurations[0])
    for (q, target) in zip(plan, path.targets) {
      let solution = Solution(
        robot: robot, target: target, jointValues: q, tolerance: .exact, iterations: 0, solver: .analytic)
      #expect(solution.reachable && robot.isWithinLimits(q))
    }
    let steps = zip(plan, plan.dropFirst()).map { distance.largestChange($0, $1) }
    #expect(steps.max() ?? 0 < bound)
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
    var largest: [Double] = []
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
      largest.append(relaxedLargest)
    }
    #expect(better > 0)
  }
}
