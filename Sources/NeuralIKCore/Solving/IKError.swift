/// Why a solve was refused. Each message says what was wrong and what would be right.
public enum IKError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A vector had the wrong number of values.
  case wrongDimension(what: String, expected: Int, got: Int)
  /// A value was NaN or infinite.
  case nonFinite(String)
  /// The solver cannot handle this robot or target; the message says which solver can.
  case unsupported(String)
  /// A numerical library reported a failure.
  case numerical(String)

  public var description: String {
    switch self {
    case .wrongDimension(let what, let expected, let got):
      return "\(what) has \(got) value\(got == 1 ? "" : "s"); expected \(expected)"
    case .nonFinite(let what):
      return "\(what) contains a non-finite number (NaN or infinity); give finite numbers"
    case .unsupported(let message), .numerical(let message):
      return message
    }
  }
}
