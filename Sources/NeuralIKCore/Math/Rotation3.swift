import Foundation

/// A 3×3 rotation matrix, stored by rows.
public struct Rotation3: Sendable, Hashable {
  /// The first row.
  public var row0: Vector3
  /// The second row.
  public var row1: Vector3
  /// The third row.
  public var row2: Vector3

  /// A matrix from its rows; nothing checks that they are orthonormal.
  ///
  /// - Parameters:
  ///   - row0: the first row.
  ///   - row1: the second row.
  ///   - row2: the third row.
  @inlinable public init(row0: Vector3, row1: Vector3, row2: Vector3) {
    self.row0 = row0
    self.row1 = row1
    self.row2 = row2
  }

  /// No rotation.
  public static let identity = Rotation3(
    row0: Vector3(1, 0, 0), row1: Vector3(0, 1, 0), row2: Vector3(0, 0, 1))

  /// The rotation by `angle` radians about the unit vector `axis` (Rodrigues' formula).
  ///
  /// - Parameters:
  ///   - axis: a unit vector (not normalised here).
  ///   - angle: radians, right-handed about `axis`.
  @inlinable public init(axis: Vector3, angle: Double) {
    let (s, c) = sineCosine(angle)
    let t = 1 - c
    let (x, y, z) = (axis.x, axis.y, axis.z)
    row0 = Vector3(t * x * x + c, t * x * y - s * z, t * x * z + s * y)
    row1 = Vector3(t * x * y + s * z, t * y * y + c, t * y * z - s * x)
    row2 = Vector3(t * x * z - s * y, t * y * z + s * x, t * z * z + c)
  }

  /// The rotation of URDF's fixed-axis roll, pitch, yaw (radians): `Rz(yaw) · Ry(pitch) · Rx(roll)`.
  ///
  /// - Parameters:
  ///   - roll: radians about x, applied first.
  ///   - pitch: radians about y.
  ///   - yaw: radians about z, applied last.
  public init(roll: Double, pitch: Double, yaw: Double) {
    let (sr, cr) = sineCosine(roll)
    let (sp, cp) = sineCosine(pitch)
    let (sy, cy) = sineCosine(yaw)
    row0 = Vector3(cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr)
    row1 = Vector3(sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr)
    row2 = Vector3(-sp, cp * sr, cp * cr)
  }

  /// The first column: the rotated frame's x axis in the outer frame.
  @inlinable public var column0: Vector3 { Vector3(row0.x, row1.x, row2.x) }
  /// The second column: the rotated frame's y axis.
  @inlinable public var column1: Vector3 { Vector3(row0.y, row1.y, row2.y) }
  /// The third column: the rotated frame's z axis.
  @inlinable public var column2: Vector3 { Vector3(row0.z, row1.z, row2.z) }

  /// The transpose, which for a rotation is its inverse.
  @inlinable public var transposed: Rotation3 {
    Rotation3(row0: column0, row1: column1, row2: column2)
  }

  /// The rotated vector `lhs · rhs`.
  ///
  /// - Parameters:
  ///   - lhs: the rotation.
  ///   - rhs: a vector in the rotated frame.
  /// - Returns: the vector in the outer frame.
  @inlinable @inline(__always) public static func * (lhs: Rotation3, rhs: Vector3) -> Vector3 {
    Vector3(lhs.row0.dot(rhs), lhs.row1.dot(rhs), lhs.row2.dot(rhs))
  }

  /// `transposed * v` without building the transpose: the vector taken back by the inverse.
  @inlinable @inline(__always) func transposedTimes(_ v: Vector3) -> Vector3 {
    row0 * v.x + row1 * v.y + row2 * v.z
  }

  /// The composition `lhs · rhs`: `rhs` first, then `lhs`.
  ///
  /// - Parameters:
  ///   - lhs: `R_a_b`.
  ///   - rhs: `R_b_c`.
  /// - Returns: `R_a_c`.
  @inlinable @inline(__always) public static func * (lhs: Rotation3, rhs: Rotation3) -> Rotation3 {
    let c0 = lhs * rhs.column0
    let c1 = lhs * rhs.column1
    let c2 = lhs * rhs.column2
    return Rotation3(
      row0: Vector3(c0.x, c1.x, c2.x), row1: Vector3(c0.y, c1.y, c2.y),
      row2: Vector3(c0.z, c1.z, c2.z))
  }

  /// The rotation vector (axis × angle, angle in [0, π]) of this rotation: the matrix logarithm.
  public var logarithm: Vector3 {
    let trace = row0.x + row1.y + row2.z
    let cosAngle = min(1, max(-1, (trace - 1) / 2))
    let angle = acos(cosAngle)
    let skew = Vector3(row2.y - row1.z, row0.z - row2.x, row1.x - row0.y)
    if angle < 1e-6 {
      // sin(θ)/θ ≈ 1 − θ²/6: the skew part alone is accurate to O(θ³).
      return skew * (0.5 * (1 + angle * angle / 6))
    }
    if angle < .pi - 1e-4 {
      return skew * (angle / (2 * sin(angle)))
    }
    // Near π the skew part vanishes; read the axis from the symmetric part instead.
    let diagonal = Vector3(row0.x, row1.y, row2.z)
    var axis = Vector3(
      (max(0, (diagonal.x - cosAngle) / (1 - cosAngle))).squareRoot(),
      (max(0, (diagonal.y - cosAngle) / (1 - cosAngle))).squareRoot(),
      (max(0, (diagonal.z - cosAngle) / (1 - cosAngle))).squareRoot())
    // Fix relative signs from the off-diagonal terms, anchored on the largest component.
    if axis.x >= axis.y && axis.x >= axis.z {
      axis.y = (row0.y + row1.x) >= 0 ? axis.y : -axis.y
      axis.z = (row0.z + row2.x) >= 0 ? axis.z : -axis.z
    } else if axis.y >= axis.z {
      axis.x = (row0.y + row1.x) >= 0 ? axis.x : -axis.x
      axis.z = (row1.z + row2.y) >= 0 ? axis.z : -axis.z
    } else {
      axis.x = (row0.z + row2.x) >= 0 ? axis.x : -axis.x
      axis.y = (row1.z + row2.y) >= 0 ? axis.y : -axis.y
    }
    // The skew part still carries the sign of sin θ; keep the axis consistent with it.
    if axis.dot(skew) < 0 { axis = -axis }
    return axis / axis.length * angle
  }

  /// The rotation whose logarithm is `rotationVector`.
  ///
  /// - Parameter rotationVector: axis times angle (radians).
  /// - Returns: the rotation by its length about its direction; the identity for zero.
  public static func exponential(_ rotationVector: Vector3) -> Rotation3 {
    let angle = rotationVector.length
    if angle < 1e-300 { return .identity }
    return Rotation3(axis: rotationVector / angle, angle: angle)
  }

  /// The angle in radians, in [0, π], of the rotation taking `self` to `other`.
  ///
  /// - Parameter other: another rotation.
  /// - Returns: the geodesic distance between the two, radians.
  public func angle(to other: Rotation3) -> Double {
    // For M = selfᵀ · other: trace M = 1 + 2 cos θ, and the axial vector of M − Mᵀ, the sum of the
    // rows' cross products, has length 2 sin θ. atan2 of the two is exact at every angle, where acos of
    // the trace loses half the digits near 0 and π, and it needs no logarithm.
    let sine = (row0.cross(other.row0) + row1.cross(other.row1) + row2.cross(other.row2)).length
    let cosine = row0.dot(other.row0) + row1.dot(other.row1) + row2.dot(other.row2) - 1
    return arcTangent2(sine, cosine)
  }
}
