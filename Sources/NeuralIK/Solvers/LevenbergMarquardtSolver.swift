import Foundation

/// A numerical solver for any chain: GSL's trust-region Levenberg–Marquardt with the analytic
/// Jacobian, position or pose targets, from an initial guess.
///
/// It never returns a configuration outside the limits. Bounded joints are optimised through
/// `q = middle + halfRange · sin(u)`, which keeps every iterate inside; a joint that ends pressed
/// against a limit is then pinned there and the others re-solved (an active-set pass), so optima on
/// a limit are reached exactly rather than approached. For a target out of reach it converges to a
/// local closest reachable point; ``SolverSpecification/randomRestarts`` widens the search.
///
/// Keeps GSL workspaces between solves, so it is a class; use one per thread.
public final class LevenbergMarquardtSolver: IKSolver {
  /// The robot it solves for (restricted, when the specification restricts joints).
  public let robot: RobotModel
  let options: LevenbergMarquardtOptions
  private var workspaces: [Int: GSLLeastSquares] = [:]
  private let problem: JointSpaceProblem
  private var scratch: Jacobian
  private var residualScratch: [Double]
  private var jacobianScratch: [Double]
  /// Kept, not built per call: it holds an array, and the near-start search asks it often.
  private let distance: JointDistance
  /// Out of reach, which of the results as close as the closest (``OutOfReachChoice``).
  private let choice: OutOfReachChoice

  init(robot: RobotModel, options: LevenbergMarquardtOptions) {
    self.robot = robot
    self.options = options
    self.distance = JointDistance(robot: robot)
    self.choice = OutOfReachChoice(
      distance: distance, rotationWeight: options.rotationWeight, tolerance: options.tolerance)
    self.problem = JointSpaceProblem(robot: robot)
    self.scratch = Jacobian(columns: robot.degreesOfFreedom)
    self.residualScratch = Array(repeating: 0, count: 6)
    self.jacobianScratch = Array(repeating: 0, count: 6 * robot.degreesOfFreedom)
  }

  /// Solves from `initialGuess` (clamped into the limits), then from the random restarts, until
  /// one reaches the target or the iteration budget is spent; out of reach, the closest result.
  ///
  /// - Parameters:
  ///   - target: a position or a pose (an axis target too), metres and base frame.
  ///   - initialGuess: one value per movable joint (radians or metres).
  /// - Returns: the best solution found, inside the limits; out of reach, the closest reachable
  ///   configuration found, with ``/NeuralIKCore/Solution/reachable`` `false`.
  /// - Throws: ``/NeuralIKCore/IKError`` for a guess of the wrong size or with non-finite values, or a GSL failure.
  public func solve(_ target: IKTarget, from initialGuess: [Double]) throws(IKError) -> Solution {
    try solve(target, from: initialGuess, nearStart: false)
  }

  /// As ``solve(_:from:)``; with `nearStart`, the first start's answer stays near it on a redundant
  /// arm (``refineNear(_:from:budget:)``): where the robot is, for the nearest preference. Where
  /// the start's own answer misses, the restarts begin near the start (``nearRestartRadii``), a
  /// redundant arm's answers are slid to their members nearest it, and ``nearRivals`` more
  /// restarts run after the first that reaches: the nearest of those that reach is the answer. Out
  /// of reach, the answer nearest the start among those as close as the closest.
  func solve(_ target: IKTarget, from initialGuess: [Double], nearStart: Bool) throws(IKError) -> Solution {
    let deadline = Deadline(seconds: options.timeBudget)
    var found: [Solution] = []
    var iterations = 0
    var nearest: (solution: Solution, distance: Double)?
    // The restart that reached first: ``nearRivals`` more follow it.
    var firstReached: Int?
    try search(target, from: initialGuess, nearStart: nearStart, nearRestarts: nearStart) {
      candidate, spent, attempt in
      iterations = spent
      guard candidate.reachable else {
        found.append(candidate)
        return (firstReached.map { attempt - $0 < Self.nearRivals } ?? true, 0)
      }
      // Cold, or the caller's own start's answer (already its member nearest the start on a
      // redundant arm, `refineNear`): the answer.
      guard nearStart, attempt > 0 else {
        nearest = (candidate, 0)
        return (false, 0)
      }
      var reached = candidate
      let (slid, steps) = slideNearest(
        target, from: initialGuess, along: candidate.jointValues,
        maxSteps: max(0, min(30, options.iterationBudget - spent)))
      iterations += steps
      if let slid, distance(slid.jointValues, initialGuess) < distance(reached.jointValues, initialGuess) {
        reached = slid
      }
      let away = distance(reached.jointValues, initialGuess)
      if away < nearest?.distance ?? .infinity { nearest = (reached, away) }
      let first = firstReached ?? attempt
      firstReached = first
      return (attempt - first < Self.nearRivals, steps)
    }
    // Out of reach, near the start among the as close (`choice`).
    let best = nearest?.solution ?? choice.closest(found, near: nearStart ? initialGuess : nil)
    guard var result = best else { throw .numerical("Levenberg–Marquardt ran no start") }
    if !result.reachable, !deadline.hasPassed {
      let (finished, steps) = finishedNearMiss(target, result, budget: options.iterationBudget - iterations)
      iterations += steps
      if let finished { result = finished }
    }
    result.iterations = iterations
    return result
  }

