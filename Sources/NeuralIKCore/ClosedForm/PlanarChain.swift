import Foundation

/// A point in a closed-form model's plane.
typealias Point2 = SIMD2<Double>

/// One or two revolute links turning in a plane about parallel axes, the first at the plane's
/// origin. Link *k*'s absolute angle is the sum of the model angles of joints 1…k.
struct PlanarChain: Sendable {
  let lengths: [Double]
  let joints: [AngleJoint]

  func tip(_ q: [Double]) -> Point2 {
    var angle = 0.0
    var point = Point2.zero
    for index in lengths.indices {
      angle += joints[index].angle(q[index])
      point += lengths[index] * Point2(cos(angle), sin(angle))
    }
    return point
  }

  /// Every configuration within the limits that puts the tip exactly on `point`.
  func exactSolutions(to point: Point2) -> [[Double]] {
    let distance = (point * point).sum().squareRoot()
    let heading = atan2(point.y, point.x)
    if lengths.count == 1 {
      guard abs(distance - lengths[0]) <= 1e-12 * max(1, lengths[0]) else { return [] }
      return joints[0].values(forAngle: heading).map { [$0] }
    }
    let (l1, l2) = (lengths[0], lengths[1])
    let cosine = (distance * distance - l1 * l1 - l2 * l2) / (2 * l1 * l2)
    guard abs(cosine) <= 1 + 1e-12 else { return [] }
    let magnitude = acos(min(1, max(-1, cosine)))
    var result: [[Double]] = []
    for relative in magnitude == 0 ? [0.0] : [magnitude, -magnitude] {
      let first = heading - atan2(l2 * sin(relative), l1 + l2 * cos(relative))
      for q1 in joints[0].values(forAngle: first) {
        for q2 in joints[1].values(forAngle: relative) { result.append([q1, q2]) }
      }
    }
    return result
  }

  /// A one-parameter family of configurations: one joint free, the others fixed; its tip runs
  /// on a circle, `center + radius · (cos θ, sin θ)` with `θ = sign · q_free + phase`.
  struct Arc {
    var configuration: [Double]
    var freeIndex: Int
    var center: Point2
    var radius: Double
    var sign: Double
    var phase: Double
  }

  /// The arcs on which a constrained closest point can lie: each joint free with the other at a
  /// limit, and, for two links, the first joint free with the elbow straight or folded (the
  /// singular configurations, where a non-zero residual can be stationary inside the limits).
  func arcs() -> [Arc] {
    if lengths.count == 1 {
      return [
        Arc(
          configuration: [0], freeIndex: 0, center: .zero, radius: lengths[0], sign: joints[0].sign,
          phase: joints[0].offset)
      ]
    }
    var result: [Arc] = []
    for q1 in joints[0].endpoints {
      let first = joints[0].angle(q1)
      result.append(
        Arc(
          configuration: [q1, 0], freeIndex: 1, center: lengths[0] * Point2(cos(first), sin(first)),
          radius: lengths[1], sign: joints[1].sign, phase: first + joints[1].offset))
    }
    let singular = joints[1].values(forAngle: 0) + joints[1].values(forAngle: .pi)
    for q2 in joints[1].endpoints + singular {
      let relative = joints[1].angle(q2)
      let reach = Point2(lengths[0] + lengths[1] * cos(relative), lengths[1] * sin(relative))
      result.append(
        Arc(
          configuration: [0, q2], freeIndex: 0, center: .zero,
          radius: (reach * reach).sum().squareRoot(), sign: joints[0].sign,
          phase: joints[0].offset + atan2(reach.y, reach.x)))
    }
    return result
  }

  /// Configurations among which the closest point to any of `attractors` lies, for an
  /// objective that is a squared distance to one attractor on each side of the line u = 0
  /// (so `kinkAtAxis` adds where arcs cross that line). With `exactOnly`, the exact solutions
  /// alone.
  func candidates(attractors: [Point2], kinkAtAxis: Bool, exactOnly: Bool = false) -> [[Double]] {
    var result: [[Double]] = []
    // One link meets an attractor only on its circle (the arcs below cover it too); the exact
    // solution alone is what lets a reachable target skip the arcs.
    for attractor in attractors where lengths.count == 2 || exactOnly {
      result += exactSolutions(to: attractor)
    }
    if exactOnly { return result }
    for arc in arcs() {
      let joint = joints[arc.freeIndex]
      var angles: [Double] = []
      for attractor in attractors {
        let offset = attractor - arc.center
        let toward = atan2(offset.y, offset.x)
        angles += [toward, toward + .pi]
      }
      if kinkAtAxis, arc.radius > 0, abs(arc.center.x) <= arc.radius {
        let crossing = acos(-arc.center.x / arc.radius)
        angles += [crossing, -crossing]
      }
      var values = joint.endpoints
      if joint.limits == nil || arc.radius == 0 { values.append(joint.limits?.lower ?? 0) }
      for angle in angles {
        // θ = sign·q + phase, and the joint's own angle is sign·q + offset.
        values += joint.values(forAngle: angle - arc.phase + joint.offset)
      }
      for value in values {
        var configuration = arc.configuration
        configuration[arc.freeIndex] = value
        result.append(configuration)
      }
    }
    return result
  }
}
