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

  /// Every joint value within the limits whose model angle equals `angle` modulo 2π, at most
  /// ``mostCopies`` of them: those nearest the middle of the limits.
  ///
  /// A continuous joint gets the single value in (−π, π].
  func values(forAngle angle: Double, tolerance: Double = limitTolerance) -> [Double] {
    let base = sign * (angle - offset)
    guard let limits else { return [remainder(base, 2 * .pi)] }
    let turn = 2 * Double.pi
    // Whole turns k with base + k·2π inside the limits; each end is checked on the value itself.
    var first = ((limits.lower - base) / turn).rounded(.up) - 1
    var last = ((limits.upper - base) / turn).rounded(.down) + 1
    let most = Double(Self.mostCopies)
    if last - first + 1 > most + 2 {
      // The window of copies nearest the middle, moved inside the turns that fit.
      let middle = ((limits.lower + limits.upper) / 2 - base) / turn
      let fitting = (
        ((limits.lower - tolerance - base) / turn).rounded(.up),
        ((limits.upper + tolerance - base) / turn).rounded(.down)
      )
      // One more at the end, for a turn that rounding puts just outside.
      first = max(fitting.0, min((middle - (most - 1) / 2).rounded(), fitting.1 - most + 1))
      last = first + most
    }
    // Copies inside the limits (to rounding) first; one that must be clamped to fit only where
    // they leave room: a joint at 0 on limits of ±2π has the exact copies 0 and 2π, not a copy
    // moved onto −2π (whose configuration misses by the move) in place of one of them.
    var exact: [Double] = []
    var clamped: [Double] = []
    var k = first
    while k <= last && exact.count < Self.mostCopies {
      let q = base + k * turn
      if q >= limits.lower - Self.roundingTolerance && q <= limits.upper + Self.roundingTolerance {
        exact.append(limits.clamp(q))
      } else if q >= limits.lower - tolerance && q <= limits.upper + tolerance {
        clamped.append(limits.clamp(q))
      }
      k += 1
    }
    return Array((exact + clamped).prefix(Self.mostCopies))
  }

  /// Radians past a limit that a joint value may lie and still be taken, clamped to the limit. A
  /// target given to a few decimals whose configuration holds a joint at its limit (a wrist parked
  /// at its stop) has its exact solution a hair outside: at 1e-10, one 2.7e-10 past was dropped and
  /// the copy a full turn away answered instead. Clamping moves the tool by at most this angle
  /// times the arm's reach, and every answer's error is measured afterwards, so a clamped copy
  /// that misses is reported as missing, never as reached.
  static let limitTolerance = 1e-7
  /// Radians past a limit that are rounding alone: a copy within it is the exact solution.
  static let roundingTolerance = 1e-10

  /// The most whole-turn copies of one angle that ``values(forAngle:tolerance:)`` lists. Limits of
  /// ±2π, the widest real arms have, give two; wider ones (up to ±1e6 are accepted) would multiply
  /// a closed form's listing without bound, a product over the joints: the UR5 with every joint
  /// within ±20 rad listed millions of configurations, and ±1e6 on one joint of a three-joint arm
  /// took minutes and gigabytes. A solver that prefers the copy nearest a start finds it per joint
  /// in constant time (``value(forAngle:nearest:tolerance:)``, `Solver.nearestCopies`).
  static let mostCopies = 2

  /// The joint value for `angle` within the limits (by whole turns) nearest `start`, as
  /// ``values(forAngle:tolerance:)`` lists them but without listing: `nil` when no turn brings
  /// `angle` into the limits. A joint without limits has its one value.
  @inline(__always)
  func value(forAngle angle: Double, nearest start: Double, tolerance: Double = limitTolerance) -> Double? {
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
