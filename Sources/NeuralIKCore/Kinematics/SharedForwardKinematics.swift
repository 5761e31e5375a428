/// Forward kinematics of a run of configurations that share joint values, reusing what the
/// previous configuration computed.
///
/// The branches of a closed form share joints: a shoulder angle with the three others on its side,
/// a wrist with both elbows. Each configuration's `T_base_tip` is kept as the product of two
/// halves, `T_base_split` (from the base) and `T_split_tip` (from the tool back), each the last of
/// partial products cached per joint; a new configuration recomputes a joint's motion only if its
/// value changed, and of each half only the products from the changed joints on. The first
/// configuration costs what ``RobotModel/tipPose(at:)`` does; the UR5's eight branches need about
/// a quarter fewer motions and products. Results equal ``RobotModel/tipPose(at:)`` to rounding
/// (the products associate differently). Chains of more than ``capacity`` joints are passed to
/// ``RobotModel/tipPose(at:)``; the caches live inline, so a run allocates nothing.
struct SharedForwardKinematics {
  static let capacity = 8

  private let chain: [ChainLink]
  // swift-format-ignore: AlwaysUseLowerCamelCase
  private let T_lastAxis_tip: Transform3
  private let split: Int
  private var filled = false
  /// The configuration the caches hold.
  private var values = InlineArray<8, Double>(repeating: 0)
  /// `T_previousAxis_movedAxis` of each joint at `values`.
  private var motions = InlineArray<8, Transform3>(repeating: .identity)
  /// `T_base_moved` of joint `i` for each joint before the split (`i < split`).
  private var fromBase = InlineArray<8, Transform3>(repeating: .identity)
  /// `T_previous_tip` of joint `i` for each joint from the split on (`i ≥ split`).
  private var toTip = InlineArray<8, Transform3>(repeating: .identity)

  // swift-format-ignore: AlwaysUseLowerCamelCase
  init(chain: [ChainLink], T_lastAxis_tip: Transform3) {
    self.chain = chain
    self.T_lastAxis_tip = T_lastAxis_tip
    split = max(1, chain.count / 2)
  }

  /// For `robot`'s chain.
  init(robot: RobotModel) {
    self.init(chain: robot.chain, T_lastAxis_tip: robot.T_lastAxis_tip)
  }

  /// `T_base_tip` at `jointValues` (one value per movable joint).
  mutating func tipPose(at jointValues: [Double]) -> Transform3 {
    let count = chain.count
    assert(jointValues.count == count, "configuration has the wrong number of values")
    guard count >= 2, count <= Self.capacity else {
      // Below two joints there is nothing to share; above the capacity, no room to share it.
      return RobotModel.tipPose(chain: chain, T_lastAxis_tip: T_lastAxis_tip, at: jointValues)
    }
    var firstChanged = count
    var lastChanged = -1
    for index in 0..<count where !filled || jointValues[index] != values[index] {
      values[index] = jointValues[index]
      motions[index] = chain[index].T_previousAxis_movedAxis(jointValues[index])
      firstChanged = min(firstChanged, index)
      lastChanged = index
    }
    filled = true
    if firstChanged < split {
      if firstChanged == 0 { fromBase[0] = motions[0] }
      for index in max(1, firstChanged)..<split { fromBase[index] = fromBase[index - 1] * motions[index] }
    }
    if lastChanged >= split {
      if lastChanged == count - 1 { toTip[count - 1] = motions[count - 1] * T_lastAxis_tip }
      for index in stride(from: min(lastChanged, count - 2), through: split, by: -1) {
        toTip[index] = motions[index] * toTip[index + 1]
      }
    }
    return fromBase[split - 1] * toTip[split]
  }
}
