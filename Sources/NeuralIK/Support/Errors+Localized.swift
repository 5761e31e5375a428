import Foundation

// As in NeuralIKCore (IKError+Localized.swift): `localizedDescription` gives each error's message.

extension SolverSpecificationError: LocalizedError {
  /// The ``description``.
  public var errorDescription: String? { description }
}

extension ModelFileError: LocalizedError {
  /// The ``description``.
  public var errorDescription: String? { description }
}

extension TrainingError: LocalizedError {
  /// The ``description``.
  public var errorDescription: String? { description }
}

extension BatchError: LocalizedError {
  /// The ``description``.
  public var errorDescription: String? { description }
}

extension DataFileError: LocalizedError {
  /// The ``description``.
  public var errorDescription: String? { description }
}

extension TargetsCSVError: LocalizedError {
  /// The ``description``.
  public var errorDescription: String? { description }
}

extension ReachabilityMapError: LocalizedError {
  /// The ``description``.
  public var errorDescription: String? { description }
}