  /// Where a reachable target's only configurations are singular (a path through the wrist's or
  /// shoulder's axes lining up), every start's damped steps close in on it only slowly and can
  /// stop a few micrometres short. Full Newton steps (``NewtonPolish``, which see the curvature
  /// that the singular direction leaves to the second-order term) from the best miss finish it
  /// with the budget's rest, for a best miss within ``nearMissFactor`` times the tolerance: the
  /// answer when they reach (`nil` when not), and the steps spent either way.
  private func finishedNearMiss(_ target: IKTarget, _ miss: Solution, budget: Int)
    -> (solution: Solution?, steps: Int)
  {
    let tolerance = options.tolerance
    guard budget > 0, miss.positionError <= Self.nearMissFactor * tolerance.position,
      (miss.rotationError ?? 0) <= Self.nearMissFactor * tolerance.rotation
    else { return (nil, 0) }
    let finished = polish(target, from: miss.jointValues, iterations: budget)
    return (finished.reachable ? finished : nil, finished.iterations)
  }

  /// Iterations the starts leave for ``finishedNearMiss(_:_:budget:)``: a tenth of the budget, at
  /// most one start's. The restarts would spend them all where none reaches, and a target whose
  /// only configurations are singular needs up to about 200 Newton steps to be finished.
  var finishReserve: Int { min(options.startIterationBudget, options.iterationBudget / 10) }

  /// How many times the reach tolerance a miss may be off for ``finishedNearMiss(_:_:budget:)``.
  static let nearMissFactor = 100.0

  /// One start alone, at most `budget` iterations: the hybrid's refinement of a proposal, or its
  /// continuation of a miss. `cutsStalls` as in ``solveLocally(_:from:budget:cutsStalls:)``: true
  /// for a proposal, false where the start may be the caller's own or its continuation.
  func refine(
    _ target: IKTarget, from start: [Double], budget: Int, cutsStalls: Bool
  ) throws(IKError) -> Solution {
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    return try solveLocally(
      residual, from: robot.clampedToLimits(start), budget: max(1, budget), cutsStalls: cutsStalls)
  }

  /// Full Newton steps from `start` (``NewtonPolish``), at most `iterations`: out of reach, where
  /// the residual stays large and Levenberg–Marquardt converges slowly, they settle on the
  /// stationary point of the cost nearest it.
  func polish(_ target: IKTarget, from start: [Double], iterations: Int) -> Solution {
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    let (q, used) = NewtonPolish(robot: robot, residual: residual).polish(
      robot.clampedToLimits(start), iterations: iterations)
    return Solution(
      robot: robot, target: target, jointValues: q, tolerance: options.tolerance, iterations: used,
      solver: .levenbergMarquardt)
  }

  /// Every start runs (within the budget): each distinct result, in the order found, and the
  /// iterations spent on all of them. Where none reaches, the closest miss is finished as
  /// ``solve(_:from:)`` finishes it (``finishedNearMiss(_:_:budget:)``), and leads the list when
  /// that reaches.
  func allSolutions(for target: IKTarget, from initialGuess: [Double], nearStart: Bool) throws(IKError)
    -> (solutions: [Solution], iterations: Int)
  {
    let deadline = Deadline(seconds: options.timeBudget)
    var found: [Solution] = []
    var iterations = 0
    try search(target, from: initialGuess, nearStart: nearStart, nearRestarts: false) { candidate, spent, _ in
      iterations = spent
      if !found.contains(where: { Self.sameConfiguration($0.jointValues, candidate.jointValues) }) {
        found.append(candidate)
      }
      return (true, 0)
    }
    if !found.contains(where: \.reachable), !deadline.hasPassed,
      let closest = choice.closest(found, near: nearStart ? initialGuess : nil)
    {
      let (finished, steps) = finishedNearMiss(target, closest, budget: options.iterationBudget - iterations)
      iterations += steps
      if let finished { found.insert(finished, at: 0) }
    }
    return (found, iterations)
  }

