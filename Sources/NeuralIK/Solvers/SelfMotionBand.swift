/// The answers along a path of pose targets on an arm with one degree of self-motion (seven free
/// joints), moved along their self-motion to the path of least summed squared joint steps, the
/// first answer held: an elastic band.
///
/// Each answer solved from the one before takes the least joint motion for its step, but those
/// steps drift along the self-motion, and summed over a path they can carry the arm where the
/// targets need far larger steps (near a wrist singularity, or against a limit). Knowing every
/// target, the band moves every answer `i` along its self-motion (unit tangent `tᵢ`, the null
/// space of the target's Jacobian) by `Δsᵢ`, which to first order makes the energy
/// `Σ ‖qᵢ − qᵢ₋₁‖²` quadratic in `Δs` with a tridiagonal system, solved exactly each round; each
/// answer then slides back onto its target
/// (``LevenbergMarquardtSolver/slideNearest(_:from:along:maxSteps:)``), and the round is kept when
/// the energy falls (else halved). On 30 smooth paths each, the steps within twice the generating
/// path's largest went from 2,876 to 2,978 of 3,000 on the iiwa 14 and from 2,917 to 2,942 on the
/// Panda.
struct SelfMotionBand {
  /// Slides each answer back onto its target, on the solver's robot (restrictions included).
  let lm: LevenbergMarquardtSolver
  let distance: JointDistance
  /// Rounds of the band at most; it stops earlier when a round no longer lowers the energy.
  static let rounds = 20
  /// The largest move of one answer along its self-motion in one round (radians of joint motion):
  /// the linear model holds only nearby.
  static let largestMove = 0.3

  /// `path` (one reaching configuration per target of `targets`) after the rounds kept before a
  /// round that does not lower the energy, a target without one degree of self-motion (no
  /// tangent), or `deadline`; every answer reaches its target as the given ones did.
  func smoothed(_ path: [[Double]], targets: [IKTarget], until deadline: Deadline) -> [[Double]] {
    let count = path.count
    guard count > 2, count == targets.count else { return path }
    let residuals = targets.map { PoseResidual(robot: lm.robot, target: $0) }
    var q = path
    var energy = self.energy(q)
    var tangents = [[Double]?](repeating: nil, count: count)
    for _ in 0..<Self.rounds where !deadline.hasPassed {
      for index in 1..<count {
        tangents[index] = tangent(
          residuals[index], at: q[index], near: tangents[index] ?? tangents[index - 1])
      }
      guard let moves = moves(q, tangents: tangents) else { break }
      let largest = moves.map(abs).max() ?? 0
      var scale = largest > Self.largestMove ? Self.largestMove / largest : 1
      var lowered = false
      for _ in 0..<5 where !lowered {
        var moved = q
        for index in 1..<count {
          guard let t = tangents[index], moves[index] != 0 else { continue }
          let guess = zip(q[index], t).map { $0 + scale * moves[index] * $1 }
          if let slid = lm.slideNearest(targets[index], from: guess, along: q[index]).solution {
            moved[index] = slid.jointValues
          }
        }
        let movedEnergy = self.energy(moved)
        if movedEnergy < energy {
          (q, energy, lowered) = (moved, movedEnergy, true)
        } else {
          scale /= 2
        }
      }
      if !lowered { break }
    }
    return q
  }

  /// Σ ‖qᵢ − qᵢ₋₁‖², full-turn joints the short way round.
  private func energy(_ q: [[Double]]) -> Double {
    zip(q, q.dropFirst()).reduce(0) { total, pair in
      let step = distance(pair.0, pair.1)
      return total + step * step
    }
  }

