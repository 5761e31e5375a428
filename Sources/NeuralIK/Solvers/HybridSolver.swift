import Foundation

/// The solver the package is named for: the network's guesses refined by GSL's
/// Levenberg–Marquardt to numerical precision, with the plain `lm` solve as its fallback, and,
/// for a robot with a closed form, that closed form before them.
///
/// On a target of the kind a closed form without a free joint takes
/// (``/NeuralIKCore/AnalyticSolver``: poses of six joints, positions of two or three), every
/// branch comes first, and it answers: out of reach, too, a closed form of positions gives the
/// exact closest point. When the caller says where the robot is, under the
/// ``SolutionPreference/nearestToStart`` preference (the default), a refinement from that start
/// comes next. Then a seven-joint closed form is tried at the start's value of its free joint;
/// then, where the network conditions on another joint, at the best proposals' values of its free
/// joint (the learned free joint: all heads propose in one forward pass); then along a sweep of
/// its free joint, coarse to fine (``sweepLevels``). A closed form that reaches answers with its
/// branch nearest the start, exact to rounding. Under the nearest preference, a seven-joint arm's
/// answer from any stage but trusted near-start Newton steps then goes through a search of the
/// self-motion for a member nearer the start (``nearestMember(_:_:near:singular:budget:spent:)``; its
/// members reach to within the tolerance); a trusted one from a start near a singularity meets
/// the members that starts moved along its singular direction land on
/// (``nearestProbed(_:_:near:singular:budget:spent:)``). Otherwise the network's proposals (one pass, if
/// not made yet) are refined: every proposal, best first, gets a short refinement
/// (``SolverSpecification/quickIterations``): a good guess converges in a handful of iterations.
/// When none reaches the target, the short refinements continue, closest first, until
/// ``SolverSpecification/proposalIterationBudget`` is spent. When that fails too, the hybrid runs
/// exactly the `lm` solve of its specification (the caller's start, then the seeded restarts), so
/// it reaches every target that `lm` reaches; an axis target `lm` misses on a six-joint arm then
/// gets the closed form at turns about the axis (``axisSweep(_:aligned:near:until:)``), and with a joint
/// locked (or held within tighter limits) that the closed form does not free, a target `lm` misses
/// gets the exact crossings of the lock (or of the bounds) along the closed form's free joint
/// (``RestrictedJointRoots``). Out of reach, the closest result of all wins. A pose
/// target whose position lies beyond the reach sphere, which no configuration reaches, gets a
/// bounded search for its closest configuration instead of the proposals and the `lm` solve
/// (``closestBeyondReach(_:from:tried:nearStart:)``); a position beyond it gets that search after the `lm`
/// solve, as one more candidate; on an arm with fewer joints than the target has
/// dimensions, two proposals that settle on one stationary distance end the search before the
/// `lm` solve (``outOfReachVerdict(_:target:near:)``). A target of the other kind than the network
/// was trained for (a position for a pose model) has no proposals: the hybrid answers it with that
/// `lm` solve. Out of reach, for a caller who said where the robot is, the answer nearest the start
/// among those as close as the closest (``OutOfReachChoice``). Inside the limits always.
///
/// Without a network (the default on a robot without a model whose closed form takes poses) every
/// stage runs but the learned free joint and the proposals: the closed form, then `lm`.
final class HybridSolver: IKSolver {
  let robot: RobotModel
  /// The proposer; `nil` for a robot without a model whose closed form takes poses, where the
  /// hybrid is that closed form with `lm` behind it (``SolverFactory/availableKinds(for:network:specification:)``).
  let network: NetworkSolver?
  let lm: LevenbergMarquardtSolver
  let specification: SolverSpecification
  private let rotationWeight: Double
  /// The sphere outside which no configuration reaches (``/NeuralIKCore/RobotModel/reachSphere``).
  let reach: ReachSphere
  /// The robot's closed form (in the restricted limits), tried before the proposals are
  /// refined; `nil` without one or when the specification turns it off.
  let closedForm: AnalyticSolver?
  /// A seven-joint closed form's free-joint values: the centres of 2, 4, 8, … equal cells across
  /// the joint's limits (−π to π for a continuous joint), level by level, as many levels as fit in
  /// the closed form's ``/NeuralIKCore/AnalyticSolver/freeJointSweep`` (64: 62 values), then a
  /// level of the two limits themselves where the joint has limits; no two levels share a value.
  /// Empty without a free joint, or when it or another joint is locked.
  private let sweepLevels: [[Double]]
  let distance: JointDistance
  /// With one joint locked, or held within tighter limits, that the closed form does not free: the
  /// exact configurations along its free joint that meet the lock or a bound, tried when the `lm`
  /// fallback misses.
  let restrictedRoots: RestrictedJointRoots?
  /// Out of reach, which of the answers as close as the closest (``OutOfReachChoice``).
  private let choice: OutOfReachChoice

