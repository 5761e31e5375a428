extension RobotModel {
  /// A hash of everything that shapes the robot's kinematics (joint kinds, origins, axes, limits,
  /// tool; not names), as 16 hex digits: a trained model records it and refuses another robot.
  ///
  /// Values are hashed rounded to 1e-9 (nanometres, nanoradians), so that the same robot written
  /// with other number formatting, or parsed an ulp apart, keeps its fingerprint.
  public var fingerprint: String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    func mix(_ value: Double) {
      let rounded = value.isFinite ? (value * 1e9).rounded() : value
      // +0.0 and −0.0 are the same geometry.
      var bits = (rounded == 0 ? 0 : rounded).bitPattern
      for _ in 0..<8 {
        hash = (hash ^ (bits & 0xFF)) &* 0x100_0000_01B3
        bits >>= 8
      }
    }
    func mix(_ transform: Transform3) {
      for row in [transform.rotation.row0, transform.rotation.row1, transform.rotation.row2] {
        mix(row.x)
        mix(row.y)
        mix(row.z)
      }
      mix(transform.translation.x)
      mix(transform.translation.y)
      mix(transform.translation.z)
    }
    for joint in joints {
      mix(Double(JointType.allCases.firstIndex(of: joint.type) ?? 0))
      mix(joint.origin)
      if joint.type.isMovable {
        mix(joint.axis.x)
        mix(joint.axis.y)
        mix(joint.axis.z)
      }
      mix(joint.limits?.lower ?? .infinity)
      mix(joint.limits?.upper ?? .infinity)
    }
    mix(tool)
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
