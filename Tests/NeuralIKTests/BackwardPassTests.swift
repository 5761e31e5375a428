import Foundation
import NeuralIK
import PropertyBased
import TestSupport
import Testing

@Suite("Backward passes equal central finite differences")
struct BackwardPassTests {
  /// A small network in Float; differences of Float sums carry ~1e-4 relative noise.
  static func network(_ activation: Activation, inputs: Int, outputs: Int, seed: UInt64) -> MLP {
    var generator = SplitMix64(seed: seed)
    return MLP(
      architecture: MLPArchitecture(
        inputCount: inputs, hiddenWidths: [7, 5], outputCount: outputs, activation: activation),
      using: &generator)
  }

  /// ∂(Σ cᵢ·outputᵢ)/∂parameters, analytic and numeric, for random inputs and weights c.
  @Test("MLP: every layer's weight and bias gradient", arguments: Activation.allCases)
  func mlpParameters(activation: Activation) async {
    let input = Gen.double(in: -1.5...1.5).array(of: 4 * 3)
    await propertyCheck(seed: 40, count: 20, input: zip(input, Gen.int(in: 0...1000))) { x, seed in
      var mlp = Self.network(activation, inputs: 3, outputs: 2, seed: UInt64(seed))
      let inputs = x.map { Float($0) }
      let weights: [Float] = (0..<8).map { Float(($0 % 3) - 1) + 0.25 }
      let workspace = MLPWorkspace()
      mlp.forward(inputs, batch: 4, workspace: workspace)
      var gradient = [Float](repeating: 0, count: mlp.parameters.count)
      mlp.backward(outputGradient: weights, batch: 4, workspace: workspace, gradient: &gradient)
      func objective(_ model: MLP) -> Double {
        let w = MLPWorkspace()
        model.forward(inputs, batch: 4, workspace: w)
        return zip(w.output.prefix(8), weights).reduce(0) { $0 + Double($1.0 * $1.1) }
      }
      var kinks = 0
      for index in mlp.parameters.indices {
        let saved = mlp.parameters[index]
        // Smaller steps for ReLU, so that fewer quotients straddle a kink.
        let h: Float = activation == .relu ? 1e-3 : 1e-2
        mlp.parameters[index] = saved + h
        let plus = objective(mlp)
        mlp.parameters[index] = saved - h
        let minus = objective(mlp)
        mlp.parameters[index] = saved
        let numeric = (plus - minus) / (2 * Double(h))
        let tolerance = 2e-3 * max(1, abs(numeric))
        let matches = abs(numeric - Double(gradient[index])) < tolerance
        // A ReLU difference quotient that straddles a kink is meaningless; allow a few of those.
        if activation == .relu && !matches {
          kinks += 1
          continue
        }
        #expect(matches, "parameter \(index): \(numeric) vs \(gradient[index])")
      }
      #expect(kinks <= mlp.parameters.count / 10, "\(kinks) of \(mlp.parameters.count) ReLU entries disagree")
    }
  }

