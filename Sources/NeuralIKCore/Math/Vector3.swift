/// A point or direction in 3-D space, in metres for points.
public typealias Vector3 = SIMD3<Double>

// Package-wide helpers: kept off the public API, so that clients importing NeuralIK do not find
// new members on their own SIMD3 values.
extension SIMD3 where Scalar == Double {
  /// The dot product.
  @inlinable package func dot(_ other: Self) -> Double {
    x * other.x + y * other.y + z * other.z
  }

  /// The cross product `self × other`.
  @inlinable package func cross(_ other: Self) -> Self {
    Self(y * other.z - z * other.y, z * other.x - x * other.z, x * other.y - y * other.x)
  }

  /// The Euclidean length.
  @inlinable package var length: Double { dot(self).squareRoot() }

  /// The unit vector along this one, of any finite non-zero length (scaled first, so that neither
  /// a tiny nor a huge vector under- or overflows its length); `nil` for the zero vector or a
  /// non-finite one.
  @inlinable package var direction: Self? {
    // Each checked: `max` passes over a NaN that is not its first argument.
    guard isFinite else { return nil }
    let largest = Swift.max(abs(x), abs(y), abs(z))
    guard largest > 0 else { return nil }
    // The plain length where it neither over- nor underflows, so that an axis loads bit for bit
    // as it always did (a robot's fingerprint hashes it).
    let squared = dot(self)
    if squared.isFinite, squared > 1e-280 { return self / squared.squareRoot() }
    let scaled = self / largest
    return scaled / scaled.length
  }

  /// `true` when every component is finite.
  @inlinable package var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }
}

/// A unit vector perpendicular to the unit vector `axis`.
func unitPerpendicular(to axis: Vector3) -> Vector3 {
  let helper = abs(axis.x) < 0.6 ? Vector3(1, 0, 0) : Vector3(0, 1, 0)
  let normal = axis.cross(helper)
  return normal / normal.length
}
