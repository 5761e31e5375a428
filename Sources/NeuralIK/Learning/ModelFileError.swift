/// Why a model file was refused. Each case says what was found and what was expected.
public enum ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
  case unreadable(path: String)
  case notAModel
  case unsupportedVersion(found: UInt32, supported: UInt32)
  case truncated(expectedBytes: Int, foundBytes: Int)
  case trailingBytes(Int)
  case corruptHeader(String)
  case checksumMismatch
  case inconsistent(String)
  case wrongRobot(expected: String, found: String)
  case unwritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let path): return "cannot read model file '\(path)': no such readable file"
    case .notAModel: return "not a NeuralIK model file (its first bytes are not \"NEURALIK\")"
    case .unsupportedVersion(let found, let supported):
      return
        "model file format version \(found) is not supported; this build reads version \(supported) (retrain with this build)"
    case .truncated(let expected, let found):
      return "model file is truncated: \(found) bytes, expected \(expected)"
    case .trailingBytes(let count):
      return "model file has \(count) unexpected bytes after the weights (corrupt or concatenated)"
    case .corruptHeader(let detail): return "model file header is corrupt: \(detail)"
    case .checksumMismatch: return "model file weights do not match their checksum (corrupt file)"
    case .inconsistent(let detail): return "model file is inconsistent: \(detail)"
    case .wrongRobot(let expected, let found):
      return "model was trained for robot \(found), not \(expected); train one for this robot"
    case .unwritable(let path, let reason): return "cannot write model file '\(path)': \(reason)"
    }
  }
}
