import Foundation
import Testing

@testable import NeuralIK

/// f(x) = (x², floor): from x = 1 a Levenberg–Marquardt step roughly halves x, so ‖f‖² falls as
/// x⁴ towards `floor²`: geometric progress to a zero residual with no floor, and a stall at the
/// floor with one.
private final class SquareWithFloor: LeastSquaresProblem {
  let floor: Double
  init(floor: Double) { self.floor = floor }

  func evaluate(
    _ x: UnsafeBufferPointer<Double>, _ f: UnsafeMutableBufferPointer<Double>,
    _ jacobian: UnsafeMutableBufferPointer<Double>?
  ) {
    f[0] = x[0] * x[0]
    f[1] = floor
    jacobian?[0] = 2 * x[0]
    jacobian?[1] = 0
  }
}

@Suite("The stall cut of a Levenberg–Marquardt pass")
struct StallCutTests {
  static func run(floor: Double, stallCost: Double) throws -> LeastSquaresResult {
    let workspace = try GSLLeastSquares(residualCount: 2, parameterCount: 1)
    return try workspace.minimize(
      from: [1], maxIterations: 100, targetCost: 1e-18 + floor * floor, stallCost: stallCost,
      stepTolerance: 1e-300, gradientTolerance: 1e-300, problem: SquareWithFloor(floor: floor))
  }

  @Test(
    "a pass settling above its stall cost stops within a window or two of settling; without a stall cost it runs on"
  )
  func stalledPassStops() throws {
    let cut = try Self.run(floor: 1, stallCost: 1e-8)
    let uncut = try Self.run(floor: 1, stallCost: .infinity)
    #expect(cut.iterations <= 3 * GSLLeastSquares.stallWindow, "\(cut.iterations) iterations")
    #expect(uncut.iterations > cut.iterations, "cut \(cut.iterations), uncut \(uncut.iterations)")
  }

  @Test("a pass whose cost keeps halving is never cut, however slowly its residual falls")
  func convergingPassRuns() throws {
    let cut = try Self.run(floor: 0, stallCost: 1e-8)
    let uncut = try Self.run(floor: 0, stallCost: .infinity)
    #expect(cut.iterations == uncut.iterations)
    #expect(abs(cut.x[0]) < 1e-4, "x = \(cut.x[0])")
  }
}
