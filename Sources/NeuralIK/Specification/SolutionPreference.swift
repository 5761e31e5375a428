/// Which of the solutions a solver found it returns first.
public enum SolutionPreference: String, Sendable, Hashable, CaseIterable, Codable {
  /// The smallest error; among solutions that reach the target, the first one found (the fastest
  /// answer, for callers with no state).
  case any
  /// Among solutions that reach the target, the one nearest the start in joint space (see
  /// ``JointDistance``); unreached ones after them, smallest error first.
  case nearestToStart = "nearest"

  /// `solutions` in this order, with `start` the configuration the solve began from.
  ///
  /// The order is total and deterministic: ties keep the order in which the solver found them.
  ///
  /// - Parameters:
  ///   - solutions: the solutions found, in the order the solver found them.
  ///   - start: one value per movable joint: where the solve began.
  ///   - robot: the robot, for its full-turn joints (``JointDistance``).
  ///   - rotationWeight: metres per radian, to rank the unreached by their weighted cost
  ///     (`Solution.cost(rotationWeight:)`).
  /// - Returns: the same solutions, reaching ones first in this preference's order, then the
  ///   unreached, smallest weighted error first.
  public func ordered(_ solutions: [Solution], start: [Double], robot: RobotModel, rotationWeight: Double)
    -> [Solution]
  {
    // One answer (what a solve without `findAll` returns) is already in order.
    guard solutions.count > 1 else { return solutions }
    return ordered(
      solutions, start: start, distance: JointDistance(robot: robot), rotationWeight: rotationWeight)
  }

  /// As ``ordered(_:start:robot:rotationWeight:)``, with the robot's distance made once by the
  /// caller (a ``Solver`` keeps one).
  func ordered(_ solutions: [Solution], start: [Double], distance: JointDistance, rotationWeight: Double)
    -> [Solution]
  {
    var ordered = solutions
    order(&ordered, start: start, distance: distance, rotationWeight: rotationWeight)
    return ordered
  }

  /// Puts `solutions` in the order of ``ordered(_:start:robot:rotationWeight:)``, in place: a
  /// solve's handful of solutions are ranked by an insertion sort of their keys in a stack
  /// buffer, and moved by swaps, without copying one.
  func order(_ solutions: inout [Solution], start: [Double], distance: JointDistance, rotationWeight: Double)
  {
    guard solutions.count > 1 else { return }
    // One key per solution, computed once: reaching ones first (by the preference: nothing, so
    // the order found, or the distance to the start), then the unreached by cost; ties in the
    // order found.
    let distance = self == .nearestToStart ? distance : nil
    typealias Key = (group: Int, key: Double, index: Int)
    let count = solutions.count
    // Through the buffer: reading a field of an array's element, or swapping two, copies whole
    // solutions (a transform and an array each) otherwise.
    solutions.withUnsafeMutableBufferPointer { solutions in
      withUnsafeTemporaryAllocation(of: Key.self, capacity: count) { buffer in
        var keys = buffer
        for index in 0..<count {
          keys.initializeElement(
            at: index,
            to: solutions[index].reachable
              ? (0, distance.map { $0(solutions[index].jointValues, start) } ?? 0, index)
              : (1, solutions[index].cost(rotationWeight: rotationWeight), index))
        }
        let precedes = { (a: Key, b: Key) in (a.group, a.key, a.index) < (b.group, b.key, b.index) }
        if count <= 32 {
          for index in 1..<count {
            let next = keys[index]
            var place = index
            while place > 0 && precedes(next, keys[place - 1]) {
              keys[place] = keys[place - 1]
              place -= 1
            }
            keys[place] = next
          }
        } else {
          keys.sort(by: precedes)
        }
        // Place p takes the solution first at keys[p].index; one that an earlier swap moved is
        // found by following the swaps (they sent it to the place it was taken for).
        for place in 0..<count {
          var source = keys[place].index
          while source < place { source = keys[source].index }
          if source != place { solutions.swapAt(place, source) }
        }
      }
    }
  }
}

/// The distance between two configurations of one robot: the root of the summed squared joint
/// differences (radians and metres), with full-turn joints (continuous ones, and revolute ones
/// whose limits span a whole turn) measured the short way round where their limits let them
/// turn that way (a joint at its limit of −2π cannot turn past it to an angle just beyond: the
/// copy a whole turn back is as far as it travels). Made with ``init(travelOf:)``, it measures how
/// far the joints travel instead: only a continuous joint without limits the short way.
public struct JointDistance: Sendable {
  private let wraps: [Bool]
  /// Each joint's limits, where the short way round must stay within them.
  private let limits: [JointLimits?]

