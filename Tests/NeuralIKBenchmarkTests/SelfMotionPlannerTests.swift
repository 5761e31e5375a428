import Foundation
import NeuralIKBenchmark
import TestSupport
import Testing

@testable import NeuralIK

@Suite("A path planned over sampled self-motion (seven joints without a closed form)")
struct SelfMotionPlannerTests {
  @Test(
    "samples: every sample of a layer reaches the target inside the limits, there are at most `most`, none sampled twice, and every seed's curve is sampled near the seed"
  )
  func samplesLaws() throws {
    let robot = try RobotModel(urdfContentsOf: Fixtures.robots.appending(path: "gen3-like.urdf"))
    let solver = try SolverFactory.make(robot: robot)
    guard case .levenbergMarquardt(let lm) = solver.engine else {
      Issue.record("the default without a closed form is lm")
      return
    }
    let distance = JointDistance(robot: robot)
    let generator = SmoothPaths(robot: robot)
    for path in generator.generate(count: 3, kind: .pose) {
      // Three seeds on (or near) the target's curves: the generating configuration and two answers.
      let target = path.targets[path.targets.count / 2]
      let own = path.configurations[path.targets.count / 2]
      let seeds =
        [own]
        + [robot.middleConfiguration, robot.clampedToLimits(own.map { $0 + 0.3 })].map {
          (try? solver.solve(target, from: $0).best.jointValues) ?? own
        }
      let spacing = 0.05
      for most in [1, 64, 512] {
        let samples = lm.selfMotionSamples(target, seeds: seeds, spacing: spacing, most: most)
        #expect(
          !samples.isEmpty && samples.count <= most, "seed \(generator.seed), most \(most): \(samples.count)")
        var crowded = 0
        for (index, q) in samples.enumerated() {
          let solution = Solution(
            robot: robot, target: target, jointValues: q, tolerance: solver.specification.tolerance,
            iterations: 0, solver: .levenbergMarquardt)
          #expect(solution.reachable && robot.isWithinLimits(q), "seed \(generator.seed), sample \(index)")
          // Closing in on a limit or a bend, a walk's step halves down to a 64th of the spacing
          // (its largest joint change at least a 2.65th of that, on seven joints); nearer than
          // that, two walks sampled one stretch twice.
          crowded += samples[..<index].filter { distance.largestChange($0, q) < spacing / 256 }.count
        }
        #expect(crowded == 0, "seed \(generator.seed), most \(most): \(crowded) pairs sampled twice")
        guard most >= 64 else { continue }
        // The generating configuration lies on a curve of the target: sampled within a spacing.
        let nearest = samples.map { distance.largestChange($0, own) }.min() ?? .infinity
        #expect(nearest <= spacing, "seed \(generator.seed): the seed's own curve is \(nearest) away")
      }
    }
  }

  @Test(
    "plan: where the answers followed from one another jump, the plan over the self-motion keeps every configuration reaching its target inside the limits, never a larger step than theirs, and every step within twice the path's largest on most such paths"
  )
  func planRemovesJumps() throws {
    // Shaped like Kinova's Gen3: offsets at the shoulder, elbow and wrist, no closed form.
    let robot = try RobotModel(urdfContentsOf: Fixtures.robots.appending(path: "gen3-like.urdf"))
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
    // Ten paths: four of them jump when followed (as written), one by a singularity (the
    // shoulder's axes lining up) where sampled curves bend sharply; three in four is the bar.
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

  @Test(
    "solvePath on the Gen3-like arm: a path whose followed answers jump (the 6th of the seeded ones), and one whose curves of self-motion are longer than a layer's samples (the 59th), are planned to no step over twice the path's largest, within their time",
    arguments: [5, 58])
  func solvePathPlans(index: Int) throws {
    let robot = try RobotModel(urdfContentsOf: Fixtures.robots.appending(path: "gen3-like.urdf"))
    let solver = try SolverFactory.make(robot: robot)
    let distance = JointDistance(travelOf: robot)
    let generator = SmoothPaths(robot: robot)
    let path = generator.generate(count: index + 1, kind: .pose)[index]
    let generating =
      zip(path.configurations, path.configurations.dropFirst()).map { distance.largestChange($0, $1) }.max()
      ?? 0
    let result = try solver.solvePath(path.targets, from: path.configurations[0], maxStep: 2 * generating)
    let unreached = result.results.filter { !$0.best.reachable }.count
    #expect(unreached == 0, "seed \(generator.seed), path \(index)")
    #expect(
      result.flagged.isEmpty,
      "seed \(generator.seed), path \(index): largest step \(result.largestStep), limit \(2 * generating)")
    #expect(!result.relaxationTimedOut)
  }
}
