import Foundation

/// The joint a redundant arm's network is conditioned on.
///
/// A 7-joint arm reaches most poses along a one-parameter family of configurations, so "the"
/// configuration for a pose is not a function, and a network fitting one averages across the
/// family wherever its choice jumps. Given the value of one joint as an extra input, what remains
/// is a 6-joint problem with a few discrete branches, which winner-takes-all heads cover. Training
/// feeds each target's own label value; at inference the network runs once per value of an even
/// grid over the joint's range and the best proposal wins, as IKFlow samples its latent space.
public struct FreeJoint: Codable, Sendable, Hashable {
  /// Index among the movable joints.
  public var index: Int
  /// The low end of the sampled range (its lower limit; −π for a continuous joint).
  public var lower: Double
  /// The high end of the sampled range (its upper limit; π for a continuous joint).
  public var upper: Double
  /// A continuous joint: encoded as (sin, cos), sampled around the whole circle.
  public var circular: Bool
  /// Values tried per target at inference.
  public var samples: Int

  /// A free joint from its parts.
  ///
  /// - Parameters:
  ///   - index: index among the movable joints.
  ///   - lower: the low end of the range (radians).
  ///   - upper: the high end of the range.
  ///   - circular: encode as (sin, cos).
  ///   - samples: values per target at inference; at least 1 is kept.
  public init(index: Int, lower: Double, upper: Double, circular: Bool, samples: Int) {
    self.index = index
    self.lower = lower
    self.upper = upper
    self.circular = circular
    self.samples = max(1, samples)
  }

  /// Movable joint `index` (the last when `nil`), when `robot` has more joints than the task has
  /// dimensions and that joint is revolute or continuous.
  ///
  /// - Parameters:
  ///   - robot: the arm.
  ///   - poses: whether the task is poses (6 dimensions) or positions (3).
  ///   - samples: values per target at inference; 0 or less gives `nil`.
  ///   - index: the joint among the movable joints; `nil` for the last.
  public init?(robot: RobotModel, poses: Bool, samples: Int, index: Int? = nil) {
    let index = index ?? robot.degreesOfFreedom - 1
    guard samples > 0, robot.degreesOfFreedom > (poses ? 6 : 3), robot.movableJoints.indices.contains(index)
    else { return nil }
    let joint = robot.movableJoints[index]
    guard joint.type != .prismatic else { return nil }
    self.init(
      index: index, lower: joint.limits?.lower ?? -.pi, upper: joint.limits?.upper ?? .pi,
      circular: joint.limits == nil, samples: samples)
  }

  /// Input features its value takes: 2 for a circular joint (sin, cos), else 1.
  public var featureCount: Int { circular ? 2 : 1 }

  /// The same joint tried at `samples` values per target: more values, a more accurate best
  /// proposal at proportionally more network and forward-kinematics work.
  ///
  /// - Parameter samples: values per target; at least 1 is kept.
  /// - Returns: this joint with that sample count.
  public func with(samples: Int) -> FreeJoint {
    FreeJoint(index: index, lower: lower, upper: upper, circular: circular, samples: samples)
  }

  /// The `k`-th value of the inference grid: cell centres, so no value sits on a limit.
  ///
  /// - Parameter k: the sample, `0..<samples`.
  /// - Returns: the joint's value (radians), inside the range.
  public func value(sample k: Int) -> Double {
    lower + (Double(k) + 0.5) / Double(samples) * (upper - lower)
  }

  /// Writes the features of `value` at `offset`.
  func encode(_ value: Double, into features: inout [Float], offset: Int) {
    if circular {
      features[offset] = Float(sin(value))
      features[offset + 1] = Float(cos(value))
    } else {
      let half = max((upper - lower) / 2, 1e-12)
      features[offset] = Float((value - (lower + upper) / 2) / half)
    }
  }
}
