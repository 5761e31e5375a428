/// Settings of ``LevenbergMarquardtSolver``, read off a ``SolverSpecification``.
struct LevenbergMarquardtOptions: Sendable, Hashable {
  /// When a solution counts as reaching its target.
  var tolerance: ReachTolerance = .exact
  /// Metres of position error that weigh as much as one radian of rotation error.
  var rotationWeight: Double = PoseResidual.defaultRotationWeight
  /// Iterations allowed for one local solve (one start, one active set).
  var maxIterations: Int = 100
  /// Iterations allowed for one start in all (its active-set rounds and polishing together).
  var startIterationBudget: Int = 200
  /// Iterations allowed for one solve in all, over its start and restarts.
  var iterationBudget: Int = 2000
  /// Extra starts drawn at random within the limits when a start does not reach the target.
  /// Out of reach, every restart runs, since no local test can tell the closest point.
  var randomRestarts: Int = 0
  /// Seed of the restarts; each solve derives its own stream from it and the target.
  var seed: UInt64 = 1
  /// Seconds of wall-clock time after which no further start begins; `nil` for no limit.
  var timeBudget: Double?

  init() {}

  init(_ specification: SolverSpecification, rotationWeight: Double) {
    tolerance = specification.tolerance
    self.rotationWeight = rotationWeight
    maxIterations = specification.maxIterations
    startIterationBudget = specification.startIterationBudget
    iterationBudget = specification.iterationBudget
    randomRestarts = specification.randomRestarts
    seed = specification.seed
    timeBudget = specification.timeBudget
  }
}
