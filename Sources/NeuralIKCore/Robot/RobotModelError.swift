/// Why a robot description was rejected. Each message names the field and says what would be valid.
public struct RobotModelError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Where the problem is, such as `joint 'elbow' limits`, `tool xyz` or (a JSON file's path) `joints[1].axis`.
  public var field: String
  /// What is wrong there and what would be right.
  public var problem: String

  /// An error at `field`.
  ///
  /// - Parameters:
  ///   - field: where the problem is; empty for the whole description.
  ///   - problem: what is wrong and what would be right.
  public init(field: String, problem: String) {
    self.field = field
    self.problem = problem
  }

  /// `field: problem`, in one line.
  public var description: String { field.isEmpty ? problem : "\(field): \(problem)" }
}
