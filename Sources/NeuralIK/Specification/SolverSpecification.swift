/// Everything that decides how a target is solved: the solver kind and each of its options.
///
/// One specification builds one solver through ``SolverFactory``; `neural-ik solve`, `serve`, the
/// library's ``Solver`` and every benchmark build theirs this way, so the defaults below are the
/// settings that the published numbers were measured with (Docs/Benchmark.md).
///
/// **The iteration budget.** A solve never runs more than ``maximumIterations`` Levenberg–
/// Marquardt iterations in all (Newton steps out of reach included): `lm` spends at most
/// ``iterationBudget`` over its start and restarts, each start at most ``startIterationBudget``;
/// the hybrid first spends at most ``proposalIterationBudget`` on the network's proposals and,
/// when none reaches the target, runs exactly the `lm` solve of this specification. The hybrid
/// therefore reaches every target that `lm` reaches.
public struct SolverSpecification: Sendable, Hashable, Codable {
  /// The solver; `nil` picks one for the robot (see ``SolverFactory/resolvedKind(for:network:specification:)``).
  public var kind: SolverKind?
  /// When a solution counts as reaching its target (metres, radians).
  public var tolerance: ReachTolerance
  /// Iterations of one local minimisation (one start, one set of joints pinned on limits).
  public var maxIterations: Int
  /// Iterations of one start in all: its active-set rounds and polishing together.
  public var startIterationBudget: Int
  /// Iterations of an `lm` solve in all, over its start and its restarts.
  public var iterationBudget: Int
  /// Iterations the hybrid spends refining the network's proposals before it falls back to the
  /// `lm` solve.
  public var proposalIterationBudget: Int
  /// Iterations of each proposal's first, short refinement in the hybrid: a good guess converges
  /// in a handful, and one that does not is usually stuck against a joint limit.
  public var quickIterations: Int
  /// Starts drawn at random inside the limits after the first start misses the target, as many
  /// as ``iterationBudget`` allows (it keeps a tenth, at most ``startIterationBudget``, to finish a
  /// near miss). 64 by default. When it was 32: with 8, `lm` missed 0.5% of 2,000 reachable Panda
  /// and UR5 poses and 1.25% on a six-joint arm without a closed form (an xArm 6 in shape), with
  /// 32 0.05% of each, at a third more time on targets out of reach, where every start runs.
  /// From a caller's start under the nearest preference, four starts near it come first, in
  /// addition to these (none when this is 0; Docs/Solvers.md).
  public var randomRestarts: Int
  /// Seed of those restarts; each solve derives its own stream from it and the target.
  public var seed: UInt64
  /// Values of a redundant arm's free joint that the network proposes at, per target; `nil` for
  /// the solver's own default (the hybrid: ``SolverSpecification/hybridFreeJointSamples``; the
  /// network alone: the model's stored count).
  public var freeJointSamples: Int?
  /// Seconds after which no further start begins (the first always runs to its end); `nil` for
  /// none. The default is none: a time budget makes answers depend on the machine's speed.
  public var timeBudget: Double?
  /// Which of the solutions found comes first.
  public var preference: SolutionPreference
  /// Search for every distinct solution (every start runs to its end) instead of stopping at the
  /// first that reaches the target. Distinct means distinct joint values: a joint that turns
  /// through two full turns gives each branch once per in-limit copy (a UR5 pose has 8 branches
  /// and 512 solutions), and the alternatives may also hold starts' ends that did not reach
  /// (``/NeuralIKCore/Solution/reachable`` tells them apart).
  public var findAll: Bool
  /// Metres of position error that weigh as much as one radian of rotation error in the
  /// refinement and in ranking solutions; `nil` for ``/NeuralIKCore/PoseResidual/defaultRotationWeight``. (The
  /// network ranks its own proposals with the weight it was trained with.)
  public var rotationWeight: Double?
  /// The rotation weights a specification takes, metres per radian: below a tenth of a
  /// millimetre per radian the rotation's share of the refinement's residual falls under what its
  /// convergence test resolves, and a reachable pose is reported out of reach.
  public static let rotationWeights: ClosedRange<Double> = 1e-4...1000
  /// Joints locked at a value or held within limits tighter than the robot's, for this solve
  /// only (a safety envelope); every answer stays inside them. Empty for none.
  public var restrictions: [JointRestriction]
  /// Whether the hybrid tries the robot's closed form (positions of two or three joints, poses of
  /// six, or of seven at a free-joint value: the start's, then the network's best proposals')
  /// before it refines proposals with
  /// Levenberg–Marquardt; `nil` for yes. `false` keeps the refinement alone, for comparison (a
  /// hybrid without a network then has nothing to add to `lm`, and is refused).
  public var closedForm: Bool?

