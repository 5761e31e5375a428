import Foundation

/// Six revolute joints whose axes 2, 3 and 4 are parallel and whose axes 5 and 6 meet (the UR
/// family), solved by the subproblem decomposition of Elias and Wen's IK-Geo.
///
/// Parallel axes keep heights along their common direction `h` and turn orientations about it
/// only, so: subproblem 4 gives joint 1 (the meeting point of axes 5 and 6 must sit at its
/// height), subproblem 2 gives joints 5 and 6 (they must carry `h` into place), subproblem 1 the
/// sum of the parallel joints, and a planar two-link step (subproblems 3 and 1) joints 2 and 3.
/// Up to 2 · 2 · 2 = 8 branches.
struct ThreeParallelFamily: Sendable {
  let chain: ScrewChain
  /// Where axes 5 and 6 meet, at the reference configuration (base frame, metres).
  let center: Vector3

  static func detect(_ chain: ScrewChain, scale: Double) -> Result<Self, FamilyMismatch> {
    let k = chain.axes
    guard AxisLines.parallel(k[1], k[2]), AxisLines.parallel(k[2], k[3]) else {
      return .failure(FamilyMismatch("axes 2, 3 and 4 are not parallel"))
    }
    guard !AxisLines.parallel(k[0], k[1]), !AxisLines.parallel(k[3], k[4]) else {
      return .failure(FamilyMismatch("axes 2–4 are parallel, and so is axis 1 or 5"))
    }
    guard let center = AxisLines.intersection(chain.points[4], k[4], chain.points[5], k[5], scale: scale)
    else { return .failure(FamilyMismatch("axes 2–4 are parallel, but axes 5 and 6 do not meet")) }
    return .success(ThreeParallelFamily(chain: chain, center: center))
  }

  func branches(for target: Transform3) -> [ScrewBranch] {
    var collector = BranchCollector()
    visitBranches(for: target, &collector)
    return collector.branches
  }

  /// The branches reaching `target`, walked joint 1 first, then joints 5 and 6, then the elbow,
  /// each level's children in order of `visitor`'s bound and only while it lets them.
  func visitBranches<Visitor: BranchVisitor>(for target: Transform3, _ visitor: inout Visitor) {
    let (k, o) = (chain.axes, chain.points)
    let h = k[1]
    let signs = (k[2].dot(h), k[3].dot(h))
    let rotation = target.rotation * chain.home.rotation.transposed
    // Joints 5 and 6 turn about lines through `center`, so its target follows from the tool's.
    let centerTarget = target.translation - rotation * (chain.home.translation - center)
    let probe = unitPerpendicular(to: h)
    var angles = InlineArray<6, Double>(repeating: 0)
    // h · E₀⁻¹ centerTarget = h · center: joints 1–3 cannot change that height.
    let first = subproblem4(axis: k[0], from: centerTarget - o[0], direction: h, height: h.dot(center - o[0]))
    visitor.children(
      first.values.count, known: 0b000001,
      angles: { child in
        var partial = angles
        partial[0] = -first.values[child]
        return partial
      }
    ) { visitor, child in
      let minusTheta0 = first.values[child]
      angles[0] = -minusTheta0
      let r0 = Rotation3(axis: k[0], angle: -minusTheta0)
      // E₀(−θ₀) turns about the line through o₀ by the transpose of r0.
      let pulled = o[0] + r0.transposedTimes(centerTarget - o[0])
      let shoulderBack = r0.transposed * rotation
      // hᵀ R₀ᵀ R = hᵀ R₄ R₅, i.e. rot(k₄, −θ₄) h = rot(k₅, θ₅) (Rᵀ R₀ h).
      let carried = rotation.transposedTimes(r0 * h)
      let wrist = subproblem2(axis: k[4], from: h, axis: k[5], from: carried)
      var wristPairs = wrist.valuePairs
      // The wrist straight: `h` lies along axis 6 (to rounding, which the subproblem cannot tell
      // from a near miss), so joint 6 turns about it freely.
      if k[5].cross(carried).length <= 1e-10 {
        let repicked = { (pair: (Double, Double)) in
          (
            pair.0,
            singularWristAngle(pair.1, minusTheta4: pair.0, pulled: pulled, shoulderBack: shoulderBack)
          )
        }
        wristPairs =
          wristPairs.count == 1
          ? OneOrTwo(repicked(wristPairs[0])) : OneOrTwo(repicked(wristPairs[0]), repicked(wristPairs[1]))
      }
      visitor.children(
        wristPairs.count, known: 0b110001,
        angles: { child in
          var partial = angles
          (partial[4], partial[5]) = (-wristPairs[child].0, wristPairs[child].1)
          return partial
        }
      ) { visitor, child in
        let (minusTheta4, theta5) = wristPairs[child]
        (angles[4], angles[5]) = (-minusTheta4, theta5)
        let r4 = Rotation3(axis: k[4], angle: -minusTheta4)
        let r5 = Rotation3(axis: k[5], angle: theta5)
        // R₁₂₃ = R₀ᵀ R R₅ᵀ R₄ᵀ acts on two vectors only: products of vectors, not of matrices.
        let parallel = { (v: Vector3) in shoulderBack * r5.transposedTimes(r4.transposedTimes(v)) }
        let sum = subproblem1(axis: h, from: probe, to: parallel(probe))
        // E₁ E₂ o₃ = pulled − R₁₂₃ (center − o₃): a planar two-link problem.
        let elbowTarget = pulled - parallel(center - o[3])
        let elbow = subproblem3(
          axis: k[2], from: o[3] - o[2], to: o[1] - o[2], distance: (elbowTarget - o[1]).length)
        // The elbow's branches are complete: each leaf's bound is its distance, or near it.
        var leaves = InlineArray<2, ScrewBranch>(repeating: ScrewBranch(angles: angles, condition: .exact))
        for (index, theta2) in elbow.values.enumerated() {
          let moved = chain.moved(o[3], 2, theta2)
          let shoulder = subproblem1(axis: k[1], from: moved - o[1], to: elbowTarget - o[1])
          let theta1 = shoulder.values[0]
          let theta3 = signs.1 * (sum.values[0] - theta1 - signs.0 * theta2)
          let condition = first.condition.combined(with: wrist.condition).combined(with: sum.condition)
            .combined(with: elbow.condition).combined(with: shoulder.condition)
          (angles[1], angles[2], angles[3]) = (theta1, theta2, wrapAngle(theta3))
          leaves[index] = ScrewBranch(angles: angles, condition: condition)
        }
        visitor.children(elbow.values.count, known: 0b111111, angles: { leaves[$0].angles }) {
          visitor, child in
          visitor.visit(leaves[child])
        }
      }
    }
  }

