import Foundation

/// A revolute joint as a closed-form model sees it: the model angle is `sign · q + offset`.
struct AngleJoint: Sendable {
  /// +1 or −1: whether the joint turns with or against the model's positive sense.
  let sign: Double
  /// The model angle at joint value 0, in radians.
  let offset: Double
  /// `nil` for a continuous joint.
  let limits: JointLimits?

  func angle(_ q: Double) -> Double { sign * q + offset }

  /// Every joint value within the limits whose model angle equals `angle` modulo 2π.
  ///
  /// A continuous joint gets the single value in (−π, π].
  func values(forAngle angle: Double, tolerance: Double = 1e-10) -> [Double] {
    let base = sign * (angle - offset)
    guard let limits else { return [remainder(base, 2 * .pi)] }
    var result: [Double] = []
    var k = ((limits.lower - base) / (2 * .pi)).rounded(.up) - 1
    while true {
      let q = base + k * 2 * .pi
      if q > limits.upper + tolerance { break }
      if q >= limits.lower - tolerance { result.append(limits.clamp(q)) }
      k += 1
    }
    return result
  }

  /// The joint value for `angle` within the limits (by whole turns) nearest `start`, as
  /// ``values(forAngle:tolerance:)`` lists them but without listing: `nil` when no turn brings
  /// `angle` into the limits. A joint without limits has its one value.
  @inline(__always)
  func value(forAngle angle: Double, nearest start: Double, tolerance: Double = 1e-10) -> Double? {
    let base = sign * (angle - offset)
    guard let limits else { return remainder(base, 2 * .pi) }
    let turn = 2 * Double.pi
    // By the reciprocal: a division's latency per joint and branch, and the nearest whole turn
    // differs only where two copies are equally near.
    let nearest = ((start - base) * (1 / turn)).wholeNearest
    let value = base + nearest * turn
    // The copy nearest the start is inside the limits (nearly always): no turn count is needed.
    if value >= limits.lower - tolerance && value <= limits.upper + tolerance { return limits.clamp(value) }
    let first = ((limits.lower - tolerance - base) / turn).wholeAbove
    let last = ((limits.upper + tolerance - base) / turn).wholeBelow
    guard first <= last else { return nil }
    return limits.clamp(base + min(last, max(first, nearest)) * turn)
  }

  /// Values within the limits whose model angle is as close as possible to `angle`, with the
  /// cosine of the remaining gap (1 when the angle itself is reachable).
  func nearestValues(toAngle angle: Double) -> (values: [Double], cosineOfGap: Double) {
    let exact = values(forAngle: angle)
    if !exact.isEmpty { return (exact, 1) }
    // Unreachable angles lie in the gap between the limits; the nearest value is an endpoint.
    guard let limits else { return ([], 1) }
    let lower = cos(self.angle(limits.lower) - angle)
    let upper = cos(self.angle(limits.upper) - angle)
    if abs(lower - upper) < 1e-14 { return ([limits.lower, limits.upper], lower) }
    return lower > upper ? ([limits.lower], lower) : ([limits.upper], upper)
  }

  /// The limit values worth trying as arc endpoints (none for a continuous joint).
  var endpoints: [Double] { limits.map { [$0.lower, $0.upper] } ?? [] }
}
