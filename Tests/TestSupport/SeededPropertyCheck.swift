import NeuralIKCore
import PropertyBased
import Testing

extension SplitMix64: SeededRandomNumberGenerator {
  public var currentSeed: UInt64 { state }

  public init() { self.init(seed: 0) }
}

/// `propertyCheck` made deterministic: case *i* draws its input from its own `SplitMix64` stream
/// derived from `seed` and *i*, so CI runs the same cases every time. Every issue a case records
/// (a failed `#expect` as much as a thrown error) carries the case's index and input; `only: i`
/// replays one case alone.
///
/// PropertyBased's own `propertyCheck` draws a fresh random seed per run; these fixed-seed checks
/// must be reproducible, so they use this overload with the same composable generators.
///
/// The body is synchronous on purpose: the laws' inputs hold `SIMD3<Double>` values (positions,
/// poses), and Swift 6.3's async frames miscount the space of 32-byte SIMD spills
/// (swiftlang/swift#91639): an async law closure wrote 8 bytes past its frame and corrupted the
/// heap of the release property run (found with AddressSanitizer, Docs/Fuzzing.md).
public func propertyCheck<Value>(
  seed: UInt64, count: Int, only: Int? = nil, input: Generator<Value, some Sequence>,
  sourceLocation: SourceLocation = #_sourceLocation,
  perform body: (Value) throws -> Void
) async {
  await runCases(
    seed: seed, count: count, only: only, input: input, replay: { "replay with only: \($0)" },
    sourceLocation: sourceLocation, perform: body)
}

/// A law checked on `count` inputs drawn from a fresh seed: ``PropertyRun/seed`` (new every run,
/// printed, `NEURALIK_SEED` replays it) mixed with `law`. Every issue a case records carries the
/// law, the case's index, the seed to replay it and the input.
public func propertyCheck<Value>(
  law: String, count: Int, only: Int? = nil, input: Generator<Value, some Sequence>,
  sourceLocation: SourceLocation = #_sourceLocation,
  perform body: (Value) throws -> Void
) async {
  await runCases(
    seed: PropertyRun.seed(for: law), count: count, only: only, input: input,
    replay: { "law '\(law)', replay with NEURALIK_SEED=\(PropertyRun.seed) and only: \($0)" },
    sourceLocation: sourceLocation, perform: body)
}

private func runCases<Value>(
  seed: UInt64, count: Int, only: Int?, input: Generator<Value, some Sequence>,
  replay: (Int) -> String, sourceLocation: SourceLocation, perform body: (Value) throws -> Void
) async {
  for index in only.map({ [$0] }) ?? Array(0..<count) {
    var generator = SplitMix64(seed: seed ^ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
    let value = input.run(using: &generator)
    let context = "case \(index) (\(replay(index))) for input \(value)"
    // Issue handling adds the input to every issue recorded in the case, however it was recorded.
    let annotate = IssueHandlingTrait.compactMapIssues { issue in
      var annotated = issue
      annotated.comments.append(Comment(rawValue: context))
      return annotated
    }
    // The scope's closure is `@Sendable` but runs here, before `provideScope` returns: the body
    // and its input never cross to another task.
    nonisolated(unsafe) let scopedBody = body
    nonisolated(unsafe) let scopedValue = value
    do {
      if let test = Test.current {
        try await annotate.provideScope(for: test, testCase: Test.Case.current) {
          try scopedBody(scopedValue)
        }
      } else {
        try body(value)
      }
    } catch {
      Issue.record("\(context) threw \(error)", sourceLocation: sourceLocation)
    }
  }
}
