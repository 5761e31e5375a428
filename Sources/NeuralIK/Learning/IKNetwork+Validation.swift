/// Limits on what a model file may ask for, so that a corrupt or hostile header is refused with a
/// message instead of trapping or allocating gigabytes. Far above any network this package trains
/// (the real arms use 4 × 256 and 8 heads).
enum ModelLimits {
  static let heads = 1...1024
  static let hiddenLayers = 1...64
  static let width = 1...65_536
  static let inputs = 1...4096
  static let joints = 1...256
  static let freeJointSamples = 1...4096
  /// 2²⁸ parameters: 1 GiB of Float32 weights.
  static let parameters = 1...(1 << 28)
  /// Largest header: far above any (a few kilobytes, most of it the training settings).
  static let headerBytes = 1 << 26
  /// Largest model file read: those weights, the header and the checksum.
  static let fileBytes = 16 + headerBytes + 4 * parameters.upperBound + 16

  /// The first of a network's counts that a model file may not hold, as "what it is; what a file
  /// holds", or `nil` when all fit: the one check of a file's header (``IKNetwork/Header/validate()``)
  /// and of the trainer's settings before any work (``Trainer/checkConfiguration()``), so that a
  /// network trained is one that loads. The parameter count is checked apart, once these bound it.
  ///
  /// - Parameters:
  ///   - heads: proposals per target.
  ///   - hiddenWidths: the hidden layers' widths.
  ///   - inputs: input features.
  ///   - joints: the robot's movable joints (the output layout's).
  ///   - freeJointSamples: values of the free joint tried per target; `nil` for no free joint.
  static func problem(
    heads: Int, hiddenWidths: [Int], inputs: Int, joints: Int, freeJointSamples: Int?
  ) -> String? {
    func holds(_ range: ClosedRange<Int>) -> String {
      "a model file holds \(range.lowerBound) to \(range.upperBound)"
    }
    if !self.heads.contains(heads) { return "\(heads) heads; \(holds(self.heads))" }
    if !hiddenLayers.contains(hiddenWidths.count) || !hiddenWidths.allSatisfy(width.contains) {
      return
        "hidden widths \(hiddenWidths); \(holds(hiddenLayers)) layers of \(width.lowerBound) to \(width.upperBound) neurons"
    }
    if !self.inputs.contains(inputs) { return "\(inputs) input features; \(holds(self.inputs))" }
    if !self.joints.contains(joints) { return "\(joints) joints; \(holds(self.joints))" }
    if let samples = freeJointSamples, !self.freeJointSamples.contains(samples) {
      return "\(samples) free-joint samples per target; \(holds(self.freeJointSamples))"
    }
    return nil
  }
}

