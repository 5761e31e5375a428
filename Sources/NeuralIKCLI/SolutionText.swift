import Foundation
import NeuralIK

/// The human-readable answer of `neural-ik solve`.
enum SolutionText {
  /// - Parameter verdict: the verdict on the first of `shown` (``Solver/verdict(on:for:)``): a miss
  ///   that proves the target out of reach (a closed form that lists every branch, or a target
  ///   beyond the reach sphere) is told apart from a local search's, which does not.
  static func describe(
    _ shown: [Solution], of total: Int, robot: RobotModel, target: IKTarget, tolerance: ReachTolerance,
    verdict: ReachVerdict
  ) -> String {
    guard let best = shown.first else { return "no solution" }
    var lines: [String] = []
    lines.append(
      "robot    \(robot.name) (\(robot.degreesOfFreedom) joint\(robot.degreesOfFreedom == 1 ? "" : "s"))")
    var targetText = "target   \(format(target.position)) m"
    if let axis = target.axis {
      let (a, d) = (axis.toolAxis, axis.direction)
      targetText += ", tool axis \(format([a.x, a.y, a.z])) along \(format([d.x, d.y, d.z]))"
    }
    if let q = target.orientation {
      targetText += ", orientation (w, x, y, z) \(format([q.w, q.x, q.y, q.z]))"
    }
    lines.append(targetText)
    lines.append(
      "solver   \(best.solver.rawValue)\(best.iterations > 0 ? ", \(best.iterations) iteration\(best.iterations == 1 ? "" : "s")" : "")"
    )
    switch verdict {
    case .reachable:
      lines.append("status   reachable (position error \(scientific(best.positionError)) m\(rotation(best)))")
    case .notReachedToTolerance:
      let limit =
        "\(scientific(tolerance.position)) m"
        + (best.rotationError == nil ? "" : ", \(scientific(tolerance.rotation)) rad")
      lines.append(
        "status   NOT REACHED to the tolerance (\(limit)): the closest point found is \(format(best.reachedPosition)) m, "
          + "\(scientific(best.positionError)) m from the target\(rotation(best))")
    case .outOfReach:
      lines.append(
        "status   OUT OF REACH: the closest point found is \(format(best.reachedPosition)) m, \(String(format: "%.6f", best.positionError)) m from the target\(rotation(best))"
      )
    case .noSolutionFound:
      // What a target fixes: three coordinates, two more for an axis, three more for a pose.
      let fixed = target.axis != nil ? 5 : target.orientation != nil ? 6 : 3
      // Joints held at one value (equal limits, or a lock) do not move the tool. (With none free
      // the miss proves the target out of reach, and the verdict says so.)
      let moving = robot.freeJointCount
      // The network solver has no restarts to suggest: its answer is its proposals, unrefined.
      let searches = best.solver != .network
      // A closed form without a free joint misses only at a singularity, where its configuration
      // is one of a continuum (a UR arm's wrist straight).
      let continuum =
        "at a singularity the closed form gives one configuration of a continuum, which can miss a limit or lock that another meets (--solver lm searches it)"
      let why =
        moving < fixed
        ? "with \(moving) joint\(moving == 1 ? "" : "s") free to move the arm meets only some targets "
          + "that fix \(fixed) values, as this one does"
          + (best.solver == .analytic
            ? "; " + continuum : searches ? ", and more --restarts rarely help" : "")
        : best.solver == .analytic
          ? robot.degreesOfFreedom <= fixed
            ? continuum
            : "the closed form tries its free joint at sampled values and can miss a reachable target between them (--solver lm searches otherwise)"
          : searches
            ? "the solver searches from starts and can miss a reachable target (more --restarts search wider); "
              + "the target may also lie out of reach, which a search cannot prove"
            : "the network's proposals are answered as they are, unrefined (--solver hybrid refines them)"
      lines.append(
        "status   NO SOLUTION FOUND: the closest point found is \(format(best.reachedPosition)) m, \(String(format: "%.6f", best.positionError)) m from the target\(rotation(best)); "
          + why)
    }
    if total > shown.count {
      lines.append("solutions \(total) (showing \(shown.count); --all shows every one)")
    } else if total > 1 {
      let reaching = shown.filter(\.reachable).count
      lines.append("solutions \(total)" + (reaching < total ? " (\(reaching) reach the target)" : ""))
    }
    for (index, solution) in shown.enumerated() {
      // Out of reach, or short of it, a solver may list its closest misses too: each says so.
      if shown.count > 1 {
        lines.append(
          "solution \(index + 1)"
            + (solution.reachable
              ? ""
              : ": NOT REACHED, \(scientific(solution.positionError)) m from the target\(rotation(solution))")
        )
      }
      let width = max(12, robot.movableJoints.map(\.name.count).max() ?? 0) + 2
      for (joint, value) in zip(robot.movableJoints, solution.jointValues) {
        lines.append("  " + jointLine(joint, value, width: width))
      }
      if shown.count > 1 || !solution.reachable {
        lines.append("  reached \(format(solution.reachedPosition)) m")
      }
    }
    return lines.joined(separator: "\n")
  }

  private static func jointLine(_ joint: Joint, _ value: Double, width: Int) -> String {
    let name = joint.name.padding(toLength: width, withPad: " ", startingAt: 0)
    if joint.type == .prismatic {
      let limits = joint.limits.map { String(format: "  [%.4f, %.4f] m", $0.lower, $0.upper) } ?? ""
      return name + String(format: "%10.6f m", value) + limits
    }
    let degrees = value * 180 / .pi
    let limits =
      joint.limits.map { String(format: "  [%.2f°, %.2f°]", $0.lower * 180 / .pi, $0.upper * 180 / .pi) }
      ?? "  (continuous)"
    return name + String(format: "%10.6f rad %9.3f°", value, degrees) + limits
  }

  private static func rotation(_ solution: Solution) -> String {
    solution.rotationError.map { String(format: ", rotation error %.4f°", $0 * 180 / .pi) } ?? ""
  }

  private static func format(_ v: Vector3) -> String { format([v.x, v.y, v.z]) }

  private static func format(_ values: [Double]) -> String {
    "(" + values.map { String(format: "%.6f", $0) }.joined(separator: ", ") + ")"
  }

  private static func scientific(_ value: Double) -> String { String(format: "%.1e", value) }
}
