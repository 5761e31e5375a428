/// Settings of ``LevenbergMarquardtSolver``.
public struct LevenbergMarquardtOptions: Sendable, Hashable {
  /// When a solution counts as reaching its target.
  public var tolerance: ReachTolerance
  /// Metres of position error that weigh as much as one radian of rotation error.
  public var rotationWeight: Double
  /// Iterations allowed for one local solve (one start, one active set).
  public var maxIterations: Int
  /// Iterations allowed for one start in all (its active-set rounds and polishing together);
  /// `nil` for no limit beyond ``maxIterations`` per pass. A small budget makes a start that is
  /// not converging give up early, for a caller with other starts to try.
  public var iterationBudget: Int?
  /// Extra starts drawn at random within the limits when a start does not reach the target.
  /// Out of reach, every restart runs, since no local test can tell the closest point.
  public var randomRestarts: Int
  /// Seed of the restarts; each solve derives its own stream from it and the target.
  public var seed: UInt64
  /// Seconds of wall-clock time after which no further start begins (the first always runs to
  /// its end); `nil` for no limit. A budget makes results depend on the machine's speed for the
  /// hard targets that need it, so benchmarks state it.
  public var timeBudget: Double?

  public init(
    tolerance: ReachTolerance = .exact, rotationWeight: Double = PoseResidual.defaultRotationWeight,
    maxIterations: Int = 200, iterationBudget: Int? = nil, randomRestarts: Int = 0, seed: UInt64 = 1,
    timeBudget: Double? = nil
  ) {
    self.iterationBudget = iterationBudget
    self.tolerance = tolerance
    self.rotationWeight = rotationWeight
    self.maxIterations = maxIterations
    self.randomRestarts = randomRestarts
    self.seed = seed
    self.timeBudget = timeBudget
  }
}
