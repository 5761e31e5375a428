import Foundation

/// Paden–Kahan subproblem 2: the angle pairs (θ1, θ2) with `rot(k1, θ1) p1 = rot(k2, θ2) p2`, for
/// unit axes `k1`, `k2` through the origin that are not parallel.
///
/// Both sides sweep a circle on the sphere of radius ‖p‖; the circles meet in up to two points,
/// each giving a pair. Exact when `p1` and `p2` have the same length and the circles meet;
/// otherwise the pair of nearest points of the circles on the unit sphere (least squares). Parallel
/// axes or a vector on its axis: singular, with the representatives subproblem 1 gives.
///
/// - Parameters:
///   - k1: the first unit axis, through the origin.
///   - p1: the point rotated about `k1`.
///   - k2: the second unit axis, through the origin.
///   - p2: the point rotated about `k2`.
/// - Returns: pairs in (−π, π].
public func subproblem2(axis k1: Vector3, from p1: Vector3, axis k2: Vector3, from p2: Vector3)
  -> SubproblemAnglePairs
{
  let (length1, length2) = (p1.length, p2.length)
  let scale = max(max(length1, length2), 1e-300)
  let cosine = k1.dot(k2)
  let normal = k1.cross(k2)
  let sineSquared = normal.dot(normal)
  guard length1 > subproblemZero * scale, length2 > subproblemZero * scale,
    sineSquared > subproblemZero
  else {
    let first = subproblem1(axis: k1, from: p1, to: p2)
    let condition: SubproblemCondition = first.condition == .leastSquares ? .leastSquares : .singular
    return SubproblemAnglePairs(pairs: OneOrTwo((first.values[0], 0)), condition: condition)
  }
  // The common point x = α k1 + β k2 + γ (k1 × k2) of the unit sphere with k1·x = a, k2·x = b.
  let (u1, u2) = (p1 / length1, p2 / length2)
  let (a, b) = (k1.dot(u1), k2.dot(u2))
  let alpha = (a - b * cosine) / (1 - cosine * cosine)
  let beta = (b - a * cosine) / (1 - cosine * cosine)
  let inPlane = k1 * alpha + k2 * beta
  let gammaSquared = (1 - inPlane.dot(inPlane)) / sineSquared
  var condition: SubproblemCondition =
    abs(length1 - length2) <= 1e-10 * scale ? .exact : .leastSquares
  func pair(_ x: Vector3) -> (Double, Double) {
    (subproblem1(axis: k1, from: u1, to: x).values[0], subproblem1(axis: k2, from: u2, to: x).values[0])
  }
  let pairs: OneOrTwo<(Double, Double)>
  if gammaSquared < -1e-12 {
    condition = .leastSquares
    pairs = OneOrTwo(pair(inPlane))
  } else if gammaSquared <= 1e-24 {
    pairs = OneOrTwo(pair(inPlane))
  } else {
    let gamma = gammaSquared.squareRoot()
    pairs = OneOrTwo(pair(inPlane + normal * gamma), pair(inPlane - normal * gamma))
  }
  return SubproblemAnglePairs(pairs: pairs, condition: condition)
}
