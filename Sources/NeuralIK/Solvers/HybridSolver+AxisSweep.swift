import Foundation

/// The closed form for an axis target (a tool axis along a direction, the rotation about it free):
/// first at the pose nearest the start's tool rotation, and as the hybrid's last try on a six-joint
/// arm at turns of the tool about the axis (Docs/CLI.md, "Axis targets").
extension HybridSolver {
  /// `current` (a tool rotation, base frame) turned by the smallest rotation that points `axis`'s
  /// tool axis along its direction.
  static func aligned(_ axis: AxisTarget, from current: Rotation3) -> Rotation3 {
    let pointing = current * axis.toolAxis
    let turn = pointing.cross(axis.direction)
    let sine = turn.length
    let cosine = pointing.dot(axis.direction)
    if sine > 1e-12 { return Rotation3(axis: turn / sine, angle: atan2(sine, cosine)) * current }
    guard cosine < 0 else { return current }
    // Pointing the opposite way: half a turn about any axis normal to it.
    let normal = abs(pointing.x) < 0.9 ? pointing.cross(Vector3(1, 0, 0)) : pointing.cross(Vector3(0, 1, 0))
    return Rotation3(axis: normal / normal.length, angle: .pi) * current
  }

  /// For an axis target, the tool rotation at `start` turned onto its axis (``aligned(_:from:)``);
  /// `nil` for another target. Worked out once per solve: the closed form's pose, the network's
  /// hint and the sweep's first turn all start from it.
  func alignedAtStart(_ target: IKTarget, _ start: [Double]) -> Rotation3? {
    target.axis.map { Self.aligned($0, from: robot.tipPose(at: start).rotation) }
  }

  /// An axis target on an arm with a closed form of poses, inside the reach sphere: the closed
  /// form's reaching branch nearest `start` for the pose that turns the tool at `start` by the
  /// smallest rotation onto the axis (``aligned(_:from:)``), on a seven-joint arm at the start's
  /// value of the free joint and then at ``alignedSweepValues`` more; `nil` when none reaches, or for another target or closed form. That
  /// pose meets the axis target exactly, and its closed form costs a few microseconds where the
  /// network's pass and the refinement of its proposals cost tens. `aligned` is that rotation
  /// (``alignedAtStart(_:_:)``).
  func alignedClosedForm(_ target: IKTarget, aligned: Rotation3?, near start: [Double]) -> Solution? {
    guard let aligned, let closedForm, closedForm.targetKind == .pose, !reach.excludes(target.position)
    else { return nil }
    let values =
      closedForm.freeJointIndex.map { [start[$0]] + sweep(near: start[$0]).prefix(Self.alignedSweepValues) }
      ?? []
    guard let pose = try? IKTarget(position: target.position, orientation: Quaternion(aligned)),
      let branch = try? closedForm.nearestReachingSolution(
        for: pose, freeJointValues: values, near: start, distance: distance.callAsFunction)
    else { return nil }
    // Measured again against the axis target: its rotation error is the axis's angle.
    let solution = Solution(
      robot: robot, target: target, jointValues: branch.jointValues, tolerance: specification.tolerance,
      iterations: 0, solver: .analytic)
    return solution.reachable ? solution : nil
  }

  /// Values of a seven-joint arm's free joint at which the aligned pose is tried after the
  /// start's own: the sweep's first two levels. Measured with `bench --partial` on 4,000 axis
  /// targets, twice: on the Panda, where the start's value often leaves that pose beyond a limit,
  /// the median fell from 82 and 50 µs to 10 and 11 (mean 81 and 53 to 23 and 28); on the iiwa 14
  /// it stayed at 9 to 14 µs. Sweeping all 62 cut the Panda's iterations further but doubled the
  /// iiwa's mean: where no value reaches that pose, each costs a closed form for nothing.
  static let alignedSweepValues = 6

  /// Turns about the tool axis at which a six-joint closed form is tried for an axis target.
  static let axisSweepAngles = 64

  /// An axis target on an arm whose closed form solves six-joint poses, inside the reach sphere:
  /// the closed form's reaching branches, inside the limits, for the poses that point the tool
  /// along the axis at ``axisSweepAngles`` turns about it (from the start's turn on); empty when
  /// none reaches, or for another target or closed form. Each such pose meets the axis target
  /// exactly.
  func axisSweep(_ target: IKTarget, aligned: Rotation3?, near start: [Double], until deadline: Deadline)
    -> [Solution]
  {
    guard let axis = target.axis, let aligned, let closedForm, closedForm.targetKind == .pose,
      closedForm.freeJointIndex == nil, !reach.excludes(target.position)
    else { return [] }
    var found: [Solution] = []
    for step in 0..<Self.axisSweepAngles where !deadline.hasPassed {
      let angle = Double(step) / Double(Self.axisSweepAngles) * 2 * .pi
      let rotation = aligned * Rotation3(axis: axis.toolAxis, angle: angle)
      guard let pose = try? IKTarget(position: target.position, orientation: Quaternion(rotation)),
        let branches = try? closedForm.reachingSolutions(for: pose, freeJointValues: [], near: start)
      else { continue }
      // Measured again against the axis target: its rotation error is the axis's angle.
      for branch in branches {
        let solution = Solution(
          robot: robot, target: target, jointValues: branch.jointValues, tolerance: specification.tolerance,
          iterations: 0, solver: .analytic)
        if solution.reachable { found.append(solution) }
      }
    }
    return found
  }
}