  /// The starts of every solve, in order: `initialGuess` clamped into the limits, with
  /// `nearRestarts` (and any restarts at all) the starts near it (``nearRestartRadii``), then
  /// ``LevenbergMarquardtOptions/randomRestarts`` random configurations from a stream seeded by
  /// the options' seed and the target. `nearStart` refines the first as the caller's own
  /// (``refineNear(_:from:budget:)``). `visit` hears each result with the iterations spent so far
  /// and the attempt (0: the start itself), and returns whether to go on and the iterations it
  /// spent beside the start's. Stops when the iteration budget, less ``finishReserve``, or the
  /// time budget is spent.
  private func search(
    _ target: IKTarget, from initialGuess: [Double], nearStart: Bool, nearRestarts: Bool,
    visit: (_ candidate: Solution, _ spent: Int, _ attempt: Int) -> (goOn: Bool, spent: Int)
  ) throws(IKError) {
    try robot.checkConfiguration(initialGuess)
    let deadline = Deadline(seconds: options.timeBudget)
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    var iterations = 0
    let seed = options.seed ^ Self.hash(target)
    var generator = SplitMix64(seed: seed)
    // Its own stream, so the uniform restarts are the same with and without the near ones.
    var nearGenerator = SplitMix64(seed: seed ^ 0x6E65_6172_5374_6172)
    let clamped = robot.clampedToLimits(initialGuess)
    // In addition to the uniform restarts, which find what the near ones do not (more targets
    // reached with few restarts), and only where restarts are asked for at all.
    let near = nearRestarts && options.randomRestarts > 0 ? Self.nearRestartRadii : []
    for attempt in 0...(options.randomRestarts + near.count) {
      let start =
        attempt == 0
        ? clamped
        : attempt <= near.count
          ? moved(clamped, upTo: near[attempt - 1], using: &nearGenerator)
          : robot.randomConfiguration(using: &generator)
      let budget = min(options.startIterationBudget, options.iterationBudget - finishReserve - iterations)
      if attempt > 0 && (budget <= 0 || deadline.hasPassed) { break }
      let candidate =
        attempt == 0 && nearStart
        ? try refineNear(target, from: start, budget: max(1, budget))
        : try solveLocally(residual, from: start, budget: max(1, budget), cutsStalls: attempt > 0)
      iterations += candidate.iterations
      let (goOn, spent) = visit(candidate, iterations, attempt)
      iterations += spent
      guard goOn else { break }
    }
  }

  /// Under the nearest preference, where the caller's own start misses (its steps ran a joint into
  /// a limit, or settled in a local minimum), the first restarts: the start with every joint moved
  /// by up to each radius in turn (radians; a prismatic joint by the same share of half its range
  /// as the radius is of π), before the uniform ones and in addition to them, so that the reaching
  /// configurations near the start are found before those anywhere in the limits.
  static let nearRestartRadii = [0.25, 0.5, 1.0, 2.0]

  /// Under the nearest preference, the restarts run after the first that reaches, where the
  /// caller's own start missed: the nearest of those that reach is the answer.
  static let nearRivals = 3

  /// `q` with every joint moved by a uniform amount of up to `radius` (see
  /// ``nearRestartRadii``), clamped into the limits.
  private func moved(_ q: [Double], upTo radius: Double, using generator: inout SplitMix64) -> [Double] {
    let moved = zip(q, robot.movableJoints).map { value, joint in
      let reach =
        joint.type == .prismatic ? radius / .pi * 0.5 * (joint.limits?.range ?? 0) : radius
      return value + Double.random(in: -1...1, using: &generator) * reach
    }
    return robot.clampedToLimits(moved)
  }

  /// One start: a reparameterised solve, then active-set rounds while joints press on limits.
  /// With `cutsStalls`, a pass that stalls short of the target gives way
  /// (``GSLLeastSquares/minimize(from:maxIterations:targetCost:stallCost:stepTolerance:gradientTolerance:problem:)``):
  /// for random restarts and proposals, whose iterations another start can use better, not for
  /// the caller's own start, whose branch the preference for the nearest answer wants kept.
  private func solveLocally(
    _ residual: PoseResidual, from start: [Double], budget: Int, cutsStalls: Bool
  ) throws(IKError) -> Solution {
    let joints = robot.movableJoints
    var q = start
    var pinned = joints.map { ($0.limits?.range ?? 1) == 0 }
    // The cost each active set was left at: returning to one without having lowered the cost
    // since is a cycle (two sets pinning and releasing one joint in turn), not progress.
    var leftAt: [[Bool]: Double] = [:]
    var best: Solution?
    var iterations = 0
    // Out of reach, the Newton polish below is what finds the closest point exactly: the passes
    // leave it its share of the budget.
    let polishIterations = min(NewtonPolish.defaultIterations, budget / 4)
    let passBudget = budget - polishIterations
    for _ in 0...joints.count {
      guard iterations < passBudget else { break }
      iterations += try minimize(
        residual, q: &q, pinned: pinned, reparameterized: true,
        maxIterations: min(options.maxIterations, passBudget - iterations), cutsStalls: cutsStalls)
      // The sine map's slope vanishes near a limit, which slows convergence to optima close to
      // one; a plain joint-space pass finishes them, kept only if it stays inside the limits.
      let cost = Self.cost(residual, q, options)
      if cost > targetCost && iterations < passBudget {
        var polished = q
        iterations += try minimize(
          residual, q: &polished, pinned: pinned, reparameterized: false,
          maxIterations: min(options.maxIterations, passBudget - iterations), cutsStalls: cutsStalls)
        if robot.isWithinLimits(polished) && Self.cost(residual, polished, options) < cost { q = polished }
      }
      let solution = Solution(
        robot: robot, target: residual.target, jointValues: q, tolerance: options.tolerance,
        iterations: iterations, solver: .levenbergMarquardt)
      if best.map({ solution.isBetter(than: $0, rotationWeight: options.rotationWeight) }) ?? true {
        best = solution
      }
      if solution.reachable { break }
      let leftCost = solution.cost(rotationWeight: options.rotationWeight)
      leftAt[pinned] = min(leftAt[pinned] ?? .infinity, leftCost)
      guard updateActiveSet(residual, q: &q, pinned: &pinned) else { break }
      if let earlier = leftAt[pinned], leftCost >= earlier { break }
    }
    if var result = best, !result.reachable, iterations < budget {
      // Out of reach, finish with Newton steps that see the residual's curvature.
      let (q, newtonIterations) = NewtonPolish(robot: robot, residual: residual).polish(
        result.jointValues, iterations: budget - iterations)
      iterations += newtonIterations
      result = Solution(
        robot: robot, target: residual.target, jointValues: q, tolerance: options.tolerance,
        iterations: iterations, solver: .levenbergMarquardt)
      return result
    }
    guard var result = best else { throw .numerical("Levenberg–Marquardt ran no pass") }
    result.iterations = iterations
    return result
  }

