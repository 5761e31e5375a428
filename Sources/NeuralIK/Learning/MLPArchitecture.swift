/// A hidden layer's nonlinearity.
public enum Activation: String, Codable, Sendable, Hashable, CaseIterable {
  /// max(0, x).
  case relu
  /// The hyperbolic tangent; initialised with Glorot's bound.
  case tanh
  /// x · sigmoid(x): smooth like tanh, unbounded like ReLU; the default.
  case silu
}

/// The shape of a multilayer perceptron: input, hidden layers, output.
public struct MLPArchitecture: Codable, Sendable, Hashable {
  /// Features per input row.
  public var inputCount: Int
  /// Neurons of each hidden layer, input side first.
  public var hiddenWidths: [Int]
  /// Outputs per row (every head's outputs together).
  public var outputCount: Int
  /// The hidden layers' nonlinearity; the output layer is linear.
  public var activation: Activation

  /// A shape; nothing is checked here (a model file's reader checks its counts).
  ///
  /// - Parameters:
  ///   - inputCount: features per input row.
  ///   - hiddenWidths: neurons of each hidden layer.
  ///   - outputCount: outputs per row.
  ///   - activation: the hidden layers' nonlinearity.
  public init(inputCount: Int, hiddenWidths: [Int], outputCount: Int, activation: Activation) {
    self.inputCount = inputCount
    self.hiddenWidths = hiddenWidths
    self.outputCount = outputCount
    self.activation = activation
  }

  /// Widths of every layer, input first.
  public var layerWidths: [Int] { [inputCount] + hiddenWidths + [outputCount] }

  /// Number of weight matrices.
  public var layerCount: Int { hiddenWidths.count + 1 }

  /// All weights and biases, laid out layer by layer: `W₀ (in × out)`, `b₀`, `W₁`, `b₁`, …
  public var parameterCount: Int {
    (0..<layerCount).reduce(0) { $0 + layerWidths[$1] * layerWidths[$1 + 1] + layerWidths[$1 + 1] }
  }

  /// ``parameterCount``, or `nil` when it overflows `Int`: for widths that come from a file or a
  /// caller and have not been checked yet.
  var checkedParameterCount: Int? {
    let widths = layerWidths
    var total = 0
    for layer in 0..<(widths.count - 1) {
      let (weights, o1) = widths[layer].multipliedReportingOverflow(by: widths[layer + 1])
      let (withBias, o2) = weights.addingReportingOverflow(widths[layer + 1])
      let (sum, o3) = total.addingReportingOverflow(withBias)
      guard !o1, !o2, !o3 else { return nil }
      total = sum
    }
    return total
  }

  /// Where layer `layer`'s weight matrix starts in the flat parameter vector.
  func weightOffset(_ layer: Int) -> Int {
    // Walks the widths without building `layerWidths`: this runs on every layer of every pass.
    var offset = 0
    var fanIn = inputCount
    for index in 0..<layer {
      let fanOut = index < hiddenWidths.count ? hiddenWidths[index] : outputCount
      offset += fanIn * fanOut + fanOut
      fanIn = fanOut
    }
    return offset
  }

  /// Where layer `layer`'s bias starts in the flat parameter vector.
  func biasOffset(_ layer: Int) -> Int {
    weightOffset(layer) + layerWidths[layer] * layerWidths[layer + 1]
  }
}
