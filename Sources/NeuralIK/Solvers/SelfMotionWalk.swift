/// Walks a redundant arm's self-motion, the curve of configurations that all reach one target,
/// both ways from a reaching configuration, looking for a member nearer a start.
///
/// ``NearestProjection`` lands on a *local* nearest member: the distance from the start along the
/// curve can have several minima (near a singularity, where the curve bends sharply, the Newton
/// steps from the start may settle on the farther one). The walk is a predictor–corrector
/// continuation: a step along the curve's tangent (the Jacobian's one-dimensional null space),
/// then minimum-norm Newton steps back onto the target, which are orthogonal to the tangent. It
/// stops at a joint limit, where the curve leaves the limits, or after ``maximumArc``. Only for
/// one degree of redundancy (seven joints and a pose, four and a position), where the curve is
/// one-dimensional; not for a tool axis, whose rows of the residual leave the Jacobian a rank
/// short.
struct SelfMotionWalk {
  let robot: RobotModel
  let residual: PoseResidual
  /// The squared residual at which a configuration counts as on the curve.
  let targetCost: Double
  /// The first step along the tangent (joint distance); it halves when the Newton steps do not
  /// return to the curve and doubles, up to ``maximumStep``, when they return at once.
  var initialStep = 0.05
  var maximumStep = 0.2
  /// Distance walked along the curve each way (joint distance), at most: a member nearer the
  /// start than `reaching` lies within twice `reaching`'s distance of it, so the walk goes
  /// ``arcPerDistance`` times that distance, and turns back sooner once the rest of its way could
  /// no longer bring it nearer than the nearest member seen (the distance to the start changes no
  /// faster than the distance walked).
  var maximumArc = 1.5
  var arcPerDistance = 3.0
  /// Newton steps back onto the curve after each step along it.
  var correctorSteps = 4
  /// Evaluations of FK with its Jacobian, in all.
  var maximumEvaluations = 200

  /// The reaching configuration along `reaching`'s curve nearest `start`, if nearer than `bar`
  /// (default: `reaching`'s distance) by more than `margin` (else `nil`), and the evaluations of
  /// FK with its Jacobian spent (at most ``maximumEvaluations``).
  func nearer(than reaching: [Double], to start: [Double], below bar: Double? = nil, margin: Double = 1e-9)
    -> (q: [Double]?, evaluations: Int)
  {
    let n = robot.degreesOfFreedom
    let m = residual.count
    guard n == m + 1, residual.target.axis == nil, maximumEvaluations > 0 else { return (nil, 0) }
    let distance = JointDistance(robot: robot)
    let joints = robot.movableJoints
    let lower = joints.map { $0.limits?.lower ?? -.infinity }
    let upper = joints.map { $0.limits?.upper ?? .infinity }
    var work = Workspace(m: m, n: n)
    var evaluations = 0
    let reference = distance(reaching, start)
    var best: [Double]?
    var bestDistance = min(bar ?? reference, reference) - margin
    // The distance to the start changes no faster than the distance walked.
    guard reference - maximumArc < bestDistance else { return (nil, 0) }
    let arc = min(maximumArc, arcPerDistance * reference)
    for sign in [1.0, -1.0] where evaluations < maximumEvaluations {
      var q = reaching
      evaluations += 1
      residual.evaluate(at: q, residual: &work.f, jacobian: &work.jacobian, scratch: &work.scratch)
      guard var tangent = work.initialTangent() else { return (best, evaluations) }
      for index in 0..<n { tangent[index] *= sign }
      var step = initialStep
      var walked = 0.0
      // One step along the curve evaluates at most `correctorSteps + 1` times.
      while walked < arc && evaluations + correctorSteps + 1 <= maximumEvaluations {
        var next = q
        var inside = true
        for index in 0..<n {
          next[index] += step * tangent[index]
          if next[index] < lower[index] || next[index] > upper[index] { inside = false }
        }
        // The curve leaves the limits ahead: shorter steps close in on the limit, where the
        // nearest member may lie (held against it).
        guard inside else {
          step /= 2
          if step < initialStep / 64 { break }
          continue
        }
        let (returned, corrections) = corrected(&next, &work, evaluations: &evaluations)
        guard returned, next.indices.allSatisfy({ next[$0] >= lower[$0] && next[$0] <= upper[$0] }) else {
          step /= 2
          if step < initialStep / 64 { break }
          continue
        }
        // The curve's tangent at the new point, turned the way the walk goes.
        guard let turned = work.projectedTangent(tangent) else { break }
        tangent = turned
        walked += distance(next, q)
        q = next
        let d = distance(q, start)
        if d < bestDistance {
          bestDistance = d
          best = q
        }
        if d - (arc - walked) >= bestDistance { break }
        if corrections <= 1 { step = min(2 * step, maximumStep) }
      }
    }
    return (best, evaluations)
  }

