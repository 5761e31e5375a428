import Foundation
import NeuralIK
import TestSupport
import Testing

@Suite("Where the robot is: nearest to the start, continuous along paths")
struct NearStartTests {
  static let arms = ["seed-arm", "arm-3dof", "panda", "iiwa14", "ur5"]
  /// Every arm with its model, and those with a closed form of poses without one too (the
  /// model-less default: that closed form, then `lm`).
  /// And a six-joint arm on a rail, whose closed form frees the rail (no fixture of its own).
  static let subjects =
    arms.map { ($0, true) } + [("panda", false), ("iiwa14", false), ("ur5", false), (railArm, false)]
  static let railArm = "ur5-on-a-rail"

  /// The arm and, if asked, its model: a fixture arm, or the UR5 on a 3 m rail.
  static func subject(_ arm: String, withModel: Bool) throws -> (RobotModel, IKNetwork?) {
    guard arm != railArm else {
      return (try RealArm.ur5.withSlide(before: 0, axis: [1, 0, 0], lower: 0, upper: 3, name: railArm), nil)
    }
    let (robot, model) = try SpecificationTests.armWithModel(arm)
    return (robot, withModel ? model : nil)
  }

  /// `q` moved by up to `amount` per joint, clamped into the limits.
  static func nudged(_ q: [Double], _ robot: RobotModel, _ amount: Double, using generator: inout SplitMix64)
    -> [Double]
  {
    robot.clampedToLimits(q.map { $0 + Double.random(in: -amount...amount, using: &generator) })
  }

