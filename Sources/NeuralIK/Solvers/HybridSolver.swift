/// The solver the package is named for: the network's guesses refined by GSL's
/// Levenberg–Marquardt to numerical precision, with the plain `lm` solve as its fallback.
///
/// All heads propose in one forward pass. When the caller says where the robot is, under the
/// ``SolutionPreference/nearestToStart`` preference (the default), that start goes before them. Every start, best first, gets a
/// short refinement
/// (``SolverSpecification/quickIterations``): a good guess converges in a handful of iterations.
/// When none reaches the target, the short refinements continue, closest first, until
/// ``SolverSpecification/proposalIterationBudget`` is spent. When that fails too, the hybrid runs
/// exactly the `lm` solve of its specification (the caller's start, then the seeded restarts), so
/// it reaches every target that `lm` reaches. Out of reach, the closest result of all wins. A
/// target of the other kind than the network was trained for (a position for a pose model) has no
/// proposals: the hybrid answers it with that `lm` solve.
/// Inside the limits always.
final class HybridSolver: IKSolver {
  let robot: RobotModel
  let network: NetworkSolver
  private let lm: LevenbergMarquardtSolver
  private let specification: SolverSpecification
  private let rotationWeight: Double

  /// Composes the proposer and the refiner that ``SolverFactory`` built from one specification:
  /// `lm` is exactly the `lm` solver of `specification`.
  init(
    network: NetworkSolver, lm: LevenbergMarquardtSolver, specification: SolverSpecification,
    rotationWeight: Double
  ) {
    self.robot = network.robot
    self.network = network
    self.lm = lm
    self.specification = specification
    self.rotationWeight = rotationWeight
  }

  /// The first solution that reaches the target, or out of reach the closest found.
  func solve(_ target: IKTarget, from initialGuess: [Double]) throws(IKError) -> Solution {
    try solve(target, from: initialGuess, nearStart: false)
  }

  /// As ``solve(_:from:)``; with `nearStart` (a caller who said where the robot is, under the
  /// nearest preference), the start is refined first, and the fallback is `lm`'s near-start solve.
  func solve(_ target: IKTarget, from initialGuess: [Double], nearStart: Bool) throws(IKError) -> Solution {
    try robot.checkConfiguration(initialGuess)
    let deadline = Deadline(seconds: specification.timeBudget)
    let budget = specification.proposalIterationBudget
    var spent = 0
    var short: [Solution] = []
    // A proposal that fails to refine (a GSL failure on a degenerate start) costs the hybrid that
    // start only: the fallback below still runs, as `lm` alone would. A target of the other kind
    // than the network's (a position for a pose model) has no proposals and goes to the fallback.
    if nearStart {
      // Where the robot is comes first: a target that moved a little from the last one converges
      // from there in a few iterations, on the branch the robot is on (and, on a redundant arm,
      // the member of its family nearest the start), and the network's proposals, which know
      // nothing of the start, only follow when it does not.
      if let solution = try? lm.refineNear(
        target, from: initialGuess, budget: min(2 * specification.quickIterations, budget))
      {
        spent += solution.iterations
        if solution.reachable { return finish(solution, iterations: spent) }
        short.append(solution)
      }
    }
    let proposals = target.kind == network.network.targetKind ? try network.rankedProposals(for: target) : []
    for start in proposals {
      if spent >= budget || (short.count > 1 && deadline.hasPassed) { break }
      guard
        let solution = try? lm.refine(
          target, from: start, budget: min(specification.quickIterations, budget - spent))
      else { continue }
      spent += solution.iterations
      if solution.reachable { return finish(solution, iterations: spent) }
      short.append(solution)
    }
    var candidates = short
    for previous in short.stableSorted(by: { cost($0) < cost($1) }) {
      if spent >= budget || deadline.hasPassed { break }
      guard
        let solution = try? lm.refine(
          target, from: previous.jointValues,
          budget: min(specification.startIterationBudget, budget - spent))
      else { continue }
      spent += solution.iterations
      if solution.reachable { return finish(solution, iterations: spent) }
      candidates.append(solution)
    }
    let fallback = try lm.solve(target, from: initialGuess, nearStart: nearStart)
    spent += fallback.iterations
    // Only unreached candidates are left, so a reached fallback always wins.
    let best = candidates.reduce(fallback) { $1.isBetter(than: $0, rotationWeight: rotationWeight) ? $1 : $0 }
    return finish(best, iterations: spent)
  }

  /// Every distinct solution from every proposal and every `lm` start, in the order found, and the
  /// iterations spent on all of them.
  func allSolutions(for target: IKTarget, from initialGuess: [Double], nearStart: Bool) throws(IKError)
    -> (solutions: [Solution], iterations: Int)
  {
    try robot.checkConfiguration(initialGuess)
    let deadline = Deadline(seconds: specification.timeBudget)
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
    let proposals = target.kind == network.network.targetKind ? try network.rankedProposals(for: target) : []
    for start in proposals {
      if spent >= budget || (!found.isEmpty && deadline.hasPassed) { break }
      guard
        let solution = try? lm.refine(
          target, from: start, budget: min(specification.startIterationBudget, budget - spent))
      else { continue }
      spent += solution.iterations
      record(solution)
    }
    let fallback = try lm.allSolutions(for: target, from: initialGuess, nearStart: nearStart)
    for solution in fallback.solutions { record(solution) }
    return (found, spent + fallback.iterations)
  }

  private func cost(_ solution: Solution) -> Double { solution.cost(rotationWeight: rotationWeight) }

  private func finish(_ solution: Solution, iterations: Int) -> Solution {
    var result = solution
    result.iterations = iterations
    result.solver = .hybrid
    return result
  }
}