  /// Composes the proposer and the refiner that ``SolverFactory`` built from one specification:
  /// `lm` is exactly the `lm` solver of `specification`, and its robot (the restricted one) is
  /// the hybrid's.
  init(
    network: NetworkSolver?, lm: LevenbergMarquardtSolver, specification: SolverSpecification,
    rotationWeight: Double, closedForm: AnalyticSolver? = nil, restrictedRoots: RestrictedJointRoots? = nil
  ) {
    self.restrictedRoots = restrictedRoots
    self.robot = lm.robot
    self.closedForm = closedForm
    self.sweepLevels = closedForm.map(Self.sweepLevels(of:)) ?? []
    self.distance = JointDistance(robot: lm.robot)
    self.network = network
    self.lm = lm
    self.specification = specification
    self.rotationWeight = rotationWeight
    self.reach = lm.robot.reachSphere
    self.choice = OutOfReachChoice(
      distance: distance, rotationWeight: rotationWeight, tolerance: specification.tolerance)
  }

  /// The first solution that reaches the target, or out of reach the closest found.
  func solve(_ target: IKTarget, from initialGuess: [Double]) throws(IKError) -> Solution {
    try solve(target, from: initialGuess, nearStart: false)
  }

  /// As ``solve(_:from:)``; with `nearStart` (a caller who said where the robot is, under the
  /// nearest preference), the start is refined first, and the fallback is `lm`'s near-start solve.
  func solve(_ target: IKTarget, from initialGuess: [Double], nearStart: Bool) throws(IKError) -> Solution {
    try robot.checkConfiguration(initialGuess)
    // A start that already reaches the target is the nearest answer there is. Asked again for
    // where it is, the robot stays put: at a singularity a closed form's branches split the joints
    // that share a motion their own way (the UR5's wrist, straight, answered 0.37 rad away).
    // Otherwise, how far the target lies from the start's tool, in radians' worth (the position
    // over the reach's radius, plus the rotation).
    var startMiss: Double?
    if nearStart {
      let here = Solution(
        robot: robot, target: target, jointValues: robot.clampedToLimits(initialGuess),
        tolerance: specification.tolerance, iterations: 0, solver: .hybrid)
      if here.reachable { return here }
      startMiss = here.positionError / max(reach.radius, .leastNormalMagnitude) + (here.rotationError ?? 0)
    }
    let deadline = Deadline(seconds: specification.timeBudget)
    let aligned = alignedAtStart(target, initialGuess)
    let budget = specification.proposalIterationBudget
    var spent = 0
    var short: [Solution] = []
    // A proposal that fails to refine (a GSL failure on a degenerate start) costs the hybrid that
    // start only: the fallback below still runs, as `lm` alone would. A target of the other kind
    // than the network's (a position for a pose model) has no proposals and goes to the fallback.
    let free = closedForm?.freeJointIndex
    // What the start's Jacobian says of the nearest singularity, worked out once: from the
    // near-start steps' first Jacobian on a redundant arm, else when first asked for; its
    // direction where the start counts as near one.
    var singularity: SingularDirection.Finding??
    func singularityAtStart() -> SingularDirection.Finding? {
      if let known = singularity { return known }
      let found = lm.singularity(
        target, at: robot.clampedToLimits(initialGuess), nearerThan: Self.singularNearness)
      singularity = .some(found)
      return found
    }
    func nearSingularDirection() -> SingularDirection? {
      guard case .direction(let singular)? = singularityAtStart(), singular.nearness < Self.singularNearness
      else { return nil }
      return singular
    }
    let redundant = robot.degreesOfFreedom > target.residualCount
    // A redundant arm's answers form a curve of self-motion (one per branch): for a caller who
    // said where the robot is, an answer found anywhere on it is moved to the member nearest the
    // start that the curve and the closed form's other branches offer.
    func nearestIfAsked(_ solution: Solution) -> Solution {
      guard nearStart, redundant else { return solution }
      return nearestMember(
        solution, target, near: initialGuess, singular: nearSingularDirection(),
        budget: specification.maximumIterations - spent, spent: &spent)
    }
    // A closed form with no free joint (six joints, or positions of a two- or three-joint arm)
    // lists every branch, so its branch nearest the start is the nearest answer there is, never a
    // far branch where a near one exists: it goes first, even before the refinement from the
    // start (which near a singularity can cross to another branch).
    let everyBranch = closedForm != nil && free == nil
    // A pose closed form lists reaching branches only, and none reaches a position outside the
    // reach sphere: its stages would only cost their solves (on a seven-joint arm, a sweep of 64).
    // A closed form of positions gives the exact closest point there, and runs.
    let closedFormMayReach = target.kind == .position || !reach.excludes(target.position)
    if everyBranch, closedFormMayReach, let solution = nearestClosedForm(target, at: [], near: initialGuess) {
      // Next to a singularity the branches are representatives of a continuum (a UR arm's wrist
      // straight: the joints whose axes line up share one motion), split the closed form's way,
      // not the start's, and the nearest can lie far from a start whose tool is near the target.
      // An answer much farther than the target moved gets the refinement from the start, which
      // stays on the continuum, as a rival. Poses only: the small arms' closed forms of positions
      // list every branch exactly, and there it raised the near-start median by a fifth (1.4 to
      // 1.7 µs on the seed arm, `make near-start`).
      let away = distance(solution.jointValues, initialGuess)
      if let startMiss, target.kind == .pose,
        away > Self.splitSuspicion.floor + Self.splitSuspicion.factor * startMiss,
        let (refined, _, _) = try? lm.nearRefinement(
          target, from: initialGuess, budget: min(2 * specification.quickIterations, budget)),
        refined.reachable, distance(refined.jointValues, initialGuess) < away
      {
        return finish(refined, iterations: refined.iterations)
      }
      return finish(solution, iterations: spent)
    }
    if nearStart {
      // Where the robot is comes first: a target that moved a little from the last one converges
      // from there in a few iterations, on the branch the robot is on (and, on a redundant arm,
      // the member of its family nearest the start), and the network's proposals, which know
      // nothing of the start, only follow when it does not.
      if let (solution, predicted, startJacobian) = try? lm.nearRefinement(
        target, from: initialGuess, budget: min(2 * specification.quickIterations, budget))
      {
        // The steps evaluated the start's Jacobian first: the singularity check reads it there.
        if redundant, singularity == nil, let startJacobian {
          singularity = .some(
            lm.singularity(target, jacobian: startJacobian, nearerThan: Self.singularNearness))
        }
        spent += solution.iterations
        if solution.reachable {
          // Newton steps that converged where the start's Jacobian predicted, from a start away
          // from a singularity, settled on the nearest member; otherwise (the anchored solve, a
          // misleading linear model, or branches of the self-motion passing close by) the other
          // members get their chance.
          // (A start that already reaches predicts and answers 0, give or take rounding.)
          let answered = distance(solution.jointValues, initialGuess)
          guard let predicted, predicted <= Self.trustedPrediction * answered + 1e-9 else {
            return finish(nearestIfAsked(solution), iterations: spent)
          }
          // Near a singularity the steps followed the linear model faithfully onto one of the
          // branches that pass close by: the others, found from starts moved along the singular
          // direction, compete.
          // At a singularity to rounding no direction is singled out: the search runs instead.
          if redundant, answered > 1e-9, case .singular? = singularityAtStart() {
            return finish(nearestIfAsked(solution), iterations: spent)
          }
          if redundant, answered > 1e-9, let singular = nearSingularDirection() {
            let probed = nearestProbed(
              solution, target, near: initialGuess, singular: singular,
              budget: specification.maximumIterations - spent, spent: &spent)
            return finish(probed, iterations: spent)
          }
          return finish(solution, iterations: spent)
        }
        short.append(solution)
      }
    }
    // An axis target: the closed form at the pose nearest the start's tool rotation, before the
    // network's pass (on 2,000 cold axis targets, the median fell from 31.3 to 5.6 µs on the UR5
    // and from 45.1 to 7.8 on the iiwa 14; on the Panda, whose limits leave that pose out of reach
    // at the start's free joint more often, once a few more values of it are tried too).
    if let solution = alignedClosedForm(target, aligned: aligned, near: initialGuess) {
      return finish(nearestIfAsked(solution), iterations: spent)
    }
    // Exact before iterative: where a seven-joint closed form reaches the target at the start's
    // value of its free joint, its branch nearest the start is the answer (for a caller who said
    // where the robot is, slid to its member nearest the start).
    if let free, closedFormMayReach,
      let solution = nearestClosedForm(target, at: [initialGuess[free]], near: initialGuess)
    {
      return finish(nearestIfAsked(solution), iterations: spent)
    }
    var learned: [[Double]]?
    if let free, closedFormMayReach, takesClosedForm(target) {
      // The learned free joint: where the network conditions on another joint than the closed
      // form's (the iiwa's closed form frees joint 3, its network joint 7), the best proposals'
      // values of the closed form's free joint are its prediction. Where on the same one (the
      // Panda's joint 7), its proposals only return the values it samples, which the sweep below
      // visits first.
      if let network, network.network.encoding.freeJoint?.index != free {
        let ranked = try self.proposals(for: target, aligned: aligned)
        learned = ranked
        var values: [Double] = []
        for proposal in ranked where !values.contains(where: { abs($0 - proposal[free]) < 1e-3 }) {
          values.append(proposal[free])
          if values.count == Self.learnedFreeJointValues { break }
        }
        if let solution = nearestClosedForm(target, at: values, near: initialGuess) {
          return finish(nearestIfAsked(solution), iterations: spent)
        }
      }
      // Then the sweep, coarse to fine, before any refinement: a closed form at one value costs a
      // few microseconds, and a target it meets anywhere along the self-motion is usually met at
      // one of the first few levels, where the refinement of proposals (and the network's pass)
      // costs tens.
      if let solution = nearestClosedForm(target, at: sweep(near: initialGuess[free]), near: initialGuess) {
        return finish(nearestIfAsked(solution), iterations: spent)
      }
    }
    // Positions keep the search below: its proposals and `lm` restarts find the closest point
    // among the limits' corners, which one local search beyond the sphere misses (the property
    // suite's out-of-reach law caught it on the seed and planar arms and on the Panda).
    if target.kind == .pose, reach.excludes(target.position) {
      let closest = try closestBeyondReach(target, from: initialGuess, tried: short, nearStart: nearStart)
      return finish(closest, iterations: spent + closest.iterations)
    }
    let proposals: [[Double]]
    if let learned {
      proposals = learned
    } else {
      proposals = try self.proposals(for: target, aligned: aligned)
    }
    for start in proposals {
      if spent >= budget || (short.count > 1 && deadline.hasPassed) { break }
      guard
        let solution = try? lm.refine(
          target, from: start, budget: min(specification.quickIterations, budget - spent),
          cutsStalls: true)
      else { continue }
      spent += solution.iterations
      if solution.reachable { return finish(nearestIfAsked(solution), iterations: spent) }
      short.append(solution)
    }
    // Only once every proposal has had its try: two of them can settle on one local minimum that
    // another proposal escapes (seen on the 3-DoF arm with the check after the second).
    if let closest = outOfReachVerdict(short, target: target, near: nearStart ? initialGuess : nil) {
      return finish(closest, iterations: spent)
    }
    var candidates = short
    for previous in short.stableSorted(by: { cost($0) < cost($1) }) {
      if spent >= budget || deadline.hasPassed { break }
      guard
        let solution = try? lm.refine(
          // Under the nearest preference every miss is let settle (one may be the caller's own
          // start's, whose branch that preference wants); cold, each gives way when it stalls.
          target, from: previous.jointValues,
          budget: min(specification.startIterationBudget, budget - spent), cutsStalls: !nearStart)
      else { continue }
      spent += solution.iterations
      if solution.reachable { return finish(nearestIfAsked(solution), iterations: spent) }
      candidates.append(solution)
    }
    let fallback = try lm.solve(target, from: initialGuess, nearStart: nearStart)
    spent += fallback.iterations
    // Only unreached candidates are left, so a reached fallback always wins.
    if fallback.reachable { return finish(nearestIfAsked(fallback), iterations: spent) }
    var best = choice.closest([fallback] + candidates, near: nearStart ? initialGuess : nil) ?? fallback
    // An axis target that the proposals and `lm` missed on a six-joint arm (on the UR5, 10 of
    // 10,000, every one met by the closed form at every turn about the axis): the closed form's
    // branches at turns about the axis.
    if let solution = axisSweep(target, aligned: aligned, near: initialGuess, until: deadline).min(by: {
      distance($0.jointValues, initialGuess) < distance($1.jointValues, initialGuess)
    }) {
      return finish(nearestIfAsked(solution), iterations: spent)
    }
    // A locked (or narrowed) joint the closed form does not free: its exact crossings, where the
    // `lm` search had no start on the branch that meets the lock. Last, as its grid of 256 closed-form solves
    // costs more than the `lm` search that usually succeeds (measured: a mean of 315 against
    // 140 µs a locked Panda target when it came before it).
    if let restrictedRoots, !reach.excludes(target.position),
      let solution = restrictedRoots.solutions(for: target, near: initialGuess, until: deadline).min(by: {
        distance($0.jointValues, initialGuess) < distance($1.jointValues, initialGuess)
      })
    {
      return finish(nearestIfAsked(solution), iterations: spent)
    }
    // Far beyond the sphere, Levenberg–Marquardt's steps ignore the curvature that the large
    // residual adds, and every start can settle in a corner of the limits while the
    // configuration facing the target is closer (the seed arm at 173 m, 1.1 mm farther): the
    // bounded search's Newton steps from the facing start are one more candidate.
    if target.kind == .position, !best.reachable, reach.excludes(target.position) {
      let closest = try closestBeyondReach(target, from: initialGuess, tried: [best], nearStart: nearStart)
      spent += closest.iterations
      best = closest
    }
    return finish(best, iterations: spent)
  }