  /// A pull towards a configuration: for a redundant arm, which reaches a target along a family of
  /// configurations, the extra residual rows `weight · (q − configuration)` pick the member nearest
  /// it (damped least squares), instead of wherever the iterates drift.
  package struct Anchor {
    package var configuration: [Double]
    /// Metres of residual per radian (or metre) of joint offset.
    package var weight: Double

    package init(configuration: [Double], weight: Double) {
      self.configuration = configuration
      self.weight = weight
    }
  }

  /// The anchor's weight: small enough that the anchored optimum lies within a few micrometres of
  /// the target, so the polish that follows barely moves it.
  static let anchorWeight = 1e-3

  /// One start that stays near `start` on a redundant arm: an anchored minimisation, then the
  /// usual local solve from its result to reach the target exactly; at most `budget` iterations.
  /// On an arm with no more joints than the target fixes, the same as
  /// ``refine(_:from:budget:cutsStalls:)`` with `cutsStalls: false`.
  func refineNear(_ target: IKTarget, from start: [Double], budget: Int) throws(IKError) -> Solution {
    try nearRefinement(target, from: start, budget: budget).solution
  }

  /// ``refineNear(_:from:budget:)``, and how sure its answer is to be the nearest: the
  /// ``NearestProjection``'s predicted distance when its Newton steps gave the answer, `nil` when
  /// the anchored solve did (the steps did not converge: a start far from the target, or near a
  /// singularity); and the residual's Jacobian at the start (clamped into the limits), which the
  /// steps evaluated first, for ``singularity(_:jacobian:nearerThan:)``.
  func nearRefinement(_ target: IKTarget, from start: [Double], budget: Int) throws(IKError)
    -> (solution: Solution, predictedDistance: Double?, startJacobian: [Double]?)
  {
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    // A target that moved a little from where the robot is: Newton steps from the start land on
    // the nearest reaching configuration without a general solve's set-up.
    let projection = NearestProjection(
      robot: robot, residual: residual, targetCost: targetCost, maxSteps: min(12, budget))
    let projected = projection.project(from: start)
    if let q = projected.q {
      let solution = Solution(
        robot: robot, target: target, jointValues: q, tolerance: options.tolerance,
        iterations: projected.steps, solver: .levenbergMarquardt)
      if solution.reachable { return (solution, projected.predictedDistance, projected.startJacobian) }
    }
    var anchored = try anchoredRefinement(residual, from: start, budget: max(1, budget - projected.steps))
    anchored.iterations += projected.steps
    // A start pressed against limits (where an answer out of reach left the arm, stretched into a
    // corner of them) whose target came back within reach: the joints at a limit often have to
    // move away from it, along a direction whose first-order effect vanishes there (the Panda's
    // elbow, straight at its limit), so the steps from the start stay in the corner. From the
    // start with those joints moved off their limits they reach, and the answer then slides back
    // along the reaching family towards the start, within what is left of the budget.
    var spent = anchored.iterations
    guard !anchored.reachable, spent < budget, let probe = offTheLimits(start) else {
      return (anchored, nil, projected.startJacobian)
    }
    let fromProbe = NearestProjection(
      robot: robot, residual: residual, targetCost: targetCost, maxSteps: min(12, budget - spent)
    ).project(from: probe)
    spent += fromProbe.steps
    var reached = fromProbe.q.map {
      Solution(
        robot: robot, target: target, jointValues: $0, tolerance: options.tolerance, iterations: 0,
        solver: .levenbergMarquardt)
    }
    if reached?.reachable != true, spent < budget {
      let again = try anchoredRefinement(residual, from: probe, budget: budget - spent)
      spent += again.iterations
      reached = again
    }
    guard var reached, reached.reachable else {
      anchored.iterations = spent
      return (anchored, nil, projected.startJacobian)
    }
    let (slid, steps) = slideNearest(
      target, from: start, along: reached.jointValues, maxSteps: max(0, min(30, budget - spent)))
    spent += steps
    if let slid, distance(slid.jointValues, start) < distance(reached.jointValues, start) { reached = slid }
    reached.iterations = spent
    return (reached, nil, projected.startJacobian)
  }

