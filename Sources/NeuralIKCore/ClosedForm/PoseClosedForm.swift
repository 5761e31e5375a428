import Foundation

/// The closed form of a six-revolute-joint arm, or of a seven-joint arm at a given value of one
/// free joint (revolute, or prismatic: a six-joint arm on a rail): the chain's family
/// (``SixJointFamily``) found from its axes, checked against the robot's own forward kinematics,
/// and its branches turned into joint values within the limits.
///
/// A class, immutable once built: a solve reaches it through two enums (the solver's engine and
/// the closed form's model), and a struct of a dozen arrays was copied, field by field, at each.
final class PoseClosedForm: Sendable {
  let robot: RobotModel
  /// The joint whose value is given (seven joints), `nil` for six.
  let freeJoint: Int?
  /// The family found at the reference configuration.
  let family: SixJointFamily
  /// Joint values the chain's angles are measured from: zero, the free joint at its reference.
  private let reference: [Double]
  private let scale: Double
  /// The chain at `reference`, the free joint held.
  private let chain: ScrewChain
  /// The free joint's line at `reference` (base frame): turning it moves the chain's axes from
  /// the free joint's place on, and the tool, about that line; a prismatic one (`slides`) moves
  /// them along it.
  private let freeAxis: (axis: Vector3, point: Vector3, slides: Bool)?
  /// The joints the chain's axes belong to, in order: every joint but the free one.
  private let chainJoints: [Int]
  /// Each joint's limits (`nil`: continuous).
  private let limits: [JointLimits?]
  /// The pairs of chain joints whose axes can lie on one line (``/NeuralIKCore/RobotModel/collinearPairs``):
  /// at such a singularity a branch's split of the pair is one of many, and may miss the limits
  /// where another fits.
  private let collinear: [CollinearPair]
  /// Whether each joint belongs to one of `collinear`'s pairs: a re-split may move it, so a bound
  /// on the distance of a branch leaves it out.
  private let inPair: [Bool]

