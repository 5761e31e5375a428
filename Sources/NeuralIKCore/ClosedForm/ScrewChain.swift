import Foundation

/// A chain of revolute joints in product-of-exponentials form: joint *i* turns everything after it
/// about the line through `points[i]` along the unit `axes[i]` (base frame, at the reference
/// configuration), and the tool sits at `home` when every angle is zero.
///
/// `pose(θ) = E₀(θ₀) ⋯ Eₙ₋₁(θₙ₋₁) · home`, where θ is measured from the reference configuration.
/// The closed forms reason about this form only: it needs no joint offsets, senses or frames.
struct ScrewChain: Sendable {
  var axes: [Vector3]
  var points: [Vector3]
  var home: Transform3

  /// The rigid motion of turning by `angle` about joint `index`'s line.
  func motion(_ index: Int, _ angle: Double) -> Transform3 {
    let rotation = Rotation3(axis: axes[index], angle: angle)
    return Transform3(rotation: rotation, translation: points[index] - rotation * points[index])
  }

  /// `point` turned by `angle` about joint `index`'s line: `motion(index, angle) * point`,
  /// by Rodrigues' formula on the one vector, without building the motion.
  func moved(_ point: Vector3, _ index: Int, _ angle: Double) -> Vector3 {
    let (k, offset) = (axes[index], point - points[index])
    let (sine, cosine) = sineCosine(angle)
    return points[index] + offset * cosine + k.cross(offset) * sine + k * (k.dot(offset) * (1 - cosine))
  }

  /// The tool pose for model angles `angles` (radians from the reference configuration).
  func pose(_ angles: [Double]) -> Transform3 {
    var pose = Transform3.identity
    for index in axes.indices { pose = pose * motion(index, angles[index]) }
    return pose * home
  }

  /// The chain run backwards: `reversed.pose(θ′) = pose(θ)⁻¹` with `θ′ = −θ` in reverse order, so
  /// a family at the chain's tool end (a spherical wrist) becomes one at its base (a spherical
  /// shoulder) and one solver serves both.
  var reversed: ScrewChain {
    // pose(θ)⁻¹ = home⁻¹ Eₙ₋₁(−θₙ₋₁) ⋯ E₀(−θ₀), and home⁻¹ E(θ) home turns about the line mapped
    // by home⁻¹.
    let inverse = home.inverse
    return ScrewChain(
      axes: axes.reversed().map { inverse.rotation * $0 },
      points: points.reversed().map { inverse * $0 },
      home: inverse)
  }

  /// Reads the chain of `robot`'s revolute joints at `reference`, leaving out the joints in
  /// `held` (they stay at their reference values, part of the geometry).
  ///
  /// Assumes every movable joint not held is revolute or continuous; callers check.
  init(robot: RobotModel, reference: [Double], held: Set<Int> = []) {
    // The last frame is the tip's.
    let frames = robot.jointFrames(at: reference)
    var axes: [Vector3] = []
    var points: [Vector3] = []
    for (index, joint) in robot.movableJoints.enumerated() where !held.contains(index) {
      let axis = frames[index].rotation * joint.axis
      axes.append(axis / axis.length)
      points.append(frames[index].translation)
    }
    self.init(axes: axes, points: points, home: frames[frames.count - 1])
  }

  /// The chain with everything from axis `first` on, and the tool, moved by `motion` (base
  /// frame): what turning (or sliding) a held joint that sits before axis `first` does to the
  /// chain.
  func moving(from first: Int, by motion: Transform3) -> ScrewChain {
    var moved = self
    for index in first..<axes.count {
      moved.axes[index] = motion.rotation * axes[index]
      moved.points[index] = motion * points[index]
    }
    moved.home = motion * home
    return moved
  }

  init(axes: [Vector3], points: [Vector3], home: Transform3) {
    self.axes = axes
    self.points = points
    self.home = home
  }
}

/// Lines in space, as the family detection compares them.
enum AxisLines {
  /// Relative tolerance of the geometry tests: the fixture files' rounding (1e-9 of a radian in
  /// `rpy`) passes, a real offset of a millimetre does not.
  static let tolerance = 1e-8

  static func parallel(_ a: Vector3, _ b: Vector3) -> Bool {
    a.cross(b).length <= tolerance
  }

  /// The point where two lines (point, unit direction) meet, or `nil` when they are parallel or
  /// pass each other at more than the tolerance (relative to `scale`).
  static func intersection(
    _ pointA: Vector3, _ axisA: Vector3, _ pointB: Vector3, _ axisB: Vector3, scale: Double
  ) -> Vector3? {
    let normal = axisA.cross(axisB)
    let sineSquared = normal.dot(normal)
    guard sineSquared > tolerance * tolerance else { return nil }
    let offset = pointB - pointA
    guard abs(offset.dot(normal)) / sineSquared.squareRoot() <= tolerance * scale else { return nil }
    // The closest points of the two lines coincide; solve along A for it.
    let along = offset.cross(axisB).dot(normal) / sineSquared
    return pointA + axisA * along
  }

  /// Whether `point` lies on the line through `linePoint` along the unit `axis`.
  static func contains(_ linePoint: Vector3, _ axis: Vector3, _ point: Vector3, scale: Double) -> Bool {
    perpendicular(point - linePoint, to: axis).length <= tolerance * scale
  }

  /// The point where the three lines meet, or `nil`.
  static func commonPoint(_ points: [Vector3], _ axes: [Vector3], scale: Double) -> Vector3? {
    for (i, j) in [(0, 1), (1, 2), (0, 2)] {
      guard
        let point = intersection(points[i], axes[i], points[j], axes[j], scale: scale)
      else { continue }
      let other = 3 - i - j
      return contains(points[other], axes[other], point, scale: scale) ? point : nil
    }
    return nil
  }
}