  /// Every distinct solution from every proposal and every `lm` start, in the order found, and the
  /// iterations spent on all of them.
  func allSolutions(for target: IKTarget, from initialGuess: [Double], nearStart: Bool) throws(IKError)
    -> (solutions: [Solution], iterations: Int)
  {
    try robot.checkConfiguration(initialGuess)
    let deadline = Deadline(seconds: specification.timeBudget)
    let aligned = alignedAtStart(target, initialGuess)
    let budget = specification.proposalIterationBudget
    var spent = 0
    var found: [Solution] = []
    func record(_ solution: Solution) {
      if !found.contains(where: {
        LevenbergMarquardtSolver.sameConfiguration($0.jointValues, solution.jointValues)
      }) {
        var copy = solution
        copy.solver = .hybrid
        found.append(copy)
      }
    }
    // A start that already reaches is one of them, as the one-answer solve returns it.
    if nearStart {
      let here = Solution(
        robot: robot, target: target, jointValues: robot.clampedToLimits(initialGuess),
        tolerance: specification.tolerance, iterations: 0, solver: .hybrid)
      if here.reachable { record(here) }
    }
    // Every branch the closed form has (swept over a seven-joint arm's free joint) comes first.
    if let closedForm, target.kind == closedForm.targetKind,
      let exact = try? closedForm.allSolutions(for: target)
    {
      for solution in exact where solution.reachable { record(solution) }
    }
    let proposals = try proposals(for: target, aligned: aligned)
    for start in proposals {
      if spent >= budget || (!found.isEmpty && deadline.hasPassed) { break }
      guard
        let solution = try? lm.refine(
          target, from: start, budget: min(specification.startIterationBudget, budget - spent),
          cutsStalls: true)
      else { continue }
      spent += solution.iterations
      record(solution)
    }
    let fallback = try lm.allSolutions(for: target, from: initialGuess, nearStart: nearStart)
    for solution in fallback.solutions { record(solution) }
    // As in the one-answer solve: an axis target's closed-form sweep, a lock's (or bound's) exact
    // crossings, where nothing else reached.
    if !found.contains(where: \.reachable) {
      for solution in axisSweep(target, aligned: aligned, near: initialGuess, until: deadline) {
        record(solution)
      }
    }
    if let restrictedRoots, !found.contains(where: \.reachable), !reach.excludes(target.position) {
      for solution in restrictedRoots.solutions(for: target, near: initialGuess, until: deadline) {
        record(solution)
      }
    }
    return (found, spent + fallback.iterations)
  }

