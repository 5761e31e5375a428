import Foundation

/// Solves `a cos θ + b sin θ = c`, the equation every one-angle subproblem reduces to.
///
/// Exact: the two angles (one where they coincide). Out of range (|c| > √(a² + b²)): the angle
/// where `a cos θ + b sin θ` comes nearest `c`, flagged least squares. `a = b = 0`: singular, θ = 0.
/// - Parameter scale: the problem's size, which decides when `a` and `b` count as zero.
func solveCosineSine(a: Double, b: Double, c: Double, scale: Double) -> SubproblemAngles {
  let amplitude = (a * a + b * b).squareRoot()
  guard amplitude > subproblemZero * max(scale, 1e-300) else {
    return SubproblemAngles(
      angles: OneOrTwo(0),
      condition: abs(c) <= subproblemZero * max(scale, 1e-300) ? .singular : .leastSquares)
  }
  let phase = arcTangent2(b, a)
  let ratio = c / amplitude
  if ratio >= 1 {
    return SubproblemAngles(
      angles: OneOrTwo(wrapAngle(phase)), condition: ratio > 1 + 1e-12 ? .leastSquares : .exact)
  }
  if ratio <= -1 {
    return SubproblemAngles(
      angles: OneOrTwo(wrapAngle(phase + .pi)), condition: ratio < -1 - 1e-12 ? .leastSquares : .exact)
  }
  let spread = acos(ratio)
  return SubproblemAngles(
    angles: OneOrTwo(wrapAngle(phase + spread), wrapAngle(phase - spread)), condition: .exact)
}

/// `angle` moved into (−π, π] by whole turns.
@inlinable @inline(__always) func wrapAngle(_ angle: Double) -> Double {
  // Most angles come from atan2, already in range: `remainder` would return them unchanged.
  if angle > -.pi && angle <= .pi { return angle }
  return wrapAngleOutOfRange(angle)
}

@usableFromInline func wrapAngleOutOfRange(_ angle: Double) -> Double {
  // A sum of three such angles (within three half-turns) needs a turn or two, not a remainder.
  let turn = 2 * Double.pi
  let wrapped =
    angle > .pi && angle <= 3 * .pi
    ? angle - turn : angle <= -.pi && angle > -3 * .pi ? angle + turn : remainder(angle, turn)
  return wrapped <= -.pi ? .pi : wrapped > .pi ? wrapped - turn : wrapped
}
