import Foundation

/// An error of this package whose `description` says what was wrong and what would be right.
///
/// `localizedDescription` is what Swift code most often prints; without `LocalizedError` Foundation
/// gives "The operation could not be completed. (NeuralIKCore.IKError error 0.)" in place of that
/// message. Conforming gives `errorDescription`, and so `localizedDescription`, the message.
public protocol DescribedError: LocalizedError, CustomStringConvertible {}

extension DescribedError {
  /// The error's `description`: what was wrong and what would be right.
  public var errorDescription: String? { description }
}

extension IKError: DescribedError {}
extension RobotModelError: DescribedError {}
extension FileReadError: DescribedError {}
extension JointRestrictionError: DescribedError {}
