import Foundation

/// A multilayer perceptron in `Float`: weights as one flat vector, batched passes on OpenBLAS.
///
/// A value type: copying a network copies its weights. The batched passes need a
/// ``MLPWorkspace`` that holds every layer's activations for the backward pass.
public struct MLP: Sendable, Hashable {
  /// The shape: layer widths and activation.
  public let architecture: MLPArchitecture
  /// Every weight and bias, in ``MLPArchitecture``'s layout.
  public var parameters: [Float]

  /// A network with He-uniform weights (Glorot for tanh) drawn from `generator`, zero biases.
  ///
  /// - Parameters:
  ///   - architecture: the shape.
  ///   - generator: the seeded generator every weight is drawn from, in layer order.
  public init<G: RandomNumberGenerator>(architecture: MLPArchitecture, using generator: inout G) {
    self.architecture = architecture
    var parameters = [Float](repeating: 0, count: architecture.parameterCount)
    let widths = architecture.layerWidths
    for layer in 0..<architecture.layerCount {
      let (fanIn, fanOut) = (widths[layer], widths[layer + 1])
      let isLast = layer == architecture.layerCount - 1
      let bound: Float =
        architecture.activation == .tanh || isLast
        ? (6 / Float(fanIn + fanOut)).squareRoot() : (6 / Float(fanIn)).squareRoot()
      let start = architecture.weightOffset(layer)
      for index in start..<(start + fanIn * fanOut) {
        parameters[index] = Float.random(in: -bound...bound, using: &generator)
      }
    }
    self.parameters = parameters
  }

  /// A network with the given weights; `nil` when their count does not fit the architecture.
  ///
  /// - Parameters:
  ///   - architecture: the shape.
  ///   - parameters: ``MLPArchitecture/parameterCount`` weights and biases, in its layout.
  public init?(architecture: MLPArchitecture, parameters: [Float]) {
    guard parameters.count == architecture.parameterCount else { return nil }
    self.architecture = architecture
    self.parameters = parameters
  }

  /// Runs `batch` inputs (row-major `batch × inputCount`) forward; the outputs
  /// (`batch × outputCount`) are in `workspace.output`, and every layer's activations are kept
  /// for ``backward(outputGradient:batch:workspace:gradient:)``.
  ///
  /// - Parameters:
  ///   - input: `batch × inputCount` features, row-major.
  ///   - batch: the number of rows.
  ///   - workspace: the buffers that receive every layer's activations; one thread at a time.
  public func forward(_ input: [Float], batch: Int, workspace: MLPWorkspace) {
    let widths = architecture.layerWidths
    workspace.prepare(for: architecture, batch: batch)
    // Each layer's buffers are taken out of the workspace while they are written, so that they are
    // uniquely referenced locals: writing through the class's nested arrays would check
    // uniqueness on every element, which dominated small (single-target) passes.
    var current = workspace.take(activation: 0)
    for index in 0..<(batch * widths[0]) { current[index] = input[index] }
    for layer in 0..<architecture.layerCount {
      let (fanIn, fanOut) = (widths[layer], widths[layer + 1])
      let bias = architecture.biasOffset(layer)
      var pre = workspace.take(preActivation: layer)
      // Start from the bias in every row, then accumulate X · W on top (beta = 1).
      for row in 0..<batch {
        for column in 0..<fanOut { pre[row * fanOut + column] = parameters[bias + column] }
      }
      BLAS.gemm(
        transposeA: false, transposeB: false, m: batch, n: fanOut, k: fanIn, current, parameters,
        bOffset: architecture.weightOffset(layer), beta: 1, &pre)
      var next = workspace.take(activation: layer + 1)
      let count = batch * fanOut
      if layer == architecture.layerCount - 1 {
        for index in 0..<count { next[index] = pre[index] }
      } else {
        Self.activate(architecture.activation, pre, into: &next, count: count)
      }
      workspace.put(activation: layer, current)
      workspace.put(preActivation: layer, pre)
      current = next
    }
    workspace.put(activation: architecture.layerCount, current)
  }

