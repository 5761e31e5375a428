import Foundation

extension RobotModel {
  /// The two formats of a robot file.
  public enum FileFormat: String, Sendable {
    /// NeuralIK's JSON robot file (Docs/RobotFormat.md).
    case json
    /// A URDF (Docs/URDF.md).
    case urdf
  }

  /// The format of the robot file at `url` holding `data`: by its extension (`.urdf` and `.xml`
  /// are URDF, `.json` JSON), else by its first character other than white space (`<` begins
  /// XML). A pipe (`--robot <(xacro arm.urdf.xacro)`, `/dev/stdin`) has no extension.
  public static func format(of url: URL, data: Data) -> FileFormat {
    switch url.pathExtension.lowercased() {
    case "urdf", "xml": return .urdf
    case "json": return .json
    default:
      // A byte-order mark and white space may come first.
      let first = data.prefix(4096).first { byte in
        ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains(byte)
      }
      return first == UInt8(ascii: "<") ? .urdf : .json
    }
  }

  /// Reads a robot file of either format (``format(of:data:)``).
  ///
  /// - Parameters:
  ///   - url: the robot file.
  ///   - base: URDF only: the link the chain starts from; default the tree's root link.
  ///   - tip: URDF only: the link the chain ends at; default the one leaf link below `base`.
  /// - Throws: ``RobotModelError`` when the file cannot be read, is not a valid robot, or is a
  ///   JSON robot file given a base or tip link.
  public init(fileAt url: URL, base: String? = nil, tip: String? = nil) throws(RobotModelError) {
    let data = try Self.fileData(url, what: "robot file")
    switch Self.format(of: url, data: data) {
    case .urdf:
      try self.init(urdf: data, base: base, tip: tip)
    case .json:
      guard base == nil, tip == nil else {
        throw RobotModelError(
          field: "", problem: "a base or tip link applies to a URDF; '\(url.path)' is a JSON robot file")
      }
      try self.init(json: data)
    }
  }

  /// The bytes of a robot file: at most ``RobotLimits/fileBytes``, and not none.
  static func fileData(_ url: URL, what: String) throws(RobotModelError) -> Data {
    let data: Data
    do {
      data = try FileContents.read(url, limit: RobotLimits.fileBytes)
    } catch {
      throw RobotModelError(field: "", problem: "cannot read \(what) '\(url.path)': \(error)")
    }
    guard !data.isEmpty else {
      throw RobotModelError(field: "", problem: "\(what) '\(url.path)' is empty")
    }
    return data
  }
}
