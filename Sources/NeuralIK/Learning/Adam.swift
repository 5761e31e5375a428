import Foundation

/// Adam (Kingma & Ba) over one flat parameter vector.
public struct Adam: Sendable {
  /// Decay of the gradient's running mean.
  public var beta1: Float = 0.9
  /// Decay of the squared gradient's running mean.
  public var beta2: Float = 0.999
  /// Added to the denominator, so that a zero second moment divides by no zero.
  public var epsilon: Float = 1e-8
  private var m: [Float]
  private var v: [Float]
  private var step = 0

  /// An optimiser with zero moments.
  ///
  /// - Parameter parameterCount: the length of the parameter vectors it will update.
  public init(parameterCount: Int) {
    m = [Float](repeating: 0, count: parameterCount)
    v = [Float](repeating: 0, count: parameterCount)
  }

  /// One update of `parameters` along `gradient` with step size `learningRate`.
  ///
  /// - Parameters:
  ///   - parameters: the weights, updated in place; `parameterCount` values.
  ///   - gradient: ∂loss/∂parameters, as many values.
  ///   - learningRate: the step size of this update.
  public mutating func update(_ parameters: inout [Float], gradient: [Float], learningRate: Float) {
    step += 1
    let correction1 = 1 - pow(beta1, Float(step))
    let correction2 = 1 - pow(beta2, Float(step))
    let stepSize = learningRate * correction2.squareRoot() / correction1
    for index in parameters.indices {
      let g = gradient[index]
      m[index] = beta1 * m[index] + (1 - beta1) * g
      v[index] = beta2 * v[index] + (1 - beta2) * g * g
      parameters[index] -= stepSize * m[index] / (v[index].squareRoot() + epsilon)
    }
  }
}

private func pow(_ base: Float, _ exponent: Float) -> Float {
  Float(Foundation.pow(Double(base), Double(exponent)))
}
