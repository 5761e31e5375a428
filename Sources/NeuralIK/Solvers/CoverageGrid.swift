/// Configurations bucketed by two joints' values, to ask whether any lies within `near` of a
/// configuration in every joint (``JointDistance/change(_:_:joint:)``) in a few comparisons
/// rather than one per configuration held: the sampled walks along a seven-joint arm's
/// self-motion ask it at every step, against up to 2,048 samples (a scan of them all made the
/// sampling of a layer several times slower).
///
/// A full-turn joint's values are bucketed modulo a turn. Neighbouring buckets are searched, so
/// every configuration within `near` is found, but for one pair across a full-turn joint's seam
/// when its last bucket is narrower than `near`: a miss only samples a stretch twice.
struct CoverageGrid {
  private let near: Double
  private let distance: JointDistance
  /// The two joints the buckets are keyed by (the same joint twice on a one-joint arm).
  private let keyed: (Int, Int)
  /// Buckets per turn of each keyed joint that turns all the way; `nil` for one that does not.
  private let turns: (Int?, Int?)
  private var cells: [SIMD2<Int>: [[Double]]] = [:]

  /// Every configuration added.
  private(set) var count = 0

  /// An empty grid for configurations of `joints` values, measured by `distance`.
  init(near: Double, joints: Int, distance: JointDistance) {
    self.near = near
    self.distance = distance
    keyed = (0, min(1, max(0, joints - 1)))
    func buckets(_ joint: Int) -> Int? {
      distance.wraps(joint: joint) ? Int((2 * Double.pi / near).rounded(.up)) : nil
    }
    turns = (buckets(keyed.0), buckets(keyed.1))
  }

  private func bucket(_ value: Double, turn: Int?) -> Int {
    guard let turn else { return Int((value / near).rounded(.down)) }
    let wrapped = value - 2 * .pi * (value / (2 * .pi)).rounded(.down)
    return min(turn - 1, Int((wrapped / near).rounded(.down)))
  }

  private func key(_ q: [Double]) -> SIMD2<Int> {
    SIMD2(bucket(q[keyed.0], turn: turns.0), bucket(q[keyed.1], turn: turns.1))
  }

  /// Adds `q`.
  mutating func insert(_ q: [Double]) {
    cells[key(q), default: []].append(q)
    count += 1
  }

  /// Adds every one of `configurations`.
  mutating func insert(contentsOf configurations: [[Double]]) {
    for q in configurations { insert(q) }
  }

  /// Whether a configuration added lies within `near` of `q` in every joint.
  func covers(_ q: [Double]) -> Bool {
    let centre = key(q)
    for da in -1...1 {
      for db in -1...1 {
        var cell = centre &+ SIMD2(da, db)
        if let turn = turns.0 { cell.x = (cell.x % turn + turn) % turn }
        if let turn = turns.1 { cell.y = (cell.y % turn + turn) % turn }
        guard let held = cells[cell] else { continue }
        for other in held where within(other, q) { return true }
      }
    }
    return false
  }

  private func within(_ a: [Double], _ b: [Double]) -> Bool {
    for joint in a.indices where distance.change(a[joint], b[joint], joint: joint) > near { return false }
    return true
  }
}