  private func cost(_ solution: Solution) -> Double { solution.cost(rotationWeight: rotationWeight) }

  /// How many of the best proposals' free-joint values the closed form is tried at.
  static let learnedFreeJointValues = 2

  /// A seven-joint closed form's free-joint values, coarse to fine, each level nearest `value`
  /// first (``sweepLevels``).
  func sweep(near value: Double) -> [Double] {
    sweepLevels.flatMap { level in level.sorted { abs($0 - value) < abs($1 - value) } }
  }

  private static func sweepLevels(of closedForm: AnalyticSolver) -> [[Double]] {
    guard let free = closedForm.freeJointIndex else { return [] }
    let joints = closedForm.robot.movableJoints
    let limits = joints[free].limits
    let (lower, upper) = (limits?.lower ?? -.pi, limits?.upper ?? .pi)
    guard upper - lower > 1e-12 else { return [] }
    // Another joint locked (a lock the closed form could not take as its free joint): a branch
    // meets its value only at isolated values of the free joint, which a sweep does not hit, so
    // the sweep would only cost its 64 solves (measured on the Panda with joint 1, 2 or 3 locked).
    let locked = joints.indices.contains { index in
      index != free && joints[index].limits.map { $0.upper - $0.lower <= 1e-12 } == true
    }
    guard !locked else { return [] }
    var levels: [[Double]] = []
    var cells = 2
    var count = 0
    while count + cells <= closedForm.freeJointSweep {
      levels.append((0..<cells).map { lower + (Double($0) + 0.5) / Double(cells) * (upper - lower) })
      count += cells
      cells *= 2
    }
    // Then the limits themselves, which no cell's middle reaches: a pose reached with the free
    // joint and others at their limits may be reached there only (with the Panda's corners, 2 of
    // 328 poses that the analytic solver's sweep, which includes the limits, reached and the
    // hybrid did not; on a seven-joint arm on a rail, 14).
    if limits != nil, count + 2 <= closedForm.freeJointSweep { levels.append([lower, upper]) }
    return levels
  }

