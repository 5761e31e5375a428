import Foundation

extension ClosedFormModel {
  /// The geometry, in words.
  var description: String {
    switch self {
    case .planar: return "planar chain (all axes parallel)"
    case .yawPlanar: return "yaw joint carrying a planar chain"
    }
  }

  /// Configurations among which the closest configurations to `position` lie (base frame,
  /// metres): exact solutions and the stationary points of the distance on limit and singular arcs.
  /// With `exactOnly`, the exact solutions alone: every configuration that reaches `position`
  /// when one does, without the arcs' candidates (about a hundred forward passes on the 3-DoF arm)
  /// that only matter out of reach. On the yaw axis every yaw serves alike: the chain's plane
  /// takes the allowed yaw nearest `yawNear` (whole turns apart where the limits allow), or 0
  /// without it.
  func candidates(for position: Vector3, exactOnly: Bool = false, yawNear: Double? = nil) -> [[Double]] {
    switch self {
    case .planar(let origin, let e1, let e2, let chain):
      let point = Point2((position - origin).dot(e1), (position - origin).dot(e2))
      return chain.candidates(attractors: [point], kinkAtAxis: false, exactOnly: exactOnly)
    case .yawPlanar(let yaw, let shoulder, let up, let e1, let e2, let chain):
      let v = position - shoulder
      let height = v.dot(up)
      let radial = Point2(v.dot(e1), v.dot(e2))
      let rho = (radial * radial).sum().squareRoot()
      // On the axis (to rounding) the heading is arbitrary: `atan2` would say 0, and along a path
      // through the axis the yaw would swing there and back.
      let onAxis = rho <= 1e-12 * v.length
      let heading = onAxis ? yawNear.map(yaw.angle) ?? 0 : atan2(radial.y, radial.x)
      // The chain's plane faces the target (front) or turns its back to it (behind); with the
      // yaw limits, each side gets the nearest allowed yaw and the cosine of its remaining gap.
      let front = yaw.nearestValues(toAngle: heading)
      let behind = yaw.nearestValues(toAngle: heading + .pi)
      let facing = Point2(rho * front.cosineOfGap, height)
      let away = Point2(-rho * behind.cosineOfGap, height)
      if exactOnly {
        // A configuration reaches the target only with the chain facing it and meeting the
        // front point, or turned away and meeting the one behind: each side's solutions with that
        // side's yaws. (On the axis the two points are one, and every yaw faces it.) The other
        // pairs, and the point on the axis, were a forward pass each that never reached.
        var result: [[Double]] = []
        for (attractor, yaws) in [(facing, front.values), (away, behind.values)] {
          for planar in chain.exactSolutions(to: attractor) {
            for value in yaws { result.append([value] + planar) }
          }
        }
        return result
      }
      let yawValues = front.values + behind.values
      return chain.candidates(attractors: [facing, away, Point2(0, height)], kinkAtAxis: true).flatMap {
        planar in
        yawValues.map { [$0] + planar }
      }
    }
  }
}
