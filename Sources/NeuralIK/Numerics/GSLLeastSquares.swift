import CNumerics
import Foundation

/// The residual and Jacobian of a least-squares problem, as the GSL layer calls them back.
package protocol LeastSquaresProblem: AnyObject {
  /// Writes the residual at `x` into `f` and, when `jacobian` is not `nil`, the Jacobian into it
  /// (row-major, `f.count` rows by `x.count` columns).
  func evaluate(
    _ x: UnsafeBufferPointer<Double>, _ f: UnsafeMutableBufferPointer<Double>,
    _ jacobian: UnsafeMutableBufferPointer<Double>?)
}

/// How a least-squares minimisation ended.
struct LeastSquaresResult {
  var x: [Double]
  var iterations: Int
}

/// One `gsl_multifit_nlinear` trust-region Levenberg–Marquardt workspace of fixed size, reused
/// across solves. This file holds every GSL call and unsafe pointer of the package.
///
/// Not thread-safe: use one per thread.
final class GSLLeastSquares {
  let residualCount: Int
  let parameterCount: Int
  private let workspace: UnsafeMutablePointer<gsl_multifit_nlinear_workspace>
  private let start: UnsafeMutablePointer<gsl_vector>
  /// GSL keeps a pointer to this struct between `init` and `iterate`, so it must not move.
  private let fdf: UnsafeMutablePointer<gsl_multifit_nlinear_fdf>
  private let box: ProblemBox
  /// The cost at each of the last ``stallWindow`` iterations, oldest overwritten first.
  private var recentCosts = [Double](repeating: .infinity, count: stallWindow)

  /// Iterations over which a minimisation above its stall cost must halve the cost to go on.
  static let stallWindow = 10

  /// Whether GSL's process-aborting error handler has been switched off (once per process).
  private static let errorHandlerDisabled: Bool = {
    gsl_set_error_handler_off()
    return true
  }()

  /// Allocates a workspace for `residualCount` residuals and `parameterCount` parameters.
  init(residualCount: Int, parameterCount: Int) throws(IKError) {
    precondition(Self.errorHandlerDisabled)
    _ = BLAS.singleThreaded
    var parameters = gsl_multifit_nlinear_default_parameters()
    parameters.trs = cnumerics_trs_lm()
    // Levenberg's D = I: joint values share one scale, and Moré's running column norms let a
    // joint whose column starts at zero (a singular start, such as an arm along its yaw axis)
    // take unbounded steps.
    parameters.scale = cnumerics_scale_levenberg()
    // Cholesky of the damped normal equations: at 6–7 unknowns it cost 10–15% less per solve
    // than QR with column pivoting, with the same success on every fixture arm (Docs/Performance.md);
    // the Levenberg–Marquardt damping keeps the normal matrix positive definite at singular
    // configurations, where QR's extra accuracy bought nothing measurable.
    parameters.solver = cnumerics_solver_cholesky()
    guard
      let workspace = gsl_multifit_nlinear_alloc(
        cnumerics_nlinear_trust(), &parameters, residualCount, parameterCount),
      let start = gsl_vector_alloc(parameterCount)
    else {
      throw .numerical("GSL could not allocate a \(residualCount)×\(parameterCount) workspace")
    }
    self.residualCount = residualCount
    self.parameterCount = parameterCount
    self.workspace = workspace
    self.start = start
    self.box = ProblemBox()
    self.fdf = .allocate(capacity: 1)
    fdf.initialize(
      to: gsl_multifit_nlinear_fdf(
        f: gslResidual, df: gslJacobian, fvv: nil, n: residualCount, p: parameterCount,
        params: Unmanaged.passUnretained(box).toOpaque(), nevalf: 0, nevaldf: 0, nevalfvv: 0))
  }

  deinit {
    gsl_multifit_nlinear_free(workspace)
    gsl_vector_free(start)
    fdf.deinitialize(count: 1)
    fdf.deallocate()
  }

