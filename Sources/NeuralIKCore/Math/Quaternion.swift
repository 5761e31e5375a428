/// A unit quaternion in (w, x, y, z) order, as NeuralIK writes orientations in files and on the API.
///
/// `q` and `-q` are the same rotation; ``init(w:x:y:z:)`` normalises, ``canonical`` picks `w ≥ 0`.
/// The components are read-only outside, so that a value stays a unit quaternion: one set to NaN or
/// to a length other than 1 reached the solvers as a target, which answered with NaN errors or
/// reported another orientation reached.
public struct Quaternion: Sendable, Hashable {
  /// The scalar part: cos(θ/2) for a rotation by θ.
  public private(set) var w: Double
  /// The x component of the vector part: axis x · sin(θ/2).
  public private(set) var x: Double
  /// The y component of the vector part: axis y · sin(θ/2).
  public private(set) var y: Double
  /// The z component of the vector part: axis z · sin(θ/2).
  public private(set) var z: Double

  /// Builds a unit quaternion from any non-zero finite (w, x, y, z); returns `nil` otherwise.
  ///
  /// - Parameters:
  ///   - w: the scalar part, of any scale.
  ///   - x: the vector part's x, of the same scale.
  ///   - y: the vector part's y.
  ///   - z: the vector part's z.
  public init?(w: Double, x: Double, y: Double, z: Double) {
    // Each checked: `max` passes over a NaN that is not its first argument.
    guard w.isFinite, x.isFinite, y.isFinite, z.isFinite else { return nil }
    let largest = max(abs(w), abs(x), abs(y), abs(z))
    guard largest > 0 else { return nil }
    let squared = w * w + x * x + y * y + z * z
    if squared.isFinite, squared > 1e-280 {
      // The plain norm where it neither over- nor underflows: a unit quaternion stays bit for bit.
      let norm = squared.squareRoot()
      (self.w, self.x, self.y, self.z) = (w / norm, x / norm, y / norm, z / norm)
    } else {
      // Scaled first beyond (1e200 each way squared to infinity and was taken for a zero one).
      let (sw, sx, sy, sz) = (w / largest, x / largest, y / largest, z / largest)
      let norm = (sw * sw + sx * sx + sy * sy + sz * sz).squareRoot()
      (self.w, self.x, self.y, self.z) = (sw / norm, sx / norm, sy / norm, sz / norm)
    }
  }

  /// The quaternion of a rotation matrix (Shepperd's method, stable for every angle).
  ///
  /// A matrix with a NaN or infinite entry gives a non-finite quaternion, which every target
  /// refuses (``IKTarget/init(position:orientation:)``).
  ///
  /// - Parameter r: a rotation matrix (orthonormal, determinant 1).
  public init(_ r: Rotation3) {
    let trace = r.row0.x + r.row1.y + r.row2.z
    var q: (Double, Double, Double, Double)
    if trace > 0 {
      let s = (trace + 1).squareRoot() * 2
      q = (s / 4, (r.row2.y - r.row1.z) / s, (r.row0.z - r.row2.x) / s, (r.row1.x - r.row0.y) / s)
    } else if r.row0.x > r.row1.y && r.row0.x > r.row2.z {
      let s = (1 + r.row0.x - r.row1.y - r.row2.z).squareRoot() * 2
      q = ((r.row2.y - r.row1.z) / s, s / 4, (r.row0.y + r.row1.x) / s, (r.row0.z + r.row2.x) / s)
    } else if r.row1.y > r.row2.z {
      let s = (1 + r.row1.y - r.row0.x - r.row2.z).squareRoot() * 2
      q = ((r.row0.z - r.row2.x) / s, (r.row0.y + r.row1.x) / s, s / 4, (r.row1.z + r.row2.y) / s)
    } else {
      let s = (1 + r.row2.z - r.row0.x - r.row1.y).squareRoot() * 2
      q = ((r.row1.x - r.row0.y) / s, (r.row0.z + r.row2.x) / s, (r.row1.z + r.row2.y) / s, s / 4)
    }
    let norm = (q.0 * q.0 + q.1 * q.1 + q.2 * q.2 + q.3 * q.3).squareRoot()
    (w, x, y, z) = (q.0 / norm, q.1 / norm, q.2 / norm, q.3 / norm)
  }

  /// The same rotation with `w ≥ 0`.
  public var canonical: Quaternion {
    var q = self
    if w < 0 { (q.w, q.x, q.y, q.z) = (-w, -x, -y, -z) }
    return q
  }

  /// The rotation matrix.
  public var rotation: Rotation3 {
    Rotation3(
      row0: Vector3(1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)),
      row1: Vector3(2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)),
      row2: Vector3(2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)))
  }
}
