import Foundation

/// Paden–Kahan subproblem 4: the angles θ that rotate `p` about the unit axis `k` (through the
/// origin) to the height `d` along the unit direction `h`, `h · rot(k, θ) p = d`.
///
/// Exact: up to two angles. When no angle reaches the height, the angle whose height comes
/// nearest it (least squares). When the height cannot change (`h ∥ k`, or `p` on the axis):
/// singular (θ = 0) if it already equals `d`, else least squares.
///
/// - Parameters:
///   - k: the unit rotation axis, through the origin.
///   - p: the point rotated.
///   - h: the unit direction the height is measured along.
///   - d: a height, in the units of `p`.
/// - Returns: angles in (−π, π].
public func subproblem4(axis k: Vector3, from p: Vector3, direction h: Vector3, height d: Double)
  -> SubproblemAngles
{
  // rot(k, θ) p = (k·p) k + cos θ p′ + sin θ (k × p′), with p′ the part of p off the axis.
  let pPlane = perpendicular(p, to: k)
  let a = h.dot(pPlane)
  let b = h.dot(k.cross(pPlane))
  let c = d - k.dot(p) * h.dot(k)
  return solveCosineSine(a: a, b: b, c: c, scale: max(max(p.length, abs(d)), 1e-300))
}