  /// A pose target beyond the reach sphere: no configuration reaches it, so the answer is the
  /// closest configuration, and a bounded search looks for it. Full Newton steps
  /// (``NewtonPolish``, which see the curvature that a large residual adds and Levenberg–Marquardt
  /// leaves out) from the start turned towards the target (``facing(_:_:)``)
  /// and from a six-joint closed form's least-squares branches; the closest of those and of `tried`
  /// (refinements already made) wins. A local answer: on 1,000 Panda poses beyond the sphere it
  /// came within 1% of the weighted error of the full `lm` search (its start and eight restarts,
  /// about 1,500 iterations) on 97% of them, in about 23 iterations (Docs/Solvers.md).
  private func closestBeyondReach(
    _ target: IKTarget, from initialGuess: [Double], tried: [Solution], nearStart: Bool
  ) throws(IKError) -> Solution {
    var starts = [facing(robot.clampedToLimits(initialGuess), target.position)]
    // A six-joint closed form's least-squares branches, clamped into the limits: its guess of the
    // closest pose (a seven-joint one would sweep its free joint for it).
    if let closedForm, closedForm.freeJointIndex == nil, takesClosedForm(target),
      let guesses = try? closedForm.allSolutions(
        for: target, from: initialGuess, sweep: false, everyCopy: false)
    {
      starts += guesses.map(\.jointValues)
    }
    // Far beyond the reach the closest configuration stretches the tip furthest towards the
    // target, which the limits often decide: a corner of them. On an arm of a few joints every
    // corner is a start (the planar 2-link arm, 41 m from a target below its quadrant: every other
    // start settled 0.3 m farther than the corner the closed form finds, a case of the property
    // suite's out-of-reach law).
    if target.kind == .position, robot.degreesOfFreedom <= Self.cornerStartJoints {
      starts += corners()
    }
    var found = tried
    var iterations = 0
    for (index, start) in starts.enumerated() {
      var solution = lm.polish(target, from: start, iterations: NewtonPolish.defaultIterations)
      iterations += solution.iterations
      // Newton steps clamped at a limit can stall short of the stationary point (seen on the
      // iiwa): the limit-aware local solve finishes those.
      if !lm.isStationary(target, at: solution.jointValues),
        let refined = try? lm.refine(
          // Under the nearest preference the caller's own start (turned) is let settle; the
          // others, and every start of a cold solve, give way when they stall. (Letting every
          // first start settle cost a cold solve beyond the reach 30% more iterations on the Panda
          // and the iiwa 14, for the same closest points.)
          target, from: solution.jointValues, budget: specification.startIterationBudget,
          cutsStalls: !(nearStart && index == 0))
      {
        iterations += refined.iterations
        if cost(refined) < cost(solution) { solution = refined }
      }
      found.append(solution)
    }
    guard var result = choice.closest(found, near: nearStart ? initialGuess : nil) else {
      throw .numerical("no start for a target beyond the reach")
    }
    result.iterations = iterations
    return result
  }

