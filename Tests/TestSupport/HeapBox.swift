/// A value kept on the heap while an async test awaits.
///
/// Swift 6.3's async frames miscount the space of spilled 32-byte SIMD values
/// (swiftlang/swift#91639): an async test that keeps a `SIMD3<Double>` (a position, a transform,
/// a reach sphere) live across an `await` can write past its frame and corrupt the heap, as the
/// release property run did. A box puts one reference in the frame instead of the vector.
public final class HeapBox<Value>: @unchecked Sendable {
  /// The value; immutable, so sharing the box across tasks is safe.
  public let value: Value

  public init(_ value: Value) { self.value = value }
}