  /// End to end through the FK loss: ∂(mean loss)/∂outputs of the network, per joint kind.
  @Test("FK loss: gradient with respect to the network outputs, position and pose targets")
  func fkLoss() async throws {
    let robots = [try FixtureArm.arm3DoF.robot(), try Fixtures.mixedChain()]
    for robot in robots {
      let layout = JointOutputLayout(robot: robot)
      var loss = FKLoss(robot: robot, layout: layout, heads: 3)
      loss.smoothing = 1e-3
      let outputs = Gen.double(in: -2...2).array(of: 2 * 3 * layout.outputsPerHead)
      await propertyCheck(seed: 41, count: 25, input: zip(outputs, robot.configurations(), Gen.bool())) {
        z, q, pose in
        let p = robot.tipPose(at: q)
        let target =
          pose
          ? try IKTarget(
            position: p.translation + Vector3(0.01, -0.02, 0.03), orientation: Quaternion(p.rotation))
          : try IKTarget(position: p.translation + Vector3(0.2, 0.1, -0.1))
        let targets = [target, target].dropFirst(0)
        let raw = z.map { Float($0) }
        var gradient = [Float](repeating: 0, count: raw.count)
        let lossHere = loss.evaluate(outputs: raw, targets: targets, gradient: &gradient, threads: 2)
        var kinks = 0
        for index in raw.indices {
          var plus = raw
          var minus = raw
          let h: Float = 1e-3
          plus[index] += h
          minus[index] -= h
          var scratch = [Float](repeating: 0, count: raw.count)
          let lossPlus = loss.evaluate(outputs: plus, targets: targets, gradient: &scratch, threads: 1)
          let lossMinus = loss.evaluate(outputs: minus, targets: targets, gradient: &scratch, threads: 1)
          let numeric = (lossPlus - lossMinus) / (2 * Double(h))
          // Winner-takes-all switches heads where two tie: there the slopes on either side differ
          // (a kink) and the central quotient means nothing. Elsewhere they agree to O(h·f''), and
          // the gradient must match, however large it is.
          let (forward, backward) = ((lossPlus - lossHere) / Double(h), (lossHere - lossMinus) / Double(h))
          if abs(forward - backward) > 0.1 * max(1, abs(numeric)) {
            kinks += 1
            continue
          }
          #expect(
            abs(numeric - Double(gradient[index])) < 2e-3 * max(1, abs(numeric)),
            "\(robot.name) output \(index): numeric \(numeric) vs analytic \(gradient[index])")
        }
        #expect(kinks <= raw.count / 10, "\(robot.name): \(kinks) of \(raw.count) outputs at a kink")
      }
    }
  }

  @Test("end to end: ∂(FK loss)/∂weights through the network")
  func endToEnd() async throws {
    let robot = try FixtureArm.arm3DoF.robot()
    let layout = JointOutputLayout(robot: robot)
    let heads = 2
    var mlp = Self.network(.tanh, inputs: 3, outputs: heads * layout.outputsPerHead, seed: 9)
    let loss = FKLoss(robot: robot, layout: layout, heads: heads)
    let targets = [Vector3(0.3, 0.1, 0.6), Vector3(-0.2, 0.4, 0.2), Vector3(0.9, 0, 0.4)].map {
      try! IKTarget(position: $0)
    }
    let inputs = targets.flatMap {
      [Float]([Float($0.position.x), Float($0.position.y), Float($0.position.z)])
    }
    func lossValue(_ model: MLP, gradient: inout [Float]) -> (Double, MLPWorkspace) {
      let workspace = MLPWorkspace()
      model.forward(inputs, batch: targets.count, workspace: workspace)
      let output = Array(workspace.output.prefix(targets.count * model.architecture.outputCount))
      return (
        loss.evaluate(outputs: output, targets: targets[...], gradient: &gradient, threads: 1), workspace
      )
    }
    var outputGradient = [Float](repeating: 0, count: targets.count * mlp.architecture.outputCount)
    let (_, workspace) = lossValue(mlp, gradient: &outputGradient)
    var gradient = [Float](repeating: 0, count: mlp.parameters.count)
    mlp.backward(
      outputGradient: outputGradient, batch: targets.count, workspace: workspace, gradient: &gradient)
    var scratch = outputGradient
    for index in Swift.stride(from: 0, to: mlp.parameters.count, by: 3) {
      let saved = mlp.parameters[index]
      let h: Float = 1e-2
      mlp.parameters[index] = saved + h
      let plus = lossValue(mlp, gradient: &scratch).0
      mlp.parameters[index] = saved - h
      let minus = lossValue(mlp, gradient: &scratch).0
      mlp.parameters[index] = saved
      let numeric = (plus - minus) / (2 * Double(h))
      #expect(
        abs(numeric - Double(gradient[index])) < 2e-3 * max(1, abs(numeric)),
        "parameter \(index): \(numeric) vs \(gradient[index])")
    }
  }
}
