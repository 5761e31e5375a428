/// Targets for training or evaluation, with joint labels where they came from a configuration.
public struct TrainingData: Sendable {
  public var targets: [IKTarget]
  /// One configuration per target (FK grid, FK samples); `nil` for unlabelled volume samples.
  public var labels: [[Double]?]

  public init(targets: [IKTarget], labels: [[Double]?]) {
    precondition(targets.count == labels.count)
    self.targets = targets
    self.labels = labels
  }

  public var count: Int { targets.count }

  /// Checks what a data set must be before it is used or written: finite, inside the limits, and
  /// not degenerate (more than one distinct target).
  ///
  /// - Throws: ``IKError`` naming the first bad row.
  public func validate(for robot: RobotModel) throws(IKError) {
    guard count > 0 else { throw .unsupported("the data set is empty") }
    for (row, (target, label)) in zip(targets, labels).enumerated() {
      guard target.position.isFinite else { throw .nonFinite("data row \(row + 1) target") }
      if let label {
        guard label.count == robot.degreesOfFreedom else {
          throw .wrongDimension(
            what: "data row \(row + 1) label", expected: robot.degreesOfFreedom, got: label.count)
        }
        guard robot.isWithinLimits(label, tolerance: 1e-9) else {
          throw .unsupported("data row \(row + 1): label \(label) lies outside the joint limits")
        }
      }
    }
    let first = targets[0].position
    guard targets.contains(where: { ($0.position - first).length > 1e-9 }) else {
      throw .unsupported("the data set is degenerate: every target is the same point")
    }
  }
}
