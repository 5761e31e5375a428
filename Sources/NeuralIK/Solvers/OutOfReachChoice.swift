/// Out of reach, which of the closest configurations found a solve answers.
///
/// A target beyond the reach is often as close from two configurations: an arm that can reach
/// over its shoulder stretches towards it facing it or turned half a turn, and a joint that does
/// not move the tool point (a position target's wrist roll) leaves the error unchanged whatever
/// its value. Which one the search meets first is an accident of its starts, so along a path
/// the answers would jump between them. For a caller who said where the robot is, the answer is
/// the one nearest the start among those as close as the closest: errors that differ by no more
/// than the tolerance's position bound and a ten-thousandth of the error count as equal (so the
/// answer may be up to that much farther than the closest found); then each joint that does not change the error at all goes back to where the robot
/// has it. Only joints whose moves leave the error unchanged to rounding: near the closest
/// configuration any small move changes the error to second order only, and a looser test would
/// keep the robot where it is while the target moves on.
struct OutOfReachChoice: Sendable {
  let distance: JointDistance
  /// Metres of position error that weigh as much as one radian (`Solution.cost(rotationWeight:)`).
  let rotationWeight: Double
  /// Metres: weighted errors closer than this are as close.
  let tie: Double

  /// - Parameters:
  ///   - distance: the robot's joint distance, which ranks the tied answers.
  ///   - rotationWeight: metres per radian in the weighted error.
  ///   - tolerance: the solve's reach tolerance; its position bound is the tie.
  init(distance: JointDistance, rotationWeight: Double, tolerance: ReachTolerance) {
    self.distance = distance
    self.rotationWeight = rotationWeight
    self.tie = tolerance.position
  }

  /// The weighted error in metres: the root of `Solution.cost(rotationWeight:)`.
  func error(_ solution: Solution) -> Double {
    solution.cost(rotationWeight: rotationWeight).squareRoot()
  }

  /// Whether `error` (metres) is as small as `closest`, to within the tie and ``relativeTie`` of
  /// `closest`.
  func isAsClose(_ error: Double, as closest: Double) -> Bool {
    error <= closest + tie + Self.relativeTie * closest
  }

  /// The share of the closest weighted error within which another counts as close: micrometres
  /// of a miss by centimetres are not worth a swing (an xArm6 turned three joints by half a turn
  /// each, 5.25 rad from its start, for 2.5 µm of a 4.5 cm miss, and along a path out of reach
  /// and back jumped 3.1 rad twice), and no solver certifies the closest pose to that precision.
  static let relativeTie = 1e-4

  /// The closest of `candidates`, the first found among exact ties; given a start, among those as
  /// close as the closest, the one nearest it.
  ///
  /// - Parameters:
  ///   - candidates: unreached solutions of one target.
  ///   - start: where the robot is, or `nil` for a caller with no state.
  /// - Returns: the chosen one; `nil` only for no candidates.
  func closest(_ candidates: [Solution], near start: [Double]?) -> Solution? {
    closestIndex(candidates, near: start).map { candidates[$0] }
  }

  /// The index in `candidates` of ``closest(_:near:)``'s choice.
  func closestIndex(_ candidates: [Solution], near start: [Double]?) -> Int? {
    guard !candidates.isEmpty else { return nil }
    let costs = candidates.map { $0.cost(rotationWeight: rotationWeight) }
    var best = 0
    for index in costs.indices.dropFirst() where costs[index] < costs[best] { best = index }
    guard let start else { return best }
    let closestError = costs[best].squareRoot()
    var nearest = distance(candidates[best].jointValues, start)
    for index in candidates.indices where isAsClose(costs[index].squareRoot(), as: closestError) {
      let away = distance(candidates[index].jointValues, start)
      if away < nearest { (best, nearest) = (index, away) }
    }
    return best
  }

  /// `solution` with its joints moved, one at a time in order, to their values at `start`
  /// (clamped into the limits) wherever that leaves its error unchanged to rounding: a joint that
  /// does not move the tool towards the target (a position target's wrist roll) stays where the
  /// robot has it.
  ///
  /// - Parameters:
  ///   - solution: an unreached answer of `target`.
  ///   - start: where the robot is: one value per movable joint.
  ///   - robot: the (restricted) robot, whose limits the moves stay in.
  ///   - target: the target solved for.
  ///   - tolerance: the solve's reach tolerance, for the new solution's verdict.
  /// - Returns: `solution`, or the same answer with some joints at the start's values.
  func settled(
    _ solution: Solution, toward start: [Double], robot: RobotModel, target: IKTarget,
    tolerance: ReachTolerance
  ) -> Solution {
    let reference = error(solution)
    let clamped = robot.clampedToLimits(start)
    var result = solution
    for index in clamped.indices where result.jointValues[index] != clamped[index] {
      var values = result.jointValues
      values[index] = clamped[index]
      let moved = Solution(
        robot: robot, target: target, jointValues: values, tolerance: tolerance,
        iterations: solution.iterations, solver: solution.solver)
      if error(moved) <= reference * (1 + 1e-12) { result = moved }
    }
    return result
  }
}
