import Dispatch

/// The answers along a sequence of targets, each solved from the one before.
public struct PathResult: Sendable, Hashable {
  /// One result per target, in order.
  public var results: [IKResult]
  /// Per target, the largest change of any one joint from the previous configuration (the start
  /// for the first target; 0 there when no start was given): radians or metres, how far the joint
  /// travels: a continuous joint without limits the short way round, a joint with limits by its
  /// change of value (a revolute joint with limits over a turn cannot take the short way across
  /// them).
  public var steps: [Double]
  /// The indices whose step exceeds the `maxStep` asked for: where following the answers would
  /// swing a joint farther than allowed, whether because no solution lies within reach of the
  /// previous one or because the solver found another.
  public var flagged: [Int]
  /// Whether relaxing the path along its self-motion and planning its jumps (seven free joints)
  /// ran out of its time (the specification's budget per target times the targets, 60 s without
  /// one) and stopped early: the steps may then be larger than a longer budget would leave them.
  public var relaxationTimedOut = false

  /// The largest step of the whole path.
  public var largestStep: Double { steps.max() ?? 0 }
}

extension Solver {
  /// The largest joint change of a path step (radians or metres) that the next solve continues:
  /// a larger one is a jump, and extrapolating it would only carry the next start farther off.
  static let largestContinuedStep = 0.2

  /// Solves `targets` in order, each from the previous answer (the first from `start`, default
  /// the middle of the limits), so that a robot following the answers moves continuously where
  /// the path allows it.
  ///
  /// With the default ``SolutionPreference/nearestToStart`` preference each solve answers with the
  /// solution nearest its start. On an arm without self-motion for the target (no more free joints
  /// than the target fixes), that start is the previous answer moved on by the last step's motion,
  /// unless that step was a jump (a joint moved more than 0.2); with self-motion it is the previous
  /// answer itself. With one degree of self-motion for every target (pose targets, seven free
  /// joints; the hybrid or `lm` solver, not `findAll`), the answers after the first are then
  /// relaxed along it as an elastic band (`SelfMotionBand`: the least summed squared steps); a path
  /// whose largest step is still over 1.5× its median (and over 0.005) gets its stretch around each
  /// such step planned over the closed form's branches (`PathPlanner`; without a closed form that
  /// frees a joint, over sampled curves of self-motion: `SelfMotionPlanner`) and is relaxed again. Either is kept
  /// only when its largest step is no larger than the followed answers', within the specification's
  /// time budget per target times the targets (60 s without one). A step larger than `maxStep` is
  /// flagged in ``PathResult/flagged``, never passed over silently; `maxStep` changes no answer.
  ///
  /// - Parameters:
  ///   - targets: the targets in the order the robot should visit them.
  ///   - start: one value per movable joint: where the robot is before the first target; `nil`
  ///     when that is unknown: the first target is then solved from the middle of the limits,
  ///     and its step is 0.
  ///   - maxStep: the largest joint change per step that is not flagged (radians or metres);
  ///     `nil` flags nothing.
  /// - Returns: each target's result, each step's largest joint change, and the flagged steps.
  /// - Throws: ``/NeuralIKCore/IKError`` as ``solve(_:from:)`` does, for the first target that
  ///   fails; ``/NeuralIKCore/IKError/invalidConfiguration(_:)`` for a `maxStep` that is not a
  ///   positive finite number.
  public func solvePath(_ targets: [IKTarget], from start: [Double]? = nil, maxStep: Double? = nil)
    throws(IKError) -> PathResult
  {
    switch try solvePath(targets, from: start, maxStep: maxStep, while: nil) {
    case .solved(let result): return result
    case .failed(_, let error): throw error
    case .stopped, .tooManySolutions:
      preconditionFailure("a path solve stopped with no caller's wish or limit to stop it")
    }
  }

  /// How a path solve that its caller may stop ended.
  package enum PathCompletion {
    case solved(PathResult)
    /// The solve of the target at this index failed (``solve(_:from:)``'s error).
    case failed(index: Int, IKError)
    /// The caller stopped wanting it, after this many targets were solved (all of them when it
    /// stopped during the relaxation).
    case stopped(solvedTargets: Int)
    /// The first `solvedTargets` targets' answers already held more than the caller's
    /// `solutionLimit`: `solutions` of them (every one listed with `findAll`, else one a target).
    case tooManySolutions(solvedTargets: Int, solutions: Int)
  }

