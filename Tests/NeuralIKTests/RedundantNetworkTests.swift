import Foundation
import NeuralIK
import PropertyBased
import TestSupport
import Testing

@Suite("Networks for real arms: full-turn joints, free joints, ranked proposals")
struct RedundantNetworkTests {
  /// An untrained pose network for `robot`: layout and encoding properties need no training.
  static func poseNetwork(
    _ robot: RobotModel, freeJointSamples: Int = 0, freeJointIndex: Int? = nil, heads: Int = 3
  ) -> IKNetwork {
    var generator = SplitMix64(seed: 8)
    let samples = (0..<200).map { _ in robot.tipPosition(at: robot.randomConfiguration(using: &generator)) }
    let encoding = InputEncoding(
      robot: robot, poses: true, samples: samples, freeJointSamples: freeJointSamples,
      freeJointIndex: freeJointIndex)
    let layout = JointOutputLayout(robot: robot)
    let mlp = MLP(
      architecture: MLPArchitecture(
        inputCount: encoding.featureCount, hiddenWidths: [24], outputCount: heads * layout.outputsPerHead,
        activation: .silu),
      using: &generator)
    return IKNetwork(robot: robot, mlp: mlp, encoding: encoding, heads: heads, config: TrainingConfig())
  }

  @Test("a joint whose limits hold a full turn is output as (sin, cos); narrower ones as one bounded value")
  func fullTurnJoints() throws {
    let ur5 = try RealArm.ur5.fromJSON()
    #expect(JointOutputLayout(robot: ur5).kinds == Array(repeating: .circular, count: 6))
    #expect(JointOutputLayout(robot: ur5).outputsPerHead == 12)
    let panda = try RealArm.panda.fromJSON()
    #expect(JointOutputLayout(robot: panda).kinds == Array(repeating: .bounded, count: 7))
  }

  @Test(
    "proposals stay inside the limits for any pose target: the UR5's ±2π, the Panda's narrower ones",
    arguments: [RealArm.ur5, .panda])
  func limits(arm: RealArm) async throws {
    let robot = try arm.fromJSON()
    let solver = try Solvers.make(.network, robot, network: Self.poseNetwork(robot)) { $0.findAll = true }
    let positions = Gen.double(in: -3...3).array(of: 3)
    let quaternions = Gen.double(in: -1...1).array(of: 4)
    await propertyCheck(seed: 9, count: 200, input: zip(positions, quaternions)) { p, q in
      guard q.map({ $0 * $0 }).reduce(0, +) > 1e-3 else { return }
      let target = try IKTarget(values: p + q)
      for proposal in try solver.solve(target).solutions {
        #expect(robot.isWithinLimits(proposal.jointValues), "\(proposal.jointValues)")
      }
    }
  }

  @Test("a free joint takes each value of its grid, at the index asked for, samples × heads proposals")
  func freeJointGrid() throws {
    let robot = try RealArm.iiwa14.fromJSON()
    let network = Self.poseNetwork(robot, freeJointSamples: 5, freeJointIndex: 2)
    let free = try #require(network.encoding.freeJoint)
    #expect(free.index == 2)
    let target = try IKTarget(values: [0.4, 0.1, 0.6, 1, 0, 0, 0])
    let proposals = try network.proposals(for: [target])[0].configurations
    #expect(proposals.count == 5 * 3)
    let limits = try #require(robot.movableJoints[2].limits)
    for k in 0..<5 {
      let value = free.value(sample: k)
      #expect(value > limits.lower && value < limits.upper)
      for head in 0..<3 { #expect(proposals[k * 3 + head][2] == value) }
    }
    // More samples at inference: more proposals from the same weights.
    let denser = network.with(freeJointSamples: 9)
    #expect(try denser.proposals(for: [target])[0].count == 9 * 3)
    #expect(denser.mlp.parameters == network.mlp.parameters)
  }

  @Test(
    "proposals come best first by the model's rotation weight, and the network solver's answer is the first")
  func ranking() throws {
    let robot = try RealArm.panda.fromJSON()
    let network = Self.poseNetwork(robot, freeJointSamples: 3)
    let all = try Solvers.make(.network, robot, network: network) {
      $0.findAll = true
      $0.preference = .any
    }
    let solver = try Solvers.make(.network, robot, network: network)
    var generator = SplitMix64(seed: 2)
    for _ in 0..<20 {
      let pose = robot.tipPose(at: robot.randomConfiguration(using: &generator))
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      let proposals = try all.solve(target).solutions
      #expect(proposals.count == 9)
      // The ranking's cost, recomputed from each solution's own errors.
      let costs = proposals.map {
        $0.positionError * $0.positionError + pow(($0.rotationError ?? 0) * network.rotationWeight, 2)
      }
      #expect(costs == costs.sorted())
      #expect(
        try solver.solve(target, from: robot.middleConfiguration).best.jointValues == proposals[0].jointValues
      )
    }
  }

