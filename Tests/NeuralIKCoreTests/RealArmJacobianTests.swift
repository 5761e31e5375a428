import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

/// The geometric and pose-residual Jacobians of the real arms against central finite
/// differences, on configurations biased towards the limits and zero (aligned axes), from a fresh
/// seed each run (``PropertyRun``).
@Suite("Real-arm Jacobians equal central finite differences")
struct RealArmJacobianTests {
  /// Cheap: 10,000 cases per arm even in a debug build.
  static let cases = PropertyRun.cases(fallback: 10_000)

  static func configurations(_ robot: RobotModel) -> Generator<[Double], Shrink.None<[Double]>> {
    Generator { rng in robot.biasedConfiguration(using: &rng) }
  }

  @Test(
    "geometric Jacobian: linear rows are d(FK)/dq, angular rows the rotation's rate",
    arguments: RealArm.allCases)
  func geometric(arm: RealArm) async throws {
    let robot = try arm.fromJSON()
    await propertyCheck(
      law: "geometric Jacobian on \(arm.rawValue)", count: Self.cases, input: Self.configurations(robot)
    ) {
      q in
      let analytic = robot.jacobian(at: q)
      var worst = (difference: 0.0, row: 0, column: 0)
      for column in q.indices {
        var plus = q
        var minus = q
        plus[column] += 1e-6
        minus[column] -= 1e-6
        let (posePlus, poseMinus) = (robot.tipPose(at: plus), robot.tipPose(at: minus))
        let velocity = (posePlus.translation - poseMinus.translation) / 2e-6
        // ω: log(R(q + h eᵢ) R(q − h eᵢ)ᵀ) / 2h, a central difference on SO(3).
        let omega = (posePlus.rotation * poseMinus.rotation.transposed).logarithm / 2e-6
        for row in 0..<6 {
          let numeric = row < 3 ? velocity[row] : omega[row - 3]
          let difference = abs(analytic[row, column] - numeric)
          if difference > worst.difference { worst = (difference, row, column) }
        }
      }
      // Central differences with h = 1e-6 on arms about 1 m long: O(h²) truncation and ~1e-10
      // rounding.
      #expect(worst.difference < 1e-8, "entry (\(worst.row), \(worst.column)) off by \(worst.difference)")
    }
  }

  @Test("pose residual Jacobian equals finite differences of the residual", arguments: RealArm.allCases)
  func poseResidual(arm: RealArm) async throws {
    let robot = try arm.fromJSON()
    let input = zip(Self.configurations(robot), Self.configurations(robot))
    await propertyCheck(law: "pose residual Jacobian on \(arm.rawValue)", count: Self.cases, input: input) {
      q, qTarget in
      let pose = robot.tipPose(at: qTarget)
      let target = try IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      // The log map is not differentiable at a rotation error of π: that region is the solvers'
      // (SolverLawTests' half-turn targets), not the derivative's.
      guard (pose.rotation.transposed * robot.tipPose(at: q).rotation).logarithm.length < 3.0 else { return }
      let residual = PoseResidual(robot: robot, target: target)
      var f = Array(repeating: 0.0, count: 6)
      var jacobian = Array(repeating: 0.0, count: 6 * q.count)
      var scratch = Jacobian(columns: q.count)
      residual.evaluate(at: q, residual: &f, jacobian: &jacobian, scratch: &scratch)
      let numeric = centralDifferences(at: q, outputs: 6) { q in
        var f = Array(repeating: 0.0, count: 6)
        residual.evaluate(at: q, into: &f)
        return f
      }
      let worst =
        jacobian.indices.max { abs(jacobian[$0] - numeric[$0]) < abs(jacobian[$1] - numeric[$1]) } ?? 0
      #expect(
        abs(jacobian[worst] - numeric[worst]) < 1e-7,
        "entry \(worst): \(jacobian[worst]) against \(numeric[worst])")
    }
  }

  @Test(
    "second-order term: Σ rᵢ ∂²rᵢ/∂q_a∂q_b equals central differences of the residual's Jacobian, for pose and position targets in and out of reach",
    arguments: RealArm.allCases)
  func secondOrderTerm(arm: RealArm) async throws {
    let robot = try arm.fromJSON()
    let n = robot.degreesOfFreedom
    let offsets = Generator { rng in
      Vector3(
        Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng),
        Double.random(in: -1...1, using: &rng)) * Double.random(in: 0...2, using: &rng)
    }
    let input = zip(Self.configurations(robot), zip(Self.configurations(robot), offsets))
    await propertyCheck(law: "second-order term on \(arm.rawValue)", count: Self.cases / 4, input: input) {
      q, pair in
      let (qTarget, offset) = pair
      let pose = robot.tipPose(at: qTarget)
      // As above: the log map is not differentiable at a rotation error of π.
      guard (pose.rotation.transposed * robot.tipPose(at: q).rotation).logarithm.length < 3.0 else { return }
      for orientation in [Quaternion(pose.rotation), nil] {
        let position = pose.translation + offset
        let target =
          try orientation.map { try IKTarget(position: position, orientation: $0) }
          ?? IKTarget(position: position)
        let residual = PoseResidual(robot: robot, target: target)
        let rows = residual.count
        var f = Array(repeating: 0.0, count: rows)
        var jacobian = Array(repeating: 0.0, count: rows * n)
        var scratch = Jacobian(columns: n)
        // swift-format-ignore: AlwaysUseLowerCamelCase
        let T_base_tip = residual.evaluate(at: q, residual: &f, jacobian: &jacobian, scratch: &scratch)
        var analytic = Array(repeating: 0.0, count: n * n)
        #expect(
          residual.secondOrderTerm(residual: f, geometric: scratch, T_base_tip: T_base_tip, into: &analytic))
        var residualNorm = 0.0
        for value in f { residualNorm += value * value }
        residualNorm = residualNorm.squareRoot()
        var worst = (difference: 0.0, a: 0, b: 0)
        for b in 0..<n {
          var plus = q
          var minus = q
          plus[b] += 1e-6
          minus[b] -= 1e-6
          var (fPlus, fMinus) = (f, f)
          var (jPlus, jMinus) = (jacobian, jacobian)
          residual.evaluate(at: plus, residual: &fPlus, jacobian: &jPlus, scratch: &scratch)
          residual.evaluate(at: minus, residual: &fMinus, jacobian: &jMinus, scratch: &scratch)
          for a in 0..<n {
            var numeric = 0.0
            for row in 0..<rows { numeric += f[row] * (jPlus[row * n + a] - jMinus[row * n + a]) / 2e-6 }
            let difference = abs(analytic[a * n + b] - numeric)
            if difference > worst.difference { worst = (difference, a, b) }
          }
        }
        #expect(
          worst.difference < 1e-6 * (1 + residualNorm),
          "\(orientation == nil ? "position" : "pose") target: entry (\(worst.a), \(worst.b)) off by \(worst.difference), residual \(residualNorm)"
        )
      }
    }
  }
}
