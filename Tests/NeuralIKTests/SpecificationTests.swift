import Foundation
import NeuralIK
import TestSupport
import Testing

@Suite("The solver specification and factory")
struct SpecificationTests {
  /// A robot and its committed model.
  static func armWithModel(_ name: String) throws -> (RobotModel, IKNetwork) {
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "\(name).json"))
    let network = try IKNetwork(
      contentsOf: Fixtures.directory.appending(path: "models/\(name).nikm"), for: robot)
    return (robot, network)
  }

  @Test(
    "the default hybrid reaches every target the default lm reaches, and neither exceeds its budget",
    arguments: [
      ("seed-arm", true), ("arm-3dof", true), ("panda", true), ("ur5", true),
      // Without a model, over the closed form of poses alone.
      ("panda", false), ("ur5", false),
    ])
  func hybridDominatesLM(arm: String, withModel: Bool) throws {
    let (robot, model) = try Self.armWithModel(arm)
    let network = withModel ? model : nil
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    let lm = try SolverFactory.make(robot: robot, specification: .default(.levenbergMarquardt))
    #expect(hybrid.kind == .hybrid)
    var generator = SplitMix64(seed: 404)
    let poses = TargetKind.expected(robot: robot, network: network) == .pose
    for index in 0..<150 {
      let q = robot.randomConfiguration(using: &generator)
      let target = DataGeneration.target(robot: robot, q: q, poses: poses)
      let fromHybrid = try hybrid.solve(target)
      let fromLM = try lm.solve(target)
      if fromLM.best.reachable {
        #expect(fromHybrid.best.reachable, "seed 404, target \(index): lm reached \(q), the hybrid did not")
      }
      #expect(fromHybrid.iterations <= hybrid.specification.maximumIterations, "target \(index)")
      #expect(fromLM.iterations <= lm.specification.maximumIterations, "target \(index)")
      #expect(robot.isWithinLimits(fromHybrid.best.jointValues))
    }
  }

  @Test("out of reach, the hybrid is never farther than lm, and stays within its budget")
  func outOfReachDominates() throws {
    let (robot, network) = try Self.armWithModel("seed-arm")
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    let lm = try SolverFactory.make(robot: robot, specification: .default(.levenbergMarquardt))
    var generator = SplitMix64(seed: 5)
    for _ in 0..<60 {
      let p = Vector3(
        Double.random(in: -2...2, using: &generator), Double.random(in: -2...2, using: &generator),
        Double.random(in: -1...2, using: &generator))
      let target = try IKTarget(position: p)
      let a = try hybrid.solve(target)
      let b = try lm.solve(target)
      #expect(a.best.positionError <= b.best.positionError + 1e-12, "target \(p)")
      #expect(a.iterations <= hybrid.specification.maximumIterations)
    }
  }

  @Test("the factory resolves the kind and the model's rotation weight, and records them")
  func resolution() throws {
    let (robot, network) = try Self.armWithModel("panda")
    let solver = try SolverFactory.make(robot: robot, network: network)
    #expect(solver.specification.kind == .hybrid)
    // The refinement weighs as lm does with or without a model; the network ranks with its own.
    #expect(solver.specification.rotationWeight == PoseResidual.defaultRotationWeight)
    #expect(network.rotationWeight == 0.2, "the Panda model was trained with --rotation-weight 0.2")
    // Without a model: the closed form of poses with lm behind it, as the hybrid.
    let plain = try SolverFactory.make(robot: robot)
    #expect(plain.kind == .hybrid)
    var withoutClosedForm = SolverSpecification()
    withoutClosedForm.closedForm = false
    #expect(
      try SolverFactory.make(robot: robot, specification: withoutClosedForm).kind == .levenbergMarquardt)
    #expect(
      SolverFactory.availableKinds(for: robot, network: nil, specification: withoutClosedForm)
        == [.levenbergMarquardt, .analytic])
    let small = try SolverFactory.make(robot: FixtureArm.seedArm.robot())
    #expect(small.kind == .analytic)
    // The closed form itself, for its raw branches, from an analytic solver only.
    let ur5 = try RealArm.ur5.fromJSON()
    let analytic = try SolverFactory.make(robot: ur5, specification: .default(.analytic))
    let pose = ur5.tipPose(at: ur5.middleConfiguration)
    let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
    let branches = try #require(try analytic.analyticSolver?.branches(for: target))
    #expect(branches.contains { $0.solution.reachable })
    #expect(plain.analyticSolver == nil)
    #expect(throws: IKError.self) {
      try small.analyticSolver?.branches(for: IKTarget(position: Vector3(0.3, 0.1, 0.4)))
    }
    let chain = try SolverFactory.make(robot: Fixtures.mixedChain())
    #expect(chain.kind == .levenbergMarquardt)
    #expect(
      SolverFactory.availableKinds(for: robot, network: network)
        == [.hybrid, .network, .levenbergMarquardt, .analytic])
    #expect(
      SolverFactory.availableKinds(for: robot, network: nil) == [.hybrid, .levenbergMarquardt, .analytic])
    #expect(
      SolverFactory.availableKinds(for: try FixtureArm.seedArm.robot(), network: nil)
        == [.analytic, .levenbergMarquardt])
  }

  @Test("refusals are typed: no model, no closed form, another robot's model, options out of range")
  func refusals() throws {
    let (panda, network) = try Self.armWithModel("panda")
    let seed = try FixtureArm.seedArm.robot()
    // The hybrid without a model needs a closed form of poses, left on.
    #expect(throws: SolverSpecificationError.hybridNeedsModel(closedFormTurnedOff: false)) {
      try SolverFactory.make(robot: seed, specification: .default(.hybrid))
    }
    let refinementOnly = SolverSpecification(kind: .hybrid, closedForm: false)
    #expect(throws: SolverSpecificationError.hybridNeedsModel(closedFormTurnedOff: true)) {
      try SolverFactory.make(robot: panda, specification: refinementOnly)
    }
    #expect(throws: SolverSpecificationError.needsModel(.network)) {
      try SolverFactory.make(robot: panda, specification: .default(.network))
    }
    #expect {
      try SolverFactory.make(robot: Fixtures.mixedChain(), specification: .default(.analytic))
    } throws: {
      guard case .noClosedForm(.noClosedForm(robot: "mixed", _)) = $0 as? SolverSpecificationError else {
        return false
      }
      return "\($0)".contains("use the 'lm' solver")
    }
    // Whatever the kind, also those that would not use it.
    for kind in [SolverKind.hybrid, .levenbergMarquardt, .analytic, .network] {
      #expect {
        try SolverFactory.make(robot: seed, network: network, specification: .default(kind))
      } throws: { "\($0)".contains("trained for robot 'panda'") }
    }
    for change in [
      { (s: inout SolverSpecification) in s.randomRestarts = -1 },
      { $0.randomRestarts = Int.max },
      { $0.maxIterations = 0 },
      { $0.iterationBudget = Int.max },
      { $0.freeJointSamples = 1 << 40 },
      { $0.timeBudget = .nan },
      { $0.tolerance.position = -1 },
      { $0.rotationWeight = .infinity },
    ] {
      var specification = SolverSpecification()
      change(&specification)
      #expect {
        try SolverFactory.make(robot: seed, specification: specification)
      } throws: { error in
        guard case .outOfRange = error as? SolverSpecificationError else { return false }
        return "\(error)".contains("out of range; give")
      }
    }
  }

  @Test("the specification survives JSON, with snake_case keys")
  func codable() throws {
    var specification = SolverSpecification(kind: .hybrid, freeJointSamples: 4, timeBudget: 0.005)
    specification.preference = .any
    let data = try JSONEncoder().encode(specification)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"random_restarts\":64") && text.contains("\"iteration_budget\":2000"))
    #expect(try JSONDecoder().decode(SolverSpecification.self, from: data) == specification)
  }

  @Test("nearest-to-start prefers the closed-form branch nearest the start; any keeps the solver's order")
  func preference() throws {
    let robot = try FixtureArm.arm3DoF.robot()
    let target = try IKTarget(position: Vector3(0.2, 0.1, 0.8))
    let nearest = try SolverFactory.make(robot: robot, specification: .default(.analytic))
    var anySpecification = SolverSpecification.default(.analytic)
    anySpecification.preference = .any
    let any = try SolverFactory.make(robot: robot, specification: anySpecification)
    let branches = try any.solve(target).solutions
    #expect(branches.count == 4)
    let distance = JointDistance(robot: robot)
    for branch in branches {
      let result = try nearest.solve(target, from: branch.jointValues)
      #expect(distance(result.best.jointValues, branch.jointValues) < 1e-9)
      #expect(result.alternatives.count == 3)
    }
  }

  @Test("joint distance wraps full-turn joints the short way round")
  func jointDistance() throws {
    let robot = try RealArm.ur5.fromJSON()
    let distance = JointDistance(robot: robot)
    let a = [Double](repeating: 0, count: 6)
    var b = a
    b[0] = 2 * .pi - 0.1
    #expect(abs(distance(a, b) - 0.1) < 1e-12)
  }

  @Test("a batch equals one solve at a time")
  func batchedEqualsOneByOne() throws {
    let (robot, network) = try Self.armWithModel("arm-3dof")
    var generator = SplitMix64(seed: 8)
    let targets = (0..<40).map { _ in
      DataGeneration.target(robot: robot, q: robot.randomConfiguration(using: &generator), poses: false)
    }
    let batched = try BatchSolving.solve(
      targets, robot: robot, network: network, specification: SolverSpecification(), threads: 2)
    let solver = try SolverFactory.make(robot: robot, network: network)
    for (target, result) in zip(targets, batched) {
      #expect(try solver.solve(target).best.jointValues == result.best.jointValues)
    }
  }

  @Test("a position target with a pose model: the hybrid answers with its lm solve, the network refuses")
  func positionTargetOnPoseModel() throws {
    let (robot, network) = try Self.armWithModel("panda")
    let hybrid = try SolverFactory.make(robot: robot, network: network)
    var generator = SplitMix64(seed: 12)
    for _ in 0..<20 {
      let target = DataGeneration.target(
        robot: robot, q: robot.randomConfiguration(using: &generator), poses: false)
      let result = try hybrid.solve(target)
      #expect(result.best.reachable && result.best.rotationError == nil)
    }
    let alone = try SolverFactory.make(robot: robot, network: network, specification: .default(.network))
    #expect(throws: IKError.self) { try alone.solve(IKTarget(position: Vector3(0.4, 0.2, 0.5))) }
  }

  @Test("with every solution asked for, the iterations counted are every start's")
  func findAllCountsEveryStart() throws {
    let robot = try FixtureArm.seedArm.robot()
    var all = SolverSpecification.default(.levenbergMarquardt)
    all.findAll = true
    let solver = try SolverFactory.make(robot: robot, specification: all)
    let result = try solver.solve(IKTarget(position: Vector3(-2, 0, 0)))
    #expect(result.iterations >= result.solutions.reduce(0) { $0 + $1.iterations })
    #expect(result.iterations <= solver.specification.maximumIterations)
  }
}