  /// Arms of at most this many joints get every corner of their limits as a start beyond the reach
  /// (2³ = 8 starts at most).
  static let cornerStartJoints = 3

  /// Every corner of the limits: each joint at its lower or upper limit (a joint without limits
  /// at −π or π).
  private func corners() -> [[Double]] {
    var result: [[Double]] = [[]]
    for joint in robot.movableJoints {
      let lower = joint.limits?.lower ?? -.pi
      let upper = joint.limits?.upper ?? .pi
      result = result.flatMap { prefix in
        lower == upper ? [prefix + [lower]] : [prefix + [lower], prefix + [upper]]
      }
    }
    return result
  }

  /// `q` with its first joints moved (within their limits) to bring the tip closest to
  /// `position`: a start for a target beyond the reach, which the closest configuration faces.
  /// Prismatic joints before the first revolute one (a rail, a lift) slide the tip along their
  /// axes towards it, then that revolute joint turns the tip towards it. (Turning only a first
  /// joint that turns left an arm on a rail at its start: on a user's 1.5 m rail, the hybrid's
  /// closest points beyond the reach were 0.14 m farther than `lm`'s on average, on half of them
  /// by more than 1%.)
  private func facing(_ q: [Double], _ position: Vector3) -> [Double] {
    var turned = q
    for (index, joint) in robot.movableJoints.enumerated() {
      let jacobian = robot.jacobian(at: turned)
      guard joint.type == .prismatic else {
        turned[index] = turn(turned, joint: index, jacobian: jacobian, towards: position)
        break
      }
      let axis = Vector3(jacobian[0, index], jacobian[1, index], jacobian[2, index])
      guard abs(axis.length - 1) < 1e-9 else { continue }
      let slid = turned[index] + (position - robot.tipPosition(at: turned)).dot(axis)
      turned[index] = joint.limits?.clamp(slid) ?? slid
    }
    return turned
  }