  @Test("a free joint the arm cannot take is refused before training, naming the arm and the first reason")
  func badFreeJoint() throws {
    var config = TrainingConfig()
    config.poses = true
    config.freeJointSamples = 4
    config.freeJointIndex = 9
    #expect {
      try Trainer(robot: RealArm.panda.fromJSON(), config: config).train()
    } throws: { "\($0)".contains("joint 10, which 'panda' does not have: it has 7") }
    config.freeJointIndex = nil
    // The UR5 leaves no joint free for poses: the samples alone are named, no joint the user never gave.
    #expect {
      try Trainer(robot: RealArm.ur5.fromJSON(), config: config).train()
    } throws: {
      "\($0)".contains("'ur5' has 6 joints, no more than a pose target's 6 dimensions")
        && !"\($0)".contains("joint 6")
    }
  }

  @Test(
    "a network with more weights than a model file holds is refused before any data is drawn, naming its layers"
  )
  func tooManyWeights() throws {
    var config = TrainingConfig()
    config.hiddenWidths = Array(repeating: 4096, count: 32)
    #expect {
      try Trainer(robot: FixtureArm.seedArm.robot(), config: config).train()
    } throws: { "\($0)".contains("32 hidden layers of 4096") && "\($0)".contains("at most 268435456") }
    // Widths whose product overflows Int are refused as well, not trapped on.
    config.hiddenWidths = [1 << 40, 1 << 40]
    #expect {
      try Trainer(robot: FixtureArm.seedArm.robot(), config: config).train()
    } throws: {
      "\($0)".contains("hidden widths [1099511627776, 1099511627776]; a model file holds 1 to 64 layers")
    }
    config.hiddenWidths = [16]
    config.heads = 5000
    #expect {
      try Trainer(robot: FixtureArm.seedArm.robot(), config: config).train()
    } throws: { "\($0)".contains("5000 heads; a model file holds 1 to 1024") }
    config.heads = nil
    // Hidden layers just under the cap, which the input and output layers take over it.
    config.hiddenWidths = [16384, 16383]
    #expect {
      try Trainer(robot: FixtureArm.seedArm.robot(), config: config).train()
    } throws: { "\($0)".contains("hidden layers 16384 × 16383") }
    // More free-joint values than a model file keeps: refused by the check a file's header gets.
    var redundant = TrainingConfig()
    redundant.poses = true
    redundant.freeJointSamples = 5000
    #expect {
      try Trainer(robot: RealArm.panda.fromJSON(), config: redundant).train()
    } throws: { "\($0)".contains("5000 free-joint samples per target; a model file holds 1 to 4096") }
  }

  @Test("pose training with fresh targets each epoch repeats bit for bit, and differs from a fixed set")
  func freshTargetsRepeat() throws {
    let robot = try RealArm.iiwa14.fromJSON()
    var config = TrainingConfig()
    config.poses = true
    config.hiddenWidths = [16]
    config.trainingTargets = 600
    config.validationTargets = 50
    config.gridPoints = 300
    config.warmupEpochs = 1
    config.maxEpochs = 3
    config.patience = 10
    config.freeJointSamples = 2
    config.rotationWeight = 0.2
    config.freshTargetsEachEpoch = true
    let first = try Trainer(robot: robot, config: config).train()
    let second = try Trainer(robot: robot, config: config).train()
    let same =
      first.network.mlp.parameters.map(\.bitPattern) == second.network.mlp.parameters.map(\.bitPattern)
    #expect(same, "two runs with one seed trained different weights")
    #expect(first.log.map(\.trainingLoss) == second.log.map(\.trainingLoss))
    // The best epoch may be the first, before any fresh draw; the later epochs' losses show the
    // new targets.
    config.freshTargetsEachEpoch = nil
    let fixed = try Trainer(robot: robot, config: config).train()
    #expect(fixed.log.last?.trainingLoss != first.log.last?.trainingLoss)
  }
}
