/// Projects the robot's current configuration onto the configurations that reach a target: the
/// reaching configuration nearest the start, found by Newton steps from the start itself.
///
/// Each step solves the linearised problem `min ‖q + Δ − q₀‖` subject to `f(q) + J Δ = 0` (the
/// residual `f` and Jacobian `J` of ``PoseResidual``; `q₀` the start, full-turn joints the short
/// way round): `Δ = −e − Jᵀ (J Jᵀ)⁻¹ (f − J e)` with `e = q − q₀`. On a redundant arm it moves
/// onto the target and along the target's self-motion towards the start at once; at its fixed
/// point `f = 0` and `q − q₀` is normal to the self-motion, which is what the nearest reaching
/// configuration satisfies. On an arm with no more joints than residual rows the null space is
/// empty and the step is Gauss–Newton's. Joints that a step pushes past a limit are held on it and
/// the step is solved again without them (an active set).
///
/// It is the near-start fast path: from a start a small move away from a reaching configuration
/// it converges in a few steps, each one FK with its Jacobian and one small Cholesky solve, with
/// none of a general solver's set-up. It gives up (returns `nil`) when a step does not lower the
/// error or the steps run out, and the caller then runs Levenberg–Marquardt as before.
struct NearestProjection {
  /// What a projection found.
  struct Projection {
    /// The nearest reaching configuration; `nil` when the steps did not converge onto the target.
    var q: [Double]?
    /// The steps taken, converged or not: FK with its Jacobian and one small solve each.
    var steps: Int
    /// The length of the first full step: the distance to the reaching configurations that the
    /// Jacobian at the first point predicts. Far beyond the answer's distance, that Jacobian was
    /// near a singularity, where the curve of reaching configurations bends sharply and the
    /// steps may settle on a member farther than the nearest.
    var predictedDistance: Double
    /// The residual's Jacobian at the start (row-major, rows × joints), as the first step used
    /// it; `nil` for a slide, which begins elsewhere. What it says of the nearest singularity
    /// costs its caller no second evaluation there.
    var startJacobian: [Double]?
  }

  let robot: RobotModel
  let residual: PoseResidual
  /// The squared residual at which the target counts as met (a thousandth of the reach tolerance,
  /// squared, as Levenberg–Marquardt's stop).
  let targetCost: Double
  /// Steps before giving up.
  var maxSteps = 12
  /// The squared residual a step of a slide along a reaching branch may rise to (a residual of a
  /// tenth of a millimetre, or of a milliradian at the default rotation weight).
  var slideSlack = 1e-8
  /// The largest change of any joint in one step (radians or metres): a start far from every
  /// reaching configuration is Levenberg–Marquardt's, not a Newton step's.
  var maxJointStep = 0.2
  /// The farthest the steps may take the configuration from the start (joint distance).
  var maxTravel = 1.0
  /// The first step's largest length on an arm without self-motion (joint distance).
  var initialRadius = 0.02
  /// Joints held where the steps begin (the start clamped into the limits, or `initial`), as a
  /// joint with a zero range always is (`true` each); empty for none.
  var heldJoints: [Bool] = []
  /// Below this ratio of the smallest to the largest Cholesky pivot of `JᵀJ` at the start, an arm
  /// without self-motion counts as near a singularity (see ``project(from:)``).
  var singularPivotRatio = 0.05