  /// The value of revolute joint `index` that turns the tip of `q` (whose `jacobian` is given)
  /// closest to `position`, within the joint's limits.
  private func turn(_ q: [Double], joint index: Int, jacobian: Jacobian, towards position: Vector3) -> Double
  {
    let axis = Vector3(jacobian[3, index], jacobian[4, index], jacobian[5, index])
    guard abs(axis.length - 1) < 1e-9 else { return q[index] }
    let tip = robot.tipPosition(at: q)
    // The tip's lever arm about the axis, and the target's, both normal to the axis.
    let lever = Vector3(jacobian[0, index], jacobian[1, index], jacobian[2, index]).cross(axis)
    var goal = position - tip + lever
    goal -= axis * goal.dot(axis)
    guard lever.length > 1e-12, goal.length > 1e-12 else { return q[index] }
    let angle = atan2(axis.dot(lever.cross(goal)), lever.dot(goal))
    let joint = robot.movableJoints[index]
    return joint.limits?.clamp(q[index] + angle) ?? q[index] + angle
  }

  /// Whether the closed form takes `target`'s kind.
  private func takesClosedForm(_ target: IKTarget) -> Bool { closedForm?.targetKind == target.kind }

  /// The reaching closed-form solution nearest `start` at the first of `values` where one
  /// reaches; `nil` without a closed form, for a target of another kind than the closed form's, or
  /// when none reaches. A closed form of positions lists every configuration whose tip is the
  /// closest reachable point, limits included, so out of reach its nearest is the answer too: the
  /// exact closest point, where the refinement can only find a local one.
  private func nearestClosedForm(_ target: IKTarget, at values: [Double], near start: [Double]) -> Solution? {
    guard let closedForm, target.kind == closedForm.targetKind else { return nil }
    if target.kind == .position {
      let all = try? closedForm.allSolutions(for: target, from: start, sweep: false, everyCopy: false)
      return all?.min { distance($0.jointValues, start) < distance($1.jointValues, start) }
    }
    return try? closedForm.nearestReachingSolution(
      for: target, freeJointValues: values, near: start, distance: distance.callAsFunction)
  }

