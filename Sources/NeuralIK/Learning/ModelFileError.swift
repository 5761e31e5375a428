/// Why a model file was refused. Each case says what was found and what was expected.
public enum ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file at `path` could not be read, and why.
  case unreadable(path: String, reason: FileReadError)
  /// The first bytes are not `NEURALIK`.
  case notAModel
  /// The file's format version is `found`; this build reads `supported`.
  case unsupportedVersion(found: UInt32, supported: UInt32)
  /// The file ends after `foundBytes` bytes; its header promises `expectedBytes`.
  case truncated(expectedBytes: Int, foundBytes: Int)
  /// This many bytes follow the weights.
  /// `atLeast` when the file was a pipe, read no further than a chunk past them.
  case trailingBytes(Int, atLeast: Bool = false)
  /// The JSON header does not decode; the decoder's message.
  case corruptHeader(String)
  /// The weights' checksum differs from the header's: the weights were changed or damaged.
  case checksumMismatch
  /// The header's parts do not fit together (architecture, heads, layout, encoding); what does not.
  case inconsistent(String)
  /// The model was trained for another robot: the robot asked for and the model's.
  case wrongRobot(expected: String, found: String)
  /// The file at `path` could not be written, and why.
  case unwritable(path: String, reason: String)

  /// What was found and what was expected, in one line.
  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "cannot read model file '\(path)': \(reason)"
    case .notAModel: return "not a NeuralIK model file (its first bytes are not \"NEURALIK\")"
    case .unsupportedVersion(let found, let supported):
      return
        "model file format version \(found) is not supported; this build reads versions 1 to \(supported) (retrain with this build)"
    case .truncated(let expected, let found):
      return "model file is truncated: \(found) bytes, expected \(expected)"
    case .trailingBytes(let count, let atLeast):
      return
        "model file has \(HeaderedFile.trailingBytesPhrase(count, atLeast: atLeast)) after the weights (corrupt or concatenated)"
    case .corruptHeader(let detail): return "model file header is corrupt: \(detail)"
    case .checksumMismatch: return "model file does not match its checksum (corrupt file)"
    case .inconsistent(let detail): return "model file is inconsistent: \(detail)"
    case .wrongRobot(let expected, let found):
      return "model was trained for robot \(found), not \(expected); train one for this robot, or, "
        + "where the robot was changed for a solve, keep the model's: give tighter limits or locks in "
        + "the solver specification's restrictions, and for a tool on the flange solve for the flange "
        + "pose (T_base_flange = T_base_tool · T_flange_tool⁻¹)"
    case .unwritable(let path, let reason): return "cannot write model file '\(path)': \(reason)"
    }
  }
}
