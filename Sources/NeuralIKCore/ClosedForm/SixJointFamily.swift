import Foundation

/// The closed-form family of a six-revolute-joint chain, found from its axes alone.
///
/// A family at the base end is the same as one at the tool end of the reversed chain
/// (``ScrewChain/reversed``), so two solvers cover four families: spherical wrist, spherical
/// shoulder, and three parallel axes next to a meeting pair at either end.
enum SixJointFamily: Sendable {
  case sphericalWrist(SphericalWristFamily)
  case threeParallel(ThreeParallelFamily)
  /// A family of the reversed chain: angles and order flip on the way back.
  indirect case reversed(SixJointFamily)

  /// The family of `chain`, or every reason it has none (one per family checked).
  static func detect(_ chain: ScrewChain, scale: Double) -> Result<Self, FamilyMismatch> {
    guard chain.axes.count == 6 else {
      return .failure(FamilyMismatch("the closed forms take 6 revolute joints, not \(chain.axes.count)"))
    }
    var reasons: [String] = []
    let backwards = chain.reversed
    switch SphericalWristFamily.detect(chain, scale: scale) {
    case .success(let family): return .success(.sphericalWrist(family))
    case .failure(let mismatch): reasons.append("spherical wrist: \(mismatch.reason)")
    }
    switch SphericalWristFamily.detect(backwards, scale: scale) {
    case .success(let family): return .success(.reversed(.sphericalWrist(family)))
    case .failure(let mismatch):
      reasons.append("spherical shoulder: \(mirrored(mismatch.reason))")
    }
    switch ThreeParallelFamily.detect(chain, scale: scale) {
    case .success(let family): return .success(.threeParallel(family))
    case .failure(let mismatch): reasons.append("three parallel axes: \(mismatch.reason)")
    }
    switch ThreeParallelFamily.detect(backwards, scale: scale) {
    case .success(let family): return .success(.reversed(.threeParallel(family)))
    case .failure(let mismatch):
      reasons.append("three parallel axes from the tool: \(mirrored(mismatch.reason))")
    }
    return .failure(FamilyMismatch(reasons.joined(separator: "; ")))
  }

  /// The same family found again in `chain` (the chain moved by a held joint), or `nil` when
  /// its structure does not hold there: cheaper than ``detect(_:scale:)``, which tries every
  /// family in turn.
  func refit(_ chain: ScrewChain, scale: Double) -> Self? {
    switch self {
    case .sphericalWrist:
      return try? SphericalWristFamily.detect(chain, scale: scale).map(Self.sphericalWrist).get()
    case .threeParallel:
      return try? ThreeParallelFamily.detect(chain, scale: scale).map(Self.threeParallel).get()
    case .reversed(let family):
      return family.refit(chain.reversed, scale: scale).map(Self.reversed)
    }
  }

  /// Every branch reaching `target`, a tool pose in the base frame.
  func branches(for target: Transform3) -> [ScrewBranch] {
    var collector = BranchCollector()
    visitBranches(for: target, &collector)
    return collector.branches
  }

  /// The branches reaching `target` that `visitor` lets the walk reach (``BranchVisitor``).
  func visitBranches<Visitor: BranchVisitor>(for target: Transform3, _ visitor: inout Visitor) {
    switch self {
    case .sphericalWrist(let family): family.visitBranches(for: target, &visitor)
    case .threeParallel(let family): family.visitBranches(for: target, &visitor)
    case .reversed(let family):
      var reversed = ReversedBranchVisitor(base: visitor)
      family.visitBranches(for: target.inverse, &reversed)
      visitor = reversed.base
    }
  }

  var description: String {
    switch self {
    case .sphericalWrist(let family): return family.description
    case .threeParallel(let family): return family.description
    case .reversed(.sphericalWrist):
      return "spherical shoulder (first three axes meet), solved as the reversed chain"
    case .reversed(let family): return "\(family.description) of the reversed chain"
    }
  }

  /// A reversed chain's reason in the robot's own joint numbers (axis i of six is axis 7 − i).
  private static func mirrored(_ reason: String) -> String {
    let names = [
      "the last three axes": "the first three axes", "the first three axes": "the last three axes",
      "axes 1 and 2": "axes 6 and 5", "axes 2 and 3": "axes 5 and 4", "axes 2, 3 and 4": "axes 5, 4 and 3",
      "axes 2–4": "axes 3–5", "axes 5 and 6": "axes 2 and 1", "axis 1 or 5": "axis 6 or 2",
    ]
    var text = reason
    var replaced: [(String, String)] = []
    for (index, (from, to)) in names.sorted(by: { $0.key.count > $1.key.count }).enumerated() {
      let token = "\u{1}\(index)\u{1}"
      text = text.replacingOccurrences(of: from, with: token)
      replaced.append((token, to))
    }
    for (token, to) in replaced { text = text.replacingOccurrences(of: token, with: to) }
    return text
  }
}