  /// The distance for `robot`'s joints.
  ///
  /// - Parameter robot: the robot whose movable joints the configurations list.
  public init(robot: RobotModel) {
    wraps = robot.movableJoints.map { joint in
      joint.type == .continuous || (joint.type == .revolute && (joint.limits?.range ?? 0) >= 2 * .pi)
    }
    limits = robot.movableJoints.map(\.limits)
  }

  /// The distance from `a` to `b`.
  ///
  /// - Parameters:
  ///   - a: one value per movable joint (radians or metres).
  ///   - b: another configuration of the same robot; extra values in either are ignored.
  /// - Returns: the root of the summed squared joint differences, full-turn joints the short way.
  public func callAsFunction(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for index in 0..<min(a.count, b.count, wraps.count) {
      let d = difference(a[index], b[index], joint: index)
      sum += d * d
    }
    return sum.squareRoot()
  }

  /// How far joint `joint` moves from `a` to `b`: radians or metres, the short way round.
  ///
  /// - Parameters:
  ///   - a: the joint's first value.
  ///   - b: its second value.
  ///   - joint: the joint's index among the movable joints.
  /// - Returns: the absolute change, at most π for a full-turn joint.
  public func change(_ a: Double, _ b: Double, joint: Int) -> Double {
    abs(difference(a, b, joint: joint))
  }

  /// How far `robot`'s joints travel between two configurations: a continuous joint without
  /// limits the short way round, as its controller turns it; a joint with limits by its change of
  /// value, whatever they span (told to go from 5 to −3 rad, a revolute joint turns through 8).
  ///
  /// - Parameter robot: the robot whose movable joints the configurations list.
  public init(travelOf robot: RobotModel) {
    wraps = robot.movableJoints.map { $0.type == .continuous && $0.limits == nil }
    limits = robot.movableJoints.map { _ in nil }
  }

  /// Whether joint `joint` is measured the short way round (a full-turn joint).
  func wraps(joint: Int) -> Bool {
    joint < wraps.count && wraps[joint]
  }

  /// The signed change of joint `joint` from `a` to `b`: radians or metres, the short way round.
  func signedChange(from a: Double, to b: Double, joint: Int) -> Double {
    difference(b, a, joint: joint)
  }

  private func difference(_ a: Double, _ b: Double, joint: Int) -> Double {
    let d = a - b
    // Within half a turn already (nearly always): the remainder would return it unchanged.
    guard joint < wraps.count && wraps[joint] && abs(d) > .pi else { return d }
    var short = d.truncatingRemainder(dividingBy: 2 * .pi)
    if short > .pi { short -= 2 * .pi } else if short < -.pi { short += 2 * .pi }
    // The short way ends at `b + short`: past a limit, the joint cannot turn that way.
    if let limits = limits[joint], b + short < limits.lower - 1e-9 || b + short > limits.upper + 1e-9 {
      return d
    }
    return short
  }
}

extension Solution {
  /// Whether this solution is a better answer than `other`: one that reaches the target beats one
  /// that does not (the weighted cost need not agree with the reach test, which bounds position
  /// and rotation separately); between two of a kind, the lower cost wins.
  ///
  /// - Parameters:
  ///   - other: the solution to compare with.
  ///   - rotationWeight: metres of position error that weigh as much as one radian.
  /// - Returns: `true` when this solution should be preferred.
  public func isBetter(than other: Solution, rotationWeight: Double) -> Bool {
    if reachable != other.reachable { return reachable }
    return cost(rotationWeight: rotationWeight) < other.cost(rotationWeight: rotationWeight)
  }

  /// The weighted squared error that solvers rank solutions by: position error² (m²) plus
  /// (`rotationWeight` · rotation error)², with `rotationWeight` in metres per radian.
  ///
  /// - Parameter rotationWeight: metres of position error that weigh as much as one radian.
  /// - Returns: the cost in m²; a position target's rotation counts as zero.
  public func cost(rotationWeight: Double) -> Double {
    let rotation = (rotationError ?? 0) * rotationWeight
    return positionError * positionError + rotation * rotation
  }
}

extension Array {
  /// Sorted by `areInIncreasingOrder`, keeping the original order of equal elements.
  func stableSorted(by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element] {
    enumerated().sorted {
      areInIncreasingOrder($0.element, $1.element)
        || (!areInIncreasingOrder($1.element, $0.element) && $0.offset < $1.offset)
    }.map(\.element)
  }
}