  /// The network's starts for `target`: its ranked proposals for a target of its own kind; for an
  /// axis target on a pose network, its proposals for the pose `aligned` (``alignedAtStart(_:_:)``,
  /// the tool at the start turned by the smallest rotation onto the axis; the refinement then frees
  /// the rotation about it); none for a position target on a pose network: measured on 1,000 Panda position targets, proposals
  /// for the position with the tool turned as at the start cut the iterations from 8.7 to 4.8 but
  /// made the median solve slower (49 against 42 µs), since `lm` reaches a position from the middle
  /// in a few cheap iterations.
  private func proposals(for target: IKTarget, aligned: Rotation3?) throws(IKError) -> [[Double]] {
    guard let network else { return [] }
    let kind = network.network.targetKind
    if target.kind == kind { return try network.rankedProposals(for: target) }
    guard let aligned, kind == .pose else { return [] }
    let hint = try IKTarget(position: target.position, orientation: Quaternion(aligned))
    return try network.rankedProposals(for: hint)
  }

  /// Out of reach, fast: when two short refinements from different proposals both end on a
  /// stationary point of the cost (``LevenbergMarquardtSolver/isStationary(_:at:)``) with no joint on
  /// a limit (``isInterior(_:)``), at the same distance (to a millionth), and neither reaches the
  /// target, the closer is taken as the closest
  /// reachable point and the search stops, instead of spending the rest of the proposal budget and
  /// every `lm` restart on a target that no start reaches. The network is trained on targets in and
  /// around the reach, so that out of reach its heads extend the arm towards the target; two of
  /// them settling on one stationary distance is the verdict.
  ///
  /// Only where the target is out of reach for sure: an arm with fewer joints than the target has
  /// dimensions (it reaches a measure-zero set of them), or a position beyond
  /// the reach sphere (``/NeuralIKCore/RobotModel/reachSphere``). Elsewhere two proposals can settle on one local minimum of a target
  /// that the `lm` restarts reach (measured on the UR5: 18 of 2,000 pose targets).
  private func outOfReachVerdict(_ candidates: [Solution], target: IKTarget, near start: [Double]?)
    -> Solution?
  {
    guard candidates.count > 1,
      robot.degreesOfFreedom < target.residualCount || reach.excludes(target.position)
    else { return nil }
    let order = candidates.indices.sorted { cost(candidates[$0]) < cost(candidates[$1]) }
    let best = candidates[order[0]]
    let other = candidates[order[1]]
    let bestCost = cost(best)
    guard !best.reachable, abs(cost(other) - bestCost) <= 1e-6 * bestCost,
      isInterior(best.jointValues), isInterior(other.jointValues),
      lm.isStationary(target, at: best.jointValues), lm.isStationary(target, at: other.jointValues)
    else { return nil }
    return choice.closest(candidates, near: start)
  }

  /// No joint on a limit. Where the limits block the arm, the distance is stationary at a corner of
  /// them whatever lies beyond it, and heads that extend the arm towards the target pile up in the
  /// same corner: seen on the seed arm for targets ten reaches away, and on the planar 2-link arm for
  /// a target 16 m below its quadrant, where two proposals agreed on the fully extended arm
  /// (16.24 m away) while folding it against the other limit comes to 15.57 m. Only an interior
  /// stationary point is a verdict; a corner goes on to the `lm` restarts.
  private func isInterior(_ q: [Double]) -> Bool {
    zip(q, robot.movableJoints).allSatisfy { value, joint in
      guard let limits = joint.limits else { return true }
      return value > limits.lower + 1e-9 && value < limits.upper - 1e-9
    }
  }

  private func finish(_ solution: Solution, iterations: Int) -> Solution {
    var result = solution
    result.iterations = iterations
    result.solver = .hybrid
    return result
  }
}
