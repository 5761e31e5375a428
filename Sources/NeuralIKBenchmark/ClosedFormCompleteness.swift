import NeuralIK

/// How one solver's reach compares with the closed form's on the same reachable targets: the
/// closed form (every branch of a six-joint arm, or a seven-joint arm's free joint swept) says
/// where a solution exists, so a target it reaches and a solver misses is a solution missed.
/// Reached means the solver's own verdict at its tolerance (the specification's, 1e-6 m and 1e-6
/// rad by default: the `exact` column of the rows).
public struct ClosedFormCompleteness: Codable, Sendable, Equatable {
  /// Targets in the set.
  public var targets: Int
  /// Targets the closed form reached.
  public var closedFormReached: Int
  /// Targets the solver reached.
  public var solverReached: Int
  /// Targets the closed form reached and the solver did not: solutions that exist and were missed.
  public var missed: Int
  /// Targets the solver reached and the closed form did not (a seven-joint arm's sweep can step
  /// over a narrow band of its free joint; a six-joint closed form should have none).
  public var beyondClosedForm: Int

  enum CodingKeys: String, CodingKey {
    case targets
    case closedFormReached = "closed_form_reached"
    case solverReached = "solver_reached"
    case missed
    case beyondClosedForm = "beyond_closed_form"
  }

  /// The counts of `solver`'s answers against `closedForm`'s, target by target.
  ///
  /// - Parameters:
  ///   - solver: one answer per target.
  ///   - closedForm: the closed form's answers to the same targets, in the same order.
  public init(solver: [Solution], closedForm: [Solution]) {
    precondition(solver.count == closedForm.count)
    targets = solver.count
    closedFormReached = closedForm.filter(\.reachable).count
    solverReached = solver.filter(\.reachable).count
    missed = zip(solver, closedForm).filter { !$0.reachable && $1.reachable }.count
    beyondClosedForm = zip(solver, closedForm).filter { $0.reachable && !$1.reachable }.count
  }

  /// A line of ``BenchmarkReport/markdown``'s checks for `solver`.
  func line(for solver: String) -> String {
    "- \(solver) against the closed form, \(targets) reachable targets: the closed form reached "
      + "\(closedFormReached), \(solver) \(solverReached); missed where the closed form reached: \(missed); "
      + "reached where it did not: \(beyondClosedForm)"
  }
}
