import Foundation

/// One solution branch of a chain's closed form: model angles (radians, in (−π, π], measured from
/// the chain's reference configuration) and how exactly its subproblems were solved.
///
/// The angles are held inline: a closed form builds up to eight branches per target, at every
/// value of a free-joint sweep.
struct ScrewBranch: Sendable {
  var angles: InlineArray<6, Double>
  var condition: SubproblemCondition

  init(angles: InlineArray<6, Double>, condition: SubproblemCondition) {
    self.angles = angles
    self.condition = condition
  }

  /// The positioning joints' angles, then the wrist's.
  init(_ first: AngleTriple, _ last: AngleTriple) {
    angles = [first.angles.x, first.angles.y, first.angles.z, last.angles.x, last.angles.y, last.angles.z]
    condition = first.condition.combined(with: last.condition)
  }

  /// The branch of the reversed chain (``ScrewChain/reversed``) in the chain's own order and
  /// sense: angles reversed and negated.
  var reversed: ScrewBranch {
    var flipped = angles
    for index in 0..<6 { flipped[index] = -angles[5 - index] }
    return ScrewBranch(angles: flipped, condition: condition)
  }

  /// Whether every angle equals `other`'s up to whole turns (to `tolerance` radians), for angles
  /// in (−π, π] as the subproblems return them (any two differ by less than two turns).
  @inline(__always) func sameAngles(as other: ScrewBranch, tolerance: Double = 1e-9) -> Bool {
    for index in 0..<6 {
      let gap = abs(angles[index] - other.angles[index])
      if min(gap, abs(2 * .pi - gap)) >= tolerance { return false }
    }
    return true
  }
}

/// Three angles of a branch (the positioning joints', or the wrist's), held inline, and how
/// exactly they were found.
struct AngleTriple: Sendable {
  var angles: SIMD3<Double>
  var condition: SubproblemCondition

  init(_ a: Double, _ b: Double, _ c: Double, condition: SubproblemCondition) {
    angles = SIMD3(a, b, c)
    self.condition = condition
  }
}
