import Foundation

extension RobotModel {
  /// The tool's approach axis in the tip frame, a unit vector: the axis that a "point the tool
  /// along this direction" target (``AxisTarget``) turns by default. It is the direction in which
  /// the tool stands out from the arm past its last joint:
  ///
  /// - **A wrist roll** (seen from the nearest joint origin a centimetre, or a twentieth of the
  ///   reach, or more away, the tip lies along the last joint's axis, as on 6- and 7-joint arms, a
  ///   SCARA, a telescope): the last joint's axis, pointing out of the arm, the way the tip lies from the
  ///   joints before it. In the tip frame that is ±z exactly where the axis lies within 1° of its
  ///   z (ROS-Industrial's `tool0`, the Panda's flange and hand TCP, a SCARA's z-up TCP: −z), else
  ///   ±the axis (iiwa_stack's `iiwa_link_ee`: x; a Fanuc or KUKA KR `flange`, whose last joint is
  ///   declared along −x: x).
  /// - **A pitch** (the tip stands off the last joint's axis, as at the end of a small arm's last
  ///   link): the direction from that axis out to the tip, the tip frame's nearest axis where it
  ///   lies within 25° of one.
  ///
  /// Worked out at the middle configuration (the same at any where the tip turns with the last
  /// joint about its axis, as on a wrist roll).
  public var approachAxis: Vector3 {
    let last = movableJoints.count - 1
    let frames = jointFrames(at: middleConfiguration)
    let tip = frames[last + 1]
    // Joints are normalised when the model is built.
    let axis = frames[last].rotation * movableJoints[last].axis
    let inTip = tip.rotation.transposed * axis
    // The joint origins from the last backwards (each on its own axis), as seen from the tip.
    let fromJoints = (0...last).reversed().map { tip.translation - frames[$0].translation }
    // Out of the arm: the way the tip lies along the axis from the nearest joint that is not
    // level with it (a Fanuc's joints 5 and 6 meet at the tip); the declaration where none is.
    let outwards = (fromJoints.first { abs($0.dot(axis)) > 1e-4 }?.dot(axis) ?? 1) < 0 ? -inTip : inTip
    let z = Vector3(0, 0, 1)
    // Roll or pitch: how the tip lies from the nearest joint origin a centimetre (or a twentieth
    // of the reach) or more away, past a TCP's calibrated millimetres off the flange's axis.
    let seen = fromJoints.first { $0.length >= min(0.01, 0.05 * reachBound) } ?? .zero
    let along = seen.dot(axis)
    let sideways = seen - axis * along
    guard sideways.length > abs(along) else {
      return abs(inTip.dot(z)) >= cos(Double.pi / 180) ? (outwards.z < 0 ? -z : z) : tidy(outwards)
    }
    let pointing = tip.rotation.transposed * (sideways / sideways.length)
    // A tip frame's axes are drawn along its tool; a link's small bend need not be.
    let nearest =
      [Vector3(1, 0, 0), Vector3(0, 1, 0), z].map { pointing.dot($0) < 0 ? -$0 : $0 }
      .max { pointing.dot($0) < pointing.dot($1) } ?? z
    return pointing.dot(nearest) >= cos(25 * Double.pi / 180) ? nearest : tidy(pointing)
  }

  /// `v` with the components that rounding of a frame's π/2 turns leaves where a 0 belongs
  /// (6e-17) set to 0: a reader sees (1, 0, 0).
  private func tidy(_ v: Vector3) -> Vector3 {
    Vector3(abs(v.x) < 1e-12 ? 0 : v.x, abs(v.y) < 1e-12 ? 0 : v.y, abs(v.z) < 1e-12 ? 0 : v.z)
  }
}
