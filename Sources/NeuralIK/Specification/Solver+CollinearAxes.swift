import NeuralIKCore

extension Solver {
  /// `solution` with each pair of joints whose axes lie on one line there (``collinear``: a
  /// spherical wrist held straight, the first and last wrist joints of a six-joint arm at a middle
  /// joint of 0) split nearest `start`: turning the first by `t` and the second by `−sign · t` leaves the tool where
  /// it is, and a closed form gives one representative of the pair (often the first at 0), which
  /// would turn both joints away from where the robot has them, and along a path through the
  /// singularity jump and jump back.
  ///
  /// - Parameters:
  ///   - solution: a reaching answer of `target`.
  ///   - start: where the robot is: one value per movable joint.
  ///   - target: the target solved for.
  /// - Returns: `solution`, or the same pose with the pairs' angles split nearer the start, inside
  ///   the limits, reaching to the tolerance.
  func nearestSplit(of solution: Solution, to start: [Double], target: IKTarget) -> Solution {
    let joints = robot.movableJoints
    var best = solution
    var nearest = distance(solution.jointValues, start)
    for pair in collinear where pair.holds(at: solution.jointValues) {
      let (first, second) = (pair.first, pair.second)
      guard
        let chosen = pair.split(
          best.jointValues[first], best.jointValues[second], near: start[first], start[second],
          firstLimits: joints[first].limits, secondLimits: joints[second].limits)
      else { continue }
      var values = best.jointValues
      values[first] = chosen.first
      values[second] = chosen.second
      let split = Solution(
        robot: robot, target: target, jointValues: values, tolerance: specification.tolerance,
        iterations: solution.iterations, solver: solution.solver)
      let away = distance(values, start)
      if split.reachable, robot.isWithinLimits(values), away < nearest { (best, nearest) = (split, away) }
    }
    return best
  }
}