  enum CodingKeys: String, CodingKey {
    case kind, tolerance
    case maxIterations = "max_iterations"
    case startIterationBudget = "start_iteration_budget"
    case iterationBudget = "iteration_budget"
    case proposalIterationBudget = "proposal_iteration_budget"
    case quickIterations = "quick_iterations"
    case randomRestarts = "random_restarts"
    case seed
    case freeJointSamples = "free_joint_samples"
    case timeBudget = "time_budget_s"
    case preference
    case findAll = "find_all"
    case rotationWeight = "rotation_weight_m_per_rad"
    case restrictions
    case closedForm = "closed_form"
  }

  /// The hybrid's free-joint samples when the specification leaves them open: a refinement needs
  /// one good start, not the network-only solver's best of many, and each value costs a pass.
  public static let hybridFreeJointSamples = 2

  /// The shipped defaults, which every front end and benchmark uses unless told otherwise.
  ///
  /// Nothing is checked here: ``validate()`` (which ``SolverFactory`` calls) refuses values out
  /// of range.
  ///
  /// - Parameters:
  ///   - kind: the solver; `nil` picks one for the robot and model.
  ///   - tolerance: when a solution reaches its target (default 1e-6 m and 1e-6 rad).
  ///   - maxIterations: iterations of one local minimisation.
  ///   - startIterationBudget: iterations of one start in all.
  ///   - iterationBudget: iterations of an `lm` solve in all.
  ///   - proposalIterationBudget: iterations the hybrid spends on the network's proposals.
  ///   - quickIterations: iterations of each proposal's first refinement.
  ///   - randomRestarts: random starts after the first misses.
  ///   - seed: seed of the restarts.
  ///   - freeJointSamples: free-joint values per target for the network; `nil` for the solver's
  ///     default.
  ///   - timeBudget: seconds after which no start begins; `nil` for none.
  ///   - preference: which solution comes first.
  ///   - findAll: search for every distinct solution.
  ///   - rotationWeight: metres per radian of rotation error; `nil` for
  ///     ``/NeuralIKCore/PoseResidual/defaultRotationWeight`` (a model's own weight ranks only its
  ///     proposals).
  ///   - restrictions: joints locked or held within tighter limits for this solve.
  ///   - closedForm: whether the hybrid runs the robot's closed form; `nil` for its default (it
  ///     does, where the robot has one).
  public init(
    kind: SolverKind? = nil, tolerance: ReachTolerance = .exact, maxIterations: Int = 100,
    startIterationBudget: Int = 200, iterationBudget: Int = 2000, proposalIterationBudget: Int = 500,
    quickIterations: Int = 20, randomRestarts: Int = 64, seed: UInt64 = 1, freeJointSamples: Int? = nil,
    timeBudget: Double? = nil, preference: SolutionPreference = .nearestToStart, findAll: Bool = false,
    rotationWeight: Double? = nil, restrictions: [JointRestriction] = [], closedForm: Bool? = nil
  ) {
    self.kind = kind
    self.tolerance = tolerance
    self.maxIterations = maxIterations
    self.startIterationBudget = startIterationBudget
    self.iterationBudget = iterationBudget
    self.proposalIterationBudget = proposalIterationBudget
    self.quickIterations = quickIterations
    self.randomRestarts = randomRestarts
    self.seed = seed
    self.freeJointSamples = freeJointSamples
    self.timeBudget = timeBudget
    self.preference = preference
    self.findAll = findAll
    self.rotationWeight = rotationWeight
    self.restrictions = restrictions
    self.closedForm = closedForm
  }

  /// The defaults for one solver kind.
  ///
  /// - Parameter kind: the solver.
  /// - Returns: the shipped defaults with `kind` set.
  public static func `default`(_ kind: SolverKind) -> SolverSpecification {
    SolverSpecification(kind: kind)
  }

  /// This specification with another kind.
  ///
  /// - Parameter kind: the solver, or `nil` to let the factory choose.
  /// - Returns: a copy in which only the kind differs.
  public func with(kind: SolverKind?) -> SolverSpecification {
    var copy = self
    copy.kind = kind
    return copy
  }

