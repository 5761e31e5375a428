import Foundation

/// Six revolute joints whose last three axes meet in one point (a spherical wrist), with first
/// three that can place that point in closed form (two consecutive axes meeting or parallel).
///
/// The wrist centre depends on the first three joints only: they place it (``PositioningJoints``,
/// up to four branches), then the wrist sets the orientation (``WristOrientation``, up to two).
struct SphericalWristFamily: Sendable {
  let chain: ScrewChain
  /// Where the last three axes meet, at the reference configuration (base frame, metres).
  let center: Vector3
  let positioning: PositioningJoints

  /// The family in `chain`, or why it is not there.
  static func detect(_ chain: ScrewChain, scale: Double) -> Result<Self, FamilyMismatch> {
    let wrist = [3, 4, 5]
    guard
      let center = AxisLines.commonPoint(
        wrist.map { chain.points[$0] }, wrist.map { chain.axes[$0] }, scale: scale)
    else { return .failure(FamilyMismatch("the last three axes do not meet in one point")) }
    guard !AxisLines.parallel(chain.axes[3], chain.axes[4]), !AxisLines.parallel(chain.axes[4], chain.axes[5])
    else { return .failure(FamilyMismatch("the wrist's consecutive axes are parallel")) }
    guard let positioning = PositioningJoints.detect(chain, scale: scale) else {
      return .failure(
        FamilyMismatch(
          "the wrist's axes meet, but of the first three axes no consecutive two meet or are parallel"))
    }
    return .success(SphericalWristFamily(chain: chain, center: center, positioning: positioning))
  }

  /// Every branch reaching `target` (a tool pose in the base frame), least-squares ones flagged.
  func branches(for target: Transform3) -> [ScrewBranch] {
    var collector = BranchCollector()
    visitBranches(for: target, &collector)
    return collector.branches
  }

  /// The branches reaching `target`, walked the positioning joints first, then the wrist, each
  /// level's children in order of `visitor`'s bound and only while it lets them.
  func visitBranches<Visitor: BranchVisitor>(for target: Transform3, _ visitor: inout Visitor) {
    // The wrist turns about its centre, so the centre's target follows from the tool's.
    let rotation = target.rotation * chain.home.rotation.transposed
    let centerTarget = target.translation - rotation * (chain.home.translation - center)
    let placings = positioning.solve(chain, point: center, target: centerTarget)
    func partial(_ placed: AngleTriple) -> InlineArray<6, Double> {
      var angles = InlineArray<6, Double>(repeating: 0)
      (angles[0], angles[1], angles[2]) = (placed.angles.x, placed.angles.y, placed.angles.z)
      return angles
    }
    visitor.children(placings.count, known: 0b000111, angles: { partial(placings[$0]) }) { visitor, child in
      let placed = placings[child]
      var arm = Rotation3.identity
      for index in 0..<3 { arm = arm * Rotation3(axis: chain.axes[index], angle: placed.angles[index]) }
      let wrists = WristOrientation.solve(chain, rotation: arm.transposed * rotation)
      visitor.children(wrists.count, known: 0b111111, angles: { ScrewBranch(placed, wrists[$0]).angles }) {
        visitor, child in
        visitor.visit(ScrewBranch(placed, wrists[child]))
      }
    }
  }

  var description: String { "spherical wrist (last three axes meet; \(positioning.description))" }
}

/// Why a chain is not of one closed-form family.
struct FamilyMismatch: Error, Sendable {
  let reason: String
  init(_ reason: String) { self.reason = reason }
}
