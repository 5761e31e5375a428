/// Why a solve was refused. Each message says what was wrong and what would be right.
public enum IKError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A vector had the wrong number of values.
  case wrongDimension(what: String, expected: Int, got: Int)
  /// A value was NaN or infinite.
  case nonFinite(String)
  /// A target that no robot can aim for, such as an orientation of zero length.
  case invalidTarget(String)
  /// A joint configuration that no robot can be in: a value beyond ±1e6
  /// (``RobotLimits/jointValue``).
  case invalidConfiguration(String)
  /// The solver answers the other kind of target (a pose network asked for a position, or the
  /// reverse); the message says which targets it takes.
  case wrongTargetKind(expected: TargetKind, got: TargetKind, reason: String)
  /// The robot has no closed form of a family this build solves; the message says which solver
  /// serves it.
  case noClosedForm(robot: String, reason: String)
  /// A numerical library reported a failure.
  case numerical(String)

  /// What was wrong and what would be right, in one line.
  public var description: String {
    switch self {
    case .wrongDimension(let what, let expected, let got):
      return "\(what) has \(got) value\(got == 1 ? "" : "s"); expected \(expected)"
    case .nonFinite(let what):
      return "\(what) contains a non-finite number (NaN or infinity); give finite numbers"
    case .invalidTarget(let message), .invalidConfiguration(let message), .numerical(let message):
      return message
    case .wrongTargetKind(let expected, let got, let reason):
      return
        "\(reason) takes \(expected.rawValue) targets (\(expected.valuesDescription)), not \(got.rawValue) targets"
    case .noClosedForm(let robot, let reason):
      return "no closed-form solver for robot '\(robot)': \(reason); use the 'lm' solver"
    }
  }
}
