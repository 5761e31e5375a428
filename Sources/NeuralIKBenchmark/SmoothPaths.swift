import Dispatch
import Foundation
import NeuralIK

/// Seeded smooth joint paths inside the limits, and their targets: forward kinematics of each
/// configuration, so a continuous solution exists along every path (`neural-ik bench --paths`,
/// Docs/Paths.md).
///
/// Each joint swings once, sine-shaped, about a centre drawn inside its limits, with its own
/// phase: `centre + amplitude · sin(2π t + phase)` for `t` in 0...1. The amplitude is 0.4 (radians
/// or metres), less on a joint whose range is narrower than twice that, and the centre keeps the
/// whole swing inside the limits, so no configuration is clamped.
public struct SmoothPaths: Sendable {
  /// One path: the generating configurations and their targets, in order.
  public struct Path: Sendable {
    public var configurations: [[Double]]
    public var targets: [IKTarget]
  }

  public var robot: RobotModel
  /// Points per path (steps: one fewer).
  public var points = 101
  /// The largest swing of a joint about its centre (radians or metres).
  public var amplitude = 0.4
  public var seed: UInt64 = 0x5A7_0F_9A75

  public init(robot: RobotModel) { self.robot = robot }

  /// `count` paths; poses or positions as `kind` says.
  public func generate(count: Int, kind: TargetKind) -> [Path] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in
      let swings = robot.movableJoints.map { joint -> (centre: Double, amplitude: Double, phase: Double) in
        let lower = joint.limits?.lower ?? -.pi
        let upper = joint.limits?.upper ?? .pi
        let amplitude = min(self.amplitude, (upper - lower) / 2)
        let centre =
          upper - lower > 2 * amplitude
          ? Double.random(in: (lower + amplitude)...(upper - amplitude), using: &generator)
          : (lower + upper) / 2
        return (centre, amplitude, Double.random(in: 0...(2 * .pi), using: &generator))
      }
      let configurations = (0..<points).map { point -> [Double] in
        let t = Double(point) / Double(max(1, points - 1))
        // Rounding at a limit is the only clamp.
        return robot.clampedToLimits(swings.map { $0.centre + $0.amplitude * sin(2 * .pi * t + $0.phase) })
      }
      let targets = configurations.map { DataGeneration.target(robot: robot, q: $0, poses: kind == .pose) }
      return Path(configurations: configurations, targets: targets)
    }
  }
}

/// A solver along ``SmoothPaths``: each path solved with ``/NeuralIK/Solver/solvePath(_:from:maxStep:)``
/// from its first configuration, with `maxStep` twice the path's largest generating step (the
/// `--max-step` a user following it would give).
public struct PathOutcome: Codable, Sendable, Hashable {
  public var paths: Int
  /// Steps of all paths (the first target of each, solved from its own configuration, is not one).
  public var steps: Int
  /// Steps whose largest joint change is at most twice the path's largest generating step.
  public var withinTwiceLargest: Int
  /// Steps whose largest joint change is at most twice the same step's generating change: the
  /// stricter, step-by-step reading.
  public var withinTwiceOwnStep: Int
  /// Steps that ``/NeuralIK/PathResult/flagged`` lists (the first targets included).
  public var flagged: Int
  /// Steps over the limit that are not flagged: a jump passed over silently. Always 0 unless
  /// ``/NeuralIK/Solver/solvePath(_:from:maxStep:)`` is wrong.
  public var unflaggedOver: Int
  /// Answers that do not reach their target.
  public var unreached: Int
  /// The largest joint change of any step (radians or metres).
  public var largestStep: Double
  /// The largest generating step of any path.
  public var largestGeneratingStep: Double
  /// The median time of one step's solve (µs), over every path.
  public var medianMicroseconds: Double

  enum CodingKeys: String, CodingKey {
    case paths, steps, flagged, unreached
    case withinTwiceLargest = "within_twice_largest"
    case withinTwiceOwnStep = "within_twice_own_step"
    case unflaggedOver = "unflagged_over"
    case largestStep = "largest_step"
    case largestGeneratingStep = "largest_generating_step"
    case medianMicroseconds = "median_us"
  }

  /// Solves every path with `solver`.
  ///
  /// - Throws: ``BenchmarkError/solve(solver:target:error:)`` for a solve that fails.
  public static func measure(_ solver: Solver, on paths: [SmoothPaths.Path], name: String)
    throws(BenchmarkError) -> PathOutcome
  {
    let distance = JointDistance(robot: solver.robot)
    var outcome = PathOutcome(
      paths: paths.count, steps: 0, withinTwiceLargest: 0, withinTwiceOwnStep: 0, flagged: 0,
      unflaggedOver: 0,
      unreached: 0, largestStep: 0, largestGeneratingStep: 0, medianMicroseconds: 0)
    var microseconds: [Double] = []
    for (pathIndex, path) in paths.enumerated() {
      let generating = zip(path.configurations, path.configurations.dropFirst()).map {
        distance.largestChange($0, $1)
      }
      let limit = 2 * (generating.max() ?? 0)
      let begin = DispatchTime.now().uptimeNanoseconds
      let result: PathResult
      do {
        result = try solver.solvePath(path.targets, from: path.configurations.first, maxStep: limit)
      } catch {
        throw .solve(solver: name, target: pathIndex, error: error)
      }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
      microseconds.append(seconds * 1e6 / Double(max(1, path.targets.count)))
      outcome.largestGeneratingStep = max(outcome.largestGeneratingStep, generating.max() ?? 0)
      outcome.unreached += result.results.filter { !$0.best.reachable }.count
      outcome.flagged += result.flagged.count
      // Measured again here rather than read from `result.steps`: the report checks the flags.
      var previous = path.configurations.first ?? []
      for (index, answer) in result.results.enumerated() {
        let step = distance.largestChange(previous, answer.best.jointValues)
        previous = answer.best.jointValues
        if step > limit && !result.flagged.contains(index) { outcome.unflaggedOver += 1 }
        guard index > 0 else { continue }
        outcome.steps += 1
        outcome.largestStep = max(outcome.largestStep, step)
        if step <= limit { outcome.withinTwiceLargest += 1 }
        if step <= 2 * generating[index - 1] + 1e-9 { outcome.withinTwiceOwnStep += 1 }
      }
    }
    microseconds.sort()
    outcome.medianMicroseconds = microseconds.isEmpty ? 0 : microseconds[microseconds.count / 2]
    return outcome
  }

  /// One line of the report's checks.
  public func line(for name: String) -> String {
    func share(_ count: Int) -> String {
      String(format: "%d of %d (%.2f%%)", count, steps, 100 * Double(count) / Double(max(1, steps)))
    }
    return "- \(name): \(paths) smooth paths, \(steps) steps: "
      + "\(share(withinTwiceLargest)) within 2× the path's largest generating step, "
      + "\(share(withinTwiceOwnStep)) within 2× their own; \(flagged) flagged, "
      + "\(unflaggedOver) over the limit unflagged, \(unreached) unreached; "
      + String(
        format: "largest step %.3f (generating %.3f); median %.1f µs per target",
        largestStep, largestGeneratingStep, medianMicroseconds)
  }
}
