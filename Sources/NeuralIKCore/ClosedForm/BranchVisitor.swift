/// What a closed form's tree of branches is walked for: a family solves its chain's angles a few at
/// a time (a subproblem with up to two answers at each step), and asks its visitor, before it
/// solves on below a partial branch, whether any branch there could still matter.
///
/// A visitor after the branch nearest a start bounds the distance of every branch below a
/// partial one by the joints it already knows, and skips the partial ones bounded beyond the
/// nearest complete branch found so far: branch and bound. Children are walked in order of their
/// bound, so the nearest branch usually comes first and its siblings are skipped; the answer is
/// the one the full list would give, in a fraction of the time.
protocol BranchVisitor {
  /// A lower bound on the distance of every branch whose angles at the chain places in `known`
  /// (bit `i`: place `i`) are those in `angles` (the other entries are meaningless); infinity
  /// where no such branch can be taken.
  func bound(_ angles: InlineArray<6, Double>, known: UInt8) -> Double
  /// Partial branches whose bound is not below this are skipped.
  var limit: Double { get }
  /// A complete branch.
  mutating func visit(_ branch: ScrewBranch)
}

extension BranchVisitor {
  /// Visits children `0..<count` (at most four), whose angles at the places in `known` are
  /// `angles(child)`, in order of their bounds (ties in order), each only while its bound is
  /// below ``limit``, which each visit may lower.
  mutating func children(
    _ count: Int, known: UInt8, angles: (Int) -> InlineArray<6, Double>, _ body: (inout Self, Int) -> Void
  ) {
    precondition(count <= 4, "a closed form's level has at most four children, not \(count)")
    var order = InlineArray<4, Int>(repeating: 0)
    var bounds = InlineArray<4, Double>(repeating: 0)
    // Insertion by bound: at most four.
    for child in 0..<count {
      let value = bound(angles(child), known: known)
      var place = child
      while place > 0, bounds[place - 1] > value {
        (bounds[place], order[place]) = (bounds[place - 1], order[place - 1])
        place -= 1
      }
      (bounds[place], order[place]) = (value, child)
    }
    for rank in 0..<count where bounds[rank] < limit { body(&self, order[rank]) }
  }
}

/// Every branch, in the order the family finds them.
struct BranchCollector: BranchVisitor {
  var branches: [ScrewBranch] = []

  init() {
    // At most 2 · 2 · 2 branches: one allocation, not one per growth.
    branches.reserveCapacity(8)
  }

  func bound(_ angles: InlineArray<6, Double>, known: UInt8) -> Double { 0 }
  var limit: Double { .infinity }
  mutating func visit(_ branch: ScrewBranch) { branches.append(branch) }
}

/// A visitor of the chain walked through its reversed chain (``ScrewChain/reversed``): place `i`
/// there is place `5 − i` here, its angle negated.
struct ReversedBranchVisitor<Base: BranchVisitor>: BranchVisitor {
  var base: Base

  func bound(_ angles: InlineArray<6, Double>, known: UInt8) -> Double {
    var flipped = InlineArray<6, Double>(repeating: 0)
    var flippedKnown: UInt8 = 0
    for place in 0..<6 where known & (1 << place) != 0 {
      flipped[5 - place] = -angles[place]
      flippedKnown |= 1 << (5 - place)
    }
    return base.bound(flipped, known: flippedKnown)
  }

  var limit: Double { base.limit }
  mutating func visit(_ branch: ScrewBranch) { base.visit(branch.reversed) }
}
