import Foundation

extension RobotModel {
  /// The tool's approach axis in the tip frame, a unit vector: the axis that a "point the tool
  /// along this direction" target (``AxisTarget``) turns by default.
  ///
  /// An arm that ends in a wrist roll (the tip lies along the last joint's axis, or on it) turns
  /// the flange about its normal, so that axis is the approach axis of any tool mounted square on
  /// it. Tip frames differ in which of their axes that is: the ROS-Industrial `tool0` and the
  /// Panda's flange put it on z, iiwa_stack's `iiwa_link_ee` on x. Hence:
  /// - the tip frame's z axis, `(0, 0, 1)` exactly, where the last joint's axis lies within 1° of
  ///   it (either way: a flange's z points away from the arm even where the joint's axis is
  ///   declared the other way round), and wherever the last joint is no roll (a pitch joint with a
  ///   link out to the tip, as on a small positioning arm), by convention;
  /// - otherwise the last joint's axis in the tip frame, pointing from the joint towards the tip
  ///   (as the joint declares it where the tip lies on the joint's axis frame's origin).
  ///
  /// Constant over configurations: the tip turns with the last joint, about that joint's axis.
  public var approachAxis: Vector3 {
    // Joints are normalised when the model is built.
    let inJoint = movableJoints[movableJoints.count - 1].axis
    let inTip = T_lastMovable_tip.rotation.transposed * inJoint
    let z = Vector3(0, 0, 1)
    if abs(inTip.dot(z)) >= cos(Double.pi / 180) { return z }
    // The joint's origin lies on its axis, so the tip's offset along the axis says which way is
    // out; a roll's tip lies mostly along it (within 45°), or on its origin.
    let offset = T_lastMovable_tip.translation
    let outwards = offset.dot(inJoint)
    let length = offset.length
    let onOrigin = length <= 1e-9
    guard onOrigin || abs(outwards) >= length * cos(Double.pi / 4) else { return z }
    return !onOrigin && outwards < 0 ? -inTip : inTip
  }
}
