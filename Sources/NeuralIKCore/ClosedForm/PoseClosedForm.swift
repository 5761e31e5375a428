import Foundation

/// The closed form of a six-revolute-joint arm, or of a seven-joint arm at a given value of one
/// free joint: the chain's family (``SixJointFamily``) found from its axes, checked against the
/// robot's own forward kinematics, and its branches turned into joint values within the limits.
struct PoseClosedForm: Sendable {
  let robot: RobotModel
  /// The joint whose value is given (seven joints), `nil` for six.
  let freeJoint: Int?
  /// The family found at the reference configuration.
  let family: SixJointFamily
  /// Joint values the chain's angles are measured from: zero, the free joint at its reference.
  private let reference: [Double]
  private let scale: Double

  /// Finds the family of `robot`, trying each joint as the free one on a seven-joint arm (a joint
  /// the limits lock first), and checks it on seeded random configurations.
  ///
  /// - Throws: ``IKError/noClosedForm(robot:reason:)`` naming every family checked, or the
  ///   mismatch with the robot's forward kinematics.
  init(robot: RobotModel) throws(IKError) {
    let joints = robot.movableJoints
    guard joints.count == 6 || joints.count == 7,
      joints.allSatisfy({ $0.type == .revolute || $0.type == .continuous })
    else {
      throw .noClosedForm(
        robot: robot.name, reason: "pose closed forms cover arms of 6 revolute joints, or 7 with one given")
    }
    self.robot = robot
    let scale = max(1, robot.reachBound)
    self.scale = scale
    let zero = Array(repeating: 0.0, count: joints.count)
    guard joints.count == 7 else {
      let chain = ScrewChain(robot: robot, reference: zero)
      switch SixJointFamily.detect(chain, scale: scale) {
      case .success(let family): (freeJoint, self.family, reference) = (nil, family, zero)
      case .failure(let mismatch): throw .noClosedForm(robot: robot.name, reason: mismatch.reason)
      }
      try verify()
      return
    }
    // A joint the request locked is the free joint. Otherwise, of the joints whose locking leaves
    // a family, the one nearest the middle of the chain: the self-motion of a 7-joint arm swings
    // its elbow, which the joints next to the elbow follow over a wide range, while the joints at
    // the ends can stay within a narrow one, so a sweep of a middle joint meets more of it.
    let locked = joints.indices.filter { joints[$0].limits.map { $0.lower == $0.upper } ?? false }
    let middle = Double(joints.count - 1) / 2
    let byMiddle = joints.indices.sorted { (abs(Double($0) - middle), $0) < (abs(Double($1) - middle), $1) }
    var reasons: [String] = []
    for index in locked + byMiddle.filter({ !locked.contains($0) }) {
      var reference = zero
      reference[index] = joints[index].limits?.middle ?? 0
      let chain = ScrewChain(robot: robot, reference: reference, held: [index])
      switch SixJointFamily.detect(chain, scale: scale) {
      case .success(let family):
        (freeJoint, self.family, self.reference) = (index, family, reference)
        try verify()
        return
      case .failure(let mismatch):
        reasons.append("'\(joints[index].name)' given: \(mismatch.reason)")
      }
    }
    throw .noClosedForm(
      robot: robot.name,
      reason: "no joint, once given, leaves a 6-joint family (\(reasons.joined(separator: " | ")))")
  }

  /// The free joint's values a sweep visits: `count` evenly spaced across its limits (a locked
  /// joint: its one value). Empty for a six-joint arm.
  func sweep(_ count: Int) -> [Double] {
    guard let freeJoint else { return [] }
    guard let limits = robot.movableJoints[freeJoint].limits else {
      // A full turn: the end would repeat the start.
      return (0..<count).map { -.pi + 2 * .pi * Double($0) / Double(count) }
    }
    guard limits.upper > limits.lower, count > 1 else { return [limits.lower] }
    return (0..<count).map { limits.lower + (limits.upper - limits.lower) * Double($0) / Double(count - 1) }
  }

