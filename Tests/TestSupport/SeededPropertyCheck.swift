import NeuralIKCore
import PropertyBased
import Testing

extension SplitMix64: SeededRandomNumberGenerator {
  public var currentSeed: UInt64 { state }

  public init() { self.init(seed: 0) }
}

/// `propertyCheck` made deterministic: case *i* draws its input from its own `SplitMix64` stream
/// derived from `seed` and *i*, so CI runs the same cases every time. Expectations inside `body`
/// carry their input in their message; `only: i` replays one case alone.
///
/// PropertyBased's own `propertyCheck` draws a fresh random seed per run; the suite must be
/// reproducible, so it uses this overload with the same composable generators.
public func propertyCheck<Value>(
  seed: UInt64, count: Int, only: Int? = nil, input: Generator<Value, some Sequence>,
  sourceLocation: SourceLocation = #_sourceLocation,
  perform body: (Value) async throws -> Void
) async {
  for index in only.map({ [$0] }) ?? Array(0..<count) {
    var generator = SplitMix64(seed: seed ^ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
    let value = input.run(using: &generator)
    do {
      try await body(value)
    } catch {
      Issue.record(
        "case \(index) (replay with only: \(index)) threw \(error) for input \(value)",
        sourceLocation: sourceLocation)
    }
  }
}
