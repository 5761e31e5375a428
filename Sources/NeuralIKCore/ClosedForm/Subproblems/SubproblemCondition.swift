import Foundation

/// How exactly a geometric subproblem's answer satisfies its equation.
public enum SubproblemCondition: String, Sendable, Hashable {
  /// Every returned angle satisfies the equation to rounding error.
  case exact
  /// No angle satisfies it; the returned angles minimise the equation's error instead.
  case leastSquares
  /// Infinitely many angles satisfy it (a point on the axis, parallel axes); one representative
  /// is returned.
  case singular

  /// The worse of two conditions, for a solution built from several subproblems.
  @inline(__always) func combined(with other: SubproblemCondition) -> SubproblemCondition {
    if self == .leastSquares || other == .leastSquares { return .leastSquares }
    if self == .singular || other == .singular { return .singular }
    return .exact
  }
}

/// The angles a one-angle subproblem returns: none, one or two, and how exactly they solve it.
public struct SubproblemAngles: Sendable, Hashable {
  /// Radians, in (−π, π].
  public var angles: [Double] { Array(values) }
  /// The angles held inline: the closed forms read these, and allocate nothing.
  let values: OneOrTwo<Double>
  /// Whether the angles solve the subproblem exactly, in the least-squares sense, or at a
  /// singularity.
  public var condition: SubproblemCondition

  init(angles: OneOrTwo<Double>, condition: SubproblemCondition) {
    values = angles
    self.condition = condition
  }
}

/// The angle pairs a two-angle subproblem returns, and how exactly they solve it.
public struct SubproblemAnglePairs: Sendable, Hashable {
  /// Radians, in (−π, π]: `(θ1, θ2)` for the subproblem's first and second axis.
  public var pairs: [(Double, Double)] { Array(valuePairs) }
  /// The pairs held inline: the closed forms read these, and allocate nothing.
  let valuePairs: OneOrTwo<(Double, Double)>
  /// Whether the pairs solve the subproblem exactly, in the least-squares sense, or at a
  /// singularity.
  public var condition: SubproblemCondition

  init(pairs: OneOrTwo<(Double, Double)>, condition: SubproblemCondition) {
    valuePairs = pairs
    self.condition = condition
  }

  /// Equal conditions and the same pairs in the same order (tuples are not `Equatable`).
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.condition == rhs.condition && lhs.valuePairs.count == rhs.valuePairs.count
      && zip(lhs.valuePairs, rhs.valuePairs).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
  }

  /// Hashes the condition and every pair, agreeing with ``==(_:_:)``.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(condition)
    for (a, b) in valuePairs {
      hasher.combine(a)
      hasher.combine(b)
    }
  }
}

/// The component of `v` perpendicular to the unit vector `axis`.
@inlinable @inline(__always) func perpendicular(_ v: Vector3, to axis: Vector3) -> Vector3 {
  v - axis * axis.dot(v)
}

/// Scales below this fraction of a problem's size count as zero: a vector on the axis, parallel
/// axes. Far above rounding (1e-16) and far below any real arm's offsets.
let subproblemZero = 1e-12