  /// How far a joint at a limit is moved off it for ``nearRefinement(_:from:budget:)``'s second
  /// try: radians, or metres for a prismatic joint (then at most a quarter of its range).
  static let offLimitStep = 0.2

  /// `start` (clamped into the limits) with every joint within a thousandth of its range of a
  /// limit moved ``offLimitStep`` off it; `nil` when no joint is at a limit.
  func offTheLimits(_ start: [Double]) -> [Double]? {
    var probe = robot.clampedToLimits(start)
    var moved = false
    for (index, joint) in robot.movableJoints.enumerated() {
      guard let limits = joint.limits, limits.range > 0 else { continue }
      let contact = 1e-3 * limits.range
      let step = joint.type == .prismatic ? min(Self.offLimitStep, limits.range / 4) : Self.offLimitStep
      if probe[index] - limits.lower < contact {
        probe[index] = min(limits.lower + step, limits.upper)
        moved = true
      } else if limits.upper - probe[index] < contact {
        probe[index] = max(limits.upper - step, limits.lower)
        moved = true
      }
    }
    return moved ? probe : nil
  }

  /// The anchored solve of ``refineNear(_:from:budget:)``, then slides along the reaching family
  /// towards the start.
  private func anchoredRefinement(_ residual: PoseResidual, from start: [Double], budget: Int) throws(IKError)
    -> Solution
  {
    var q = robot.clampedToLimits(start)
    guard robot.degreesOfFreedom > residual.count, budget > 1 else {
      return try solveLocally(residual, from: q, budget: max(1, budget), cutsStalls: false)
    }
    let pinned = robot.movableJoints.map { ($0.limits?.range ?? 1) == 0 }
    let anchored = try minimize(
      residual, q: &q, pinned: pinned, reparameterized: true,
      maxIterations: min(options.maxIterations, budget / 2),
      anchor: Anchor(configuration: q, weight: Self.anchorWeight))
    var spent = anchored
    var result = try solveLocally(residual, from: q, budget: max(1, budget - spent), cutsStalls: false)
    spent += result.iterations
    // Reached: slide along the reaching family towards the start, a polish after each step,
    // keeping each step only if it still reaches and comes nearer.
    let anchor = robot.clampedToLimits(start)
    let slide = NullSpaceStep(residual: residual)
    for _ in 0..<3 where result.reachable && spent < budget {
      let stepped = slide.step(from: result.jointValues, towards: anchor, robot: robot)
      let polished = try solveLocally(
        residual, from: stepped, budget: max(1, min(30, budget - spent)), cutsStalls: false)
      spent += polished.iterations
      // Kept only when it reaches as exactly as the answer it replaces, and comes nearer.
      let exactEnough =
        polished.cost(rotationWeight: options.rotationWeight)
        <= max(result.cost(rotationWeight: options.rotationWeight), targetCost)
      guard polished.reachable, exactEnough,
        distance(polished.jointValues, anchor) < distance(result.jointValues, anchor) - 1e-12
      else { break }
      result = polished
    }
    // The slide's polishes stop a little short of the nearest member (about 0.01 rad on the
    // Panda): Newton steps from the answer along its branch finish it.
    if result.reachable {
      let (slid, steps) = slideNearest(
        residual.target, from: start, along: result.jointValues, maxSteps: max(0, min(30, budget - spent)))
      spent += steps
      if let slid, distance(slid.jointValues, anchor) < distance(result.jointValues, anchor) { result = slid }
    }
    result.iterations = spent
    return result
  }

  /// The member of `reaching`'s branch of a redundant arm's self-motion nearest `start`:
  /// ``NearestProjection`` steps from `reaching`, at most `maxSteps`; `nil` when they do not
  /// converge or it does not reach. The steps are counted either way.
  func slideNearest(_ target: IKTarget, from start: [Double], along reaching: [Double], maxSteps: Int = 30)
    -> (solution: Solution?, steps: Int)
  {
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    guard robot.degreesOfFreedom > residual.count else { return (nil, 0) }
    let projection = NearestProjection(
      robot: robot, residual: residual, targetCost: targetCost, maxSteps: maxSteps)
    let projected = projection.project(from: start, initial: reaching)
    guard let q = projected.q else { return (nil, projected.steps) }
    let solution = Solution(
      robot: robot, target: target, jointValues: q, tolerance: options.tolerance, iterations: projected.steps,
      solver: .levenbergMarquardt)
    return (solution.reachable ? solution : nil, projected.steps)
  }