  /// ``solvePath(_:from:maxStep:)`` for a caller who may stop wanting the answer (a server whose
  /// client hung up): `wanted` is asked before each target after the first, and during the
  /// relaxation, which a `false` ends at once. A target whose solve fails ends it as
  /// ``PathCompletion/failed(index:_:)``, naming the target; a bad `start` or `maxStep` throws.
  /// With `solutionLimit`, the solve stops as soon as the answers hold more solutions than it
  /// (``PathCompletion/tooManySolutions(solvedTargets:solutions:)``), not after the last target.
  package func solvePath(
    _ targets: [IKTarget], from start: [Double]?, maxStep: Double?, while wanted: (() -> Bool)?,
    solutionLimit: Int? = nil
  ) throws(IKError) -> PathCompletion {
    var previous = start ?? robot.middleConfiguration
    try robot.checkConfiguration(previous)
    if let maxStep, !(maxStep > 0 && maxStep.isFinite) {
      throw .invalidConfiguration(
        "maxStep = \(maxStep): give a positive finite joint step (radians or metres), or nil to flag nothing")
    }
    // The joints this solver may move (its robot has the specification's restrictions): a joint it
    // locks has no motion to carry on, and does not count towards self-motion.
    let freeJoints = robot.freeJointCount
    var results: [IKResult] = []
    var steps: [Double] = []
    var flagged: [Int] = []
    results.reserveCapacity(targets.count)
    // The last step's joint motion, while it is a motion to continue rather than a jump.
    var motion: [Double]?
    var solutionCount = 0
    for (index, target) in targets.enumerated() {
      if index > 0, let wanted, !wanted() { return .stopped(solvedTargets: index) }
      // Each solve starts where the last step's motion carries the robot (first order): where the
      // path crosses a singularity, two branches of solutions meet, and the one nearest that
      // prediction goes on along the path where the one nearest the previous answer may turn back
      // onto another branch (seen on the UR5, whose steps then grew to 3× the path's).
      let from = motion.map { Self.carried(previous, by: $0, within: robot) } ?? previous
      let result: IKResult
      do {
        result = try solve(target, from: from)
      } catch {
        return .failed(index: index, error)
      }
      let answer = result.best.jointValues
      let step = travel.largestChange(previous, answer)
      // With self-motion (more free joints than the target fixes: an axis target leaves the turn
      // about it free), the step's motion along it would be continued too, and the drift it
      // starts grows into the limits (on the Panda and the iiwa, 2 points more of the steps of
      // smooth paths went over twice the path's step): the nearest answer to the previous one
      // is the least motion there. The first answer's move from `start` is no motion of the path.
      let fixedByTarget = target.residualCount - (target.axis == nil ? 0 : 1)
      let continued = index > 0 && step <= Self.largestContinuedStep && freeJoints <= fixedByTarget
      motion =
        continued
        ? answer.indices.map { travel.signedChange(from: previous[$0], to: answer[$0], joint: $0) } : nil
      results.append(result)
      previous = answer
      solutionCount += specification.findAll ? result.solutions.count : 1
      if let solutionLimit, solutionCount > solutionLimit {
        return .tooManySolutions(solvedTargets: index + 1, solutions: solutionCount)
      }
    }
    let timedOut = relaxed(targets, results: &results, start: start, freeJoints: freeJoints, while: wanted)
    if let wanted, !wanted() { return .stopped(solvedTargets: targets.count) }
    planBranches(targets, results: &results, start: start)
    // The steps a robot would travel: the short way round only where its joint can turn so.
    // Without a start the robot's configuration before the first target is unknown, and the
    // first answer's move from the middle of the limits is no step of it.
    var before = start ?? results.first?.best.jointValues ?? []
    for result in results {
      steps.append(travel.largestChange(before, result.best.jointValues))
      before = result.best.jointValues
    }
    if let maxStep { flagged = steps.indices.filter { steps[$0] > maxStep } }
    return .solved(PathResult(results: results, steps: steps, flagged: flagged, relaxationTimedOut: timedOut))
  }