  /// Joint 6's angle where joint 5 lines its axis up with the parallel ones (the wrist straight):
  /// any angle sets the orientation, with the parallel joints' sum making up the rest, but the
  /// offset from axis 4 to the wrist centre turns with it, and the elbow reaches that centre for a
  /// range of angles only. `representative` where the elbow reaches it, or where no angle changes
  /// the elbow's distance; otherwise the angle nearest it that puts the elbow's squared distance in
  /// the middle of its range (the nearest to it where none does), so that the branch reaches
  /// wherever the continuum does. Joint 6's limits are not consulted: a lock or limit the angle
  /// misses drops the branch, which the verdict on a miss allows for
  /// (``AnalyticSolver/reachingBranchMeetsSingularity(for:nearness:)``).
  private func singularWristAngle(
    _ representative: Double, minusTheta4: Double, pulled: Vector3, shoulderBack: Rotation3
  ) -> Double {
    let (k, o) = (chain.axes, chain.points)
    // elbowTarget(θ₆) − o₁ = pulled − o₁ − shoulderBack · rot(k₆, −θ₆) · w.
    let w = Rotation3(axis: k[4], angle: -minusTheta4).transposedTimes(center - o[3])
    let u = shoulderBack.transposedTimes(pulled - o[1])
    let along = k[5] * k[5].dot(w)
    let across = w - along
    let base = (pulled - o[1]).dot(pulled - o[1]) + w.dot(w) - 2 * u.dot(along)
    // d²(θ) = base − 2 (a cos θ + b sin θ).
    let (a, b) = (u.dot(across), -u.dot(k[5].cross(w)))
    let squared = { (theta: Double) in base - 2 * (a * cos(theta) + b * sin(theta)) }
    // The elbow's reach (subproblem 3's): axial² + (|p′| ∓ |q′|)².
    let (p, q) = (o[3] - o[2], o[1] - o[2])
    let (pPlane, qPlane) = (perpendicular(p, to: k[2]).length, perpendicular(q, to: k[2]).length)
    let axial = k[2].dot(p - q)
    let (least, most) = (
      axial * axial + (pPlane - qPlane) * (pPlane - qPlane),
      axial * axial + (pPlane + qPlane) * (pPlane + qPlane)
    )
    let current = squared(representative)
    guard current < least || current > most else { return representative }
    let scale = max((pulled - o[1]).length, w.length, most.squareRoot(), 1e-300)
    // No offset to turn (the wrist centre on axis 6's line through axis 4): nothing to choose.
    guard (a * a + b * b).squareRoot() > subproblemZero * scale * scale else { return representative }
    let angles = solveCosineSine(a: a, b: b, c: (base - (least + most) / 2) / 2, scale: scale * scale).values
    return angles.min { abs(wrapAngle($0 - representative)) < abs(wrapAngle($1 - representative)) }
      ?? representative
  }

  var description: String { "three parallel axes (axes 2–4 parallel, axes 5 and 6 meet)" }
}
