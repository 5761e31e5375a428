import Foundation

/// A numerical solver for any chain: GSL's trust-region Levenberg–Marquardt with the analytic
/// Jacobian, position or pose targets, from an initial guess.
///
/// It never returns a configuration outside the limits. Bounded joints are optimised through
/// `q = middle + halfRange · sin(u)`, which keeps every iterate inside; a joint that ends pressed
/// against a limit is then pinned there and the others re-solved (an active-set pass), so optima on
/// a limit are reached exactly rather than approached. For a target out of reach it converges to a
/// local closest reachable point; ``LevenbergMarquardtOptions/randomRestarts`` widens the search.
///
/// Keeps GSL workspaces between solves, so it is a class; use one per thread.
public final class LevenbergMarquardtSolver: IKSolver {
  public let robot: RobotModel
  public let options: LevenbergMarquardtOptions
  private var workspaces: [Int: GSLLeastSquares] = [:]
  private var scratch: Jacobian
  private var residualScratch: [Double]
  private var jacobianScratch: [Double]

  public init(robot: RobotModel, options: LevenbergMarquardtOptions = .init()) {
    self.robot = robot
    self.options = options
    self.scratch = Jacobian(columns: robot.degreesOfFreedom)
    self.residualScratch = Array(repeating: 0, count: 6)
    self.jacobianScratch = Array(repeating: 0, count: 6 * robot.degreesOfFreedom)
  }

