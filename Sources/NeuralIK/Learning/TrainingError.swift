/// Why a training run was refused or stopped.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A setting of ``TrainingConfig`` that cannot train; the message says what would.
  case invalidConfiguration(String)
  /// The generated data set failed its checks.
  case data(DataFileError)
  /// Measuring the data set's distance from the reach failed.
  case numerical(IKError)

  /// What was wrong and what would be right, in one line.
  public var description: String {
    switch self {
    case .invalidConfiguration(let message): return message
    case .data(let error): return "\(error)"
    case .numerical(let error): return "\(error)"
    }
  }
}
