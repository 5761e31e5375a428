/// Rounding to whole numbers without a libm call.
///
/// Baseline x86-64 has no rounding instruction (SSE4.1's `roundsd` is not assumed), so
/// `Double.rounded(_:)` calls libm's `floor`, `ceil` or `round`; a closed form rounds several
/// times per joint and branch to move angles by whole turns. These truncate through `Int64`
/// instead, exactly, and hand values beyond 2⁵² (all whole already) and NaN to `rounded`.
extension Double {
  /// `rounded(.down)`.
  @inlinable @inline(__always) var wholeBelow: Double {
    guard abs(self) < 0x1p52 else { return rounded(.down) }
    let truncated = Double(Int64(self))
    return truncated > self ? truncated - 1 : truncated
  }

  /// `rounded(.up)`.
  @inlinable @inline(__always) var wholeAbove: Double {
    guard abs(self) < 0x1p52 else { return rounded(.up) }
    let truncated = Double(Int64(self))
    return truncated < self ? truncated + 1 : truncated
  }

  /// `rounded()`: to the nearest whole number, halves away from zero.
  @inlinable @inline(__always) var wholeNearest: Double {
    guard abs(self) < 0x1p52 else { return rounded() }
    let truncated = Double(Int64(self))
    // Exact: the fraction of a double below 2⁵² is representable.
    let fraction = self - truncated
    if fraction >= 0.5 { return truncated + 1 }
    if fraction <= -0.5 { return truncated - 1 }
    return truncated
  }
}