  /// What `target`'s residual Jacobian at `q` says of the singularity nearest it: the joint
  /// direction and how near (``/NeuralIKCore/SingularDirection/find(jacobian:rows:columns:nearerThan:)``);
  /// `nil` for a tool-axis target, whose residual is a rank short everywhere.
  func singularity(_ target: IKTarget, at q: [Double], nearerThan threshold: Double = .infinity)
    -> SingularDirection.Finding?
  {
    guard target.axis == nil else { return nil }
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    residual.evaluate(at: q, residual: &residualScratch, jacobian: &jacobianScratch, scratch: &scratch)
    return singularity(target, jacobian: jacobianScratch, nearerThan: threshold)
  }

  /// As ``singularity(_:at:nearerThan:)``, from the residual's Jacobian there (row-major, the
  /// residual's rows × joints, this solver's rotation weight) already at hand.
  func singularity(_ target: IKTarget, jacobian: [Double], nearerThan threshold: Double = .infinity)
    -> SingularDirection.Finding?
  {
    guard target.axis == nil else { return nil }
    return SingularDirection.find(
      jacobian: jacobian, rows: target.residualCount, columns: robot.degreesOfFreedom, nearerThan: threshold)
  }

  /// The reaching configuration nearest `probe` (``NearestProjection`` steps from it), slid along
  /// its branch of the self-motion to the member nearest `start` (``slideNearest(_:from:along:maxSteps:)``):
  /// possibly a branch other than the one the steps from `start` itself settle on. `nil` when the steps
  /// from the probe do not converge; at most `budget` steps, counted either way.
  func projectThenSlide(_ target: IKTarget, from start: [Double], via probe: [Double], budget: Int)
    -> (solution: Solution?, steps: Int)
  {
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    guard budget > 0 else { return (nil, 0) }
    let projection = NearestProjection(
      robot: robot, residual: residual, targetCost: targetCost, maxSteps: min(12, budget))
    let projected = projection.project(from: probe)
    guard let q = projected.q else { return (nil, projected.steps) }
    return nearerOfItAndItsSlide(target, from: start, landedAt: q, spent: projected.steps, budget: budget)
  }

  /// `q`, if it reaches, or the member its slide towards `start` reaches
  /// (``slideNearest(_:from:along:maxSteps:)``, at most 30 steps within `budget`), whichever is
  /// nearer `start`; `nil` when neither reaches. `spent` steps were used to land at `q`; the
  /// answer counts them with the slide's.
  private func nearerOfItAndItsSlide(
    _ target: IKTarget, from start: [Double], landedAt q: [Double], spent: Int, budget: Int
  ) -> (solution: Solution?, steps: Int) {
    let landed = Solution(
      robot: robot, target: target, jointValues: q, tolerance: options.tolerance, iterations: 0,
      solver: .levenbergMarquardt)
    let (slid, steps) = slideNearest(target, from: start, along: q, maxSteps: min(30, budget - spent))
    var best = landed.reachable ? landed : nil
    // A slide that stops short can end farther than it began.
    if let slid,
      distance(slid.jointValues, start) < best.map({ distance($0.jointValues, start) }) ?? .infinity
    {
      best = slid
    }
    best?.iterations = spent + steps
    return (best, spent + steps)
  }

  /// A member of `reaching`'s curve of self-motion nearer `start` than `reaching` (and than
  /// `bar`): the nearest point of a walk along the curve both ways (``SelfMotionWalk``), or the
  /// member a slide from there reaches if nearer still; `nil` where the walk finds none nearer, or
  /// the curve is not one-dimensional (see ``SelfMotionWalk``). At most `budget` evaluations and
  /// steps, counted either way.
  func walkNearer(
    _ target: IKTarget, from start: [Double], along reaching: [Double], below bar: Double? = nil, budget: Int
  ) -> (solution: Solution?, iterations: Int) {
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    let walk = SelfMotionWalk(
      robot: robot, residual: residual, targetCost: targetCost, maximumEvaluations: budget)
    let (walkedTo, evaluations) = walk.nearer(than: reaching, to: start, below: bar)
    guard let walkedTo else { return (nil, evaluations) }
    let (best, spent) = nearerOfItAndItsSlide(
      target, from: start, landedAt: walkedTo, spent: evaluations, budget: budget)
    return (best, spent)
  }