  /// Finds the family of `robot`, trying each joint as the free one on a seven-joint arm (a joint
  /// the limits lock first), and checks it on seeded random configurations.
  ///
  /// - Throws: ``IKError/noClosedForm(robot:reason:)`` naming every family checked, or the
  ///   mismatch with the robot's forward kinematics.
  init(robot: RobotModel) throws(IKError) {
    let joints = robot.movableJoints
    // The family's chain turns about its axes; a prismatic joint can only be the given one.
    let prismatic = joints.indices.filter { joints[$0].type == .prismatic }
    guard joints.count == 6 && prismatic.isEmpty || joints.count == 7 && prismatic.count <= 1 else {
      throw .noClosedForm(
        robot: robot.name,
        reason:
          "pose closed forms cover arms of 6 revolute joints, or 7 with one given (the one prismatic joint, such as a rail, if it has one)"
      )
    }
    self.robot = robot
    limits = robot.limits
    let collinear = robot.collinearPairs
    self.collinear = collinear
    inPair = joints.indices.map { index in collinear.contains { $0.first == index || $0.second == index } }
    let scale = max(1, robot.reachBound)
    self.scale = scale
    let zero = Array(repeating: 0.0, count: joints.count)
    guard joints.count == 7 else {
      let chain = ScrewChain(robot: robot, reference: zero)
      switch SixJointFamily.detect(chain, scale: scale) {
      case .success(let family):
        try Self.verify(robot, freeJoint: nil, reference: zero, scale: scale)
        (freeJoint, self.family, reference, self.chain, freeAxis) = (nil, family, zero, chain, nil)
        chainJoints = Array(joints.indices)
      case .failure(let mismatch): throw .noClosedForm(robot: robot.name, reason: mismatch.reason)
      }
      return
    }
    // A prismatic joint is the free joint (the others must form the revolute chain). Otherwise a
    // joint the request locked is. Otherwise, of the joints whose locking leaves
    // a family, the one the self-motion moves most: a sweep of it then follows the self-motion,
    // so a target is met over a wide range of its values. A joint the self-motion hardly moves
    // (the elbow of an arm with a spherical shoulder and wrist keeps its angle) is met at one
    // value only, which a sweep misses.
    let locked = joints.indices.filter { joints[$0].limits.map { $0.lower == $0.upper } ?? false }
    let share = Self.selfMotionShare(robot)
    let byShare = joints.indices.sorted { (-share[$0], $0) < (-share[$1], $1) }
    // Each reason once, with the joints it holds for (a seven-joint arm far from every family gives
    // one reason for all seven, which repeated made a message of two kilobytes).
    var reasons: [(reason: String, joints: [String])] = []
    func note(_ reason: String, _ index: Int) {
      if let known = reasons.firstIndex(where: { $0.reason == reason }) {
        reasons[known].joints.append("'\(joints[index].name)'")
      } else {
        reasons.append((reason, ["'\(joints[index].name)'"]))
      }
    }
    let candidates = prismatic.isEmpty ? locked + byShare.filter({ !locked.contains($0) }) : prismatic
    for index in candidates {
      var reference = zero
      reference[index] = joints[index].limits?.middle ?? 0
      let chain = ScrewChain(robot: robot, reference: reference, held: [index])
      switch SixJointFamily.detect(chain, scale: scale) {
      case .success(let family):
        do {
          try Self.verify(robot, freeJoint: index, reference: reference, scale: scale)
          (freeJoint, self.family, self.reference, self.chain) = (index, family, reference, chain)
          let frame = robot.jointFrames(at: reference)[index]
          let axis = frame.rotation * joints[index].axis
          freeAxis = (axis / axis.length, frame.translation, joints[index].type == .prismatic)
          chainJoints = joints.indices.filter { $0 != index }
          return
        } catch {
          guard case .noClosedForm(_, let reason) = error else { throw error }
          note(reason, index)
        }
      case .failure(let mismatch):
        note(mismatch.reason, index)
      }
    }
    let listed = reasons.map {
      "\($0.joints.count > 1 ? "any one of " : "")\($0.joints.joined(separator: ", ")) given: \($0.reason)"
    }
    throw .noClosedForm(
      robot: robot.name,
      reason: "no joint, once given, leaves a 6-joint family (\(listed.joined(separator: " | ")))")
  }