  /// The most iterations one solve of this specification may run: the hybrid's proposal budget
  /// plus the `lm` budget (only the latter for `lm`, none for the closed form and the network).
  public var maximumIterations: Int {
    switch kind {
    case .analytic?, .network?: return 0
    case .levenbergMarquardt?: return iterationBudget
    case .hybrid?, nil:
      // Saturated: budgets beyond what `validate()` accepts are refused there, not trapped here.
      let (sum, overflow) = proposalIterationBudget.addingReportingOverflow(iterationBudget)
      return overflow ? .max : sum
    }
  }

  /// Checks every option's range.
  ///
  /// - Throws: ``SolverSpecificationError/outOfRange(option:value:expected:)`` naming the first
  ///   option outside its range and what it accepts.
  public func validate() throws(SolverSpecificationError) {
    func check(_ ok: Bool, _ option: String, _ value: String, _ expected: String)
      throws(SolverSpecificationError)
    {
      if !ok { throw .outOfRange(option: option, value: value, expected: expected) }
    }
    let iterations = 1...1_000_000
    try check(
      tolerance.position.isFinite && tolerance.position > 0, "tolerance.position", "\(tolerance.position)",
      "a positive number of metres")
    try check(
      tolerance.rotation.isFinite && tolerance.rotation > 0, "tolerance.rotation", "\(tolerance.rotation)",
      "a positive number of radians")
    try check(iterations.contains(maxIterations), "maxIterations", "\(maxIterations)", "1 to 1,000,000")
    try check(
      iterations.contains(startIterationBudget), "startIterationBudget", "\(startIterationBudget)",
      "1 to 1,000,000")
    try check(
      iterations.contains(iterationBudget), "iterationBudget", "\(iterationBudget)", "1 to 1,000,000")
    try check(
      (0...1_000_000).contains(proposalIterationBudget), "proposalIterationBudget",
      "\(proposalIterationBudget)", "0 to 1,000,000")
    try check(iterations.contains(quickIterations), "quickIterations", "\(quickIterations)", "1 to 1,000,000")
    try check((0...10_000).contains(randomRestarts), "randomRestarts", "\(randomRestarts)", "0 to 10,000")
    if let freeJointSamples {
      try check(
        (1...4096).contains(freeJointSamples), "freeJointSamples", "\(freeJointSamples)", "1 to 4,096")
    }
    if let timeBudget {
      try check(
        timeBudget.isFinite && timeBudget >= 0 && timeBudget <= 3600, "timeBudget", "\(timeBudget)",
        "0 to 3,600 seconds")
    }
    if let rotationWeight {
      try check(
        Self.rotationWeights.contains(rotationWeight), "rotationWeight", "\(rotationWeight)",
        "0.0001 to 1,000 metres per radian")
    }
  }
}

/// Why a ``SolverSpecification`` cannot build a solver.
public enum SolverSpecificationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// An option lies outside its range.
  case outOfRange(option: String, value: String, expected: String)
  /// The kind needs a trained model and none was given (the network solver).
  case needsModel(SolverKind)
  /// The hybrid was asked for without a model, on a robot with no closed form of poses, or with
  /// its closed form turned off (`closedFormTurnedOff`): without either it would be `lm` with
  /// extra stages.
  case hybridNeedsModel(closedFormTurnedOff: Bool)
  /// The robot has no closed form (``/NeuralIKCore/IKError/noClosedForm(robot:reason:)`` says why).
  case noClosedForm(IKError)
  /// A joint restriction does not fit the robot.
  case restriction(JointRestrictionError)
  /// The model was trained for another robot.
  case wrongModel(ModelFileError)

  /// What was wrong and what would be right, in one line.
  public var description: String {
    switch self {
    case .outOfRange(let option, let value, let expected):
      return "solver option \(option) = \(value) is out of range; give \(expected)"
    case .hybridNeedsModel(closedFormTurnedOff: true):
      return
        "the hybrid solver needs a trained model (neural-ik train) or the robot's closed form of poses, "
        + "which closed_form false (--no-closed-form) turns off: leave it on, give a model, or use the lm solver"
    case .hybridNeedsModel(closedFormTurnedOff: false):
      return
        "the hybrid solver needs a trained model (neural-ik train) on this robot: without one it runs over "
        + "a closed form of poses, which this robot's geometry does not have (six- and seven-joint arms "
        + "with a spherical wrist or three parallel axes do); use the lm solver"
    case .needsModel(let kind):
      return "the \(kind.rawValue) solver needs a trained model (train one with 'neural-ik train')"
    case .noClosedForm(let error): return "\(error)"
    case .restriction(let error): return "\(error)"
    case .wrongModel(let error): return "\(error)"
    }
  }
}
