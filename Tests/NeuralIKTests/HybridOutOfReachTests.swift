import Foundation
import NeuralIK
import TestSupport
import Testing

@Suite("Hybrid out of reach")
struct HybridOutOfReachTests {
  @Test(
    "out of reach: the hybrid's answer is the closed-form closest point, with its closed-form stage and with the refinement alone; the refinement alone, on an arm with fewer joints than the target has dimensions, stops before the lm restarts",
    arguments: FixtureArm.allCases, [true, false])
  func closestPoint(arm: FixtureArm, closedForm: Bool) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/\(arm.rawValue).nikm"), for: robot)
    let analytic = try Solvers.make(.analytic, robot)
    let hybrid = try Solvers.make(.hybrid, robot, network: network) { $0.closedForm = closedForm }
    var stoppedEarly = 0
    let targets = try LevenbergMarquardtTests.outOfReachTargets(robot, analytic: analytic)
    for target in targets {
      let exact = try analytic.solve(target).best
      let result = try hybrid.solve(target)
      #expect(!result.best.reachable)
      #expect(robot.isWithinLimits(result.best.jointValues))
      #expect(
        abs(result.best.positionError - exact.positionError) < 1e-6,
        "target \(target.position): iterations \(result.iterations), hybrid \(result.best.positionError) at \(result.best.jointValues), closed form \(exact.positionError) at \(exact.jointValues)"
      )
      if result.iterations <= hybrid.specification.proposalIterationBudget { stoppedEarly += 1 }
    }
    // The verdict is for arms that reach only a measure-zero set of targets (the seed arm: 2
    // joints, 3-D positions); without it every one of these targets runs lm's 65 starts, well over
    // the proposals' budget. (With 9 starts, lm alone often stayed within it, and this counted
    // more than half; with 33, 45 of the seed arm's 150 and 34 of the planar arm's.)
    if !closedForm, robot.degreesOfFreedom < 3 {
      #expect(
        stoppedEarly * 5 > targets.count, "\(stoppedEarly) of \(targets.count) stopped after the proposals")
    }
  }

  @Test(
    "out of reach behind a limit: where two proposals agree on a corner of the limits that is not the closest point, the refinement alone still answers the closed form's closest point"
  )
  func cornerIsNoVerdict() throws {
    let robot = try FixtureArm.planar2Link.robot()
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/\(FixtureArm.planar2Link.rawValue).nikm"),
      for: robot)
    let analytic = try Solvers.make(.analytic, robot)
    // Without the closed-form stage, which would answer these itself.
    let hybrid = try Solvers.make(.hybrid, robot, network: network) { $0.closedForm = false }
    // The first is the property suite's case that found it (seed 13742630539087383422): the arm
    // reaches y ≥ 0 only, two heads settled on the fully extended arm 16.24 m away, and the arm
    // folded against its other limit is 15.57 m away. The grid around it is below the quadrant.
    var positions = [Vector3(9.242255047620741, -13.838154254280102, -3.4777952633446363)]
    for x in stride(from: -4.0, through: 20.0, by: 4.0) {
      for y in stride(from: -18.0, through: -2.0, by: 4.0) {
        for z in [-3.0, 0.5] { positions.append(Vector3(x, y, z)) }
      }
    }
    for position in positions {
      let target = try IKTarget(position: position)
      let exact = try analytic.solve(target).best
      let result = try hybrid.solve(target)
      #expect(
        abs(result.best.positionError - exact.positionError) < 1e-6,
        "target \(position): hybrid \(result.best.positionError) at \(result.best.jointValues), closed form \(exact.positionError) at \(exact.jointValues)"
      )
    }
  }

  @Test(
    "far out of reach: a target kilometres away gets the closed form's closest point from the refinement alone, and the network's input keeps the training targets as they are"
  )
  func farTargets() throws {
    let arm = FixtureArm.seedArm
    let robot = try arm.robot()
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/\(arm.rawValue).nikm"), for: robot)
    let analytic = try Solvers.make(.analytic, robot)
    let hybrid = try Solvers.make(.hybrid, robot, network: network) { $0.closedForm = false }
    // The property suite's cases (seed 4225701876377884013): the network, asked about a point
    // thousands of workspace radii out, folded the arm over the top, away from the target
    // (30320.184 m against the closest 30320.170 m; 1056.643 m against 1056.639 m). The third
    // (seed 17772808576330974683): every start settled with the yaw on its limit and the arm over
    // the top, 173.375091 m away, where the arm facing the target is 173.373944 m away.
    var positions = [
      Vector3(15943.746129376876, 13700.221003026727, 21850.790204524077),
      Vector3(346.41559860086676, 60.191966042522466, 997.253663739105),
      Vector3(37.425737095825575, 8.032168065633575, 169.90821539542347),
    ]
    var generator = SplitMix64(seed: 0xFA7)
    for _ in 0..<24 {
      let direction = Vector3(
        Double.random(in: -1...1, using: &generator), Double.random(in: -1...1, using: &generator),
        Double.random(in: -1...1, using: &generator))
      positions.append(
        direction / direction.length * Foundation.pow(10, Double.random(in: 1...6, using: &generator)))
    }
    for position in positions {
      let target = try IKTarget(position: position)
      let exact = try analytic.solve(target).best
      let result = try hybrid.solve(target).best
      #expect(
        result.positionError <= exact.positionError * (1 + 1e-9) + 1e-9,
        "target \(position): hybrid \(result.positionError) m at \(result.jointValues), closed form \(exact.positionError) m at \(exact.jointValues)"
      )
    }
    // Pulling in starts past the training box: no training target moves.
    let training = DataGeneration.balancedTargets(
      robot: robot, count: 4000, reachableShare: 0.5, margin: TrainingConfig().margin, poses: false,
      using: &generator)
    for target in training.targets {
      #expect(network.encoding.pulledIn(target.position) == target.position, "moved \(target.position)")
    }
    // A pulled-in target keeps its direction from the centre and lies at the far radius.
    let encoding = network.encoding
    let centre = Vector3(encoding.center[0], encoding.center[1], encoding.center[2])
    for position in positions {
      let pulled = encoding.pulledIn(position) - centre
      let offset = position - centre
      #expect(abs(pulled.length - InputEncoding.farRadius * encoding.scale) < 1e-9)
      #expect(pulled.cross(offset).length <= 1e-9 * pulled.length * offset.length)
    }
  }

  @Test(
    "poses beyond the reach sphere: the hybrid's bounded search answers unreached, inside the limits, finite, at a point where no joint moving within its limits lowers the weighted error, and no farther than lm's full search by more than 10% on the median target",
    arguments: [CommittedArm.panda, .iiwa14, .ur5])
  func posesBeyondTheSphere(arm: CommittedArm) throws {
    let robot = try arm.robot()
    let network = try IKNetwork(contentsOf: arm.modelURL, for: robot)
    let hybrid = try Solvers.make(.hybrid, robot, network: network)
    let lm = try Solvers.make(.levenbergMarquardt, robot)
    let weight = try #require(hybrid.specification.rotationWeight)
    let sphere = robot.reachSphere
    var generator = SplitMix64(seed: 0xBE70_5FE7)
    var ratios: [Double] = []
    for _ in 0..<24 {
      var direction = Vector3(
        Double.random(in: -1...1, using: &generator), Double.random(in: -1...1, using: &generator),
        Double.random(in: -1...1, using: &generator))
      direction /= max(direction.length, 1e-9)
      let position =
        sphere.centre + direction * sphere.radius * Double.random(in: 1.01...3, using: &generator)
      let orientation = try #require(
        Quaternion(
          w: Double.random(in: -1...1, using: &generator), x: Double.random(in: -1...1, using: &generator),
          y: Double.random(in: -1...1, using: &generator), z: Double.random(in: -1...1, using: &generator)))
      let target = try IKTarget(position: position, orientation: orientation)
      let best = try hybrid.solve(target).best
      #expect(!best.reachable)
      #expect(robot.isWithinLimits(best.jointValues), "outside the limits: \(best.jointValues)")
      #expect(best.jointValues.allSatisfy(\.isFinite) && best.cost(rotationWeight: weight).isFinite)
      let slope = Self.steepestDescent(robot, target: target, weight: weight, at: best.jointValues)
      let error = best.cost(rotationWeight: weight).squareRoot()
      #expect(
        slope <= 1e-5 * (1 + error),
        "target \(position) \(orientation): a joint moving within its limits lowers the error \(error) by \(slope) per radian at \(best.jointValues)"
      )
      let lmError = try lm.solve(target).best.cost(rotationWeight: weight).squareRoot()
      ratios.append(error / lmError)
    }
    ratios.sort()
    #expect(ratios[ratios.count / 2] <= 1.1, "the hybrid's error over lm's, sorted: \(ratios)")
  }

  /// The steepest rate at which one joint, moving within its limits, lowers the weighted error
  /// `√cost`: one-sided differences of 1e-6.
  static func steepestDescent(_ robot: RobotModel, target: IKTarget, weight: Double, at q: [Double]) -> Double
  {
    func error(_ q: [Double]) -> Double {
      Solution(
        robot: robot, target: target, jointValues: q, tolerance: .exact, iterations: 0, solver: .hybrid
      )
      .cost(rotationWeight: weight).squareRoot()
    }
    let here = error(q)
    var steepest = 0.0
    for (index, joint) in robot.movableJoints.enumerated() {
      for sign in [-1.0, 1.0] {
        var moved = q
        moved[index] += sign * 1e-6
        if let limits = joint.limits { moved[index] = limits.clamp(moved[index]) }
        let step = abs(moved[index] - q[index])
        if step > 0 { steepest = max(steepest, (here - error(moved)) / step) }
      }
    }
    return steepest
  }
}

