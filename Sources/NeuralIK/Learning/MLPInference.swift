/// The forward pass of one ``MLP`` for inference: the solvers' few rows per target.
///
/// Each layer's weights are copied once, at construction, into rows padded to whole SIMD vectors;
/// a pass then fills each row with the bias, adds `x · W` (the C layer's AVX2 kernel for a few
/// rows where ``BLAS/takesFewRowsKernel(rows:)``, else one OpenBLAS call on one thread: `sgemv`
/// for one row, `sgemm` for more), and applies the activation eight lanes at a time, in buffers
/// this object keeps: no allocation and no thread hand-off per call. The activation's `exp` is a
/// vectorised Cephes polynomial, within a few units in the last place of `Foundation.exp` in
/// `Float`; the scalar `exp` of the training pass cost about a third of a small pass.
/// Docs/Performance.md has the measurements behind these choices, including a fused Swift SIMD
/// kernel that lost to OpenBLAS because Swift targets baseline x86-64 (SSE2): the kernel is C,
/// compiled for AVX2 and chosen by the CPU's feature bits at run time.
///
/// Keeps buffers between passes, so it is a class: use one per thread.
package final class MLPInference {
  let architecture: MLPArchitecture
  /// Every layer's weights (`fanIn × paddedOut`, row-major) then its bias (`paddedOut`).
  private let packed: [Float]
  private let layers: [PackedLayer]
  private var current: [Float] = []
  private var next: [Float] = []
  /// Floats per row of the scratch buffers: the widest padded layer or the input.
  private let rowLength: Int

  private struct PackedLayer {
    var fanIn: Int
    /// The layer's output width rounded up to whole vectors; the padding's weights and biases are zero.
    var paddedOut: Int
    var weightOffset: Int
    var biasOffset: Int
  }

  private static let lanes = 8

  package init(_ mlp: MLP) {
    architecture = mlp.architecture
    let widths = architecture.layerWidths
    var packed: [Float] = []
    var layers: [PackedLayer] = []
    var sourceOffset = 0
    for layer in 0..<architecture.layerCount {
      let (fanIn, fanOut) = (widths[layer], widths[layer + 1])
      let paddedOut = (fanOut + Self.lanes - 1) / Self.lanes * Self.lanes
      let weightOffset = packed.count
      for row in 0..<fanIn {
        let start = sourceOffset + row * fanOut
        packed.append(contentsOf: mlp.parameters[start..<(start + fanOut)])
        packed.append(contentsOf: repeatElement(0, count: paddedOut - fanOut))
      }
      sourceOffset += fanIn * fanOut
      let biasOffset = packed.count
      packed.append(contentsOf: mlp.parameters[sourceOffset..<(sourceOffset + fanOut)])
      packed.append(contentsOf: repeatElement(0, count: paddedOut - fanOut))
      sourceOffset += fanOut
      layers.append(
        PackedLayer(
          fanIn: fanIn, paddedOut: paddedOut, weightOffset: weightOffset,
          biasOffset: biasOffset))
    }
    self.packed = packed
    self.layers = layers
    rowLength = max(layers.map(\.paddedOut).max() ?? 0, architecture.inputCount)
  }

  /// Runs `rows` inputs (row-major `rows × inputCount`) forward and writes the outputs
  /// (`rows × outputCount`, row-major) into `output`, growing it only when it is too short.
  package func forward(_ input: [Float], rows: Int, into output: inout [Float]) {
    precondition(input.count >= rows * architecture.inputCount)
    let needed = rows * rowLength
    if current.count < needed {
      current = [Float](repeating: 0, count: needed)
      next = [Float](repeating: 0, count: needed)
    }
    for index in 0..<(rows * architecture.inputCount) { current[index] = input[index] }
    var stride = architecture.inputCount
    let last = layers.count - 1
    packed.withUnsafeBufferPointer { parameters in
      for (index, layer) in layers.enumerated() {
        let activation: Activation? = index == last ? nil : architecture.activation
        current.withUnsafeBufferPointer { x in
          next.withUnsafeMutableBufferPointer { y in
            Self.layer(
              layer, parameters: parameters, input: x, inputStride: stride, rows: rows, output: y,
              activation: activation)
          }
        }
        swap(&current, &next)
        stride = layer.paddedOut
      }
    }
    let outputs = architecture.outputCount
    if output.count < rows * outputs { output = [Float](repeating: 0, count: rows * outputs) }
    for row in 0..<rows {
      for column in 0..<outputs { output[row * outputs + column] = current[row * stride + column] }
    }
  }

  /// `y = act(x · W + b)` for every row.
  private static func layer(
    _ layer: PackedLayer, parameters: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
    inputStride: Int, rows: Int, output: UnsafeMutableBufferPointer<Float>, activation: Activation?
  ) {
    guard let base = parameters.baseAddress, let x = input.baseAddress, let y = output.baseAddress else {
      return
    }
    let width = layer.paddedOut
    for row in 0..<rows { (y + row * width).update(from: base + layer.biasOffset, count: width) }
    if BLAS.takesFewRowsKernel(rows: rows) {
      BLAS.gemmFewRows(
        rows: rows, columns: width, inner: layer.fanIn, x, lda: inputStride, base + layer.weightOffset,
        ldb: width, y)
    } else if rows == 1 {
      BLAS.gemvTransposed(m: layer.fanIn, n: width, base + layer.weightOffset, lda: width, x, y)
    } else {
      BLAS.gemm(
        rows: rows, columns: width, inner: layer.fanIn, x, lda: inputStride, base + layer.weightOffset,
        ldb: width, y)
    }
    guard let activation else { return }
    var index = 0
    while index < rows * width {
      store(activate(load(y + index), activation), y + index)
      index += lanes
    }
  }

  @inline(__always) private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
  }

  @inline(__always) private static func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
  }

  @inline(__always) static func activate(_ z: SIMD8<Float>, _ activation: Activation) -> SIMD8<Float> {
    switch activation {
    case .relu: return z.replacing(with: 0, where: z .< 0)
    case .silu: return z / (1 + exp(-z))
    case .tanh: return 2 / (1 + exp(-2 * z)) - 1
    }
  }

  /// `exp` of each lane: `2ⁿ · e^r` with `n` the nearest integer to `x / ln 2` and Cephes'
  /// degree-6 polynomial for `e^r`, `|r| ≤ ln 2 / 2`. Inputs are clamped to [−87, 88], where
  /// `Float`'s `exp` neither underflows to a subnormal nor overflows.
  @inline(__always) package static func exp(_ value: SIMD8<Float>) -> SIMD8<Float> {
    // Blends, not `clamped`, whose generic lane loop did not vectorise.
    var x = value.replacing(with: -87, where: value .< -87)
    x.replace(with: 88, where: x .> 88)
    // Adding 1.5 · 2²³ rounds to the nearest integer and leaves it in the low mantissa bits.
    let magic: Float = 12_582_912
    let shifted = x * 1.442_695_04 + magic
    let n = shifted - magic
    let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 0.166_666_655
    p = p * r + 0.500_000_01
    p = p * r * r + r + 1
    let exponent = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let scale = unsafeBitCast((exponent &+ 127) &<< 23, to: SIMD8<Float>.self)
    return p * scale
  }
}
