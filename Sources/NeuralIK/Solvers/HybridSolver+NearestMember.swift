/// The hybrid's search for the member of a redundant arm's self-motion nearest the robot's
/// current configuration, for an answer that the near-start Newton steps cannot be trusted to
/// have placed there (Docs/Solvers.md, "Where the robot is").
extension HybridSolver {
  /// How far beyond the answer's distance from the start the near-start Newton steps' predicted
  /// distance may lie for the answer to be trusted as the nearest member. On 1,000 Panda and
  /// iiwa 14 targets with starts within 0.2 rad, all but one of the answers farther than the
  /// target's own configuration had a prediction above 1.5 times their distance, against a fifth
  /// of all answers; at 1.0 most answers are searched again, and the near-start median on the
  /// Panda went from 6 to 126 µs.
  static let trustedPrediction = 1.5

  /// When a closed form's branch nearest the start is suspected of a split far from it: farther
  /// (joint distance) than `floor` plus `factor` times how far the target lies from the start's
  /// tool (position over the reach's radius, plus rotation, radians). Away from singularities the
  /// joints move about as far as the tool; next to one, a branch can split the joints that share a
  /// motion far from the start (on the UR5 with its wrist straight, 2.8 rad for a target 0.02 rad
  /// away).
  static let splitSuspicion = (floor: 0.05, factor: 5.0)

  /// Below this ``/NeuralIKCore/SingularDirection/nearness`` (the smallest squared singular value
  /// of the residual's Jacobian over their sum) a start counts as near a singularity, where the
  /// branches of the self-motion that meet there pass close by: a near-start answer that the
  /// prediction trusts still meets the members that starts moved along the singular direction
  /// land on (``nearestProbed(_:_:near:singular:budget:spent:)``), and so does the search of
  /// ``nearestMember(_:_:near:singular:budget:spent:)``. On 10,000 Panda targets with starts
  /// within 0.2 rad of their configurations (`bench --near-start 0.2`), the 13 answers farther
  /// than the target's own configuration came from starts near a singularity (their smallest
  /// squared singular value 4e-6 to 4e-4 of the largest, which is up to six times the nearness),
  /// and starts moved along the singular direction found a nearer member for 11 of them. Thresholds of 1e-4, 3e-4 and 1e-3 left 4, 3
  /// and 3, for 5%, 9% and 15% more iterations on the Panda and 8%, 18% and 35% on the iiwa 14
  /// (which had none left) (Docs/Solvers.md).
  static let singularNearness = 3e-4

  /// How far (joint distance) the starts of ``nearestProbed(_:_:near:singular:budget:spent:)``
  /// are moved along the singular direction, each both ways. Measured on the Panda at starts
  /// within 0.1, 0.2 and 0.4 rad: two sizes (0.1 and 0.3) found one more nearer member in 10,000
  /// at 0.2 only, for a sixth more iterations.
  static let probeSizes = [0.2]

  /// At most this many of the closed form's swept solutions, nearest first, are slid to their
  /// members nearest the start and walked from by ``nearestMember(_:_:near:singular:budget:spent:)``.
  /// With 3, on 3,000 targets each of the Panda and the iiwa 14 with starts within 0.2 rad, as many
  /// answers were farther than the target's own configuration (2 and 0) as with 2, for 20% and 5%
  /// more time on the Panda and the iiwa 14 (Docs/Solvers.md).
  static let slidBranches = 2

  /// Within this joint distance of a member already walked from, a member is not walked from
  /// again: a slide stops up to about 1e-3 short of its branch's nearest member, so two slides to
  /// one member end that far apart, and their walks would cover one stretch of one curve (half the
  /// walks of the search on the Panda, which with them skipped took 10% less time and found the
  /// same answers on 3,000 targets).
  static let sameMember = 1e-3

  /// Values of the free joint swept by ``nearestMember(_:_:near:singular:budget:spent:)``: `centre`, then the
  /// centres of ``windowCells`` equal cells across `centre ± halfWidth`, within the limits. A joint
  /// that turns a full turn or more is not cut at its limits: the closed form turns a value beyond
  /// one by whole turns into them, as the nearest member may lie there; a prismatic one (`slides`)
  /// always is.
  static func windowValues(
    around centre: Double, halfWidth: Double, limits: JointLimits?, slides: Bool = false,
    cells: Int = windowCells
  )
    -> [Double]
  {
    let fullTurn = !slides && (limits.map { $0.upper - $0.lower >= 2 * .pi } ?? true)
    // A full-turn joint's values a turn apart give the same members: one turn is every value.
    let halfWidth = fullTurn ? min(halfWidth, .pi) : halfWidth
    let lower = fullTurn ? centre - halfWidth : max(centre - halfWidth, limits?.lower ?? -.infinity)
    let upper = fullTurn ? centre + halfWidth : min(centre + halfWidth, limits?.upper ?? .infinity)
    guard upper > lower else { return [centre] }
    let cell = (upper - lower) / Double(cells)
    return [centre] + (0..<cells).map { lower + (Double($0) + 0.5) * cell }
  }

  /// Steps of each Newton slide in ``nearestMember(_:_:near:singular:budget:spent:)``.
  static let slideSteps = 30

  /// Cells of the free joint's window in ``nearestMember(_:_:near:singular:budget:spent:)``.
  static let windowCells = 16

  /// The widest half-width of that window (radians or metres).
  static let windowHalfWidth = 0.5

  /// Cells of the wider window swept, beside the fine one, when the answer lies farther from the
  /// start than ``windowHalfWidth``: across the start's free-joint value ± the answer's distance.
  static let wideWindowCells = 32

