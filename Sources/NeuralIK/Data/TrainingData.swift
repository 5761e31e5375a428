/// Targets for training or evaluation, with joint labels where they came from a configuration.
public struct TrainingData: Sendable {
  /// The targets, metres in the base frame (with orientations for pose sets).
  public var targets: [IKTarget]
  /// One configuration per target (FK grid, FK samples); `nil` for unlabelled volume samples.
  public var labels: [[Double]?]

  /// A data set; nothing but the counts is checked here (``validate(for:)`` checks the rest).
  ///
  /// - Parameters:
  ///   - targets: the targets.
  ///   - labels: one label or `nil` per target; as many as `targets` (a precondition: a
  ///     programming error, not input).
  public init(targets: [IKTarget], labels: [[Double]?]) {
    precondition(targets.count == labels.count)
    self.targets = targets
    self.labels = labels
  }

  /// The number of targets.
  public var count: Int { targets.count }

  /// Checks what a data set must be before it is used or written: finite, inside the limits, and
  /// not degenerate (more than one distinct target).
  ///
  /// - Parameter robot: the robot the labels belong to.
  /// - Throws: ``DataFileError`` naming the first bad row.
  public func validate(for robot: RobotModel) throws(DataFileError) {
    guard count > 0 else { throw .empty }
    for (row, (target, label)) in zip(targets, labels).enumerated() {
      guard target.position.isFinite else {
        throw .badRow(number: row + 1, problem: "the target has a non-finite coordinate")
      }
      if let label {
        guard label.count == robot.degreesOfFreedom else {
          throw .badRow(
            number: row + 1,
            problem:
              "the label has \(label.count) values; '\(robot.name)' has \(robot.degreesOfFreedom) joints")
        }
        guard robot.isWithinLimits(label, tolerance: 1e-9) else {
          throw .badRow(number: row + 1, problem: "label \(label) lies outside the joint limits")
        }
      }
    }
    let first = targets[0].position
    guard targets.contains(where: { ($0.position - first).length > 1e-9 }) else {
      throw .degenerate
    }
  }
}
