import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

@Suite("Jacobians equal central finite differences")
struct JacobianTests {
  static let arms: [RobotModel] = {
    var arms = FixtureArm.allCases.compactMap { try? $0.robot() }
    if let mixed = try? Fixtures.mixedChain() { arms.append(mixed) }
    return arms
  }()

  @Test("the fixture arms and the mixed chain load")
  func armsLoad() {
    #expect(Self.arms.count == FixtureArm.allCases.count + 1)
  }

  @Test("geometric Jacobian, linear rows, equals d(FK)/dq", arguments: arms.map(\.name))
  func linearRows(name: String) async throws {
    let robot = try #require(Self.arms.first { $0.name == name })
    await propertyCheck(seed: 1, count: 200, input: robot.configurations()) { q in
      let analytic = robot.jacobian(at: q)
      let numeric = centralDifferences(at: q, outputs: 3) { q in
        let p = robot.tipPosition(at: q)
        return [p.x, p.y, p.z]
      }
      for row in 0..<3 {
        for column in q.indices {
          // Central differences with h = 1e-6 carry O(h²) ≈ 1e-12 truncation and ~1e-10 rounding.
          #expect(abs(analytic[row, column] - numeric[row * q.count + column]) < 1e-8)
        }
      }
    }
  }

  @Test("geometric Jacobian, angular rows, equals the rotation's rate", arguments: arms.map(\.name))
  func angularRows(name: String) async throws {
    let robot = try #require(Self.arms.first { $0.name == name })
    await propertyCheck(seed: 2, count: 200, input: robot.configurations()) { q in
      let analytic = robot.jacobian(at: q)
      // ω for joint i: log(R(q + h eᵢ) R(q − h eᵢ)ᵀ) / 2h, a central difference on SO(3).
      for column in q.indices {
        var plus = q
        var minus = q
        plus[column] += 1e-6
        minus[column] -= 1e-6
        let omega =
          (robot.tipPose(at: plus).rotation * robot.tipPose(at: minus).rotation.transposed)
          .logarithm / 2e-6
        for row in 0..<3 {
          #expect(abs(analytic[3 + row, column] - omega[row]) < 1e-8)
        }
      }
    }
  }

  @Test("pose residual Jacobian equals finite differences of the residual", arguments: arms.map(\.name))
  func poseResidual(name: String) async throws {
    let robot = try #require(Self.arms.first { $0.name == name })
    let input = zip(robot.configurations(), robot.configurations())
    await propertyCheck(seed: 3, count: 150, input: input) { q, qTarget in
      let pose = robot.tipPose(at: qTarget)
      guard let target = try? IKTarget(position: pose.translation, orientation: Quaternion(pose.rotation))
      else { Issue.record("target rejected"); return }
      let residual = PoseResidual(robot: robot, target: target)
      // The log map is not differentiable at a rotation error of π; stay clear of it.
      guard (pose.rotation.transposed * robot.tipPose(at: q).rotation).logarithm.length < 3.0 else { return }
      var f = Array(repeating: 0.0, count: 6)
      var jacobian = Array(repeating: 0.0, count: 6 * q.count)
      var scratch = Jacobian(columns: q.count)
      residual.evaluate(at: q, residual: &f, jacobian: &jacobian, scratch: &scratch)
      let numeric = centralDifferences(at: q, outputs: 6) { q in
        var f = Array(repeating: 0.0, count: 6)
        residual.evaluate(at: q, into: &f)
        return f
      }
      for index in jacobian.indices {
        #expect(abs(jacobian[index] - numeric[index]) < 1e-7, "entry \(index)")
      }
    }
  }
}
