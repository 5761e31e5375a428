import Foundation

/// How each head's raw outputs become joint values that lie inside the limits by construction.
///
/// A bounded joint takes one output `z`: `q = middle + ½range · tanh(z)`, clamped so rounding
/// cannot step past a limit. A continuous joint takes two, `(s, c)`: `q = atan2(s, c)`; so does a
/// bounded joint whose limits hold all of [−π, π] (the UR5's ±2π): every angle it can take has an
/// equivalent in (−π, π], and a `tanh` over ±2π would ask the network to pick one of two equal
/// answers, a jump it cannot fit.
public struct JointOutputLayout: Codable, Sendable, Hashable {
  /// How one joint's value is produced.
  public enum Kind: String, Codable, Sendable, Hashable {
    /// One output through `tanh` into the limits.
    case bounded
    /// Two outputs `(s, c)`, `q = atan2(s, c)`: continuous joints and those whose limits hold a
    /// whole turn.
    case circular
  }

  /// One kind per movable joint, in chain order.
  public var kinds: [Kind]
  /// Each movable joint's lower limit (radians or metres; −π for a continuous joint).
  public var lower: [Double]
  /// Each movable joint's upper limit (radians or metres; π for a continuous joint).
  public var upper: [Double]

  /// The layout of `robot`'s movable joints.
  ///
  /// - Parameter robot: the robot the network proposes configurations for.
  public init(robot: RobotModel) {
    kinds = robot.movableJoints.map { joint in
      guard let limits = joint.limits else { return .circular }
      let holdsCircle = joint.type != .prismatic && limits.lower <= -.pi && limits.upper >= .pi
      return holdsCircle ? .circular : .bounded
    }
    lower = robot.movableJoints.map { $0.limits?.lower ?? -.pi }
    upper = robot.movableJoints.map { $0.limits?.upper ?? .pi }
  }

  /// Raw outputs per head.
  public var outputsPerHead: Int { kinds.reduce(0) { $0 + ($1 == .circular ? 2 : 1) } }

  /// The joint values of the head whose outputs start at `offset`.
  ///
  /// - Parameters:
  ///   - outputs: the network's raw outputs.
  ///   - offset: the index of the head's first output.
  /// - Returns: one value per movable joint, inside the limits whatever the outputs.
  public func jointValues(_ outputs: [Float], offset: Int) -> [Double] {
    var q = [Double](repeating: 0, count: kinds.count)
    var cursor = offset
    for (joint, kind) in kinds.enumerated() {
      switch kind {
      case .bounded:
        let middle = (lower[joint] + upper[joint]) / 2
        let half = (upper[joint] - lower[joint]) / 2
        q[joint] = min(
          upper[joint], max(lower[joint], middle + half * Foundation.tanh(Double(outputs[cursor]))))
        cursor += 1
      case .circular:
        q[joint] = atan2(Double(outputs[cursor]), Double(outputs[cursor + 1]))
        cursor += 2
      }
    }
    return q
  }

  /// Adds `weight · ∂loss/∂outputs` for the head whose outputs start at `offset`, given
  /// `∂loss/∂q`, into `gradient` starting at `gradientOffset` (chain rule through the map).
  ///
  /// - Parameters:
  ///   - outputs: the network's raw outputs of the forward pass.
  ///   - offset: the index of the head's first output.
  ///   - jointGradient: ∂loss/∂q, one value per movable joint.
  ///   - weight: the head's weight in the loss (winner-takes-all).
  ///   - gradient: ∂loss/∂outputs, added to.
  ///   - gradientOffset: where the head's outputs start in `gradient`.
  public func backward(
    _ outputs: [Float], offset: Int, jointGradient: [Double], weight: Double, into gradient: inout [Float],
    gradientOffset: Int
  ) {
    var cursor = offset
    let shift = gradientOffset - offset
    for (joint, kind) in kinds.enumerated() {
      switch kind {
      case .bounded:
        let half = (upper[joint] - lower[joint]) / 2
        let t = Foundation.tanh(Double(outputs[cursor]))
        gradient[shift + cursor] += Float(weight * jointGradient[joint] * half * (1 - t * t))
        cursor += 1
      case .circular:
        let (s, c) = (Double(outputs[cursor]), Double(outputs[cursor + 1]))
        let norm = max(s * s + c * c, 1e-12)
        gradient[shift + cursor] += Float(weight * jointGradient[joint] * c / norm)
        gradient[shift + cursor + 1] += Float(weight * jointGradient[joint] * -s / norm)
        cursor += 2
      }
    }
  }
}
