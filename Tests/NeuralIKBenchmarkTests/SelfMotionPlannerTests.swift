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

  /// The Gen3-like arm and its default solver, `lm` (it has no closed form); `nil` for another.
  static func gen3LikeLM() throws -> (RobotModel, LevenbergMarquardtSolver)? {
    let robot = try RobotModel(urdfContentsOf: Fixtures.robots.appending(path: "gen3-like.urdf"))
    guard case .levenbergMarquardt(let lm) = try SolverFactory.make(robot: robot).engine else { return nil }
    return (robot, lm)
  }

  @Test(
    "carried seeds: the spread seeds are the layer's spread part taken evenly, every stretch of the layer (samples within twice the spacing) that ends at a limit holds a carried seed, however short, and every stretch seed lies at a limit"
  )
  func stretchesAtLimitsCarried() throws {
    let (robot, lm) = try #require(try Self.gen3LikeLM(), "the default without a closed form is lm")
    let planner = SelfMotionPlanner(lm: lm, distance: JointDistance(robot: robot))
    let spacing = SelfMotionPlanner.spacing
    // The second joint's upper limit, where half the stretches end (as a walk stops, a 64th of
    // the spacing short of it); the fourth joint sets the stretches apart.
    let upper = try #require(robot.movableJoints[1].limits?.upper)
    func atLimit(_ q: [Double]) -> Bool { q[1] >= upper - spacing }
    var generator = SplitMix64(seed: 11)
    for trial in 0..<50 {
      var layer: [[Double]] = []
      var stretches: [(samples: Range<Int>, endsAtLimit: Bool)] = []
      for stretch in 0..<Int.random(in: 1...40, using: &generator) {
        let length = Bool.random(using: &generator) ? 1 : Int.random(in: 1...60, using: &generator)
        let endsAtLimit = Bool.random(using: &generator)
        let last = endsAtLimit ? upper - spacing / 64 : 0
        let start = layer.count
        for sample in 0..<length {
          layer.append([
            0, last - Double(length - 1 - sample) * spacing, 0, 0.1 * Double(stretch) - 2, 0, 0, 0,
          ])
        }
        stretches.append((start..<layer.count, endsAtLimit))
      }
      let spreadCount = Int.random(in: 1...layer.count, using: &generator)
      let (spread, stretchSeeds) = planner.carriedSeeds(of: layer, spreadCount: spreadCount)
      let stride = max(1, (spreadCount + SelfMotionPlanner.carriedSeeds - 1) / SelfMotionPlanner.carriedSeeds)
      #expect(
        spread == Swift.stride(from: 0, to: spreadCount, by: stride).map { layer[$0] }, "trial \(trial)")
      #expect(spread.count <= SelfMotionPlanner.carriedSeeds, "trial \(trial)")
      let carried = spread + stretchSeeds
      for (samples, endsAtLimit) in stretches where endsAtLimit {
        #expect(
          carried.contains { seed in samples.contains { layer[$0] == seed } },
          "trial \(trial): stretch \(samples) of \(layer.count) samples, spread over \(spreadCount), carries none"
        )
      }
      // A stretch that the spread reaches is carried by the spread alone.
      for (samples, _) in stretches where samples.contains(where: { $0 < spreadCount && $0 % stride == 0 }) {
        #expect(
          !stretchSeeds.contains { seed in samples.contains { layer[$0] == seed } },
          "trial \(trial): stretch \(samples) holds a spread seed and a stretch seed")
      }
      #expect(stretchSeeds.allSatisfy(atLimit), "trial \(trial)")
      #expect(stretchSeeds.count <= 2 * stretches.count, "trial \(trial)")
    }
  }

  @Test(
    "samples holding limits: a seed with two joints on their limits is carried onto the target's configuration on those limits, the point a path that rides both runs through"
  )
  func heldOnLimits() throws {
    let (robot, lm) = try #require(try Self.gen3LikeLM(), "the default without a closed form is lm")
    let distance = JointDistance(robot: robot)
    let limited = robot.movableJoints.indices.filter { robot.movableJoints[$0].limits != nil }
    #expect(limited.count >= 2, "the arm has two joints with limits to ride")
    let spacing = SelfMotionPlanner.spacing
    var generator = SplitMix64(seed: 29)
    var missedFree = 0
    let trials = 40
    for trial in 0..<trials {
      // The path's configuration: two limited joints on a limit each, the rest inside.
      var q = robot.movableJoints.map { joint -> Double in
        let lower = joint.limits?.lower ?? -.pi
        let upper = joint.limits?.upper ?? .pi
        return Double.random(in: (0.7 * lower + 0.3 * upper)...(0.3 * lower + 0.7 * upper), using: &generator)
      }
      let pinned = Array(limited.shuffled(using: &generator).prefix(2))
      for joint in pinned {
        let limits = robot.movableJoints[joint].limits!
        q[joint] = Bool.random(using: &generator) ? limits.lower : limits.upper
      }
      let target = DataGeneration.target(robot: robot, q: q, poses: true)
      // The configuration a target before: the others 0.03 away, the two a walk's stop from
      // their limits.
      var seed = q
      for joint in q.indices {
        if pinned.contains(joint) {
          let limits = robot.movableJoints[joint].limits!
          seed[joint] += (q[joint] == limits.lower ? 1 : -1) * spacing / 64
        } else {
          seed[joint] += Double.random(in: -0.03...0.03, using: &generator)
        }
      }
      let held = lm.selfMotionSamples(
        target, seeds: [seed], spacing: spacing, most: 64, holdingLimits: spacing / 16)
      let nearest = held.map { distance.largestChange($0, q) }.min() ?? .infinity
      #expect(
        nearest < 1e-6, "trial \(trial): joints \(pinned) on their limits, nearest sample \(nearest) away")
      let free = lm.selfMotionSamples(target, seeds: [seed], spacing: spacing, most: 64)
      if (free.map { distance.largestChange($0, q) }.min() ?? .infinity) >= 1e-6 { missedFree += 1 }
    }
    // Without holding, the projection lands on the nearest member of the curve (12 of the 40 not
    // this one): the cases test the holding, not the projection alone.
    #expect(missedFree > 0, "a free projection found every configuration on its limits")
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
