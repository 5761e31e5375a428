import NeuralIK

/// Builds `GET /api/robot` once at start-up.
struct RobotDescriptionBuilder {
  let service: SolveService

  /// The tool at `q` as the page sends targets: a pose for pose targets, else a position.
  private func firstTarget(_ q: [Double]) -> [Double] {
    let pose = service.robot.tipPose(at: q)
    let p = pose.translation
    guard service.targetKind == .pose else { return [p.x, p.y, p.z] }
    let o = Quaternion(pose.rotation).canonical
    return [p.x, p.y, p.z, o.w, o.x, o.y, o.z]
  }

  func build() -> RobotDescription {
    // Inside the server's lock and limits, if it has any (the service checked them when it was
    // built): the page opens on a target that the envelope lets it reach. The joints are
    // described with their own limits and kinds, and the envelope beside them.
    let robot = service.envelope
    var generator = SplitMix64(seed: 7)
    let workspace = (0..<3000).map { _ -> [Double] in
      let p = robot.tipPosition(at: robot.randomConfiguration(using: &generator))
      return [p.x, p.y, p.z]
    }
    let middle = robot.middleConfiguration
    let first = zip(robot.movableJoints, middle).map { joint, value in
      joint.limits.map { value + $0.range / 8 } ?? value + 0.4
    }
    // The middle configuration's own tip is its target: finite, since the robot was validated.
    guard let target = try? IKTarget(position: robot.tipPosition(at: middle)) else {
      preconditionFailure("forward kinematics of a validated robot is finite")
    }
    let drawn = SolveResult(
      robot: robot, target: target,
      solutions: [
        Solution(
          robot: robot, target: target, jointValues: middle, tolerance: .exact, iterations: 0,
          solver: .analytic)
      ], status: .reachable, milliseconds: 0
    ).solutions[0]
    let approach = service.approachAxis
    return RobotDescription(
      name: robot.name,
      joints: service.robot.movableJoints.map { joint in
        let envelope = service.specification.restrictions.first { $0.joint == joint.name }
        return RobotDescription.JointInfo(
          name: joint.name, type: joint.type.rawValue, lower: joint.limits?.lower, upper: joint.limits?.upper,
          envelopeLower: envelope?.lower, envelopeUpper: envelope?.upper)
      },
      solvers: service.solvers, middleConfiguration: middle,
      middle: drawn, targetKind: service.targetKind,
      middleOrientation: drawn.solution.reachedOrientation,
      // The unrestricted robot's, as the solves take it (SolveService): a pitch's can depend on
      // the middle of the limits, which the envelope moves.
      approachAxis: [approach.x, approach.y, approach.z],
      firstTarget: firstTarget(first), firstConfiguration: first, workspace: workspace,
      model: service.network?.metrics.map { Dictionary($0.byKey, uniquingKeysWith: { $1 }) })
  }
}