  /// The member of the target's self-motion nearest `start` among `answer` slid along its
  /// branch, the members that starts moved along `singular` (the start's singular direction,
  /// given where it counts as near a singularity) land on (``nearestProbed(_:_:near:singular:budget:spent:)``),
  /// the members walked from the answer's branch and, when a probe's won, from that one along
  /// their curves (``SelfMotionWalk``), and, with a seven-joint closed form, the closed form's
  /// branches nearest the start across a window of its free joint, each also slid to its member
  /// nearest the start and walked from. Its steps and walks' evaluations, at most `budget`, are
  /// added to `spent`.
  func nearestMember(
    _ answer: Solution, _ target: IKTarget, near start: [Double], singular: SingularDirection?, budget: Int,
    spent: inout Int
  ) -> Solution {
    var best = answer
    var bestDistance = distance(answer.jointValues, start)
    var used = 0
    func consider(_ candidate: Solution?, iterations: Int) {
      used += iterations
      guard let candidate else { return }
      let d = distance(candidate.jointValues, start)
      if candidate.reachable, d < bestDistance {
        best = candidate
        bestDistance = d
      }
    }
    defer { spent += used }
    guard budget > 0 else { return best }
    // The answer's own branch first: the Newton slide to its local nearest member (an answer from
    // a later stage than the near-start steps is anywhere on it), then the walk both ways.
    let (slid, steps) = lm.slideNearest(
      target, from: start, along: answer.jointValues, maxSteps: min(Self.slideSteps, budget))
    consider(slid, iterations: steps)
    let own = best.jointValues
    if let singular, used < budget {
      var probeSteps = 0
      consider(
        nearestProbed(
          best, target, near: start, singular: singular, budget: budget - used, spent: &probeSteps),
        iterations: probeSteps)
    }
    // The answer's own branch walked both ways, and a probe's branch too when its member won.
    var walkedFrom: [[Double]] = []
    for member in [own, best.jointValues] where used < budget {
      guard !walkedFrom.contains(where: { distance($0, member) < Self.sameMember }) else { continue }
      walkedFrom.append(member)
      let (walked, walkIterations) = lm.walkNearer(
        target, from: start, along: member, below: bestDistance, budget: budget - used)
      consider(walked, iterations: walkIterations)
    }
    guard let closedForm, let free = closedForm.freeJointIndex, target.kind == closedForm.targetKind,
      used < budget
    else { return best }
    // The nearest member differs from the start by less than the answer's distance in every
    // joint, the closed form's free joint too: a sweep of that window visits every branch of the
    // self-motion that can hold it, and its members nearest the start are where to look.
    let freeJoint = robot.movableJoints[free]
    var window = Self.windowValues(
      around: start[free], halfWidth: min(bestDistance, Self.windowHalfWidth),
      limits: freeJoint.limits, slides: freeJoint.type == .prismatic)
    // A start far from the answer (a robot at home, told to go to a pose across the workspace):
    // the nearest member may differ from the start in the free joint by up to the answer's
    // distance, beyond the fine window, so the whole of that span is swept as well, coarser.
    if bestDistance > Self.windowHalfWidth {
      window += Self.windowValues(
        around: start[free], halfWidth: bestDistance, limits: freeJoint.limits,
        slides: freeJoint.type == .prismatic, cells: Self.wideWindowCells
      ).dropFirst()
    }
    guard
      let swept = try? closedForm.reachingSolutions(for: target, freeJointValues: window, near: start)
    else { return best }
    let ranked = swept.map { (distance($0.jointValues, start), $0) }.stableSorted { $0.0 < $1.0 }
    for (_, branch) in ranked.prefix(Self.slidBranches) where used < budget {
      // Near a turn of the self-motion in the free joint the branch's members at nearby values
      // lie far apart, and the Newton slide may not converge: the walk along the curve does.
      // The branch itself competes too: a slide that stops short can end farther than it began.
      consider(branch, iterations: 0)
      let (slidBranch, steps) = lm.slideNearest(
        target, from: start, along: branch.jointValues, maxSteps: min(Self.slideSteps, budget - used))
      consider(slidBranch, iterations: steps)
      let member = slidBranch ?? branch
      // A member already walked from (the answer's own branch, found again) is not walked twice.
      guard used < budget, !walkedFrom.contains(where: { distance($0, member.jointValues) < Self.sameMember })
      else {
        continue
      }
      walkedFrom.append(member.jointValues)
      let (walked, walkIterations) = lm.walkNearer(
        target, from: start, along: member.jointValues, below: bestDistance, budget: budget - used)
      consider(walked, iterations: walkIterations)
    }
    return best
  }

  /// The nearest `start` of `answer` and the members that starts moved along `singular`'s
  /// direction both ways by each of ``probeSizes`` land on, each slid to its branch's member
  /// nearest the start (``LevenbergMarquardtSolver/projectThenSlide(_:from:via:budget:)``): near a
  /// singularity the branches that meet there pass close to the start, and part along that
  /// direction. Its steps, at most `budget`, are added to `spent`.
  func nearestProbed(
    _ answer: Solution, _ target: IKTarget, near start: [Double], singular: SingularDirection, budget: Int,
    spent: inout Int
  ) -> Solution {
    var best = answer
    var bestDistance = distance(answer.jointValues, start)
    var used = 0
    defer { spent += used }
    for size in Self.probeSizes {
      for sign in [1.0, -1.0] where used < budget {
        let probe = robot.clampedToLimits(zip(start, singular.direction).map { $0 + sign * size * $1 })
        let (found, steps) = lm.projectThenSlide(target, from: start, via: probe, budget: budget - used)
        used += steps
        guard let found, found.reachable else { continue }
        let d = distance(found.jointValues, start)
        if d < bestDistance {
          best = found
          bestDistance = d
        }
      }
    }
    return best
  }
}