@Suite("Hybrid beyond the reach on a rail")
struct HybridRailBeyondReachTests {
  @Test(
    "beyond the reach on a rail: the hybrid's closest pose is within 1% of lm's weighted error (lm runs every restart) on at least 92% of poses, its start slid along the rail and turned towards the target"
  )
  func closestAsLM() throws {
    // A six-joint arm on a 3 m rail tilted out of the floor: the rail comes first, so a start turned
    // only by a first joint that turns stayed where it was (a user's rail arm: the hybrid was worse
    // than lm by over 1% on half its poses beyond the reach).
    let robot = try RealArm.ur5.withSlide(
      before: 0, axis: [0.8, 0.6, 0], lower: 0, upper: 3, name: "ur5-on-a-rail")
    let hybrid = try Solvers.make(.hybrid, robot)
    let lm = try Solvers.make(.levenbergMarquardt, robot)
    let weight = hybrid.specification.rotationWeight ?? PoseResidual.defaultRotationWeight
    let seed: UInt64 = 0x7A11
    var generator = SplitMix64(seed: seed)
    let sphere = robot.reachSphere
    var worse: [String] = []
    let count = 100
    for _ in 0..<count {
      var direction = Vector3(
        Double.random(in: -1...1, using: &generator), Double.random(in: -1...1, using: &generator),
        Double.random(in: -1...1, using: &generator))
      direction = direction * (1 / max(direction.length, 1e-9))
      let position =
        sphere.centre + direction * (sphere.radius + Double.random(in: 0.2...2, using: &generator))
      let rotation = try #require(
        Quaternion(
          w: Double.random(in: -1...1, using: &generator), x: Double.random(in: -1...1, using: &generator),
          y: Double.random(in: -1...1, using: &generator), z: Double.random(in: -1...1, using: &generator)))
      let target = try IKTarget(position: position, orientation: rotation)
      let fromHybrid = try hybrid.solve(target).best
      let fromLM = try lm.solve(target).best
      #expect(!fromHybrid.reachable && robot.isWithinLimits(fromHybrid.jointValues))
      let (mine, theirs) = (fromHybrid.cost(rotationWeight: weight), fromLM.cost(rotationWeight: weight))
      if mine > theirs * 1.01 + 1e-12 { worse.append("\(position): \(mine) against \(theirs)") }
    }
    // Without the slide and the turn of the joint after it, 11 of these 100.
    #expect(
      worse.count * 100 <= count * 8,
      "seed \(seed): worse than lm by over 1% on \(worse.count) of \(count): \(worse)")
  }
}
