import Foundation

/// Two revolute joints whose axes lie on one line when the one joint between them takes a certain
/// value (a spherical wrist held straight: the first and last wrist axes at a middle angle of 0),
/// or always, when they follow each other.
///
/// On that line, only a combination of their angles moves the tool: turning the first by `t`
/// and the second by `−sign · t` leaves it where it is.
public struct CollinearPair: Sendable, Hashable {
  /// The first joint's index among the movable joints.
  public var first: Int
  /// The second joint's index (after the first).
  public var second: Int
  /// The joint between them, whose value lines the axes up; `nil` when they follow each other.
  public var middle: Int?
  /// That value, radians, in [−π, π]; a whole turn away lines them up too.
  public var middleValue: Double
  /// +1 where the second axis points along the first on the line, −1 where against it.
  public var sign: Double

  /// Whether `q` has the axes on one line: the middle joint within `tolerance` (radians) of its
  /// value, whole turns apart.
  public func holds(at q: [Double], tolerance: Double = 1e-6) -> Bool {
    guard let middle else { return true }
    return abs((q[middle] - middleValue).remainder(dividingBy: 2 * .pi)) <= tolerance
  }

  /// The pair's two values that keep `x + sign · y` (to whole turns) nearest `(a, b)` inside both
  /// joints' limits, or `nil` when no split fits them.
  ///
  /// The pairs that keep the sum lie on lines a whole turn apart: on each of the three nearest
  /// `(a, b)`, the point nearest it (the same change for both, up to the sign), slid along the line
  /// into the limits; the nearest of those.
  ///
  /// - Parameters:
  ///   - x: the first joint's value now (radians).
  ///   - y: the second joint's.
  ///   - a: the first joint's preferred value.
  ///   - b: the second joint's.
  ///   - firstLimits: the first joint's limits (`nil`: continuous).
  ///   - secondLimits: the second joint's.
  /// - Returns: the first and second joints' new values.
  public func split(
    _ x: Double, _ y: Double, near a: Double, _ b: Double, firstLimits: JointLimits?,
    secondLimits: JointLimits?
  ) -> (first: Double, second: Double)? {
    let offset = (x + sign * y - a - sign * b).remainder(dividingBy: 2 * .pi)
    var chosen: (first: Double, second: Double, squared: Double)?
    for turns in [0.0, -1, 1] {
      let e = offset + 2 * .pi * turns
      var (u, v) = (a + e / 2, b + sign * e / 2)
      var (low, high) = (-Double.infinity, Double.infinity)
      if let limits = firstLimits { (low, high) = (max(low, limits.lower - u), min(high, limits.upper - u)) }
      if let limits = secondLimits {
        let (l, h) = sign > 0 ? (v - limits.upper, v - limits.lower) : (limits.lower - v, limits.upper - v)
        (low, high) = (max(low, l), min(high, h))
      }
      guard low <= high else { continue }
      let slide = min(max(0, low), high)
      u += slide
      v -= sign * slide
      let squared = (u - a) * (u - a) + (v - b) * (v - b)
      if chosen.map({ squared < $0.squared }) ?? true { chosen = (u, v, squared) }
    }
    return chosen.map { ($0.first, $0.second) }
  }
}

extension RobotModel {
  /// Every ``CollinearPair`` of the chain: revolute joints one apart whose axes the revolute joint
  /// between them can bring onto one line, and consecutive revolute joints on one line.
  ///
  /// Worked out from the axes' Plücker coordinates (direction `z`, moment `p × z`) at the middle
  /// of the limits: turning the middle joint turns the second axis's line about its own, and the
  /// angle that brings its direction onto the first's (subproblem 1) is checked to bring the
  /// moment too.
  public var collinearPairs: [CollinearPair] {
    let joints = movableJoints
    guard joints.count >= 2 else { return [] }
    let q = middleConfiguration
    var jacobian = Jacobian(columns: joints.count)
    let tip = self.jacobian(at: q, into: &jacobian).translation
    // Each joint's line: direction and moment (the Jacobian's linear column is z × tip + m).
    let lines = joints.indices.map { column -> (z: Vector3, m: Vector3) in
      let z = Vector3(jacobian[3, column], jacobian[4, column], jacobian[5, column])
      let v = Vector3(jacobian[0, column], jacobian[1, column], jacobian[2, column])
      return (z, v - z.cross(tip))
    }
    let scale = max(1, lines.reduce(0) { max($0, $1.m.length) })
    func isRevolute(_ index: Int) -> Bool { joints[index].type != .prismatic }
    func same(_ a: (z: Vector3, m: Vector3), _ b: (z: Vector3, m: Vector3), sign: Double) -> Bool {
      (a.z - sign * b.z).length < 1e-9 && (a.m - sign * b.m).length < 1e-9 * scale
    }
    var pairs: [CollinearPair] = []
    for first in 0..<(joints.count - 1) where isRevolute(first) && isRevolute(first + 1) {
      let (a, b) = (lines[first], lines[first + 1])
      let sign: Double = a.z.dot(b.z) < 0 ? -1 : 1
      if same(b, a, sign: sign) {
        pairs.append(CollinearPair(first: first, second: first + 1, middle: nil, middleValue: 0, sign: sign))
      }
    }
    for first in 0..<max(0, joints.count - 2) where isRevolute(first) && isRevolute(first + 2) {
      let middle = first + 1
      guard isRevolute(middle) else { continue }
      let (line, axis, moved) = (lines[first], lines[middle], lines[first + 2])
      // A point on the middle axis: its line's point nearest the base origin.
      let pivot = axis.z.cross(axis.m)
      for sign in [1.0, -1.0] {
        // Turning about the middle axis keeps a direction's component along it.
        guard abs(axis.z.dot(moved.z) - sign * axis.z.dot(line.z)) < 1e-9 else { continue }
        let from = moved.z - axis.z * axis.z.dot(moved.z)
        let to = sign * line.z - axis.z * axis.z.dot(sign * line.z)
        // Parallel to the middle axis, the second axis keeps its direction at every angle.
        guard from.length > 1e-6, to.length > 1e-6 else { continue }
        let angle = atan2(axis.z.dot(from.cross(to)), from.dot(to))
        let rotation = Rotation3(axis: axis.z, angle: angle)
        let z = rotation * moved.z
        let translation = pivot - rotation * pivot
        let turned = (z: z, m: rotation * moved.m + translation.cross(z))
        guard same(turned, line, sign: sign) else { continue }
        let value = (q[middle] + angle).remainder(dividingBy: 2 * .pi)
        pairs.append(
          CollinearPair(first: first, second: first + 2, middle: middle, middleValue: value, sign: sign))
      }
    }
    return pairs
  }
}
