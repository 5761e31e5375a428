import Foundation

/// A sphere that holds the tool point in every configuration, far tighter than
/// ``RobotModel/reachBound``: a position outside it is out of reach for certain, whatever the
/// limits.
///
/// Every point on a revolute joint's axis is fixed in both links the joint connects, so the
/// distance between a point on one revolute axis and a point on the next is the same in every
/// configuration, and so is the distance from a point on the last axis to the tool point. The
/// tool's distance from a point `centre` on the first axis (fixed in the base) is then at most
/// the length of a path from axis to axis to the tool (the triangle inequality), plus the travel
/// of every prismatic joint. The points are chosen to make that path shortest: on an arm whose
/// consecutive axes meet (a spherical shoulder or wrist) the path runs through the meeting points,
/// and the base's height below the shoulder, which ``RobotModel/reachBound`` counts, drops out.
public struct ReachSphere: Sendable, Hashable {
  /// A point on the first revolute joint's axis (base frame, metres); with no revolute joint, the
  /// tool point at the zero configuration.
  public let centre: Vector3
  /// Metres; infinite when a prismatic joint has no limits.
  public let radius: Double

  /// Whether `position` (base frame) lies outside the sphere by more than rounding: no
  /// configuration reaches it.
  ///
  /// - Parameter position: metres in the base frame.
  /// - Returns: `true` only where the robot cannot reach for certain.
  public func excludes(_ position: Vector3) -> Bool {
    (position - centre).length > radius * (1 + 1e-9) + 1e-9
  }

  /// How far `position` lies outside the sphere, metres: a lower bound of its distance from the
  /// reach (0 inside).
  ///
  /// - Parameter position: metres in the base frame.
  /// - Returns: the distance from the sphere, or 0 inside it.
  public func distanceOutside(_ position: Vector3) -> Double {
    max(0, (position - centre).length - radius)
  }

  /// Whether `position` lies so far beyond the sphere (ten times its radius, and 20 m from its
  /// centre) that it looks written in millimetres: a valid target, which gets the closest answer,
  /// but most likely a unit mistake. Never for an unbounded sphere.
  ///
  /// - Parameter position: metres in the base frame.
  public func suggestsMillimetres(_ position: Vector3) -> Bool {
    radius.isFinite && (position - centre).length > max(RobotModel.suspectOffset, 10 * radius)
  }
}

extension RobotModel {
  /// The sphere about a point of the first revolute axis that holds the tool point in every
  /// configuration (``ReachSphere``). Computed on each call (a short convex search over the axes):
  /// keep it where it is used often.
  public var reachSphere: ReachSphere {
    let zero = [Double](repeating: 0, count: degreesOfFreedom)
    let frames = jointFrames(at: zero)
    let tip = frames[degreesOfFreedom].translation
    var travel = 0.0
    var lines: [(point: Vector3, direction: Vector3)] = []
    for (index, joint) in movableJoints.enumerated() {
      if joint.type == .prismatic {
        guard let limits = joint.limits else { return ReachSphere(centre: tip, radius: .infinity) }
        travel += max(abs(limits.lower), abs(limits.upper))
      } else {
        let direction = frames[index].rotation * joint.axis
        lines.append((frames[index].translation, direction / direction.length))
      }
    }
    guard !lines.isEmpty else { return ReachSphere(centre: tip, radius: travel) }
    // One parameter per axis, starting at the joints' origins (where the path is the chain's own
    // offsets); the path's length is convex in them, and each sweep moves every point to the
    // best place between its neighbours.
    var t = [Double](repeating: 0, count: lines.count)
    func point(_ index: Int) -> Vector3 { lines[index].point + t[index] * lines[index].direction }
    func along(_ index: Int, _ target: Vector3) -> Double {
      (target - lines[index].point).dot(lines[index].direction)
    }
    func length() -> Double {
      var sum = (tip - point(lines.count - 1)).length
      for index in 1..<lines.count { sum += (point(index) - point(index - 1)).length }
      return sum
    }
    var best = length()
    for _ in 0..<200 {
      for index in lines.indices {
        let previous = index > 0 ? point(index - 1) : nil
        let next = index + 1 < lines.count ? point(index + 1) : tip
        guard let previous else {
          // The centre's only term is the step to the next point: its foot on the first axis.
          t[index] = along(index, next)
          continue
        }
        // |p − a| + |p − b| along a line is least between the feet of a and b.
        var (low, high) = (along(index, previous), along(index, next))
        if low > high { swap(&low, &high) }
        let cost = { (s: Double) in
          let p = lines[index].point + s * lines[index].direction
          return (p - previous).length + (p - next).length
        }
        for _ in 0..<80 where high - low > 1e-13 * max(1, abs(low)) {
          let a = low + 0.381_966_011_250_105 * (high - low)
          let b = high - 0.381_966_011_250_105 * (high - low)
          if cost(a) <= cost(b) { high = b } else { low = a }
        }
        t[index] = (low + high) / 2
      }
      let now = length()
      if best - now <= 1e-13 * max(1, best) {
        best = min(best, now)
        break
      }
      best = now
    }
    return ReachSphere(centre: point(0), radius: length() + travel)
  }
}