  /// Minimises ½‖f(x)‖² from `initial`.
  ///
  /// Stops when ‖f‖² falls below `targetCost`, when GSL's step and gradient tests pass, when no
  /// step makes progress, after `maxIterations`, or when the cost, still above `stallCost`, has
  /// not halved over the last ``stallWindow`` iterations: the iterates are settling into a
  /// minimum that misses, or crawling towards a limit through the sine map, and the caller's
  /// active set or its next start does more with the iterations (Docs/Solvers.md, "A stalled
  /// start gives way to the next").
  func minimize(
    from initial: [Double], maxIterations: Int, targetCost: Double, stallCost: Double = .infinity,
    stepTolerance: Double, gradientTolerance: Double, problem: some LeastSquaresProblem
  ) throws(IKError) -> LeastSquaresResult {
    precondition(initial.count == parameterCount)
    box.problem = problem
    defer { box.problem = nil }
    for index in 0..<parameterCount { gsl_vector_set(start, index, initial[index]) }
    var status = gsl_multifit_nlinear_init(start, fdf, workspace)
    guard status == Int32(GSL_SUCCESS) else { throw Self.error(status, "initialising") }
    var iterations = 0
    var previousCost = Double.infinity
    while iterations < maxIterations {
      let currentCost = cost()
      if currentCost <= targetCost { break }
      let slot = iterations % Self.stallWindow
      if iterations >= Self.stallWindow, currentCost > stallCost, currentCost > 0.5 * recentCosts[slot] {
        break
      }
      recentCosts[slot] = currentCost
      // GSL's convergence test computes several norms through BLAS; it can only pass once the
      // cost has stopped falling, so it is skipped while an iteration still cuts the cost by 1%.
      if currentCost > 0.99 * previousCost {
        var info: Int32 = 0
        if gsl_multifit_nlinear_test(stepTolerance, gradientTolerance, 0, &info, workspace)
          == Int32(GSL_SUCCESS)
        {
          break
        }
      }
      previousCost = currentCost
      status = gsl_multifit_nlinear_iterate(workspace)
      iterations += 1
      // ENOPROG: no step reduced the cost; the current point is as good as this start gets.
      if status == Int32(GSL_ENOPROG) { break }
      guard status == Int32(GSL_SUCCESS) else { throw Self.error(status, "iterating") }
    }
    let position = gsl_multifit_nlinear_position(workspace)
    let x = (0..<parameterCount).map { gsl_vector_get(position, $0) }
    return LeastSquaresResult(x: x, iterations: iterations)
  }

  private func cost() -> Double {
    let f = gsl_multifit_nlinear_residual(workspace)
    var sum = 0.0
    for index in 0..<residualCount {
      let value = gsl_vector_get(f, index)
      sum += value * value
    }
    return sum
  }

  private static func error(_ status: Int32, _ action: String) -> IKError {
    let reason = gsl_strerror(status).map { String(cString: $0) } ?? "status \(status)"
    return .numerical("GSL Levenberg–Marquardt failed while \(action): \(reason)")
  }
}

/// Holds the Swift closure that GSL's C callbacks reach through their `params` pointer.
private final class ProblemBox {
  var problem: (any LeastSquaresProblem)?
}

private func gslResidual(
  _ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
  _ f: UnsafeMutablePointer<gsl_vector>?
) -> Int32 {
  guard let x, let params, let f, x.pointee.stride == 1, f.pointee.stride == 1,
    let problem = Unmanaged<ProblemBox>.fromOpaque(params).takeUnretainedValue().problem
  else { return Int32(GSL_EINVAL) }
  problem.evaluate(
    UnsafeBufferPointer(start: x.pointee.data, count: x.pointee.size),
    UnsafeMutableBufferPointer(start: f.pointee.data, count: f.pointee.size), nil)
  return Int32(GSL_SUCCESS)
}

private func gslJacobian(
  _ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
  _ jacobian: UnsafeMutablePointer<gsl_matrix>?
) -> Int32 {
  guard let x, let params, let jacobian, x.pointee.stride == 1,
    jacobian.pointee.tda == jacobian.pointee.size2,
    let problem = Unmanaged<ProblemBox>.fromOpaque(params).takeUnretainedValue().problem
  else { return Int32(GSL_EINVAL) }
  // GSL asks for the residual with the Jacobian only when it already holds it; write the
  // residual to scratch space so that the problem can fill both in one pass.
  return withUnsafeTemporaryAllocation(of: Double.self, capacity: jacobian.pointee.size1) { scratch in
    problem.evaluate(
      UnsafeBufferPointer(start: x.pointee.data, count: x.pointee.size), scratch,
      UnsafeMutableBufferPointer(
        start: jacobian.pointee.data, count: jacobian.pointee.size1 * jacobian.pointee.size2))
    return Int32(GSL_SUCCESS)
  }
}

/// The address a C symbol resolves to in this process, or 0 when it does not resolve.
func symbolAddress(_ symbol: String) -> UInt { UInt(cnumerics_symbol_address(symbol)) }
