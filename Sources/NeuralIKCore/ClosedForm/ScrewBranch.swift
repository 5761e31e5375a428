import Foundation

/// One solution branch of a chain's closed form: model angles (radians, in (−π, π], measured from
/// the chain's reference configuration) and how exactly its subproblems were solved.
struct ScrewBranch: Sendable {
  var angles: [Double]
  var condition: SubproblemCondition
}
