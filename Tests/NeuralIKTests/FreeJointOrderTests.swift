import NeuralIKCore
import PropertyBased
import TestSupport
import Testing

@testable import NeuralIK

@Suite("A plan's scans of the free joint, and its windows")
struct FreeJointOrderTests {
  typealias Case = (values: [Double], query: Double, width: Double, circular: Bool)

  /// Layers of one to forty values in increasing order (as the planner makes them): on a circle
  /// over a turn or up to two (values a turn apart included), on a line over any range.
  static let input = Generator<Case, Shrink.None<Case>> { rng in
    let circular = Bool.random(using: &rng)
    let range =
      circular
      ? Double.random(in: (2 * .pi)...(4 * .pi), using: &rng) : Double.random(in: 0.1...6, using: &rng)
    let lower = Double.random(in: -range...0, using: &rng)
    let values = (0..<Int.random(in: 1...40, using: &rng)).map { _ in
      lower + Double.random(in: 0...range, using: &rng)
    }
    return (
      values.sorted(), lower + Double.random(in: 0...range, using: &rng),
      Double.random(in: 0...4, using: &rng),
      circular
    )
  }

  @Test(
    "scan: each configuration within the bound of the value is visited once, nearest first (the short way on a circle), and none beyond"
  )
  func scanVisitsNearestFirst() async {
    await propertyCheck(law: "free-joint scan visits nearest first", count: 2000, input: Self.input) { c in
      let order = FreeJointOrder(c.values.map { [0, $0] }, free: 1, circular: c.circular)
      func change(_ value: Double) -> Double {
        c.circular ? abs((value - c.query).remainder(dividingBy: 2 * .pi)) : abs(value - c.query)
      }
      // A value within rounding of the bound may fall either side of it.
      guard c.values.allSatisfy({ abs(change($0) - c.width) > 1e-9 }) else { return }
      var visited: [Int] = []
      order.scan(from: c.query, while: { $0 <= c.width }) { visited.append($0) }
      let expected = c.values.indices.filter { change(c.values[$0]) <= c.width }
      #expect(visited.sorted() == expected, "visited \(visited)")
      let changes = visited.map { change(c.values[$0]) }
      #expect(zip(changes, changes.dropFirst()).allSatisfy { $0 <= $1 + 1e-9 }, "changes \(changes)")
    }
  }

  @Test("scan: a bound that the visits narrow ends the scan at the first change beyond it")
  func narrowingBoundEndsTheScan() {
    let values = stride(from: -3.0, through: 3.0, by: 0.5).map { [$0] }
    let order = FreeJointOrder(values, free: 0, circular: true)
    var bound = 10.0
    var visited: [Double] = []
    // From 2.9: 3.0 first (0.1), then −3.0 across the seam (0.383), then 2.5 (0.4).
    order.scan(from: 2.9, while: { $0 < bound }) { index in
      visited.append(values[index][0])
      bound = 0.39
    }
    #expect(visited == [3.0, -3.0])
  }

  @Test(
    "plan windows: a stretch is covered in order by windows of at most 751 targets, each after the first beginning 250 targets before the one before it ends",
    arguments: [0...0, 3...753, 0...751, 10...2_000, 0...100_000])
  func windowsCoverTheStretch(stretch: ClosedRange<Int>) {
    let windows = Solver.windows(of: stretch)
    #expect(windows.first?.lowerBound == stretch.lowerBound && windows.last?.upperBound == stretch.upperBound)
    #expect(windows.allSatisfy { $0.count <= Solver.planWindow })
    for (before, window) in zip(windows, windows.dropFirst()) {
      #expect(window.lowerBound == before.upperBound + 1 - Solver.planReach.before)
    }
    #expect(windows.count == 1 || stretch.count > Solver.planWindow)
  }
}