  /// `target`'s curves of self-motion inside the limits through the configurations nearest
  /// `seeds` (``NearestProjection`` from each), each sampled at most `spacing` apart
  /// (``SelfMotionWalk/samples(from:spacing:most:covered:includesStart:)``); a seed that lands within `spacing` (largest
  /// joint change) of a sample already taken adds nothing. At most `most` configurations, in
  /// stretches along the curves, grown about every seed alike. Empty unless the arm has one degree of redundancy for the target
  /// (seven joints and a pose). With `beside`, configurations sampled already (of this target):
  /// a seed within `spacing` of one adds nothing, and a walk that meets one stops there, so the
  /// result holds only what they lack. With `holdingLimits`, a seed with joints within that of
  /// their limits is first projected with them held on the limits: where a path rides two limits
  /// at once, its configuration can be a point of the curve alone inside the limits, which a free
  /// projection, landing on the nearest member, passes by for one along the curve.
  func selfMotionSamples(
    _ target: IKTarget, seeds: [[Double]], spacing: Double, most: Int, beside sampled: [[Double]] = [],
    holdingLimits nearLimit: Double? = nil
  ) -> [[Double]] {
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    guard robot.degreesOfFreedom == residual.count + 1, target.axis == nil else { return [] }
    let projection = NearestProjection(robot: robot, residual: residual, targetCost: targetCost, maxSteps: 12)
    // Each sample costs a step along the curve and a few corrections.
    let walk = SelfMotionWalk(
      robot: robot, residual: residual, targetCost: targetCost, maximumEvaluations: 8 * most)
    // Walked in full one after another, the first seed's curve (long, where it runs between
    // limits) took all 2,048 samples at 34 targets of a Gen3-like path, and the stretch the layer
    // before handed on, on another curve, had none: the plan stepped 0.065 where the path steps
    // 0.025. So the curves grow about every seed evenly: each seed's walk gets an equal share,
    // then the ways cut short go on, each with an equal share of the rest, round after round; a
    // way stops where it meets a stretch sampled already.
    var samples: [[Double]] = []
    var covered = CoverageGrid(near: spacing / 2, joints: robot.degreesOfFreedom, distance: distance)
    covered.insert(contentsOf: sampled)
    var ends: [[Double]] = []
    let joints = robot.movableJoints
    // A reaching configuration projects onto itself: held projections go in as seeds. A joint
    // that cannot move (a lock) is held anyway.
    let heldSeeds: [[Double]] = seeds.compactMap { seed in
      guard let nearLimit else { return nil }
      var held = projection
      var start = seed
      held.heldJoints = joints.indices.map { joint in
        guard let limits = joints[joint].limits, limits.range > 0 else { return false }
        if seed[joint] <= limits.lower + nearLimit { start[joint] = limits.lower }
        if seed[joint] >= limits.upper - nearLimit { start[joint] = limits.upper }
        return start[joint] != seed[joint] || seed[joint] == limits.lower || seed[joint] == limits.upper
      }
      guard held.heldJoints.contains(true) else { return nil }
      return held.project(from: start).q
    }
    let share = max(1, most / max(1, heldSeeds.count + seeds.count))
    for seed in heldSeeds + seeds where samples.count < most {
      guard let q = projection.project(from: seed).q,
        !samples.contains(where: { distance.largestChange($0, q) <= spacing }),
        !sampled.contains(where: { distance.largestChange($0, q) <= spacing })
      else { continue }
      let stretch = walk.samples(
        from: q, spacing: spacing, most: min(share, most - samples.count), covered: covered)
      samples += stretch.samples
      covered.insert(contentsOf: stretch.samples)
      ends += stretch.cutEnds
    }
    while !ends.isEmpty, samples.count < most {
      let before = samples.count
      let share = max(1, (most - samples.count) / ends.count)
      var cut: [[Double]] = []
      for end in ends where samples.count < most {
        let stretch = walk.samples(
          from: end, spacing: spacing, most: min(share, most - samples.count), covered: covered,
          includesStart: false)
        samples += stretch.samples
        covered.insert(contentsOf: stretch.samples)
        cut += stretch.cutEnds
      }
      guard samples.count > before else { break }
      ends = cut
    }
    return samples
  }

  /// Whether `q` is a first-order stationary point of the cost within the limits: for every joint
  /// the gradient of ½‖f‖² is zero (its column and the residual at most a millionth from
  /// orthogonal) or pushes against the limit the joint sits on.
  func isStationary(_ target: IKTarget, at q: [Double]) -> Bool {
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    residual.evaluate(at: q, residual: &residualScratch, jacobian: &jacobianScratch, scratch: &scratch)
    let n = robot.degreesOfFreedom
    var residualNorm = 0.0
    for row in 0..<residual.count { residualNorm += residualScratch[row] * residualScratch[row] }
    residualNorm = residualNorm.squareRoot()
    for (index, joint) in robot.movableJoints.enumerated() {
      var gradient = 0.0
      var columnNorm = 0.0
      for row in 0..<residual.count {
        let entry = jacobianScratch[row * n + index]
        gradient += entry * residualScratch[row]
        columnNorm += entry * entry
      }
      if abs(gradient) <= 1e-6 * residualNorm * columnNorm.squareRoot() + 1e-300 { continue }
      // ∂(½‖f‖²)/∂qᵢ > 0: the cost falls as qᵢ falls, which only a lower limit stops.
      guard let limits = joint.limits else { return false }
      let blocked = gradient > 0 ? q[index] <= limits.lower : q[index] >= limits.upper
      if !blocked { return false }
    }
    return true
  }

