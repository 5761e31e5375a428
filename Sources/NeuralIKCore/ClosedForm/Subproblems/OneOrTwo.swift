/// One or two values, held inline: a subproblem has at most two answers, and a closed form calls
/// dozens of subproblems per target, so their answers allocate nothing.
struct OneOrTwo<Element> {
  private let first: Element
  private let second: Element?

  /// One value.
  init(_ only: Element) {
    first = only
    second = nil
  }

  /// Two values, in this order.
  init(_ first: Element, _ second: Element) {
    self.first = first
    self.second = second
  }
}

extension OneOrTwo: RandomAccessCollection {
  /// 0.
  var startIndex: Int { 0 }
  /// 1 or 2.
  var endIndex: Int { second == nil ? 1 : 2 }

  /// The first (0) or second (1) value.
  subscript(position: Int) -> Element {
    precondition(position >= 0 && position < endIndex, "index \(position) out of range 0..<\(endIndex)")
    if position == 1, let second { return second }
    return first
  }
}

extension OneOrTwo: Sendable where Element: Sendable {}

extension OneOrTwo: Equatable where Element: Equatable {
  /// The same values in the same order.
  static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.elementsEqual(rhs)
  }
}

extension OneOrTwo: Hashable where Element: Hashable {
  /// Hashes the values in order, agreeing with ``==(_:_:)``.
  func hash(into hasher: inout Hasher) {
    hasher.combine(count)
    for value in self { hasher.combine(value) }
  }
}
