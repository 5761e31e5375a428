import Foundation

// `localizedDescription` is what Swift code most often prints; without `LocalizedError` Foundation
// gives "The operation could not be completed. (NeuralIKCore.IKError error 0.)" in place of the
// message that names what was wrong and what would be right.

extension IKError: LocalizedError {
  /// The ``description``: what was wrong and what would be right.
  public var errorDescription: String? { description }
}

extension RobotModelError: LocalizedError {
  /// The ``description``: the file, the place in it, what was wrong and what would be right.
  public var errorDescription: String? { description }
}

extension FileReadError: LocalizedError {
  /// The ``description``: the file and why it could not be read.
  public var errorDescription: String? { description }
}

extension JointRestrictionError: LocalizedError {
  /// The ``description``: the joint, what was wrong and what it accepts.
  public var errorDescription: String? { description }
}
