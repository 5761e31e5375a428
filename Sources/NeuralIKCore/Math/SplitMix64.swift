/// A small, fast, seedable generator (Vigna's SplitMix64), so that every random draw in NeuralIK
/// is reproducible from a seed that the caller passes in.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
  /// The whole generator state: a generator rebuilt from it continues the same stream.
  public private(set) var state: UInt64

  /// A generator whose stream is fixed by `seed`.
  ///
  /// - Parameter seed: any value; equal seeds give equal streams.
  public init(seed: UInt64) { state = seed }

  /// The next value of the stream.
  ///
  /// - Returns: 64 uniformly distributed bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension RobotModel {
  /// A configuration drawn uniformly within the limits (continuous joints in [−π, π]).
  ///
  /// - Parameter generator: the seeded generator to draw from.
  /// - Returns: one value per movable joint, radians or metres.
  public func randomConfiguration<G: RandomNumberGenerator>(using generator: inout G) -> [Double] {
    movableJoints.map { joint in
      let limits = joint.limits ?? JointLimits(lower: -.pi, upper: .pi)
      return limits.range > 0
        ? Double.random(in: limits.lower...limits.upper, using: &generator) : limits.lower
    }
  }
}