  /// Minimum-norm Newton steps from `q` back onto the curve, at most ``correctorSteps``, then one
  /// more evaluation if they did not end on it: whether `q` is on it now (the Jacobian in `work`
  /// evaluated there), and the corrections made. Each evaluation is counted in `evaluations`.
  private func corrected(_ q: inout [Double], _ work: inout Workspace, evaluations: inout Int)
    -> (returned: Bool, corrections: Int)
  {
    var corrections = 0
    for _ in 0..<correctorSteps {
      evaluations += 1
      residual.evaluate(at: q, residual: &work.f, jacobian: &work.jacobian, scratch: &work.scratch)
      if work.cost <= targetCost { return (true, corrections) }
      guard work.solveMinimumNorm() else { break }
      for index in q.indices { q[index] -= work.delta[index] }
      corrections += 1
    }
    evaluations += 1
    residual.evaluate(at: q, residual: &work.f, jacobian: &work.jacobian, scratch: &work.scratch)
    return (work.cost <= targetCost, corrections)
  }

  /// The buffers of one walk and its small linear algebra.
  private struct Workspace {
    let m: Int
    let n: Int
    var f: [Double]
    var jacobian: [Double]
    var scratch: Jacobian
    var delta: [Double]
    private var a: [Double]
    private var b: [Double]

    init(m: Int, n: Int) {
      self.m = m
      self.n = n
      f = [Double](repeating: 0, count: m)
      jacobian = [Double](repeating: 0, count: m * n)
      scratch = Jacobian(columns: n)
      delta = [Double](repeating: 0, count: n)
      a = [Double](repeating: 0, count: m * m)
      b = [Double](repeating: 0, count: m)
    }

    var cost: Double { f.reduce(0) { $0 + $1 * $1 } }

    /// `J Jᵀ` into `a`.
    private mutating func gram() {
      for i in 0..<m {
        for j in 0...i {
          var sum = 0.0
          for c in 0..<n { sum += jacobian[i * n + c] * jacobian[j * n + c] }
          a[i * m + j] = sum
        }
      }
    }

    /// ``delta`` = `Jᵀ (J Jᵀ)⁻¹ f`, the shortest step that the linearised residual says cancels
    /// `f`; `false` where `J` loses rank.
    mutating func solveMinimumNorm() -> Bool {
      gram()
      for i in 0..<m { b[i] = f[i] }
      guard choleskySolve(&a, &b, size: m) else { return false }
      for c in 0..<n { delta[c] = transposedTimesB(column: c) }
      return delta.allSatisfy(\.isFinite)
    }

    /// Entry `c` of `Jᵀ b`.
    private func transposedTimesB(column c: Int) -> Double {
      var sum = 0.0
      for row in 0..<m { sum += jacobian[row * n + c] * b[row] }
      return sum
    }

    /// `v` projected onto the null space of `J` (`v − Jᵀ (J Jᵀ)⁻¹ J v`), normalised; `nil` where
    /// the projection vanishes or `J` loses rank.
    mutating func projectedTangent(_ v: [Double]) -> [Double]? {
      guard let (projected, length) = nullSpacePart(of: v), length > 1e-9 else { return nil }
      return projected.map { $0 / length }
    }

    /// The null space's direction: the unit joint direction whose projection onto it is longest.
    mutating func initialTangent() -> [Double]? {
      var best: [Double]?
      var bestLength = 0.0
      for axis in 0..<n {
        var unit = [Double](repeating: 0, count: n)
        unit[axis] = 1
        guard let (projected, length) = nullSpacePart(of: unit) else { return nil }
        if length > bestLength {
          bestLength = length
          best = projected
        }
      }
      guard let best, bestLength > 1e-6 else { return nil }
      return best.map { $0 / bestLength }
    }

    /// `v − Jᵀ (J Jᵀ)⁻¹ J v` and its length; `nil` where `J` loses rank.
    private mutating func nullSpacePart(of v: [Double]) -> (projected: [Double], length: Double)? {
      gram()
      for row in 0..<m {
        var sum = 0.0
        for c in 0..<n { sum += jacobian[row * n + c] * v[c] }
        b[row] = sum
      }
      guard choleskySolve(&a, &b, size: m) else { return nil }
      var projected = v
      var length = 0.0
      for c in 0..<n {
        projected[c] -= transposedTimesB(column: c)
        length += projected[c] * projected[c]
      }
      length = length.squareRoot()
      return length.isFinite ? (projected, length) : nil
    }
  }
}