extension IKNetwork.Header {
  /// Checks every count, index and array length of the header against the others, before any of
  /// them sizes an allocation or indexes an array.
  ///
  /// - Throws: ``ModelFileError/inconsistent(_:)`` naming the first field that is out of range.
  func validate() throws(ModelFileError) {
    func check(_ ok: Bool, _ what: @autoclosure () -> String) throws(ModelFileError) {
      if !ok { throw .inconsistent(what()) }
    }
    let a = architecture
    let joints = layout.kinds.count
    // The name is printed in errors and served to pages, as a robot file's joint names are.
    try check(
      !RobotModel.hasControlCharacter(robotName),
      "the robot name contains a control character (a line break, tab, escape or bidirectional text control)")
    try check(
      a.activation == config.activation,
      "the architecture's activation '\(a.activation.rawValue)' is not the training's '\(config.activation.rawValue)'"
    )
    if let problem = ModelLimits.problem(
      heads: heads, hiddenWidths: a.hiddenWidths, inputs: a.inputCount, joints: joints,
      freeJointSamples: encoding.freeJoint?.samples)
    {
      throw .inconsistent(problem)
    }
    try check(
      layout.lower.count == joints && layout.upper.count == joints,
      "the output layout has \(layout.lower.count) lower and \(layout.upper.count) upper limits for \(joints) joints"
    )
    for index in 0..<joints {
      let (lower, upper) = (layout.lower[index], layout.upper[index])
      // A pinned joint (lower = upper) is allowed: its output is its one value.
      try check(
        lower.isFinite && upper.isFinite && lower <= upper,
        "output layout joint \(index + 1): limits \(lower)…\(upper) are not a finite range")
    }
    // The product of heads and outputs must not overflow before it is compared.
    let (outputs, overflow) = heads.multipliedReportingOverflow(by: layout.outputsPerHead)
    try check(
      !overflow && a.outputCount == outputs,
      "architecture outputs \(a.outputCount) do not fit \(heads) heads of \(layout.outputsPerHead)")
    try check(encoding.center.count == 3, "encoding centre has \(encoding.center.count) values; expected 3")
    try check(
      encoding.center.allSatisfy(\.isFinite) && encoding.scale.isNormal && encoding.scale > 0,
      "encoding centre or scale is not finite and positive (a subnormal scale, such as 1e-310, is none)")
    try check((encoding.azimuthFrame?.count ?? 12) == 12, "encoding azimuth frame does not have 12 values")
    try check((encoding.wristOffset?.count ?? 3) == 3, "encoding wrist offset does not have 3 values")
    try check(
      (encoding.azimuthFrame ?? []).allSatisfy(\.isFinite)
        && (encoding.wristOffset ?? []).allSatisfy(\.isFinite),
      "encoding frame or wrist offset holds a non-finite value")
    if let free = encoding.freeJoint {
      try check(
        (0..<joints).contains(free.index),
        "free joint index \(free.index) is not one of the \(joints) joints")
      try check(
        free.lower.isFinite && free.upper.isFinite && free.lower < free.upper
          && free.lower >= layout.lower[free.index] - 1e-9 && free.upper <= layout.upper[free.index] + 1e-9,
        "free joint range \(free.lower)…\(free.upper) leaves joint \(free.index + 1)'s limits")
    }
    try check(
      config.rotationWeight.map(SolverSpecification.rotationWeights.contains) ?? true,
      "the training rotation weight \(config.rotationWeight ?? 0) is not 0.0001 to 1,000 metres per radian")
    try check(
      a.inputCount == encoding.featureCount, "\(a.inputCount) inputs for \(encoding.featureCount) features")
    guard let count = a.checkedParameterCount, ModelLimits.parameters.contains(count) else {
      throw .inconsistent(
        "architecture \(a.layerWidths) has more than \(ModelLimits.parameters.upperBound) parameters")
    }
    try check(
      parameterCount == count, "parameter count \(parameterCount) does not match the architecture's \(count)")
    if let metrics {
      let v = metrics.validation
      let measures = [
        v.positionMedianMillimetres, v.positionP95Millimetres, v.positionP99Millimetres, v.rankingScore,
        metrics.trainingSeconds,
      ]
      try check(
        (measures + [v.rotationMedianDegrees, v.rotationP99Degrees].compactMap { $0 }).allSatisfy {
          $0.isFinite && $0 >= 0
        }
          && metrics.epochs >= 0,
        "the training metrics hold a negative or non-finite error, time or epoch count")
    }
  }
}

extension IKNetwork {
  /// Checks that this network's output layout is `robot`'s own: a file whose limits were edited
  /// would otherwise propose configurations outside the robot's limits.
  ///
  /// - Throws: ``ModelFileError/inconsistent(_:)`` naming the first joint whose limits differ.
  func checkLayout(of robot: RobotModel) throws(ModelFileError) {
    let expected = JointOutputLayout(robot: robot)
    guard layout != expected else { return }
    let joint =
      zip(layout.lower, expected.lower).enumerated().first { $0.element.0 != $0.element.1 }?.offset
      ?? zip(layout.upper, expected.upper).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? 0
    let name = robot.movableJoints.indices.contains(joint) ? robot.movableJoints[joint].name : "\(joint + 1)"
    throw .inconsistent(
      "the model's output limits differ from robot '\(robot.name)' at joint '\(name)': the file was edited or is for another robot"
    )
  }
}
