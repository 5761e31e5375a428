/// A point or direction in 3-D space, in metres for points.
public typealias Vector3 = SIMD3<Double>

extension SIMD3 where Scalar == Double {
  /// The dot product.
  @inlinable public func dot(_ other: Self) -> Double {
    x * other.x + y * other.y + z * other.z
  }

  /// The cross product `self × other`.
  @inlinable public func cross(_ other: Self) -> Self {
    Self(y * other.z - z * other.y, z * other.x - x * other.z, x * other.y - y * other.x)
  }

  /// The Euclidean length.
  @inlinable public var length: Double { dot(self).squareRoot() }

  /// `true` when every component is finite.
  @inlinable public var isFinite: Bool { x.isFinite && y.isFinite && z.isFinite }
}