  /// Pins joints that sit near a limit with the cost's gradient pushing outwards; releases pinned
  /// joints whose gradient points back inside. Returns whether the set changed.
  private func updateActiveSet(_ residual: PoseResidual, q: inout [Double], pinned: inout [Bool])
    -> Bool
  {
    residual.evaluate(
      at: q, residual: &residualScratch, jacobian: &jacobianScratch, scratch: &scratch)
    let n = robot.degreesOfFreedom
    var changed = false
    for (index, joint) in robot.movableJoints.enumerated() {
      guard let limits = joint.limits, limits.range > 0 else { continue }
      // ∂(½‖f‖²)/∂qᵢ; a positive value means lowering qᵢ lowers the cost.
      var gradient = 0.0
      for row in 0..<residual.count {
        gradient += jacobianScratch[row * n + index] * residualScratch[row]
      }
      let window = 0.02 * limits.range
      if pinned[index] {
        let atLower = q[index] == limits.lower
        if (atLower && gradient < 0) || (!atLower && gradient > 0) {
          pinned[index] = false
          // Step off the bound: sin(u) has zero slope there, and the solve would not move.
          q[index] = atLower ? limits.lower + window / 2 : limits.upper - window / 2
          changed = true
        }
      } else if q[index] - limits.lower < window && gradient > 0 {
        q[index] = limits.lower
        pinned[index] = true
        changed = true
      } else if limits.upper - q[index] < window && gradient < 0 {
        q[index] = limits.upper
        pinned[index] = true
        changed = true
      }
    }
    return changed
  }

  /// Minimises over the unpinned joints, writing the result into `q`; returns the iterations.
  /// With `cutsStalls`, a pass that stalls short of the target stops (see
  /// ``solveLocally(_:from:budget:cutsStalls:)``).
  private func minimize(
    _ residual: PoseResidual, q: inout [Double], pinned: [Bool], reparameterized: Bool, maxIterations: Int,
    anchor: Anchor? = nil, cutsStalls: Bool = false
  ) throws(IKError) -> Int {
    let initial = problem.prepare(
      residual, q: q, pinned: pinned, reparameterize: reparameterized, anchor: anchor)
    guard problem.unknownCount > 0 else { return 0 }
    let n = problem.rowCount
    let key = n * 1000 + problem.unknownCount
    let workspace: GSLLeastSquares
    if let cached = workspaces[key] {
      workspace = cached
    } else {
      workspace = try GSLLeastSquares(residualCount: n, parameterCount: problem.unknownCount)
      workspaces[key] = workspace
    }
    // Anchored, the cost never falls to the target: it settles, and must be let settle.
    let result = try workspace.minimize(
      from: initial, maxIterations: maxIterations, targetCost: targetCost,
      stallCost: anchor == nil && cutsStalls ? stallCost : .infinity, stepTolerance: 1e-14,
      gradientTolerance: 1e-20, problem: problem)
    problem.write(result.x, into: &q)
    return result.iterations
  }

  /// The squared residual at which a solve stops: a thousandth of the reach tolerance.
  private var targetCost: Double {
    let tolerance = options.tolerance.position * 1e-3
    return tolerance * tolerance
  }

  /// The squared residual above which a minimisation that stops halving its cost is cut short
  /// (``GSLLeastSquares/minimize(from:maxIterations:targetCost:stallCost:stepTolerance:gradientTolerance:problem:)``):
  /// a near miss's, below which the iterates are closing in on the target and
  /// ``finishedNearMiss(_:_:budget:)`` would finish them anyway.
  private var stallCost: Double {
    let nearMiss = options.tolerance.position * Self.nearMissFactor
    return nearMiss * nearMiss
  }

  /// The weighted squared residual at a configuration.
  private static func cost(
    _ residual: PoseResidual, _ q: [Double], _ options: LevenbergMarquardtOptions
  ) -> Double {
    var f = Array(repeating: 0.0, count: residual.count)
    residual.evaluate(at: q, into: &f)
    return f.reduce(0) { $0 + $1 * $1 }
  }

  static func sameConfiguration(_ a: [Double], _ b: [Double]) -> Bool {
    zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }
  }

  /// A stable per-target seed, so a solve's restarts do not depend on earlier solves.
  static func hash(_ target: IKTarget) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    var values = [target.position.x, target.position.y, target.position.z]
    if let q = target.orientation { values += [q.w, q.x, q.y, q.z] }
    if let axis = target.axis {
      values += [
        axis.toolAxis.x, axis.toolAxis.y, axis.toolAxis.z, axis.direction.x, axis.direction.y,
        axis.direction.z,
      ]
    }
    for value in values {
      h = (h ^ value.bitPattern) &* 0x100_0000_01B3
    }
    return h
  }
}