  /// The moves `Δsᵢ` along the tangents (the first answer's 0) that minimise the linearised energy;
  /// `nil` when a tangent is missing or the system is singular. Setting the energy's derivative in
  /// `Δsₖ` to zero gives `−cₖ₋₁ₖ Δsₖ₋₁ + 2 Δsₖ − cₖₖ₊₁ Δsₖ₊₁ = (qₖ₊₁ − qₖ)·tₖ − (qₖ − qₖ₋₁)·tₖ`,
  /// with `c` the tangents' dot products (the last answer has no next step: `Δsₖ − cₖ₋₁ₖ Δsₖ₋₁ =
  /// −(qₖ − qₖ₋₁)·tₖ`); a tridiagonal system, solved by elimination.
  private func moves(_ q: [[Double]], tangents: [[Double]?]) -> [Double]? {
    let count = q.count
    var t: [[Double]] = [[]]
    for index in 1..<count {
      guard let tangent = tangents[index] else { return nil }
      t.append(tangent)
    }
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    func step(_ from: Int, _ to: Int) -> [Double] {
      q[to].indices.map { distance.signedChange(from: q[from][$0], to: q[to][$0], joint: $0) }
    }
    // Row k - 1 for the answer k in 1..<count: below, diagonal, above, right-hand side.
    var below = [Double](repeating: 0, count: count - 1)
    var diagonal = below
    var above = below
    var right = below
    for k in 1..<count {
      let back = dot(step(k - 1, k), t[k])
      below[k - 1] = k > 1 ? -dot(t[k - 1], t[k]) : 0
      if k < count - 1 {
        diagonal[k - 1] = 2
        above[k - 1] = -dot(t[k], t[k + 1])
        right[k - 1] = dot(step(k, k + 1), t[k]) - back
      } else {
        diagonal[k - 1] = 1
        right[k - 1] = -back
      }
    }
    // Forward elimination, then back substitution (the Thomas algorithm).
    for row in 1..<(count - 1) {
      guard diagonal[row - 1] != 0 else { return nil }
      let factor = below[row] / diagonal[row - 1]
      diagonal[row] -= factor * above[row - 1]
      right[row] -= factor * right[row - 1]
    }
    var result = [Double](repeating: 0, count: count)
    for row in stride(from: count - 2, through: 0, by: -1) {
      guard diagonal[row] != 0 else { return nil }
      let next = row + 1 < count - 1 ? result[row + 2] : 0
      result[row + 1] = (right[row] - above[row] * next) / diagonal[row]
    }
    return result.allSatisfy(\.isFinite) ? result : nil
  }

  /// The unit tangent of the self-motion at `q`: the null space of the target's Jacobian, one
  /// dimension; the projection of `near` (the last round's, or the previous answer's) when it has
  /// a part there, else of the joint direction with the largest, turned to agree with `near`.
  /// `nil` where the Jacobian's rows are dependent (a singularity).
  func tangent(_ residual: PoseResidual, at q: [Double], near hint: [Double]?) -> [Double]? {
    let n = q.count
    let m = residual.count
    guard n == m + 1 else { return nil }
    var f = [Double](repeating: 0, count: m)
    var jacobian = [Double](repeating: 0, count: m * n)
    var scratch = Jacobian(columns: n)
    residual.evaluate(at: q, residual: &f, jacobian: &jacobian, scratch: &scratch)
    var gram = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
      for j in 0...i {
        var sum = 0.0
        for c in 0..<n { sum += jacobian[i * n + c] * jacobian[j * n + c] }
        gram[i * m + j] = sum
      }
    }
    // The projection of e onto the null space: e − Jᵀ (J Jᵀ)⁻¹ J e; `nil` where J Jᵀ is singular.
    func projected(_ e: [Double]) -> [Double]? {
      var y = [Double](repeating: 0, count: m)
      for row in 0..<m {
        for c in 0..<n { y[row] += jacobian[row * n + c] * e[c] }
      }
      var factor = gram
      guard choleskySolve(&factor, &y, size: m) else { return nil }
      return (0..<n).map { c in e[c] - (0..<m).reduce(0) { $0 + jacobian[$1 * n + c] * y[$1] } }
    }
    func length(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    var best: [Double] = []
    var bestLength = 0.0
    if let hint {
      guard let projection = projected(hint) else { return nil }
      best = projection
      bestLength = length(best)
    }
    // A unit hint keeps most of its length in a one-dimensional null space it already followed.
    if bestLength < 0.3 {
      for joint in 0..<n {
        guard let candidate = projected((0..<n).map { $0 == joint ? 1 : 0 }) else { return nil }
        let candidateLength = length(candidate)
        if candidateLength > bestLength { (best, bestLength) = (candidate, candidateLength) }
      }
    }
    guard bestLength > 1e-9, bestLength.isFinite else { return nil }
    var unit = best.map { $0 / bestLength }
    if let hint, zip(unit, hint).reduce(0, { $0 + $1.0 * $1.1 }) < 0 { unit = unit.map { -$0 } }
    return unit
  }
}
