import Foundation

extension RobotModel {
  /// The tool's approach axis in the tip frame, a unit vector: the axis that a "point the tool
  /// along this direction" target (``AxisTarget``) turns by default. It is the direction in which
  /// the tool stands out from the last joint:
  ///
  /// - **A wrist roll** (the tip lies on the last joint's axis, up to a millimetre or its offset
  ///   along the axis sideways, as on 6- and 7-joint arms): the flange's normal, which that joint
  ///   turns the flange about. The tip frame's z axis, `(0, 0, 1)` exactly, where the joint's axis
  ///   lies within 1° of it (ROS-Industrial's `tool0`, the Panda's flange, either way round: a
  ///   flange's z points out even where the joint's axis is declared inwards); otherwise the
  ///   joint's axis in the tip frame, pointing out of the arm: the way the tip lies from the joint
  ///   before it, along the axis (iiwa_stack's `iiwa_link_ee`: x; a Fanuc or KUKA KR `flange`,
  ///   whose last joint is declared along −x: x).
  /// - **A pitch** (the tip stands off the last joint's axis, as at the end of a small arm's last
  ///   link): the direction from that axis out to the tip, in the tip frame.
  ///
  /// Constant over configurations: the tip turns with the last joint, about that joint's axis.
  public var approachAxis: Vector3 {
    let last = movableJoints.count - 1
    // Joints are normalised when the model is built. In the last joint's frame: its origin lies
    // on its axis.
    let axis = movableJoints[last].axis
    let offset = T_lastMovable_tip.translation
    let along = offset.dot(axis)
    let sideways = offset - axis * along
    let toTip = T_lastMovable_tip.rotation.transposed
    // Rounding of a frame's π/2 turns leaves 6e-17 where a 0 belongs; a reader sees (1, 0, 0).
    func tidy(_ v: Vector3) -> Vector3 {
      Vector3(abs(v.x) < 1e-12 ? 0 : v.x, abs(v.y) < 1e-12 ? 0 : v.y, abs(v.z) < 1e-12 ? 0 : v.z)
    }
    if sideways.length > max(abs(along), 1e-3) {
      return tidy(toTip * (sideways / sideways.length))
    }
    let z = Vector3(0, 0, 1)
    let inTip = toTip * axis
    if abs(inTip.dot(z)) >= cos(Double.pi / 180) { return z }
    // Out of the arm: where the tip lies from the joint before, along the axis (the same at every
    // configuration: that joint turns about its own origin, and only fixed joints lie between).
    // Without one, or level with it, the tip's own offset says; on the origin, the declaration.
    var outwards = along
    if last > 0 {
      let frames = jointFrames(at: Array(repeating: 0, count: degreesOfFreedom))
      let axisInBase = frames[last].rotation * axis
      let fromBefore = (frames[last + 1].translation - frames[last - 1].translation).dot(axisInBase)
      if abs(fromBefore) > 1e-9 { outwards = fromBefore }
    }
    return tidy(outwards < 0 ? -inTip : inTip)
  }
}
