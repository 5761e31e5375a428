import Foundation
import NeuralIK
import PropertyBased
import TestSupport
import Testing

@Suite("The solvers' forward pass and least-squares problem")
struct InferencePassTests {
  static func network(_ architecture: MLPArchitecture, seed: UInt64) -> MLP {
    var generator = SplitMix64(seed: seed)
    return MLP(architecture: architecture, using: &generator)
  }

  @Test(
    "the solvers' pass equals the training pass up to Float rounding",
    arguments: [Activation.silu, .relu, .tanh])
  func inferenceEqualsTraining(activation: Activation) async {
    // Widths past 64 reach the one-row kernel's widest block (the Panda's layers are 256 wide).
    let shapes = Gen.int(in: 1...80).array(of: 1...3)
    await propertyCheck(seed: 60, count: 30, input: zip(shapes, Gen.int(in: 1...35), Gen.int(in: 1...20))) {
      hidden, rows, inputs in
      let architecture = MLPArchitecture(
        inputCount: inputs, hiddenWidths: hidden, outputCount: 13, activation: activation)
      let mlp = Self.network(architecture, seed: UInt64(rows * 1000 + inputs))
      var generator = SplitMix64(seed: UInt64(rows))
      let input = (0..<(rows * inputs)).map { _ in Float.random(in: -2...2, using: &generator) }
      let workspace = MLPWorkspace()
      mlp.forward(input, batch: rows, workspace: workspace)
      let expected = Array(workspace.output.prefix(rows * 13))
      var output: [Float] = []
      MLPInference(mlp).forward(input, rows: rows, into: &output)
      let scale = max(1, expected.map(abs).max() ?? 1)
      for (a, b) in zip(output.prefix(rows * 13), expected) {
        // Float sums of up to 80 terms in another order, and an exp within a few ulps.
        #expect(abs(a - b) <= 1e-4 * scale, "hidden \(hidden), \(rows) rows: \(a) vs \(b)")
      }
    }
  }

  @Test("the vectorised exp is within 2e-7 relative of Foundation's over [−87, 88], where it clamps")
  func vectorisedExp() {
    var worst: Float = 0
    var x: Float = -87
    while x <= 87.99 {
      let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0013 })
      let fast = MLPInference.exp(lanes)
      for lane in 0..<8 {
        let exact = Foundation.exp(Double(lanes[lane]))
        worst = max(worst, Float(abs(Double(fast[lane]) - exact) / exact))
      }
      x += 0.0137
    }
    #expect(worst <= 2e-7, "worst relative error \(worst)")
  }

  @Test(
    "the least-squares Jacobian GSL sees equals central differences of its residual",
    arguments: RealArm.allCases)
  func problemJacobian(arm: RealArm) async throws {
    let robot = try arm.fromJSON()
    let n = robot.degreesOfFreedom
    let problem = JointSpaceProblem(robot: robot)
    await propertyCheck(
      seed: 61, count: 60, input: zip(robot.configurations(), robot.configurations(), Gen.int(in: 0...7))
    ) { q, other, mode in
      // Half the cases an axis target (a tilted tool axis along the generating pose's), half a pose.
      let pose = robot.tipPose(at: other)
      let target =
        mode & 4 == 4
        ? try IKTarget(
          position: pose.translation,
          axis: AxisTarget(toolAxis: Vector3(0.3, -0.2, 1), direction: pose.rotation * Vector3(0.3, -0.2, 1)))
        : try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      let residual = PoseResidual(robot: robot, target: target)
      // One joint pinned in half the cases, reparameterised or not, anchored or not.
      let pinned = (0..<n).map { mode & 1 == 1 && $0 == 2 }
      let anchor = mode & 2 == 2 ? LevenbergMarquardtSolver.Anchor(configuration: other, weight: 0.3) : nil
      let u = problem.prepare(residual, q: q, pinned: pinned, reparameterize: mode & 3 != 2, anchor: anchor)
      let rows = problem.rowCount
      func f(_ x: [Double]) -> [Double] {
        var values = [Double](repeating: 0, count: rows)
        x.withUnsafeBufferPointer { xs in
          values.withUnsafeMutableBufferPointer { problem.evaluate(xs, $0, nil) }
        }
        return values
      }
      var analytic = [Double](repeating: 0, count: rows * u.count)
      var values = [Double](repeating: 0, count: rows)
      u.withUnsafeBufferPointer { xs in
        values.withUnsafeMutableBufferPointer { fs in
          analytic.withUnsafeMutableBufferPointer { problem.evaluate(xs, fs, $0) }
        }
      }
      let numeric = centralDifferences(at: u, outputs: rows, f)
      for index in analytic.indices {
        #expect(
          abs(analytic[index] - numeric[index]) <= 1e-6,
          "entry \(index): \(analytic[index]) vs \(numeric[index])")
      }
      // The cached Jacobian belongs to the point it was computed at: the residual there agrees.
      #expect(f(u) == values)
    }
  }
}
