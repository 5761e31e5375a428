extension SolverSpecification {
  /// Reads a specification, taking the default for every option the JSON leaves out: a report or
  /// a request written before an option existed still reads, and means the defaults of its time
  /// only where it says so.
  ///
  /// - Parameter decoder: a decoder of the JSON form (snake_case keys, with units).
  /// - Throws: `DecodingError` for a key of the wrong type.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = SolverSpecification()
    self.init(
      kind: try c.decodeIfPresent(SolverKind.self, forKey: .kind),
      tolerance: try c.decodeIfPresent(ReachTolerance.self, forKey: .tolerance) ?? d.tolerance,
      maxIterations: try c.decodeIfPresent(Int.self, forKey: .maxIterations) ?? d.maxIterations,
      startIterationBudget: try c.decodeIfPresent(Int.self, forKey: .startIterationBudget)
        ?? d.startIterationBudget,
      iterationBudget: try c.decodeIfPresent(Int.self, forKey: .iterationBudget) ?? d.iterationBudget,
      proposalIterationBudget: try c.decodeIfPresent(Int.self, forKey: .proposalIterationBudget)
        ?? d.proposalIterationBudget,
      quickIterations: try c.decodeIfPresent(Int.self, forKey: .quickIterations) ?? d.quickIterations,
      randomRestarts: try c.decodeIfPresent(Int.self, forKey: .randomRestarts) ?? d.randomRestarts,
      seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed,
      freeJointSamples: try c.decodeIfPresent(Int.self, forKey: .freeJointSamples),
      timeBudget: try c.decodeIfPresent(Double.self, forKey: .timeBudget),
      preference: try c.decodeIfPresent(SolutionPreference.self, forKey: .preference) ?? d.preference,
      findAll: try c.decodeIfPresent(Bool.self, forKey: .findAll) ?? d.findAll,
      rotationWeight: try c.decodeIfPresent(Double.self, forKey: .rotationWeight),
      restrictions: try c.decodeIfPresent([JointRestriction].self, forKey: .restrictions) ?? [])
  }
}