  @Test(
    "nearest start: a joint parked at its limit, in a target written to nine decimals, keeps its value there, not the copy a full turn away (its exact solution lies a hair outside)"
  )
  func jointAtItsLimit() throws {
    let robot = try RealArm.ur5.fromJSON()
    // Wrist 1 and 3 within ±3.3: each angle has an in-limit copy a full turn from the stop.
    var specification = SolverSpecification()
    specification.restrictions = [3, 5].map {
      JointRestriction(joint: robot.movableJoints[$0].name, lower: -3.3, upper: 3.3)
    }
    let solver = try SolverFactory.make(robot: robot, specification: specification)
    let envelope = try robot.restricted(specification.restrictions)
    let distance = JointDistance(robot: robot)
    var generator = SplitMix64(seed: 47)
    func written(_ value: Double) -> Double { (value * 1e9).rounded() / 1e9 }
    var far: [String] = []
    for index in 0..<60 {
      var q = robot.randomConfiguration(using: &generator)
      q[3] = index % 2 == 0 ? -3.3 : 3.3
      q[5] = index % 3 == 0 ? 3.3 : min(3.2, max(-3.2, q[5]))
      let start = Self.nudged(q, envelope, 0.1, using: &generator)
      let pose = robot.tipPose(at: q)
      let turn = Quaternion(pose.rotation)
      let target = try IKTarget(
        position: Vector3(
          written(pose.translation.x), written(pose.translation.y), written(pose.translation.z)),
        orientation: try #require(
          Quaternion(w: written(turn.w), x: written(turn.x), y: written(turn.y), z: written(turn.z))))
      let answer = try solver.solve(target, from: start).best
      #expect(answer.reachable, "seed 47, target \(index)")
      if distance(answer.jointValues, start) > distance(q, start) + 1e-6 {
        far.append("target \(index): \(answer.jointValues) from \(start)")
      }
    }
    #expect(far.isEmpty, "seed 47: \(far.count) of 60 answered far: \(far.prefix(3))")
  }

  @Test(
    "nearest start: from within 0.2 rad of a target's configuration, the answer is no farther from the start (joint distance)",
    arguments: subjects)
  func nearestStart(arm: String, withModel: Bool) throws {
    let (robot, network) = try Self.subject(arm, withModel: withModel)
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    #expect(hybrid.kind == .hybrid)
    let distance = JointDistance(robot: robot)
    var generator = SplitMix64(seed: 31)
    let poses = TargetKind.expected(robot: robot, network: network) == .pose
    var farther: [String] = []
    let count = 300
    for index in 0..<count {
      let q = robot.randomConfiguration(using: &generator)
      let start = Self.nudged(q, robot, 0.2, using: &generator)
      let target = DataGeneration.target(robot: robot, q: q, poses: poses)
      let answer = try hybrid.solve(target, from: start).best
      #expect(answer.reachable, "seed 31, target \(index)")
      let mine = distance(answer.jointValues, start)
      let generating = distance(q, start)
      // Radians and, for the rail, metres (JointDistance weighs them alike).
      if mine > generating + 1e-6 {
        farther.append("target \(index): distance \(mine) against \(generating)")
      }
    }
    // The bar is 1 in 1,000: at most one of these 300. The near-start Newton steps can
    // settle on a farther member of a redundant arm's self-motion; the hybrid then walks the
    // curve and slides the closed form's nearby branches (all 300 were no farther on every arm
    // when this was written).
    #expect(farther.count <= 1, "seed 31: \(farther.count): \(farther.prefix(5))")
  }

  @Test(
    "staying put: a target the start already reaches is answered by the start itself, at a singularity too",
    arguments: subjects)
  func stayingPut(arm: String, withModel: Bool) throws {
    let (robot, network) = try Self.subject(arm, withModel: withModel)
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    let poses = TargetKind.expected(robot: robot, network: network) == .pose
    var generator = SplitMix64(seed: 0x57A1)
    // Random starts, and the middle configuration with every second joint at 0: the UR5's wrist
    // straight (a closed form's branches split its first and last wrist joints their own way).
    var starts = (0..<50).map { _ in robot.randomConfiguration(using: &generator) }
    starts.append(
      robot.clampedToLimits(
        robot.middleConfiguration.enumerated().map { $0.offset % 2 == 0 ? 0.3 : 0 }))
    let wristStraight = [0.3, -1.2, 1.5, -1.9, 0, 0.3] + Array(repeating: 0, count: 8)
    starts.append(robot.clampedToLimits(Array(wristStraight.prefix(robot.degreesOfFreedom))))
    for (index, start) in starts.enumerated() {
      let target = DataGeneration.target(robot: robot, q: start, poses: poses)
      let answer = try hybrid.solve(target, from: start).best
      #expect(answer.jointValues == start, "start \(index): \(start) answered \(answer.jointValues)")
    }
  }

  @Test(
    "nearest start at the limits: from a start with two joints at ±2π (where the straight elbow or wrist is also a singularity), a target 0.02 rad away is answered within 0.1 rad, not a whole turn back",
    arguments: [true, false])
  func nearestStartAtTheLimits(withModel: Bool) throws {
    let (robot, network) = try Self.subject("ur5", withModel: withModel)
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    var generator = SplitMix64(seed: 0x2B1)
    var far: [String] = []
    for index in 0..<300 {
      var start = robot.randomConfiguration(using: &generator)
      let first = Int.random(in: 0..<6, using: &generator)
      let second = (first + Int.random(in: 1..<6, using: &generator)) % 6
      for joint in [first, second] {
        let limits = try #require(robot.movableJoints[joint].limits)
        start[joint] = Bool.random(using: &generator) ? limits.lower : limits.upper
      }
      let q = robot.clampedToLimits(start.map { $0 + Double.random(in: -0.02...0.02, using: &generator) })
      let pose = robot.tipPose(at: q)
      let answer = try hybrid.solve(
        IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation)), from: start
      ).best
      let step = zip(answer.jointValues, start).map { abs($0 - $1) }.max() ?? .infinity
      if !answer.reachable || step > 0.1 { far.append("start \(index): \(start) moved \(step) rad") }
    }
    // Before: 49 of 300 turned a joint a whole turn (a closed form's copy past the limit, ranked by
    // a distance that took the short way round through it), or split the straight wrist its way.
    #expect(far.isEmpty, "\(far.count): \(far.prefix(3))")
  }

  @Test("the rail's closed form reaches cold: every pose of the UR5 on a 3 m rail, with no start")
  func railReachesCold() throws {
    let (robot, network) = try Self.subject(Self.railArm, withModel: false)
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    var generator = SplitMix64(seed: 32)
    for index in 0..<300 {
      let target = DataGeneration.target(
        robot: robot, q: robot.randomConfiguration(using: &generator), poses: true)
      let answer = try hybrid.solve(target).best
      // No iterations: the closed form's own branch, not a search that found it.
      #expect(
        answer.reachable && answer.iterations == 0,
        "seed 32, target \(index): \(answer.iterations) iterations")
    }
  }

  @Test(
    "budget law: near the start, too, a solve never runs more than its specification's maximum iterations",
    arguments: ["panda", "iiwa14"])
  func nearStartBudget(arm: String) throws {
    let (robot, network) = try SpecificationTests.armWithModel(arm)
    // The defaults, a tight budget, and none at all for the proposals (whose near-start steps then
    // get no step either).
    var tight = SolverSpecification()
    tight.proposalIterationBudget = 5
    tight.iterationBudget = 10
    tight.startIterationBudget = 10
    var none = SolverSpecification()
    none.proposalIterationBudget = 0
    none.iterationBudget = 1
    none.startIterationBudget = 1
    for specification in [SolverSpecification(), tight, none] {
      let hybrid = try SolverFactory.make(robot: robot, network: network, specification: specification)
      var generator = SplitMix64(seed: 53)
      for index in 0..<60 {
        let q = robot.randomConfiguration(using: &generator)
        let start = Self.nudged(q, robot, 0.2, using: &generator)
        let result = try hybrid.solve(DataGeneration.target(robot: robot, q: q, poses: true), from: start)
        #expect(
          result.iterations <= hybrid.specification.maximumIterations,
          "seed 53, target \(index): \(result.iterations) iterations, budget \(hybrid.specification.maximumIterations)"
        )
        #expect(robot.isWithinLimits(result.best.jointValues), "seed 53, target \(index)")
      }
    }
  }

  @Test(
    "first-order nearest: on a redundant arm the answer's offset from the start has no part along the self-motion",
    arguments: ["panda", "iiwa14"])
  func offsetNormalToSelfMotion(arm: String) throws {
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "\(arm).json"))
    let lm = try SolverFactory.make(robot: robot, specification: .default(.levenbergMarquardt))
    var generator = SplitMix64(seed: 41)
    var offending: [String] = []
    var checked = 0
    let count = 300
    for index in 0..<count {
      let q = robot.randomConfiguration(using: &generator)
      let start = Self.nudged(q, robot, 0.2, using: &generator)
      let target = DataGeneration.target(robot: robot, q: q, poses: true)
      let answer = try lm.solve(target, from: start).best
      #expect(answer.reachable, "seed 41, target \(index)")
      // On a limit the nearest configuration may press against it: the law is for the interior.
      let inside = zip(answer.jointValues, robot.movableJoints).allSatisfy { value, joint in
        guard let limits = joint.limits else { return true }
        return value > limits.lower + 1e-6 && value < limits.upper - 1e-6
      }
      guard inside else { continue }
      checked += 1
      let along = Self.selfMotionPart(
        of: zip(answer.jointValues, start).map { $0 - $1 }, at: answer.jointValues, target: target,
        robot: robot)
      if along > 1e-4 { offending.append("target \(index): \(along) rad along the self-motion") }
    }
    #expect(checked > count / 2)
    // The rare start whose projection gives up goes to Levenberg–Marquardt's anchored pass, and
    // Newton steps along the branch it lands on finish it; where they give up too, the answer is
    // near the nearest configuration without landing on it (3 of 300 on the Panda, 2 on the iiwa).
    #expect(
      offending.count <= count / 100, "seed 41: \(offending.count) of \(checked): \(offending.prefix(5))")
  }

  /// The length of `e`'s projection onto the null space of the residual's Jacobian at `q`.
  static func selfMotionPart(of e: [Double], at q: [Double], target: IKTarget, robot: RobotModel) -> Double {
    let residual = PoseResidual(robot: robot, target: target)
    let m = residual.count
    let n = robot.degreesOfFreedom
    var f = [Double](repeating: 0, count: m)
    var jacobian = [Double](repeating: 0, count: m * n)
    var scratch = Jacobian(columns: n)
    residual.evaluate(at: q, residual: &f, jacobian: &jacobian, scratch: &scratch)
    // z = (J Jᵀ)⁻¹ J e by Gaussian elimination; the null-space part is e − Jᵀ z.
    var a = [[Double]](repeating: [Double](repeating: 0, count: m + 1), count: m)
    for i in 0..<m {
      for j in 0..<m { a[i][j] = (0..<n).reduce(0) { $0 + jacobian[i * n + $1] * jacobian[j * n + $1] } }
      a[i][m] = (0..<n).reduce(0) { $0 + jacobian[i * n + $1] * e[$1] }
    }
    for pivot in 0..<m {
      let best = (pivot..<m).max { abs(a[$0][pivot]) < abs(a[$1][pivot]) } ?? pivot
      a.swapAt(pivot, best)
      for row in 0..<m where row != pivot {
        let factor = a[row][pivot] / a[pivot][pivot]
        for column in pivot...m { a[row][column] -= factor * a[pivot][column] }
      }
    }
    let z = (0..<m).map { a[$0][m] / a[$0][$0] }
    let part = (0..<n).map { column in
      e[column] - (0..<m).reduce(0) { $0 + jacobian[$1 * n + column] * z[$1] }
    }
    return part.reduce(0) { $0 + $1 * $1 }.squareRoot()
  }

  /// A smooth path inside the limits: each joint swings about a point of its range.
  static func smoothPath(_ robot: RobotModel, using generator: inout SplitMix64) -> [[Double]] {
    let centre = nudged(robot.middleConfiguration, robot, 0.5, using: &generator)
    let phases = robot.movableJoints.map { _ in Double.random(in: 0...(2 * .pi), using: &generator) }
    return (0...100).map { step -> [Double] in
      let t = Double(step) / 100
      return robot.clampedToLimits(zip(centre, phases).map { $0 + 0.4 * sin(2 * .pi * t + $1) })
    }
  }

  @Test(
    "continuity: along a smooth joint path, no answer's step exceeds twice the path's (arms without self-motion)",
    arguments: [("seed-arm", true), ("arm-3dof", true), ("ur5", true), ("ur5", false)])
  func continuity(arm: String, withModel: Bool) throws {
    let (robot, model) = try SpecificationTests.armWithModel(arm)
    let network = withModel ? model : nil
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    let distance = JointDistance(robot: robot)
    var generator = SplitMix64(seed: 77)
    let poses = TargetKind.expected(robot: robot, network: network) == .pose
    for path in 0..<5 {
      let configurations = Self.smoothPath(robot, using: &generator)
      let targets = configurations.map { DataGeneration.target(robot: robot, q: $0, poses: poses) }
      let generatingStep =
        zip(configurations, configurations.dropFirst()).map { distance.largestChange($0, $1) }.max() ?? 0
      let result = try hybrid.solvePath(targets, from: configurations[0], maxStep: 2 * generatingStep + 1e-9)
      let unreached = result.results.filter { !$0.best.reachable }.count
      #expect(unreached == 0, "seed 77, path \(path)")
      #expect(
        result.flagged.isEmpty,
        "seed 77, path \(path): steps over \(2 * generatingStep) at \(result.flagged.prefix(5)), largest \(result.largestStep); \(result.flagged.prefix(1).map { i in "answers \(result.results[i - 1].best.jointValues) → \(result.results[i].best.jointValues), generating \(configurations[i - 1]) → \(configurations[i]), iterations \(result.results[i].best.iterations)" })"
      )
    }
  }

  @Test(
    "redundant arms along a path: every target reached, and exactly the steps over the limit flagged",
    arguments: [("panda", true), ("iiwa14", true), ("panda", false)])
  func redundantPaths(arm: String, withModel: Bool) throws {
    let (robot, model) = try SpecificationTests.armWithModel(arm)
    let network = withModel ? model : nil
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    let distance = JointDistance(robot: robot)
    var generator = SplitMix64(seed: 78)
    for path in 0..<3 {
      let configurations = Self.smoothPath(robot, using: &generator)
      let targets = configurations.map { DataGeneration.target(robot: robot, q: $0, poses: true) }
      let limit = 0.1
      let result = try hybrid.solvePath(targets, from: configurations[0], maxStep: limit)
      var previous = configurations[0]
      var over: [Int] = []
      for (index, answer) in result.results.enumerated() {
        #expect(answer.best.reachable, "seed 78, path \(path), target \(index)")
        if distance.largestChange(previous, answer.best.jointValues) > limit { over.append(index) }
        previous = answer.best.jointValues
      }
      #expect(result.flagged == over, "seed 78, path \(path)")
    }
  }

  @Test("a path step larger than the limit is flagged, not passed over")
  func flagged() throws {
    let robot = try FixtureArm.seedArm.robot()
    let solver = try SolverFactory.make(robot: robot, specification: .default(.analytic))
    // Two targets on opposite sides of the yaw axis: the yaw must turn by far more than 0.1 rad.
    let targets = try [Vector3(0.3, 0.2, 0.5), Vector3(-0.3, -0.2, 0.5)].map { try IKTarget(position: $0) }
    let result = try solver.solvePath(targets, maxStep: 0.1)
    #expect(result.flagged.contains(1))
    #expect(result.steps[1] > 1)
  }
}
