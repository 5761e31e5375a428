import Foundation

/// The last three joints of a chain setting an orientation: finds (θ₃, θ₄, θ₅) with
/// `R₃ R₄ R₅ = rotation`, for consecutive axes that are not parallel (a spherical wrist's).
///
/// Subproblem 2 turns axis 5's direction into place with joints 3 and 4, then subproblem 1 sets
/// joint 5 about it. Up to two branches; where axes 3 and 5 line up, joint 3's angle is free and
/// the branch is flagged singular.
enum WristOrientation {
  static func solve(_ chain: ScrewChain, rotation: Rotation3) -> [AngleTriple] {
    let (k3, k4, k5) = (chain.axes[3], chain.axes[4], chain.axes[5])
    // R₃ R₄ k₅ = rotation k₅, i.e. rot(k₃, −θ₃) rotation k₅ = rot(k₄, θ₄) k₅.
    let pair = subproblem2(axis: k3, from: rotation * k5, axis: k4, from: k5)
    let probe = unitPerpendicular(to: k5)
    return pair.valuePairs.map { minusTheta3, theta4 in
      let remaining =
        (Rotation3(axis: k4, angle: theta4).transposed * Rotation3(axis: k3, angle: minusTheta3)) * rotation
      let last = subproblem1(axis: k5, from: probe, to: remaining * probe)
      return AngleTriple(
        -minusTheta3, theta4, last.values[0],
        condition: pair.condition.combined(with: last.condition))
    }
  }
}