  /// The largest change of any one joint from `a` to `b` as the robot travels it: a path step's
  /// measure (``PathResult/steps``), for a caller measuring an answer against where the robot is.
  ///
  /// - Parameters:
  ///   - a: one value per movable joint (radians or metres).
  ///   - b: another configuration of this solver's robot.
  /// - Returns: radians or metres; a continuous joint without limits the short way round, a joint
  ///   with limits by its change of value.
  public func largestStep(from a: [Double], to b: [Double]) -> Double {
    travel.largestChange(a, b)
  }

  /// A step over this many times a path's median step, and over ``smallestJump``, is a jump (the
  /// followed answers changed branch) or part of a run that the band's local minimum keeps (steps
  /// two to four times the path's): its stretch is planned, and the plan kept only when its largest
  /// step is smaller. A smooth path's largest step is about 1.4× its median. With the halved grid
  /// of the plan, at 4× 99.1% and 99.2% of the steps of the Panda's and the iiwa's smooth paths
  /// were within twice the path's largest; at 1.5×, all.
  static let jumpFactor = 1.5
  /// A step no larger (radians or metres) is planned for, however still the path is elsewhere (a
  /// path that dwells on one target has a median step of 0).
  static let smallestJump = 0.005
  /// Targets before and after a jump that a plan may change: far enough back to undo the drift that
  /// led to it, and after it far enough that the plan need not rejoin the followed answers on the
  /// branch they jumped to (on the iiwa 14's 100 smooth paths, 50 either side left a step of
  /// 2.1 rad and 98.7% of the steps within twice the path's, against 0.12 rad and 99.1% for the
  /// whole path); no farther, so that a long path's plan (thousands of configurations per target) stays
  /// small.
  static let planReach = (before: 250, after: 500)
  /// The most targets one plan takes: stretches that merged into a longer one are planned as
  /// windows of this many, each overlapping the one before by ``planReach``'s `before`, so that a
  /// long path's plan (about a thousand configurations per target) keeps to a bounded memory.
  static let planWindow = planReach.before + planReach.after + 1
  /// The longest the relaxation of a path may take (seconds) when the specification sets no time
  /// budget, and the most it may take in any case.
  static let relaxationTime = (default: 60.0, most: 86_400.0)