  /// The nearest reaching configuration and the steps taken, or `nil` if the steps did not
  /// converge onto the target.
  ///
  /// - Parameters:
  ///   - start: the configuration the answer should be nearest.
  ///   - initial: where the steps begin (default: `start`): a configuration that reaches, on a
  ///     redundant arm, from which the steps slide along its branch of the self-motion to the
  ///     member nearest `start`.
  /// - Returns: the configuration (`nil` when the steps did not converge), the steps taken (at
  ///   most ``maxSteps``), the predicted distance, and, from `start`, the Jacobian there.
  func project(from start: [Double], initial: [Double]? = nil) -> Projection {
    let n = robot.degreesOfFreedom
    let m = residual.count
    let joints = robot.movableJoints
    let lower = joints.map { $0.limits?.lower ?? -.infinity }
    let upper = joints.map { $0.limits?.upper ?? .infinity }
    let pinned = joints.indices.map {
      (joints[$0].limits?.range ?? 1) == 0 || (heldJoints.indices.contains($0) && heldJoints[$0])
    }
    let distance = JointDistance(robot: robot)
    let anchor = robot.clampedToLimits(start)
    var q = initial.map { robot.clampedToLimits($0) } ?? anchor
    let sliding = initial != nil
    // Every buffer is made once: a step allocates nothing.
    var workspace = Workspace(m: m, n: n)
    var f = [Double](repeating: 0, count: m)
    var jacobian = [Double](repeating: 0, count: m * n)
    var nextF = f
    var nextJacobian = jacobian
    var scratch = Jacobian(columns: n)
    var e = [Double](repeating: 0, count: n)
    var next = q
    var held = pinned
    residual.evaluate(at: q, residual: &f, jacobian: &jacobian, scratch: &scratch)
    // Its own buffer, made now: shared with `jacobian`, the first swap would make a step copy it.
    let startJacobian = sliding ? nil : jacobian.map { $0 }
    var cost = Self.squaredNorm(f)
    // Damping far below the products' scale only keeps a singular Jacobian's system solvable; it
    // grows when a step fails, Levenberg–Marquardt's way.
    let minimumDamping = 1e-12
    var damping = minimumDamping
    // From a configuration that already reaches, the steps slide along its branch, and the
    // first one says nothing of how far the nearest member is: they may travel as far again.
    var travel = sliding ? max(maxTravel, 2 * distance(q, anchor)) : maxTravel
    var radius = initialRadius
    var predicted = 0.0
    var shrink = 1.0
    guard maxSteps >= 1 else {
      return Projection(q: nil, steps: 0, predictedDistance: 0, startJacobian: startJacobian)
    }
    // A slide keeps up to three steps for its Newton steps back onto the branch at the end.
    let walkingSteps = sliding ? max(1, maxSteps - 3) : maxSteps
    var taken = 0
    for step in 1...walkingSteps {
      taken = step
      for index in 0..<n { e[index] = distance.signedChange(from: anchor[index], to: q[index], joint: index) }
      var accepted = false
      var nextCost = Double.infinity
      // A slide along a reaching branch (``project(from:initial:)`` with `initial`) leaves the
      // curved branch a little on every step, which the next step's Newton part corrects: its
      // steps may raise the error up to `slideSlack`, and shrink when they raise it more. The
      // shrink carries over to the steps after: full steps on a curved branch can otherwise
      // overshoot the nearest member one way and back the other, forever (seen on the Panda,
      // where such a slide stopped 1e-4 rad farther than the nearest member).
      // A step that grows the error (the linear model overshooting near a singularity or on a
      // curved family) is tried again with more damping; a start too far for that hands the solve
      // to Levenberg–Marquardt itself.
      for _ in 0..<6 {
        // Joints on a limit that the step would push beyond it are held there and the step
        // solved again without them; a joint the step moves back inside is free again.
        for index in 0..<n { held[index] = pinned[index] }
        var solved = false
        for _ in 0...n {
          guard workspace.solveStep(f: f, jacobian: jacobian, e: e, held: held, damping: damping) else {
            break
          }
          var pressing = false
          for index in 0..<n where !held[index] {
            let delta = workspace.delta[index]
            if (q[index] <= lower[index] && delta < 0) || (q[index] >= upper[index] && delta > 0) {
              held[index] = true
              pressing = true
            }
          }
          if !pressing {
            solved = true
            break
          }
        }
        guard solved else {
          return Projection(q: nil, steps: step, predictedDistance: predicted, startJacobian: startJacobian)
        }
        // Near a singularity of an arm without self-motion, two branches (an elbow bent either
        // way) lie close together and a Gauss–Newton step may take either: Levenberg–Marquardt's
        // scaled trust region keeps to the one the robot is on.
        if n <= m && step == 1 && workspace.pivotRatio < singularPivotRatio {
          return Projection(q: nil, steps: step, predictedDistance: predicted, startJacobian: startJacobian)
        }
        var largest = 0.0
        var length = 0.0
        for value in workspace.delta {
          largest = max(largest, abs(value))
          length += value * value
        }
        length = length.squareRoot()
        guard largest.isFinite else {
          return Projection(q: nil, steps: step, predictedDistance: predicted, startJacobian: startJacobian)
        }
        var scale = (largest > maxJointStep ? maxJointStep / largest : 1) * shrink
        // The first full step estimates how far the nearest reaching configuration is; ending up
        // much farther means the linear model misled the steps (near a singularity, or a start
        // that was no small move), and Levenberg–Marquardt's trust region is the safer way.
        if step == 1 {
          predicted = length
          if !sliding { travel = min(maxTravel, 2 * scale * length + 1e-3) }
        }
        // Without self-motion the solutions are isolated, and near a singularity a full
        // Gauss–Newton step can leap to a mirror branch (an elbow flipped through straight) that
        // is farther than the one next to the start: steps grow from a small radius instead.
        if n <= m && scale * length > radius { scale = radius / length }
        for index in 0..<n {
          next[index] = min(max(q[index] + scale * workspace.delta[index], lower[index]), upper[index])
        }
        residual.evaluate(at: next, residual: &nextF, jacobian: &nextJacobian, scratch: &scratch)
        nextCost = Self.squaredNorm(nextF)
        if nextCost <= max(cost, sliding ? slideSlack : targetCost) {
          accepted = true
          radius *= 2
          damping = max(damping / 10, minimumDamping)
          break
        }
        if sliding {
          shrink /= 4
        } else {
          damping = max(damping * 10, 1e-6)
        }
      }
      guard accepted, distance(next, anchor) <= travel else {
        return Projection(q: nil, steps: step, predictedDistance: predicted, startJacobian: startJacobian)
      }
      swap(&f, &nextF)
      swap(&jacobian, &nextJacobian)
      var moved = 0.0
      for index in 0..<n { moved = max(moved, abs(next[index] - q[index])) }
      swap(&q, &next)
      cost = nextCost
      // A micro-radian from the nearest configuration is far finer than any use of "nearest".
      // (Measured as a full step would move: a shrunk slide's short steps are no sign that it
      // has arrived.)
      if cost <= targetCost && moved < 1e-6 * shrink {
        return Projection(q: q, steps: step, predictedDistance: predicted, startJacobian: startJacobian)
      }
    }
    // A slide whose steps ran out a little off the branch (within `slideSlack`) ends with Newton
    // steps straight back onto it, which move no joint along the branch.
    if sliding && cost > targetCost {
      for index in 0..<n { e[index] = 0 }
      for _ in 0..<(maxSteps - taken) where cost > targetCost {
        taken += 1
        guard workspace.solveStep(f: f, jacobian: jacobian, e: e, held: pinned, damping: minimumDamping)
        else {
          break
        }
        for index in 0..<n {
          next[index] = min(max(q[index] + workspace.delta[index], lower[index]), upper[index])
        }
        residual.evaluate(at: next, residual: &nextF, jacobian: &nextJacobian, scratch: &scratch)
        let nextCost = Self.squaredNorm(nextF)
        guard nextCost < cost else { break }
        swap(&f, &nextF)
        swap(&jacobian, &nextJacobian)
        swap(&q, &next)
        cost = nextCost
      }
    }
    return Projection(
      q: cost <= targetCost ? q : nil, steps: taken, predictedDistance: predicted,
      startJacobian: startJacobian)
  }

