import Foundation

/// The geometry a closed-form solver recognises in a robot, with its parameters read off the
/// robot's own forward kinematics.
enum ClosedFormModel: Sendable {
  /// All joint axes parallel: a planar chain in the plane through `origin` spanned by `e1, e2`.
  case planar(origin: Vector3, e1: Vector3, e2: Vector3, chain: PlanarChain)
  /// A first joint about `up` through `shoulder`, carrying a planar chain whose plane contains
  /// `up`. At yaw angle ψ the chain's radial direction is `cos ψ · e1 + sin ψ · e2`.
  case yawPlanar(
    yaw: AngleJoint, shoulder: Vector3, up: Vector3, e1: Vector3, e2: Vector3, chain: PlanarChain)

  /// The tool point for a configuration, by the model's own geometry.
  func tipPosition(_ q: [Double]) -> Vector3 {
    switch self {
    case .planar(let origin, let e1, let e2, let chain):
      let p = chain.tip(q)
      return origin + p.x * e1 + p.y * e2
    case .yawPlanar(let yaw, let shoulder, let up, let e1, let e2, let chain):
      let psi = yaw.angle(q[0])
      let p = chain.tip(Array(q[1...]))
      return shoulder + p.x * (cos(psi) * e1 + sin(psi) * e2) + p.y * up
    }
  }

  /// Reads the model off `robot`, or explains why there is none.
  init(robot: RobotModel) throws(IKError) {
    let joints = robot.movableJoints
    guard joints.count == 2 || joints.count == 3,
      joints.allSatisfy({ $0.type == .revolute || $0.type == .continuous })
    else {
      throw .noClosedForm(
        robot: robot.name,
        reason: "closed form covers planar 2-link arms and a yaw joint carrying 1 or 2 pitch links")

    }
    let zero = Array(repeating: 0.0, count: joints.count)
    let frames = robot.jointFrames(at: zero)
    let axes = zip(frames, joints).map { $0.rotation * $1.axis }
    let origins = frames.map(\.translation)
    let tip = origins[joints.count]
    let parallel = { (a: Vector3, b: Vector3) in a.cross(b).length < 1e-9 }

    func limitsJoint(_ index: Int, sign: Double, offset: Double) -> AngleJoint {
      AngleJoint(sign: sign, offset: offset, limits: joints[index].limits)
    }
    /// Lengths and joint offsets of a planar chain through `points`, measured in the plane.
    func chain(points: [Point2], signs: [Double], firstJoint: Int) -> PlanarChain {
      var lengths: [Double] = []
      var angleJoints: [AngleJoint] = []
      var previousAngle = 0.0
      for index in 0..<(points.count - 1) {
        let link = points[index + 1] - points[index]
        let angle = atan2(link.y, link.x)
        lengths.append((link * link).sum().squareRoot())
        angleJoints.append(
          limitsJoint(firstJoint + index, sign: signs[index], offset: angle - previousAngle))
        previousAngle = angle
      }
      return PlanarChain(lengths: lengths, joints: angleJoints)
    }

    if joints.count == 2, parallel(axes[0], axes[1]) {
      let normal = axes[0]
      let origin = origins[0]
      var e1 = (origins[1] - origin) - normal * normal.dot(origins[1] - origin)
      if e1.length < 1e-9 { e1 = (tip - origin) - normal * normal.dot(tip - origin) }
      guard e1.length > 1e-9 else {
        throw .noClosedForm(
          robot: robot.name,
          reason: "its links have no length in the joint plane")
      }
      e1 /= e1.length
      let e2 = normal.cross(e1)
      let project = { (p: Vector3) in Point2((p - origin).dot(e1), (p - origin).dot(e2)) }
      let planarChain = chain(
        points: [project(origins[0]), project(origins[1]), project(tip)],
        signs: axes.map { $0.dot(normal) }, firstJoint: 0)
      self = .planar(origin: origin, e1: e1, e2: e2, chain: planarChain)
    } else {
      let up = axes[0]
      let pitch = axes[1]
      let shoulder = origins[1]
      guard abs(up.dot(pitch)) < 1e-9, axes.dropFirst().allSatisfy({ parallel($0, pitch) }),
        (shoulder - origins[0]).cross(up).length < 1e-9
      else {
        // Three parallel axes reach a plane's points in a one-parameter family (the tool's angle
        // free): no finite list of branches, so no closed form of positions.
        let allParallel = axes.dropFirst().allSatisfy { parallel($0, axes[0]) }
        throw .noClosedForm(
          robot: robot.name,
          reason: allParallel
            ? "its \(joints.count) joints are all parallel: a closed form of positions takes two parallel joints, "
              + "or a yaw axis carrying parallel pitch axes that meet it"
            : "a closed form of positions takes two parallel joints (a planar arm), or a yaw axis carrying "
              + "parallel pitch axes that meet it, and these joints are neither"
        )

      }
      let e1 = up.cross(pitch)
      let e2 = up.cross(e1)
      let project = { (p: Vector3) in Point2((p - shoulder).dot(e1), (p - shoulder).dot(up)) }
      let points = origins[1..<joints.count].map(project) + [project(tip)]
      let planarChain = chain(
        points: points, signs: axes.dropFirst().map { $0.dot(pitch) }, firstJoint: 1)
      self = .yawPlanar(
        yaw: limitsJoint(0, sign: 1, offset: 0), shoulder: shoulder, up: up, e1: e1, e2: e2,
        chain: planarChain)
    }
    try verify(against: robot)
  }

  /// Compares the model's forward kinematics with the robot's on seeded random configurations,
  /// so that a robot whose geometry the extraction misread is refused instead of mis-solved.
  private func verify(against robot: RobotModel) throws(IKError) {
    var generator = SplitMix64(seed: 0x5EED)
    let scale = max(1, robot.tipPosition(at: robot.middleConfiguration).length)
    for _ in 0..<64 {
      let q = robot.randomConfiguration(using: &generator)
      let difference = (tipPosition(q) - robot.tipPosition(at: q)).length
      guard difference <= 1e-9 * scale else {
        throw .noClosedForm(
          robot: robot.name,
          reason: "its geometry has offsets the closed form does not model (mismatch \(difference) m)")

      }
    }
  }
}
