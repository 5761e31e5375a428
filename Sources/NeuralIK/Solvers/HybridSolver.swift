/// The solver the package is named for: the network's guesses refined by GSL's
/// Levenberg–Marquardt to numerical precision.
///
/// All heads propose in one forward pass. Every proposal, best first, gets a short refinement
/// (``quickIterations``): a good guess converges in a handful of iterations, and one that does not
/// is usually stuck against a joint limit, where more iterations rarely help. Only when no short
/// refinement reaches the target do the refinements continue without that limit, best first, then
/// from ``randomRestarts`` seeded random starts. Out of reach, every start runs and the closest
/// result wins. Inside the limits always. With a ``LevenbergMarquardtOptions/timeBudget``, no
/// start begins after it is spent: the answer is then the best found so far.
public final class HybridSolver: IKSolver {
  public let robot: RobotModel
  public let network: NetworkSolver
  private let refiner: LevenbergMarquardtSolver
  private let quickRefiner: LevenbergMarquardtSolver
  /// Iterations of each proposal's first, short refinement.
  public static let quickIterations = 20

  /// Values of a redundant arm's free joint whose proposals start the refinements, unless the
  /// caller says otherwise: a refinement needs one good start, not the network-only solver's best
  /// of many, and each value costs a network pass (Docs/Accuracy.md measures the trade).
  public static let defaultFreeJointSamples = 2

  /// - Parameters:
  ///   - freeJointSamples: values of the network's free joint tried per target (see
  ///     ``FreeJoint``); ignored for a network without one.
  /// - Throws: ``ModelFileError/wrongRobot(expected:found:)`` when the network is for another robot.
  public init(
    robot: RobotModel, network: IKNetwork, options: LevenbergMarquardtOptions = .init(randomRestarts: 2),
    freeJointSamples: Int = defaultFreeJointSamples
  ) throws(ModelFileError) {
    self.robot = robot
    self.network = try NetworkSolver(
      robot: robot, network: network.with(freeJointSamples: max(1, freeJointSamples)),
      tolerance: options.tolerance)
    // The restarts run here, after the heads, not inside each refinement.
    var refinement = options
    refinement.randomRestarts = 0
    refinement.timeBudget = nil
    self.refiner = LevenbergMarquardtSolver(robot: robot, options: refinement)
    refinement.iterationBudget = min(options.iterationBudget ?? .max, Self.quickIterations)
    self.quickRefiner = LevenbergMarquardtSolver(robot: robot, options: refinement)
    self.restarts = options.randomRestarts
    self.seed = options.seed
    self.timeBudget = options.timeBudget
  }

  private let restarts: Int
  private let seed: UInt64
  private let timeBudget: Double?

  /// The best solution; `initialGuess` is checked but the network provides the starts.
  public func solve(_ target: IKTarget, from initialGuess: [Double]) throws(IKError) -> Solution {
    try robot.checkConfiguration(initialGuess)
    return try refine(target, stopAtFirstReach: true).first!
  }

  /// Every distinct solution found from every head (and restart), best first: the branches.
  public func allSolutions(for target: IKTarget) throws(IKError) -> [Solution] {
    try refine(target, stopAtFirstReach: false)
  }

  private func refine(_ target: IKTarget, stopAtFirstReach: Bool) throws(IKError) -> [Solution] {
    let deadline = Deadline(seconds: timeBudget)
    var found: [Solution] = []
    var iterations = 0
    func record(_ candidate: Solution) {
      var solution = candidate
      iterations += solution.iterations
      solution.solver = .hybrid
      if !found.contains(where: { Self.sameConfiguration($0.jointValues, solution.jointValues) }) {
        found.append(solution)
      }
    }
    func finish() -> [Solution] {
      found.sort { NetworkSolver.cost($0) < NetworkSolver.cost($1) }
      if stopAtFirstReach { found[0].iterations = iterations }
      return stopAtFirstReach
        ? [found[0]] : (found.contains(where: \.reachable) ? found.filter(\.reachable) : [found[0]])
    }
    var starts = try network.rankedProposals(for: target)
    if stopAtFirstReach {
      var shortResults: [Solution] = []
      for start in starts {
        if !shortResults.isEmpty && deadline.hasPassed { break }
        let solution = try quickRefiner.solve(target, from: start)
        if solution.reachable {
          // Every short refinement's iterations count, not only the one that reached.
          iterations = shortResults.reduce(0) { $0 + $1.iterations }
          record(solution)
          return finish()
        }
        shortResults.append(solution)
      }
      // Continue the short refinements where they stopped, closest first.
      starts = shortResults.sorted { NetworkSolver.cost($0) < NetworkSolver.cost($1) }.map(\.jointValues)
      iterations = shortResults.reduce(0) { $0 + $1.iterations }
    }
    var generator = SplitMix64(seed: seed ^ LevenbergMarquardtSolver.hash(target))
    for _ in 0..<restarts { starts.append(robot.randomConfiguration(using: &generator)) }
    for start in starts {
      if !found.isEmpty && deadline.hasPassed { break }
      record(try refiner.solve(target, from: start))
      if stopAtFirstReach && found.last!.reachable { break }
    }
    return finish()
  }

  static func sameConfiguration(_ a: [Double], _ b: [Double]) -> Bool {
    zip(a, b).allSatisfy { abs($0 - $1) < 1e-6 }
  }
}