  private static func squaredNorm(_ v: [Double]) -> Double {
    var sum = 0.0
    for value in v { sum += value * value }
    return sum
  }

  /// The buffers of one projection and its linear algebra.
  private struct Workspace {
    let m: Int
    let n: Int
    /// The last step: one value per joint, zero for held joints.
    var delta: [Double]
    /// Without self-motion: the smallest over the largest diagonal entry of the Cholesky factor of
    /// `JᵀJ` in the last step, a cheap sign of a Jacobian near a singularity when small.
    var pivotRatio = 1.0
    private var free: [Int]
    private var a: [Double]
    private var b: [Double]
    private var columns: [Double]
    private var gathered: [Double]

    init(m: Int, n: Int) {
      self.m = m
      self.n = n
      delta = [Double](repeating: 0, count: n)
      free = [Int](repeating: 0, count: n)
      let size = max(m, n)
      a = [Double](repeating: 0, count: size * size)
      b = [Double](repeating: 0, count: size)
      columns = [Double](repeating: 0, count: m * n)
      gathered = [Double](repeating: 0, count: n)
    }

    /// Writes the step for the joints not held into ``delta``: `−e − Jᵀ z` with
    /// `(J Jᵀ + λ I) z = f − J e` on a redundant set of joints, the damped Gauss–Newton step
    /// `−(JᵀJ + λ I)⁻¹ Jᵀ f` otherwise. `false` when no joint is free or the system is singular.
    mutating func solveStep(f: [Double], jacobian: [Double], e: [Double], held: [Bool], damping: Double)
      -> Bool
    {
      var k = 0
      for index in 0..<n where !held[index] {
        free[k] = index
        k += 1
      }
      guard k > 0 else { return false }
      // The buffers below are read unchecked.
      precondition(f.count >= m && jacobian.count >= m * n && e.count >= n, "solveStep: buffers too small")
      for index in 0..<n { delta[index] = 0 }
      let (m, n) = (m, n)
      // The free columns gathered once into `columns` (row-major, m × k) and their `e` into
      // `gathered`: the products below then run over contiguous buffers, with the sums in the
      // same order as over the full Jacobian.
      columns.withUnsafeMutableBufferPointer { columns in
        gathered.withUnsafeMutableBufferPointer { gathered in
          jacobian.withUnsafeBufferPointer { jacobian in
            for c in 0..<k {
              let column = free[c]
              gathered[c] = e[column]
              for row in 0..<m { columns[row * k + c] = jacobian[row * n + column] }
            }
          }
        }
      }
      if k > m {
        columns.withUnsafeBufferPointer { columns in
          gathered.withUnsafeBufferPointer { gathered in
            a.withUnsafeMutableBufferPointer { a in
              b.withUnsafeMutableBufferPointer { b in
                for row in 0..<m {
                  var value = f[row]
                  for c in 0..<k { value -= columns[row * k + c] * gathered[c] }
                  b[row] = value
                  for other in 0...row {
                    var sum = 0.0
                    for c in 0..<k { sum += columns[row * k + c] * columns[other * k + c] }
                    a[row * m + other] = sum
                  }
                  a[row * m + row] += damping
                }
              }
            }
          }
        }
        guard choleskySolve(size: m) else { return false }
        columns.withUnsafeBufferPointer { columns in
          gathered.withUnsafeBufferPointer { gathered in
            b.withUnsafeBufferPointer { b in
              for c in 0..<k {
                var jz = 0.0
                for row in 0..<m { jz += columns[row * k + c] * b[row] }
                delta[free[c]] = -gathered[c] - jz
              }
            }
          }
        }
      } else {
        columns.withUnsafeBufferPointer { columns in
          a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in
              for i in 0..<k {
                var gradient = 0.0
                for row in 0..<m { gradient += columns[row * k + i] * f[row] }
                b[i] = gradient
                for j in 0...i {
                  var sum = 0.0
                  for row in 0..<m { sum += columns[row * k + i] * columns[row * k + j] }
                  a[i * k + j] = sum
                }
                a[i * k + i] += damping
              }
            }
          }
        }
        guard choleskySolve(size: k) else { return false }
        for i in 0..<k { delta[free[i]] = -b[i] }
        var smallest = Double.infinity
        var largest = 0.0
        for i in 0..<k {
          smallest = min(smallest, a[i * k + i])
          largest = max(largest, a[i * k + i])
        }
        pivotRatio = smallest / largest
      }
      return true
    }

    private mutating func choleskySolve(size: Int) -> Bool {
      NeuralIK.choleskySolve(&a, &b, size: size)
    }
  }
}
