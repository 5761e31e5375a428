import Foundation

/// Paden–Kahan subproblem 3: the angles θ that rotate `p` about the unit axis `k` (through the
/// origin) to the distance `d` from `q`, `‖rot(k, θ) p − q‖ = d`.
///
/// Exact: up to two angles. When no angle reaches `d`, the angle whose distance comes nearest it
/// (least squares). A `p` on the axis or a `q` on it leaves the distance constant: singular
/// (θ = 0) when it equals `d`, else least squares.
///
/// - Parameters:
///   - k: the unit rotation axis, through the origin.
///   - p: the point rotated.
///   - q: the point the distance is measured from.
///   - d: a distance, in the units of `p` and `q`.
/// - Returns: angles in (−π, π].
public func subproblem3(axis k: Vector3, from p: Vector3, to q: Vector3, distance d: Double)
  -> SubproblemAngles
{
  let pPlane = perpendicular(p, to: k)
  let qPlane = perpendicular(q, to: k)
  let axial = k.dot(p - q)
  // ‖rot p − q‖² = axial² + |p′|² + |q′|² − 2 (rot p′)·q′, and (rot p′)·q′ = a cos θ + b sin θ.
  let a = pPlane.dot(qPlane)
  let b = k.cross(pPlane).dot(qPlane)
  let c = (pPlane.dot(pPlane) + qPlane.dot(qPlane) + axial * axial - d * d) / 2
  let scale = max(max(p.length, q.length), max(d, 1e-300))
  return solveCosineSine(a: a, b: b, c: c, scale: scale * scale)
}