  /// On an arm with one degree of self-motion for every target (pose targets, seven free joints),
  /// for the hybrid or `lm` solver under the nearest preference without `findAll`: each run of at
  /// least three answers that reached their targets, between those that did not, relaxed on its
  /// own (``relaxedRun(_:targets:lm:closedForm:borrows:until:)``; an answer out of reach has no
  /// self-motion to move along, and stays as it is); after a miss, also from the last answer that
  /// reached before it (or from `start`, when none did), the rival with the smaller largest step of
  /// the run's own kept. Before, one
  /// target out of reach left the whole path as followed: on a Panda path of 101 targets whose 51st was moved out of reach, the
  /// largest step after the miss and the return from it was 1.02 rad, 40 targets later; it is
  /// 0.028 now, the path's own largest without the miss. Its time is shared among the targets.
  ///
  /// - Returns: whether the time ran out (``PathResult/relaxationTimedOut``), or `wanted` (asked
  ///   as the time is) turned `false`.
  private func relaxed(
    _ targets: [IKTarget], results: inout [IKResult], start: [Double]?, freeJoints: Int,
    while wanted: (() -> Bool)?
  ) -> Bool {
    let begin = DispatchTime.now().uptimeNanoseconds
    let lm: LevenbergMarquardtSolver
    let closedForm: AnalyticSolver?
    // `lm` has no closed form of its own: it borrows the robot's for a plan, as `planBranches`
    // does, made only for a path that jumps.
    let borrows: Bool
    switch engine {
    case .hybrid(let solver): (lm, closedForm, borrows) = (solver.lm, solver.closedForm, false)
    case .levenbergMarquardt(let solver): (lm, closedForm, borrows) = (solver, nil, true)
    case .analytic, .network: return false
    }
    // Maximal runs of reached answers, of three or more (the first of each stays as it is).
    var runs: [Range<Int>] = []
    var runStart = 0
    for index in 0...results.count where index == results.count || !results[index].best.reachable {
      if index - runStart > 2 { runs.append(runStart..<index) }
      runStart = index + 1
    }
    guard specification.preference == .nearestToStart, !specification.findAll, !runs.isEmpty,
      targets.allSatisfy({ $0.kind == .pose && freeJoints == $0.residualCount + 1 })
    else { return false }
    defer {
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) * 1e-9 / Double(targets.count - 1)
      for index in 1..<targets.count { results[index].seconds += seconds }
    }
    let budget = min(
      specification.timeBudget.map { $0 * Double(targets.count) } ?? Self.relaxationTime.default,
      Self.relaxationTime.most)
    let deadline = Deadline(seconds: budget, while: wanted)
    for run in runs where !deadline.hasPassed {
      let followed = results[run].map(\.best.jointValues)
      let runTargets = Array(targets[run])
      var path =
        relaxedRun(
          followed, targets: runTargets, lm: lm, closedForm: closedForm, borrows: borrows, until: deadline)
        ?? followed
      // A run after a miss begins where the solve from the answer out of reach landed, which can
      // be anywhere along the self-motion. Relaxed from the last answer that reached before the
      // miss, as if the path had stayed in reach, its first answer moves too: a rival, judged by
      // the run's own steps, since the step from that answer is never travelled (and the band,
      // which sums squared steps, may spread a large one over the whole run).
      // With no reached answer before the miss, the robot's start is that answer (its own pose the
      // target that holds it).
      if let anchor = anchor(before: run.lowerBound, results: results, targets: targets, start: start),
        let anchored = relaxedRun(
          [anchor.jointValues] + followed, targets: [anchor.target] + runTargets, lm: lm,
          closedForm: closedForm, borrows: borrows, until: deadline),
        largestStep(Array(anchored.dropFirst())) < largestStep(path)
      {
        path = Array(anchored.dropFirst())
      }
      for (index, jointValues) in zip(run, path) where jointValues != results[index].best.jointValues {
        results[index].best = Solution(
          robot: lm.robot, target: targets[index], jointValues: jointValues,
          tolerance: specification.tolerance,
          iterations: results[index].best.iterations, solver: kind)
        results[index].alternatives = []
      }
    }
    return deadline.hasPassed
  }

  /// What a run beginning at `index`, after a miss, may be relaxed from: the last answer that
  /// reached before it, else the start (when a start was given), with the pose that holds each.
  /// `nil` for a run at the path's beginning, which begins where the start led.
  private func anchor(before index: Int, results: [IKResult], targets: [IKTarget], start: [Double]?)
    -> (jointValues: [Double], target: IKTarget)?
  {
    guard index > 0 else { return nil }
    if let before = (0..<index).last(where: { results[$0].best.reachable }) {
      return (results[before].best.jointValues, targets[before])
    }
    guard let start else { return nil }
    return (start, DataGeneration.target(robot: robot, q: start, poses: true))
  }

  /// `followed`, a run of reaching answers to `targets`, after the first relaxed along the
  /// self-motion by a band (`SelfMotionBand`); where it still jumps, the stretch of
  /// ``planReach`` targets about each jump planned over the closed form's branches
  /// (`PathPlanner`, where the robot's closed form frees a joint), else over each target's sampled
  /// curves of self-motion (`SelfMotionPlanner`), and the whole relaxed again. `nil` unless the
  /// result differs and its largest step is no larger than the followed answers'.
  private func relaxedRun(
    _ followed: [[Double]], targets: [IKTarget], lm: LevenbergMarquardtSolver, closedForm: AnalyticSolver?,
    borrows: Bool, until deadline: Deadline
  ) -> [[Double]]? {
    let band = SelfMotionBand(lm: lm, distance: distance)
    var path = band.smoothed(followed, targets: targets, until: deadline)
    if largestStep(path) > largestStep(followed) { path = followed }
    if let planned = plannedAroundJumps(
      path, targets: targets, lm: lm, closedForm: closedForm, borrows: borrows, band: band, until: deadline),
      largestStep(planned) < largestStep(path)
    {
      path = planned
    }
    guard path != followed, largestStep(path) <= largestStep(followed) else { return nil }
    return path
  }

  /// The path with the stretches about its jumps planned (over the closed form's branches along its
  /// free joint, else over sampled self-motion) and relaxed again; nil when it has no jump.
  private func plannedAroundJumps(
    _ path: [[Double]], targets: [IKTarget], lm: LevenbergMarquardtSolver, closedForm: AnalyticSolver?,
    borrows: Bool, band: SelfMotionBand, until deadline: Deadline
  ) -> [[Double]]? {
    let pathSteps = steps(of: path)
    let threshold = jumpThreshold(pathSteps)
    // Step i leads into answer i + 1; the stretches around the jumps, merged where they meet.
    var stretches: [ClosedRange<Int>] = []
    for (index, step) in pathSteps.enumerated() where step > threshold {
      let stretch =
        max(0, index + 1 - Self.planReach.before)...min(targets.count - 1, index + 1 + Self.planReach.after)
      if let last = stretches.last, last.upperBound >= stretch.lowerBound {
        stretches[stretches.count - 1] = last.lowerBound...stretch.upperBound
      } else {
        stretches.append(stretch)
      }
    }
    guard !stretches.isEmpty else { return nil }
    var planned = path
    // Over the closed form's branches along its free joint, else over sampled self-motion.
    let planning =
      borrows ? try? AnalyticSolver(robot: robot, tolerance: specification.tolerance) : closedForm
    let branches = planning.flatMap {
      $0.freeJointIndex == nil ? nil : PathPlanner(closedForm: $0, distance: distance)
    }
    let curves = SelfMotionPlanner(lm: lm, distance: distance)
    for stretch in stretches.flatMap(Self.windows(of:)) where !deadline.hasPassed {
      let after = stretch.upperBound + 1 < targets.count ? planned[stretch.upperBound + 1] : nil
      let current = Array(planned[stretch]) + (after.map { [$0] } ?? [])
      let stretchTargets = Array(targets[stretch])
      let bound = largestStep(current)
      let chain =
        if let branches {
          branches.plan(
            stretchTargets, from: planned[stretch.lowerBound], into: after, bound: bound, until: deadline)
        } else {
          curves.plan(
            stretchTargets, along: Array(planned[stretch]), from: planned[stretch.lowerBound], into: after,
            bound: bound, until: deadline)
        }
      guard let chain else { continue }
      planned.replaceSubrange(stretch, with: chain)
    }
    let relaxedPlan = band.smoothed(planned, targets: targets, until: deadline)
    return largestStep(relaxedPlan) <= largestStep(planned) ? relaxedPlan : planned
  }

  /// On an arm whose closed form lists every branch (six joints with poses, two or three with
  /// positions), under the nearest preference without `findAll`: where the followed answers jump,
  /// the path is chosen again over every target's branches, the first answer kept, for the least
  /// largest step (then the least summed squared steps), and kept when that step is smaller.
  ///
  /// Following, each start carried on by the last step's motion, crosses a singularity onto the
  /// branch that goes on, which is right inside the workspace; at the edge of the reach the path
  /// touches the fold and turns back, and the branch that goes on can run into a joint limit and
  /// jump back (an IRB 120 line out of reach and back: 1.18 rad, three targets after it re-entered).
  /// A closed form has at most eight branches a target, so the whole path costs a few closed-form
  /// solves a target and a table of 81 steps each.
  ///
  /// A target the search missed (`lm` can miss one that a branch reaches) is planned too, over
  /// its reaching branches only: a path of `lm` answers on a six-joint URDF ran a joint into its
  /// limit, missed the target there, and jumped 3.6 rad after it, where the closed form's branches
  /// step by 0.015. The plan is then kept when it reaches more targets, or as many and costs
  /// less. Without a `start` (where the robot is before the path is unknown) the first target's
  /// branch is chosen with the rest, as the path's own first step; after one, a first target the
  /// search missed gets the reaching branch nearest it.
  ///
  /// A plan's cost is first how far its steps go past the jump threshold, summed, then its
  /// largest step, then its summed squared steps: where a jump cannot be avoided (a joint at its
  /// limit must unwind), one jump, not a run of whole-arm swings whose largest is a little
  /// smaller (a UR5 wrist held within ±3.2 rad: one 6.3 rad unwind, not three steps of about
  /// 3 rad through other branches and back). Branches are compared the short way round a
  /// full-turn joint, each then given in the copy nearest the answer before it: a branch offered
  /// only in the copy nearest the followed answer could cost a turn to stay on where the followed
  /// answers had changed branch.
  private func planBranches(_ targets: [IKTarget], results: inout [IKResult], start: [Double]?) {
    guard targets.count > 1, specification.preference == .nearestToStart, !specification.findAll else {
      return
    }
    let followed = results.map(\.best.jointValues)
    let followedSteps = steps(of: followed)
    let missed = results.contains { !$0.best.reachable }
    let threshold = jumpThreshold(followedSteps)
    guard let largest = followedSteps.max(), largest > threshold || missed else { return }
    // The robot's closed form lists the branches; `lm`, which has none of its own, gets it here,
    // only for a path that jumps (finding and checking it takes milliseconds).
    let listing: AnalyticSolver?
    switch engine {
    case .hybrid(let solver): listing = solver.closedForm
    case .analytic: listing = closedForm
    case .levenbergMarquardt: listing = try? AnalyticSolver(robot: robot, tolerance: specification.tolerance)
    case .network: return
    }
    guard let listing, listing.freeJointIndex == nil, targets.allSatisfy({ $0.kind == listing.targetKind })
    else { return }
    // Each target's followed answer, then its other reaching branches. An unreached answer that
    // no branch reaches is the closest there is, and stays; one that a branch reaches gives way to
    // the reaching branches (the first target's, after a given start, to the one nearest it,
    // where the path begins).
    let candidates: [[[Double]]] = targets.indices.map { index in
      let reached = results[index].best.reachable
      guard index > 0 || !reached || start == nil,
        let branches = try? listing.allSolutions(
          for: targets[index], from: followed[index], sweep: false, everyCopy: false)
      else { return [followed[index]] }
      var list = reached ? [followed[index]] : []
      for branch in branches
      where branch.reachable
        && !list.contains(where: { LevenbergMarquardtSolver.sameConfiguration($0, branch.jointValues) })
      {
        list.append(branch.jointValues)
      }
      if list.isEmpty { return [followed[index]] }
      if index == 0, let start {
        return [list.min { distance($0, start) < distance($1, start) } ?? list[0]]
      }
      return list
    }
    // The least cost to each candidate, and where it came from.
    var cost: [[PlanCost]] = [candidates[0].map { _ in PlanCost() }]
    // The first target's row has no source, and is never read.
    var from: [[Int]] = [[]]
    for index in 1..<targets.count {
      var row: [PlanCost] = []
      var back: [Int] = []
      for candidate in candidates[index] {
        var best = PlanCost(excess: .infinity, largest: .infinity, squares: .infinity)
        var source = 0
        for (previous, reached) in cost[index - 1].enumerated() {
          let step = distance.largestChange(candidates[index - 1][previous], candidate)
          let total = reached.adding(step, over: threshold)
          if total < best { (best, source) = (total, previous) }
        }
        row.append(best)
        back.append(source)
      }
      cost.append(row)
      from.append(back)
    }
    let last = cost[targets.count - 1]
    var choice = last.indices.min { last[$0] < last[$1] } ?? 0
    var path = followed
    for index in stride(from: targets.count - 1, to: 0, by: -1) {
      path[index] = candidates[index][choice]
      choice = from[index][choice]
    }
    path[0] = candidates[0][choice]
    // A missed target changed in the plan is one of its reaching branches (before the copies
    // below, which may move an unreached answer by a turn without reaching more).
    let reachesMore = targets.indices.contains { !results[$0].best.reachable && path[$0] != followed[$0] }
    // Each full-turn joint in the copy nearest its value a step before (the first, the start's).
    path = Array(PathPlanner.unwrapped((start.map { [$0] } ?? []) + path, robot: robot).suffix(path.count))
    guard
      reachesMore
        || PlanCost(path, travel: travel, over: threshold)
          < PlanCost(followed, travel: travel, over: threshold)
    else { return }
    for index in targets.indices where path[index] != followed[index] {
      results[index].best = Solution(
        robot: robot, target: targets[index], jointValues: path[index], tolerance: specification.tolerance,
        iterations: results[index].best.iterations, solver: kind)
      results[index].alternatives = []
    }
  }

  /// What a branch plan's steps cost (``planBranches(_:results:start:)``), compared in order: how
  /// far they go past the jump threshold, summed (the time a robot spends in jumps); the largest
  /// step; the summed squared steps.
  private struct PlanCost: Comparable {
    var excess = 0.0
    var largest = 0.0
    var squares = 0.0

    init(excess: Double = 0, largest: Double = 0, squares: Double = 0) {
      (self.excess, self.largest, self.squares) = (excess, largest, squares)
    }

    /// The cost of `path`'s steps as `travel` measures them.
    init(_ path: [[Double]], travel: JointDistance, over threshold: Double) {
      for (a, b) in zip(path, path.dropFirst()) { self = adding(travel.largestChange(a, b), over: threshold) }
    }

    /// This cost with one more step of `step` (radians or metres).
    func adding(_ step: Double, over threshold: Double) -> PlanCost {
      PlanCost(
        excess: excess + max(0, step - threshold), largest: max(largest, step), squares: squares + step * step
      )
    }

    static func < (a: PlanCost, b: PlanCost) -> Bool {
      (a.excess, a.largest, a.squares) < (b.excess, b.largest, b.squares)
    }
  }

  /// Each step's largest joint change along `path`, judged by travel, as a path's steps are reported.
  private func steps(of path: [[Double]]) -> [Double] {
    zip(path, path.dropFirst()).map { travel.largestChange($0, $1) }
  }

  private func largestStep(_ path: [[Double]]) -> Double { steps(of: path).max() ?? 0 }

  /// The step above which one of `steps` (at least one) is a jump: ``jumpFactor`` times their
  /// median, and at least ``smallestJump``.
  private func jumpThreshold(_ steps: [Double]) -> Double {
    max(Self.jumpFactor * steps.sorted()[steps.count / 2], Self.smallestJump)
  }

  /// `stretch` as windows of at most ``planWindow`` targets, in order, each after the first
  /// beginning ``planReach``'s `before` targets before the one before it ends (planned in turn,
  /// each window starts from the previous one's plan).
  static func windows(of stretch: ClosedRange<Int>) -> [ClosedRange<Int>] {
    var windows: [ClosedRange<Int>] = []
    var lower = stretch.lowerBound
    while true {
      let upper = min(stretch.upperBound, lower + planWindow - 1)
      windows.append(lower...upper)
      guard upper < stretch.upperBound else { return windows }
      lower = upper + 1 - planReach.before
    }
  }

  /// `q` moved by `motion`, inside `robot`'s limits: a joint that the move carries past a limit
  /// stops at it, however much of a turn its limits span (it cannot turn across them: the copy a
  /// whole turn back would be a turn of travel away).
  static func carried(_ q: [Double], by motion: [Double], within robot: RobotModel) -> [Double] {
    zip(zip(q, motion), robot.movableJoints).map { pair, joint in
      let value = pair.0 + pair.1
      return joint.limits?.clamp(value) ?? value
    }
  }
}

extension JointDistance {
  /// The largest change of any one joint between `a` and `b`, the joints this distance wraps
  /// the short way.
  ///
  /// - Parameters:
  ///   - a: one value per movable joint (radians or metres).
  ///   - b: another configuration of the same robot.
  /// - Returns: the largest absolute joint change (0 for empty configurations).
  public func largestChange(_ a: [Double], _ b: [Double]) -> Double {
    var largest = 0.0
    for index in 0..<min(a.count, b.count) {
      largest = max(largest, change(a[index], b[index], joint: index))
    }
    return largest
  }
}