  /// Back-propagates `outputGradient` (∂loss/∂output, `batch × outputCount`) through the last
  /// ``forward(_:batch:workspace:)`` and adds ∂loss/∂parameters into `gradient`.
  ///
  /// - Parameters:
  ///   - outputGradient: ∂loss/∂output, `batch × outputCount`, row-major.
  ///   - batch: the rows of the forward pass.
  ///   - workspace: the workspace of that forward pass.
  ///   - gradient: ``MLPArchitecture/parameterCount`` values, added to (not overwritten), so that
  ///     shards can sum into one.
  public func backward(
    outputGradient: [Float], batch: Int, workspace: MLPWorkspace, gradient: inout [Float]
  ) {
    let widths = architecture.layerWidths
    var delta = outputGradient
    for layer in stride(from: architecture.layerCount - 1, through: 0, by: -1) {
      let (fanIn, fanOut) = (widths[layer], widths[layer + 1])
      // ∂W += Xᵀ · δ and ∂b += Σ_rows δ.
      BLAS.gemm(
        transposeA: true, transposeB: false, m: fanIn, n: fanOut, k: batch,
        workspace.activations[layer], delta, beta: 1, &gradient,
        cOffset: architecture.weightOffset(layer))
      let bias = architecture.biasOffset(layer)
      for row in 0..<batch {
        for column in 0..<fanOut { gradient[bias + column] += delta[row * fanOut + column] }
      }
      guard layer > 0 else { break }
      // δ_prev = (δ · Wᵀ) ⊙ act′(z_prev).
      var previous = [Float](repeating: 0, count: batch * fanIn)
      BLAS.gemm(
        transposeA: false, transposeB: true, m: batch, n: fanIn, k: fanOut, delta, parameters,
        bOffset: architecture.weightOffset(layer), beta: 0, &previous)
      Self.multiplyByDerivative(
        architecture.activation, preActivation: workspace.preActivations[layer - 1],
        activation: workspace.activations[layer], &previous)
      delta = previous
    }
  }

  static func activate(_ activation: Activation, _ input: [Float], into output: inout [Float], count: Int) {
    switch activation {
    case .relu:
      for index in 0..<count { output[index] = max(0, input[index]) }
    case .tanh:
      for index in 0..<count { output[index] = Foundation.tanh(input[index]) }
    case .silu:
      for index in 0..<count {
        let x = input[index]
        output[index] = x / (1 + exp(-x))
      }
    }
  }

  static func multiplyByDerivative(
    _ activation: Activation, preActivation: [Float], activation value: [Float], _ delta: inout [Float]
  ) {
    switch activation {
    case .relu:
      for index in delta.indices where preActivation[index] <= 0 { delta[index] = 0 }
    case .tanh:
      for index in delta.indices { delta[index] *= 1 - value[index] * value[index] }
    case .silu:
      for index in delta.indices {
        let x = preActivation[index]
        let sigmoid = 1 / (1 + exp(-x))
        delta[index] *= sigmoid * (1 + x * (1 - sigmoid))
      }
    }
  }
}

/// Buffers for batched passes of one ``MLP``; reused across batches. Use each from one thread at
/// a time (training hands one to each data-parallel shard).
public final class MLPWorkspace: @unchecked Sendable {
  /// `activations[0]` is the input, `activations[layerCount]` the output.
  var activations: [[Float]] = []
  var preActivations: [[Float]] = []
  private var capacity = 0
  private var widths: [Int] = []

  /// An empty workspace; it grows to the largest batch it is used for.
  public init() {}

  /// The last forward pass's outputs, `batch × outputCount` (longer when the buffer is larger).
  public var output: [Float] { activations.last ?? [] }

  func take(activation layer: Int) -> [Float] {
    defer { activations[layer] = [] }
    return activations[layer]
  }

  func take(preActivation layer: Int) -> [Float] {
    defer { preActivations[layer] = [] }
    return preActivations[layer]
  }

  func put(activation layer: Int, _ values: [Float]) { activations[layer] = values }

  func put(preActivation layer: Int, _ values: [Float]) { preActivations[layer] = values }

  func prepare(for architecture: MLPArchitecture, batch: Int) {
    let layerWidths = architecture.layerWidths
    guard batch > capacity || layerWidths != widths else { return }
    capacity = max(batch, capacity)
    widths = layerWidths
    activations = layerWidths.map { [Float](repeating: 0, count: capacity * $0) }
    preActivations = layerWidths.dropFirst().map { [Float](repeating: 0, count: capacity * $0) }
  }
}
