import Foundation

/// Adam (Kingma & Ba) over one flat parameter vector.
public struct Adam: Sendable {
  public var beta1: Float = 0.9
  public var beta2: Float = 0.999
  public var epsilon: Float = 1e-8
  private var m: [Float]
  private var v: [Float]
  private var step = 0

  public init(parameterCount: Int) {
    m = [Float](repeating: 0, count: parameterCount)
    v = [Float](repeating: 0, count: parameterCount)
  }

  /// One update of `parameters` along `gradient` with step size `learningRate`.
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