  /// Solves from `initialGuess` (clamped into the limits), then from the random restarts.
  ///
  /// - Throws: ``IKError`` for a guess of the wrong size or with non-finite values, or a GSL failure.
  public func solve(_ target: IKTarget, from initialGuess: [Double]) throws(IKError) -> Solution {
    try robot.checkConfiguration(initialGuess)
    let deadline = Deadline(seconds: options.timeBudget)
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: options.rotationWeight)
    var best = try solveLocally(residual, from: robot.clampedToLimits(initialGuess))
    var iterations = best.iterations
    if !best.reachable && options.randomRestarts > 0 {
      var generator = SplitMix64(seed: options.seed ^ Self.hash(target))
      for _ in 0..<options.randomRestarts {
        if deadline.hasPassed { break }
        let candidate = try solveLocally(
          residual, from: robot.randomConfiguration(using: &generator))
        iterations += candidate.iterations
        if Self.cost(candidate, options) < Self.cost(best, options) { best = candidate }
        if best.reachable { break }
      }
    }
    best.iterations = iterations
    return best
  }

  /// One start: a reparameterised solve, then active-set rounds while joints press on limits.
  private func solveLocally(_ residual: PoseResidual, from start: [Double]) throws(IKError)
    -> Solution
  {
    let joints = robot.movableJoints
    var q = start
    var pinned = joints.map { ($0.limits?.range ?? 1) == 0 }
    var best: Solution?
    var iterations = 0
    let budget = options.iterationBudget ?? .max
    for _ in 0...joints.count {
      guard iterations < budget else { break }
      iterations += try minimize(
        residual, q: &q, pinned: pinned, reparameterized: true,
        maxIterations: min(options.maxIterations, budget - iterations))
      // The sine map's slope vanishes near a limit, which slows convergence to optima close to
      // one; a plain joint-space pass finishes them, kept only if it stays inside the limits.
      let cost = Self.cost(residual, q, options)
      if cost > targetCost && iterations < budget {
        var polished = q
        iterations += try minimize(
          residual, q: &polished, pinned: pinned, reparameterized: false,
          maxIterations: min(options.maxIterations, budget - iterations))
        if robot.isWithinLimits(polished) && Self.cost(residual, polished, options) < cost { q = polished }
      }
      let solution = Solution(
        robot: robot, target: residual.target, jointValues: q, tolerance: options.tolerance,
        iterations: iterations, solver: .levenbergMarquardt)
      if best == nil || Self.cost(solution, options) < Self.cost(best!, options) {
        best = solution
      }
      if solution.reachable { break }
      guard updateActiveSet(residual, q: &q, pinned: &pinned) else { break }
    }
    if var result = best, !result.reachable, iterations < budget {
      // Out of reach, finish with Newton steps that see the residual's curvature.
      let (q, newtonIterations) = NewtonPolish(robot: robot, residual: residual).polish(result.jointValues)
      iterations += newtonIterations
      result = Solution(
        robot: robot, target: residual.target, jointValues: q, tolerance: options.tolerance,
        iterations: iterations, solver: .levenbergMarquardt)
      return result
    }
    best!.iterations = iterations
    return best!
  }

  /// Pins joints that sit near a limit with the cost's gradient pushing outwards; releases pinned
  /// joints whose gradient points back inside. Returns whether the set changed.
  private func updateActiveSet(_ residual: PoseResidual, q: inout [Double], pinned: inout [Bool])
    -> Bool
  {
    residual.evaluate(
      at: q, residual: &residualScratch, jacobian: &jacobianScratch, scratch: &scratch)
    let n = robot.degreesOfFreedom
    var changed = false
    for (index, joint) in robot.movableJoints.enumerated() {
      guard let limits = joint.limits, limits.range > 0 else { continue }
      // ∂(½‖f‖²)/∂qᵢ; a positive value means lowering qᵢ lowers the cost.
      var gradient = 0.0
      for row in 0..<residual.count {
        gradient += jacobianScratch[row * n + index] * residualScratch[row]
      }
      let window = 0.02 * limits.range
      if pinned[index] {
        let atLower = q[index] == limits.lower
        if (atLower && gradient < 0) || (!atLower && gradient > 0) {
          pinned[index] = false
          // Step off the bound: sin(u) has zero slope there, and the solve would not move.
          q[index] = atLower ? limits.lower + window / 2 : limits.upper - window / 2
          changed = true
        }
      } else if q[index] - limits.lower < window && gradient > 0 {
        q[index] = limits.lower
        pinned[index] = true
        changed = true
      } else if limits.upper - q[index] < window && gradient < 0 {
        q[index] = limits.upper
        pinned[index] = true
        changed = true
      }
    }
    return changed
  }

  /// Minimises over the unpinned joints, writing the result into `q`; returns the iterations.
  private func minimize(
    _ residual: PoseResidual, q: inout [Double], pinned: [Bool], reparameterized: Bool, maxIterations: Int
  ) throws(IKError) -> Int {
    let joints = robot.movableJoints
    let free = joints.indices.filter { !pinned[$0] }
    guard !free.isEmpty else { return 0 }
    let rows = residual.count
    // GSL needs at least as many residuals as unknowns; a redundant arm (7 joints, a 6-D pose)
    // gets zero rows, and the Levenberg–Marquardt damping keeps the step well-posed.
    let n = max(rows, free.count)
    let dof = joints.count
    let key = n * 1000 + free.count
    let workspace: GSLLeastSquares
    if let cached = workspaces[key] {
      workspace = cached
    } else {
      workspace = try GSLLeastSquares(residualCount: n, parameterCount: free.count)
      workspaces[key] = workspace
    }
    // u ↦ q: bounded joints through the sine map, continuous ones unchanged.
    let maps = free.map { index in
      reparameterized ? joints[index].limits.map { ($0.middle, $0.range / 2) } : nil
    }
    let initial = zip(free, maps).map { index, map -> Double in
      guard let (middle, half) = map else { return q[index] }
      // Start inside by 0.1% of the half range: at ±1 the map has zero slope, and a start on a
      // limit is often also a singular configuration (a stretched arm), where the gradient of
      // every joint-space method vanishes and no local solver could move.
      return asin(min(1 - 1e-3, max(-1 + 1e-3, (q[index] - middle) / half)))
    }
    var configuration = q
    var residualValues = Array(repeating: 0.0, count: rows)
    var jacobian = Array(repeating: 0.0, count: rows * dof)
    var scratch = self.scratch
    var slopes = Array(repeating: 1.0, count: free.count)
    let problem: LeastSquaresProblem = { u, f, J in
      for (k, index) in free.enumerated() {
        if let (middle, half) = maps[k] {
          configuration[index] = middle + half * sin(u[k])
        } else {
          configuration[index] = u[k]
        }
      }
      if let J {
        residual.evaluate(
          at: configuration, residual: &residualValues, jacobian: &jacobian, scratch: &scratch)
        for index in (rows * free.count)..<(n * free.count) { J[index] = 0 }
        for k in free.indices { slopes[k] = maps[k].map { $0.1 * cos(u[k]) } ?? 1 }
        for row in 0..<rows {
          for (k, index) in free.enumerated() {
            J[row * free.count + k] = jacobian[row * dof + index] * slopes[k]
          }
        }
      } else {
        residual.evaluate(at: configuration, into: &residualValues)
      }
      for row in 0..<n { f[row] = row < rows ? residualValues[row] : 0 }
    }
    let result = try workspace.minimize(
      from: initial, maxIterations: maxIterations, targetCost: targetCost,
      stepTolerance: 1e-14, gradientTolerance: 1e-20, problem: problem)
    for (k, index) in free.enumerated() {
      if let (middle, half) = maps[k] {
        q[index] = joints[index].limits!.clamp(middle + half * sin(result.x[k]))
      } else {
        q[index] = result.x[k]
      }
    }
    return result.iterations
  }

  /// The squared residual at which a solve stops: a thousandth of the reach tolerance.
  private var targetCost: Double {
    let tolerance = options.tolerance.position * 1e-3
    return tolerance * tolerance
  }

  /// The weighted squared residual at a configuration.
  private static func cost(
    _ residual: PoseResidual, _ q: [Double], _ options: LevenbergMarquardtOptions
  ) -> Double {
    var f = Array(repeating: 0.0, count: residual.count)
    residual.evaluate(at: q, into: &f)
    return f.reduce(0) { $0 + $1 * $1 }
  }

  /// The weighted squared residual a solution was judged by.
  private static func cost(_ solution: Solution, _ options: LevenbergMarquardtOptions) -> Double {
    let rotation = (solution.rotationError ?? 0) * options.rotationWeight
    return solution.positionError * solution.positionError + rotation * rotation
  }

  /// A stable per-target seed, so a solve's restarts do not depend on earlier solves.
  static func hash(_ target: IKTarget) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    var values = [target.position.x, target.position.y, target.position.z]
    if let q = target.orientation { values += [q.w, q.x, q.y, q.z] }
    for value in values {
      h = (h ^ value.bitPattern) &* 0x100_0000_01B3
    }
    return h
  }
}