extension SelfMotionWalk {
  /// A stretch of a curve of self-motion, walked by ``samples(from:spacing:most:covered:includesStart:)``.
  struct Stretch {
    /// Configurations at most a spacing apart, in order along the curve.
    var samples: [[Double]]
    /// The last configuration of each way that stopped for want of samples, not at a limit, a
    /// sample already taken or the curve's closing: where a longer walk would go on.
    var cutEnds: [[Double]]
  }

  /// `reaching`'s curve of self-motion inside the limits, as configurations at most `spacing`
  /// apart (joint distance) in order along it: walked both ways from `reaching` to where the curve
  /// leaves the limits, round a closed curve once, to where it comes within half `spacing` (every
  /// joint) of a configuration in `covered` or of the other way's, or until `most` configurations
  /// or ``maximumEvaluations``. The first way takes at most half of `most`, so that a curve cut
  /// short is sampled on both sides of `reaching`. Empty where the curve is not one-dimensional
  /// (see the type).
  ///
  /// - Parameters:
  ///   - reaching: a configuration on the curve.
  ///   - spacing: the largest distance between neighbouring samples (joint distance).
  ///   - most: the most configurations returned.
  ///   - covered: configurations already sampled (of this curve or another), bucketed within half
  ///     `spacing`: a way that meets one stops, as the rest of it is someone else's.
  ///   - includesStart: whether `reaching` is among the samples (not when it already was).
  func samples(
    from reaching: [Double], spacing: Double, most: Int, covered: CoverageGrid? = nil,
    includesStart: Bool = true
  ) -> Stretch {
    let n = robot.degreesOfFreedom
    let m = residual.count
    guard n == m + 1, residual.target.axis == nil, spacing > 0, most > 0 else {
      return Stretch(samples: [], cutEnds: [])
    }
    let distance = JointDistance(robot: robot)
    let joints = robot.movableJoints
    let lower = joints.map { $0.limits?.lower ?? -.infinity }
    let upper = joints.map { $0.limits?.upper ?? .infinity }
    let start = includesStart ? [reaching] : []
    // The budget of the ways, without `reaching`.
    let budget = most - start.count
    var work = Workspace(m: m, n: n)
    var evaluations = 1
    residual.evaluate(at: reaching, residual: &work.f, jacobian: &work.jacobian, scratch: &work.scratch)
    guard budget > 0, let first = work.initialTangent() else { return Stretch(samples: start, cutEnds: []) }
    // The first way's samples, which the second meets round a closed curve.
    var firstWay = CoverageGrid(near: spacing / 2, joints: n, distance: distance)
    var ways: [[[Double]]] = [[], []]
    var cutEnds: [[Double]] = []
    var closed = false
    for (way, sign) in [1.0, -1.0].enumerated() where !closed {
      var q = reaching
      // Each tangent after the first is the projection at a point the corrector evaluated.
      var tangent = first.map { $0 * sign }
      var step = spacing
      var walked = 0.0
      let cap = way == 0 ? (budget + 1) / 2 : budget - ways[0].count
      var stopped = false
      while ways[way].count < cap, evaluations + correctorSteps + 1 <= maximumEvaluations {
        var next = q
        for index in 0..<n { next[index] += step * tangent[index] }
        let returned = corrected(&next, &work, evaluations: &evaluations).returned
        let inside = next.indices.allSatisfy { next[$0] >= lower[$0] && next[$0] <= upper[$0] }
        // Off the curve (a sharp bend) or past a limit: shorter steps close in, down to a 64th.
        guard returned, inside else {
          step /= 2
          if step < spacing / 64 {
            stopped = true
            break
          }
          continue
        }
        guard let turned = work.projectedTangent(tangent) else {
          stopped = true
          break
        }
        tangent = turned
        walked += distance(next, q)
        q = next
        // Back at the start: the curve closes, and the other way is this one again.
        if walked > 4 * spacing, distance(q, reaching) < spacing {
          closed = true
          stopped = true
          break
        }
        // Met a stretch sampled already (by another walk, or by the other way round a closed
        // curve): the rest of the way is there.
        if (way == 1 && firstWay.covers(q)) || covered?.covers(q) == true {
          stopped = true
          break
        }
        ways[way].append(q)
        if way == 0 { firstWay.insert(q) }
        step = spacing
      }
      if !stopped { cutEnds.append(ways[way].last ?? reaching) }
    }
    return Stretch(samples: ways[1].reversed() + start + ways[0], cutEnds: cutEnds)
  }
}