  /// Each joint's mean share of the self-motion (the absolute entry of the unit self-motion
  /// direction, ``/NeuralIKCore/Jacobian/selfMotion``) over seeded random configurations of a
  /// 7-joint arm.
  static func selfMotionShare(_ robot: RobotModel) -> [Double] {
    var generator = SplitMix64(seed: 0x5E1F)
    var share = [Double](repeating: 0, count: robot.degreesOfFreedom)
    for _ in 0..<64 {
      guard let direction = robot.jacobian(at: robot.randomConfiguration(using: &generator)).selfMotion
      else { continue }
      for index in share.indices { share[index] += abs(direction[index]) }
    }
    return share
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
  /// `freeValue`: each joint's angle moved into its limits by whole turns, every in-limit copy (at
  /// most two a joint) listed (with `start`, a full-turn joint's copy nearest it only); a branch with a joint that no
  /// turn brings into its limits is left out, or, with `clamping`, gets that joint's nearest limit
  /// (for a closest guess when nothing fits).
  ///
  /// - Returns: one entry per branch: its configurations (whole turns apart, so one FK serves
  ///   them all unless `clamping` moved a joint) and its condition.
  func configurations(
    for target: Transform3, freeValue: Double? = nil, clamping: Bool = false, near start: [Double]? = nil
  ) -> [(
    copies: [[Double]], condition: SubproblemCondition
  )] {
    guard let (branches, reference) = distinctBranches(for: target, freeValue: freeValue) else { return [] }
    var result: [([[Double]], SubproblemCondition)] = []
    result.reserveCapacity(branches.count)
    for branch in branches {
      var copies: [[Double]] = [reference]
      for (place, index) in chainJoints.enumerated() {
        let angle = branch.angles[place]
        let joint = AngleJoint(sign: 1, offset: -reference[index], limits: limits[index])
        var values = joint.values(forAngle: angle)
        // At a singularity where two axes line up, another split of the pair may fit the limits:
        // the one nearest the start (or the middle of the limits), as the fast path gives.
        if values.isEmpty, !clamping, !collinear.isEmpty,
          let repaired = resplit(
            angles: branch.angles, reference: reference, near: start ?? robot.middleConfiguration)
        {
          copies = [repaired]
          break
        }
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

  /// Each branch reaching `target` (base frame) once, with the free joint at `freeValue`: in its
  /// in-limit copy nearest `start`; a branch with a joint that no turn brings into its limits is
  /// left out. The fast path of ``configurations(for:freeValue:clamping:near:)``: one array per
  /// branch, built in place and moved into `body` (a caller that keeps it, in a solution, retains
  /// nothing).
  func forEachNearestConfiguration(
    for target: Transform3, freeValue: Double? = nil, near start: [Double],
    _ body: (consuming [Double]) -> Void
  ) {
    // The mapping reads `start` unchecked.
    guard start.count == robot.degreesOfFreedom,
      let (branches, reference) = distinctBranches(for: target, freeValue: freeValue)
    else { return }
    for branch in branches {
      if let q = configuration(of: branch.angles, reference: reference, near: start) { body(q) }
    }
  }

  /// For each distinct branch of `target` (base frame) at `freeValue`, in order, a bit for each
  /// movable joint (by index) that no turn brings into its limits: 0 for a branch inside them. A
  /// branch blocked by one joint at one value of the free joint and by others at another may pass
  /// inside its limits between them, where two joints ride their limits at once.
  func blockedJoints(for target: Transform3, freeValue: Double?) -> [UInt64] {
    guard let (branches, reference) = distinctBranches(for: target, freeValue: freeValue) else { return [] }
    return branches.map { branch in
      var blocked: UInt64 = 0
      for place in chainJoints.indices where chainJoints[place] < UInt64.bitWidth {
        let index = chainJoints[place]
        let joint = AngleJoint(sign: 1, offset: -reference[index], limits: limits[index])
        if joint.value(forAngle: branch.angles[place], nearest: reference[index]) == nil {
          blocked |= 1 << index
        }
      }
      return blocked
    }
  }

  /// The reaching branch of `target` (base frame) nearest `start` at `freeValue`, in its in-limit
  /// copy nearest it, as ``forEachNearestConfiguration(for:freeValue:near:_:)`` hands them over: of those
  /// `reaches` accepts, the least `distance` from `start`. Found by branch and bound
  /// (``BranchVisitor``): a partial branch is left unsolved once the joints it knows are farther
  /// from the start, turn for turn, than a complete one found, so the nearest branch is usually
  /// solved alone. `nil` where none is accepted.
  ///
  /// - Parameters:
  ///   - distance: a joint-space distance no less than the root of the summed squares of each
  ///     joint's change the short way round (`JointDistance` is that, or more).
  ///   - reaches: whether a configuration reaches the target (the robot's FK), asked only of a
  ///     branch nearer than the nearest accepted so far.
  func nearestConfiguration(
    for target: Transform3, freeValue: Double? = nil, near start: [Double],
    distance: ([Double], [Double]) -> Double, reaches: ([Double]) -> Bool
  ) -> [Double]? {
    guard start.count == robot.degreesOfFreedom else { return nil }
    return withoutActuallyEscaping(distance) { distance in
      withoutActuallyEscaping(reaches) { reaches in
        func search(_ family: SixJointFamily, reference: [Double]) -> [Double]? {
          var search = NearestBranchSearch(
            form: self, reference: reference, start: start, distance: distance, reaches: reaches)
          family.visitBranches(for: target, &search)
          return search.best
        }
        // Read in place where the free joint stays (six joints): a copy of the family would
        // retain and release each of its parts.
        switch moved(freeValue: freeValue) {
        case .home: return search(family, reference: reference)
        case .moved(let family, let reference): return search(family, reference: reference)
        case .degenerate: return nil
        }
      }
    }
  }

  /// The walk of ``nearestConfiguration(for:freeValue:near:distance:reaches:)``.
  private struct NearestBranchSearch: BranchVisitor {
    let form: PoseClosedForm
    let reference: [Double]
    let start: [Double]
    let distance: ([Double], [Double]) -> Double
    let reaches: ([Double]) -> Bool
    /// Each chain place's joint as the bound reads it, with the start's value of that joint, held
    /// inline: the bound runs at every node of the walk.
    private var joints = InlineArray<6, (joint: AngleJoint, start: Double)>(
      repeating: (AngleJoint(sign: 1, offset: 0, limits: nil), 0))
    /// The places whose joints the bound counts: not those a re-split may move.
    private var counted: UInt8 = 0
    /// The free joint's share of every branch's squared distance (0 for six joints).
    private let given: Double
    var best: [Double]?
    var limit = Double.infinity

    init(
      form: PoseClosedForm, reference: [Double], start: [Double],
      distance: @escaping ([Double], [Double]) -> Double, reaches: @escaping ([Double]) -> Bool
    ) {
      (self.form, self.reference, self.start, self.distance, self.reaches) =
        (form, reference, start, distance, reaches)
      given =
        form.freeJoint.map { free in
          let change = reference[free] - start[free]
          // A rail's metres do not wrap.
          return form.freeAxis?.slides == true ? change * change : PoseClosedForm.squaredTurn(change)
        } ?? 0
      for place in form.chainJoints.indices {
        let index = form.chainJoints[place]
        joints[place] = (
          AngleJoint(sign: 1, offset: -reference[index], limits: form.limits[index]), start[index]
        )
        if !form.inPair[index] { counted |= 1 << place }
      }
    }

    func bound(_ angles: InlineArray<6, Double>, known: UInt8) -> Double {
      var sum = given
      let known = known & counted
      for place in 0..<6 where known & (1 << place) != 0 {
        let (joint, start) = joints[place]
        // No turn brings it into its limits: the branch is left out, with or without a re-split.
        guard let value = joint.value(forAngle: angles[place], nearest: start) else { return .infinity }
        sum += PoseClosedForm.squaredTurn(value - start)
      }
      return sum.squareRoot()
    }

    mutating func visit(_ branch: ScrewBranch) {
      guard let q = form.configuration(of: branch.angles, reference: reference, near: start) else { return }
      let away = distance(q, start)
      guard away < limit, reaches(q) else { return }
      (best, limit) = (q, away)
    }
  }

  /// The square of a change of angle taken the short way round: no more than any joint's share
  /// of a joint distance.
  @inline(__always) private static func squaredTurn(_ change: Double) -> Double {
    let short = wrapAngle(change)
    return short * short
  }

  /// The configuration of a branch's `angles`, measured from `reference`, each joint in its
  /// in-limit copy nearest `start` (re-split where a collinear pair lets a branch that missed the
  /// limits fit them); `nil` where some joint misses its limits.
  private func configuration(of angles: InlineArray<6, Double>, reference: [Double], near start: [Double])
    -> [Double]?
  {
    // A copy of `reference`, written through its buffer: the cheapest way found to a fresh array
    // (growing an empty one or `Array(repeating:count:)` take the array's slower, generic paths,
    // and each subscript write checks uniqueness).
    var q = reference
    // Through buffers: the subscripts' checks and copies are most of this loop otherwise.
    let inLimits = q.withUnsafeMutableBufferPointer { q in
      chainJoints.withUnsafeBufferPointer { chainJoints in
        limits.withUnsafeBufferPointer { limits in
          start.withUnsafeBufferPointer { start in
            let angles = angles.span
            for place in chainJoints.indices {
              let index = chainJoints[place]
              let joint = AngleJoint(sign: 1, offset: -q[index], limits: limits[index])
              guard let value = joint.value(forAngle: angles[place], nearest: start[index]) else {
                return false
              }
              q[index] = value
            }
            return true
          }
        }
      }
    }
    if inLimits { return q }
    guard !collinear.isEmpty else { return nil }
    return resplit(angles: angles, reference: reference, near: start)
  }

  /// A branch that missed the limits at a singularity where two of its axes lie on one line, with
  /// the pair split nearest `start` inside the limits (`CollinearPair.split`); `nil` where no pair
  /// holds there or some joint still misses its limits. The free joint is given, so a pair with it
  /// is left as it is.
  private func resplit(angles: InlineArray<6, Double>, reference: [Double], near start: [Double]) -> [Double]?
  {
    // Every joint's value for its angle in the copy nearest the start, limits aside.
    var q = reference
    for place in chainJoints.indices {
      let index = chainJoints[place]
      let value = reference[index] + angles[place]
      q[index] = value + 2 * .pi * ((start[index] - value) / (2 * .pi)).rounded()
    }
    var moved = Set<Int>()
    for pair in collinear
    where pair.first != freeJoint && pair.second != freeJoint && pair.holds(at: q)
      && !moved.contains(pair.first) && !moved.contains(pair.second)
    {
      guard
        let split = pair.split(
          q[pair.first], q[pair.second], near: start[pair.first], start[pair.second],
          firstLimits: limits[pair.first], secondLimits: limits[pair.second])
      else { continue }
      (q[pair.first], q[pair.second]) = split
      moved.formUnion([pair.first, pair.second])
    }
    guard !moved.isEmpty else { return nil }
    for index in chainJoints where !moved.contains(index) {
      let joint = AngleJoint(sign: 1, offset: 0, limits: limits[index])
      guard let value = joint.value(forAngle: q[index], nearest: start[index]) else { return nil }
      q[index] = value
    }
    return q
  }

  /// The family where a seven-joint arm's free joint is at `freeValue` (clamped into its limits).
  private enum MovedFamily {
    /// Where it was found: six joints, no value, or the reference value.
    case home
    /// Moved, with the joint values its angles are measured from.
    case moved(SixJointFamily, reference: [Double])
    /// The family's structure degenerates at that value.
    case degenerate
  }

  private func moved(freeValue: Double?) -> MovedFamily {
    // The free joint keeps its limits too (a locked joint its one value), whatever it is given.
    guard let freeJoint, let freeAxis, let given = freeValue, given.isFinite,
      case let freeValue = robot.movableJoints[freeJoint].limits?.clamp(given) ?? given,
      freeValue != reference[freeJoint]
    else { return .home }
    var reference = self.reference
    let change = freeValue - reference[freeJoint]
    let motion: Transform3
    if freeAxis.slides {
      motion = Transform3(translation: freeAxis.axis * change)
    } else {
      let rotation = Rotation3(axis: freeAxis.axis, angle: change)
      motion = Transform3(rotation: rotation, translation: freeAxis.point - rotation * freeAxis.point)
    }
    // The chain's axes from the free joint's place on follow it (chain index = joint index there).
    let chain = self.chain.moving(from: freeJoint, by: motion)
    reference[freeJoint] = freeValue
    // The geometry moves with the free joint; at a few values a family's structure degenerates.
    guard
      let moved = self.family.refit(chain, scale: scale)
        ?? (try? SixJointFamily.detect(chain, scale: scale).get())
    else { return .degenerate }
    return .moved(moved, reference: reference)
  }

  /// The family's branches for `target` at `freeValue` (clamped into the free joint's limits),
  /// without the repeats of tangent cases, and the joint values their angles are measured from;
  /// `nil` where the family's structure degenerates at that value.
  private func distinctBranches(for target: Transform3, freeValue: Double?) -> (
    branches: [ScrewBranch], reference: [Double]
  )? {
    let branches: [ScrewBranch]
    let reference: [Double]
    switch moved(freeValue: freeValue) {
    case .home:
      // Read in place: a copy of the family would retain and release each of its parts.
      (branches, reference) = (self.family.branches(for: target), self.reference)
    case .moved(let family, let moved): (branches, reference) = (family.branches(for: target), moved)
    case .degenerate: return nil
    }
    // Tangent cases return one branch twice; whole-turn copies are distinct by construction.
    func isRepeat(_ number: Int) -> Bool {
      branches[..<number].contains { $0.sameAngles(as: branches[number]) }
    }
    guard branches.indices.contains(where: isRepeat) else { return (branches, reference) }
    return (branches.indices.filter { !isRepeat($0) }.map { branches[$0] }, reference)
  }

  /// Compares the chain's forward kinematics with the robot's on seeded random configurations, so
  /// a robot whose geometry the extraction misread is refused instead of mis-solved.
  private static func verify(_ robot: RobotModel, freeJoint: Int?, reference: [Double], scale: Double)
    throws(IKError)
  {
    var generator = SplitMix64(seed: 0x5EED)
    let checks = freeJoint == nil ? 64 : 16
    var misses = 0
    // Six joints: one chain and one family serve every check (the chain depends on no value).
    let fixedChain = freeJoint == nil ? ScrewChain(robot: robot, reference: reference) : nil
    let fixedFamily = fixedChain.flatMap { try? SixJointFamily.detect($0, scale: scale).get() }
    for _ in 0..<checks {
      let q = robot.randomConfiguration(using: &generator)
      var reference = reference
      var held: Set<Int> = []
      if let freeJoint {
        reference[freeJoint] = q[freeJoint]
        held = [freeJoint]
      }
      let chain = fixedChain ?? ScrewChain(robot: robot, reference: reference, held: held)
      let angles = q.indices.filter { !held.contains($0) }.map { q[$0] - reference[$0] }
      let modelled = chain.pose(angles)
      let actual = robot.tipPose(at: q)
      let positionGap = (modelled.translation - actual.translation).length
      let rotationGap = modelled.rotation.angle(to: actual.rotation)
      guard positionGap <= 1e-9 * scale, rotationGap <= 1e-9 else {
        throw .noClosedForm(
          robot: robot.name,
          reason:
            "its screw-axis model disagrees with its forward kinematics (\(positionGap) m, \(rotationGap) rad)"
        )
      }
      // The family must also solve: one found at a special value of the free joint (the Panda's
      // joint 5 at 0 makes axes 4 and 6 parallel) holds there only, and would mis-solve elsewhere.
      let family = fixedFamily ?? (try? SixJointFamily.detect(chain, scale: scale).get())
      if !solvesExactly(robot, actual, family: family, reference: reference, held: held, scale: scale) {
        misses += 1
      }
    }
    // A random configuration next to a singularity may lose digits; a wrong family misses most.
    guard misses <= 1 else {
      throw .noClosedForm(
        robot: robot.name,
        reason: "its family solves the poses of \(misses) of \(checks) random configurations wrongly")
    }
  }

  /// Whether some branch of `family` (the robot's chain at `reference`, with `held` joints given;
  /// `nil` when none was found there) reaches `pose` to rounding (angles as they come, limits
  /// ignored: the geometry is checked).
  private static func solvesExactly(
    _ robot: RobotModel, _ pose: Transform3, family: SixJointFamily?, reference: [Double], held: Set<Int>,
    scale: Double
  ) -> Bool {
    guard let family else { return false }
    let chainJoints = robot.movableJoints.indices.filter { !held.contains($0) }
    return family.branches(for: pose).contains { branch in
      var q = reference
      for (place, index) in chainJoints.enumerated() { q[index] = reference[index] + branch.angles[place] }
      let reached = robot.tipPose(at: q)
      return (reached.translation - pose.translation).length <= 1e-8 * scale
        && reached.rotation.angle(to: pose.rotation) <= 1e-8
    }
  }

}
