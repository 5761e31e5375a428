import Foundation

/// Paden–Kahan subproblem 1: the angle θ that rotates `p` about the unit axis `k` (through the
/// origin) onto `q`, `rot(k, θ) p = q`.
///
/// Exact when `p` and `q` have the same axial component and distance from the axis; otherwise
/// the angle that brings `rot(k, θ) p` nearest `q` (least squares). A `p` on the axis: singular,
/// θ = 0.
///
/// - Parameters:
///   - k: the unit rotation axis, through the origin.
///   - p: the point rotated.
///   - q: the point it should land on.
/// - Returns: one angle in (−π, π].
public func subproblem1(axis k: Vector3, from p: Vector3, to q: Vector3) -> SubproblemAngles {
  let pPlane = perpendicular(p, to: k)
  let qPlane = perpendicular(q, to: k)
  // One root for the larger length (the scale of the tolerances), not one for each.
  let scale = max(max(p.dot(p), q.dot(q)).squareRoot(), 1e-300)
  let (pRadius, qRadius) = (pPlane.length, qPlane.length)
  guard pRadius > subproblemZero * scale, qRadius > subproblemZero * scale else {
    let same = (p - q).length <= 1e-10 * scale
    return SubproblemAngles(angles: OneOrTwo(0), condition: same ? .singular : .leastSquares)
  }
  let angle = arcTangent2(k.dot(pPlane.cross(qPlane)), pPlane.dot(qPlane))
  let exact =
    abs(pRadius - qRadius) <= 1e-10 * scale && abs(k.dot(p) - k.dot(q)) <= 1e-10 * scale
  return SubproblemAngles(angles: OneOrTwo(wrapAngle(angle)), condition: exact ? .exact : .leastSquares)
}