  /// Every configuration of every branch reaching `target` (base frame), with the free joint at
  /// `freeValue`: each joint's angle moved into its limits by whole turns, every in-limit copy
  /// listed; a branch with a joint that no turn brings into its limits is left out, or, with
  /// `clamping`, gets that joint's nearest limit (for a closest guess when nothing fits).
  ///
  /// - Returns: one entry per branch: its configurations (whole turns apart, so one FK serves
  ///   them all unless `clamping` moved a joint) and its condition.
  func configurations(
    for target: Transform3, freeValue: Double? = nil, clamping: Bool = false, near start: [Double]? = nil
  ) -> [(
    copies: [[Double]], condition: SubproblemCondition
  )] {
    var reference = self.reference
    let family: SixJointFamily
    if let freeJoint, let freeValue, freeValue != reference[freeJoint] {
      reference[freeJoint] = freeValue
      let chain = ScrewChain(robot: robot, reference: reference, held: [freeJoint])
      // The geometry moves with the free joint; at a few values a family's structure degenerates.
      guard case .success(let moved) = SixJointFamily.detect(chain, scale: scale) else { return [] }
      family = moved
    } else {
      family = self.family
    }
    let chainJoints = robot.movableJoints.indices.filter { $0 != freeJoint }
    var result: [([[Double]], SubproblemCondition)] = []
    var seen: [[Double]] = []
    for branch in family.branches(for: target) {
      // Tangent cases return one branch twice; whole-turn copies are distinct by construction.
      guard
        !seen.contains(where: {
          zip($0, branch.angles).allSatisfy { abs(remainder($0 - $1, 2 * .pi)) < 1e-9 }
        })
      else { continue }
      seen.append(branch.angles)
      var copies: [[Double]] = [reference]
      for (angle, index) in zip(branch.angles, chainJoints) {
        let joint = AngleJoint(sign: 1, offset: -reference[index], limits: robot.movableJoints[index].limits)
        var values = joint.values(forAngle: angle)
        if values.isEmpty, clamping { values = joint.nearestValues(toAngle: angle).values }
        // Asked for the copy nearest a start, a full-turn joint keeps one value, not each turn's.
        if let start, values.count > 1,
          let nearest = values.min(by: { abs($0 - start[index]) < abs($1 - start[index]) })
        {
          values = [nearest]
        }
        copies = copies.flatMap { copy in
          values.map { value in
            var moved = copy
            moved[index] = value
            return moved
          }
        }
      }
      result.append((copies, branch.condition))
    }
    return result
  }

  /// Compares the chain's forward kinematics with the robot's on seeded random configurations, so
  /// a robot whose geometry the extraction misread is refused instead of mis-solved.
  private func verify() throws(IKError) {
    var generator = SplitMix64(seed: 0x5EED)
    for _ in 0..<(freeJoint == nil ? 64 : 16) {
      let q = robot.randomConfiguration(using: &generator)
      var reference = self.reference
      var held: Set<Int> = []
      if let freeJoint {
        reference[freeJoint] = q[freeJoint]
        held = [freeJoint]
      }
      let chain = ScrewChain(robot: robot, reference: reference, held: held)
      let angles = q.indices.filter { !held.contains($0) }.map { q[$0] - reference[$0] }
      let modelled = chain.pose(angles)
      let actual = robot.tipPose(at: q)
      let positionGap = (modelled.translation - actual.translation).length
      let rotationGap = modelled.rotation.angle(to: actual.rotation)
      guard positionGap <= 1e-9 * scale, rotationGap <= 1e-9 else {
        throw .noClosedForm(
          robot: robot.name,
          reason:
            "its revolute-axis model disagrees with its forward kinematics (\(positionGap) m, \(rotationGap) rad)"
        )
      }
    }
  }
}
