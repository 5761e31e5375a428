import NeuralIK

/// How a solver follows ``SmoothPaths`` (`neural-ik bench --paths`, Docs/Paths.md): each path
/// solved with ``/NeuralIK/Solver/solvePath(_:from:maxStep:)`` from its first configuration, with
/// `maxStep` twice the path's largest generating step (the `--max-step` a user following it would
/// give). Step counts leave out each path's first target, solved from its own configuration.
public struct PathOutcome: Codable, Sendable, Hashable {
  /// Paths followed.
  public var paths: Int
  /// Steps of all paths.
  public var steps: Int
  /// Steps whose largest joint change is at most twice the path's largest generating step.
  public var withinTwiceLargest: Int
  /// Steps whose largest joint change is at most twice the same step's generating change: the
  /// stricter, step-by-step reading.
  public var withinTwiceOwnStep: Int
  /// Targets that ``/NeuralIK/PathResult/flagged`` lists: the steps over `maxStep`.
  public var flagged: Int
  /// Answers that do not reach their target.
  public var unreached: Int
  /// The largest joint change of any step (radians or metres).
  public var largestStep: Double
  /// The largest joint change of any step of the generating paths (radians or metres).
  public var largestGeneratingStep: Double
  /// The median time of one target's solve along a path (µs), first targets left out.
  public var medianMicroseconds: Double

  enum CodingKeys: String, CodingKey {
    case paths, steps, flagged, unreached
    case withinTwiceLargest = "within_twice_largest"
    case withinTwiceOwnStep = "within_twice_own_step"
    case largestStep = "largest_step"
    case largestGeneratingStep = "largest_generating_step"
    case medianMicroseconds = "median_us"
  }

  /// Follows every path with `solver`.
  ///
  /// - Parameters:
  ///   - solver: the solver, as ``/NeuralIK/SolverFactory`` built it.
  ///   - paths: the paths, with targets the solver takes.
  ///   - name: the solver's name in a failure.
  /// - Returns: the counts over all paths.
  /// - Throws: ``BenchmarkError/solve(solver:target:error:)`` for a solve that fails (the target is
  ///   the path's index).
  public static func measure(_ solver: Solver, on paths: [SmoothPaths.Path], name: String)
    throws(BenchmarkError) -> PathOutcome
  {
    // As the path's steps are reported: how far the joints travel.
    let distance = JointDistance(travelOf: solver.robot)
    var outcome = PathOutcome(
      paths: paths.count, steps: 0, withinTwiceLargest: 0, withinTwiceOwnStep: 0, flagged: 0, unreached: 0,
      largestStep: 0, largestGeneratingStep: 0, medianMicroseconds: 0)
    var microseconds: [Double] = []
    for (pathIndex, path) in paths.enumerated() {
      let generating = zip(path.configurations, path.configurations.dropFirst()).map {
        distance.largestChange($0, $1)
      }
      // A path that does not move (joints of no range) flags every step that does: the least
      // positive limit, as `solvePath` takes only positive ones.
      let limit = max(2 * (generating.max() ?? 0), .leastNonzeroMagnitude)
      let result: PathResult
      do {
        result = try solver.solvePath(path.targets, from: path.configurations.first, maxStep: limit)
      } catch {
        throw .solve(solver: name, target: pathIndex, error: error)
      }
      outcome.largestGeneratingStep = max(outcome.largestGeneratingStep, generating.max() ?? 0)
      outcome.unreached += result.results.filter { !$0.best.reachable }.count
      // The steps counted below, the first target's move from its own configuration left out.
      outcome.flagged += result.flagged.filter { $0 > 0 }.count
      for (index, step) in result.steps.enumerated().dropFirst() {
        outcome.steps += 1
        outcome.largestStep = max(outcome.largestStep, step)
        if step <= limit { outcome.withinTwiceLargest += 1 }
        if step <= 2 * generating[index - 1] + 1e-9 { outcome.withinTwiceOwnStep += 1 }
        microseconds.append(result.results[index].seconds * 1e6)
      }
    }
    microseconds.sort()
    outcome.medianMicroseconds = microseconds.isEmpty ? 0 : microseconds[microseconds.count / 2]
    return outcome
  }

  /// The outcome as one line of the report's checks.
  ///
  /// - Parameter name: the solver's name, as `hybrid paths`.
  /// - Returns: a Markdown list item.
  public func line(for name: String) -> String {
    func share(_ count: Int) -> String {
      String(format: "%d of %d (%.2f%%)", count, steps, 100 * Double(count) / Double(max(1, steps)))
    }
    return "- \(name): \(paths) smooth paths, \(steps) steps: "
      + "\(share(withinTwiceLargest)) within 2× the path's largest generating step, "
      + "\(share(withinTwiceOwnStep)) within 2× their own; \(flagged) flagged, \(unreached) unreached; "
      + String(
        format: "largest step %.3f (generating %.3f); median %.1f µs per target",
        largestStep, largestGeneratingStep, medianMicroseconds)
  }
}
