import Foundation

/// The model file: `NEURALIK`, a little-endian UInt32 format version, a UInt32 header length, a
/// JSON header (robot, architecture, heads, input encoding, limits, training settings, final
/// metrics, weight checksum), the weights as little-endian Float32, then (from version 2) the
/// FNV-1a 64 of every byte before it as 16 hex digits. See <doc:TheLearnedModel> (the model
/// file) and `Docs/Learning.md`.
extension IKNetwork {
  /// The version this build writes; it reads this one and version 1, and refuses others
  /// (``ModelFileError/unsupportedVersion(found:supported:)``). Version 1 checked the weights
  /// only: a digit changed in its header (the input encoding's centre, say) loaded without a word
  /// and moved the network's answers. Version 2 adds the whole file's checksum.
  public static let fileFormatVersion: UInt32 = 2
  /// Bytes of version 2's closing checksum.
  static let fileChecksumLength = 16
  static let magic = Array("NEURALIK".utf8)

  struct Header: Codable {
    var formatVersion: UInt32
    var robotName: String
    var robotFingerprint: String
    var architecture: MLPArchitecture
    var heads: Int
    var layout: JointOutputLayout
    var encoding: InputEncoding
    var config: TrainingConfig
    var metrics: TrainingMetrics?
    var parameterCount: Int
    /// FNV-1a 64 of the weight bytes, 16 hex digits.
    var weightsChecksum: String

    enum CodingKeys: String, CodingKey {
      case formatVersion = "format_version"
      case robotName = "robot_name"
      case robotFingerprint = "robot_fingerprint"
      case architecture, heads, layout, encoding, config, metrics
      case parameterCount = "parameter_count"
      case weightsChecksum = "weights_checksum"
    }

    init(
      formatVersion: UInt32, robotName: String, robotFingerprint: String, architecture: MLPArchitecture,
      heads: Int, layout: JointOutputLayout, encoding: InputEncoding, config: TrainingConfig,
      metrics: TrainingMetrics?, parameterCount: Int, weightsChecksum: String
    ) {
      self.formatVersion = formatVersion
      self.robotName = robotName
      self.robotFingerprint = robotFingerprint
      self.architecture = architecture
      self.heads = heads
      self.layout = layout
      self.encoding = encoding
      self.config = config
      self.metrics = metrics
      self.parameterCount = parameterCount
      self.weightsChecksum = weightsChecksum
    }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      formatVersion = try c.decode(UInt32.self, forKey: .formatVersion)
      robotName = try c.decode(String.self, forKey: .robotName)
      robotFingerprint = try c.decode(String.self, forKey: .robotFingerprint)
      architecture = try c.decode(MLPArchitecture.self, forKey: .architecture)
      heads = try c.decode(Int.self, forKey: .heads)
      layout = try c.decode(JointOutputLayout.self, forKey: .layout)
      encoding = try c.decode(InputEncoding.self, forKey: .encoding)
      config = try c.decode(TrainingConfig.self, forKey: .config)
      // Metrics describe training and never change what the network computes: a file whose
      // metrics are missing or partial (an untrained network wrote `{}`) still loads.
      metrics = try? c.decodeIfPresent(TrainingMetrics.self, forKey: .metrics)
      parameterCount = try c.decode(Int.self, forKey: .parameterCount)
      weightsChecksum = try c.decode(String.self, forKey: .weightsChecksum)
    }
  }

  /// The model as bytes.
  ///
  /// - Returns: the model file's bytes, as ``write(to:)`` writes them.
  public func fileData() -> Data {
    let weights = Self.weightBytes(mlp.parameters)
    let header = Header(
      formatVersion: Self.fileFormatVersion, robotName: robotName, robotFingerprint: robotFingerprint,
      architecture: mlp.architecture, heads: heads, layout: layout, encoding: encoding, config: config,
      metrics: metrics, parameterCount: mlp.parameters.count, weightsChecksum: Self.checksum(weights))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Only a non-finite metric (a diverged run) can fail to encode; the network itself is checked
    // finite, so the file is then written without the metrics rather than without a header.
    var bare = header
    bare.metrics = nil
    let headerData = (try? encoder.encode(header)) ?? (try? encoder.encode(bare)) ?? Data()
    var data = Data(Self.magic)
    data.append(contentsOf: Self.littleEndian(Self.fileFormatVersion))
    data.append(contentsOf: Self.littleEndian(UInt32(headerData.count)))
    data.append(headerData)
    data.append(contentsOf: weights)
    data.append(contentsOf: Array(Self.checksum([UInt8](data)).utf8))
    return data
  }

  /// Writes the model atomically: a failure leaves any earlier file untouched.
  ///
  /// - Parameter url: the file to write (conventionally `NAME.nikm`).
  /// - Throws: ``ModelFileError/unwritable(path:reason:)`` when the file cannot be written, or
  ///   would not load: a network whose parts disagree (built by hand, say, with an activation other
  ///   than its training's) is refused here, naming the part, not when it is next read.
  public func write(to url: URL) throws(ModelFileError) {
    let data = fileData()
    do {
      _ = try IKNetwork(fileData: data)
    } catch {
      throw .unwritable(path: url.path, reason: "the model would not load: \(error)")
    }
    do {
      try OutputFile.write(data, to: url)
    } catch {
      throw .unwritable(path: url.path, reason: error.localizedDescription)
    }
  }

  /// Reads a model, checking every part; with `robot`, also that it belongs to that robot.
  ///
  /// - Parameters:
  ///   - url: a model file written by ``write(to:)``.
  ///   - robot: the robot it must belong to (``check(belongsTo:)``), or `nil` to skip that check.
  /// - Throws: ``ModelFileError``: the file is unreadable, not a model, of another format
  ///   version, truncated, followed by trailing bytes, has a corrupt header, a checksum mismatch,
  ///   an inconsistent architecture, or belongs to another robot.
  public init(contentsOf url: URL, for robot: RobotModel? = nil) throws(ModelFileError) {
    let data: Data
    do {
      data = try FileContents.read(url, limit: ModelLimits.fileBytes, extent: Self.layout.extent)
    } catch {
      throw .unreadable(path: url.path, reason: error)
    }
    do {
      try self.init(fileData: data, for: robot)
    } catch .trailingBytes(let count, _) {
      let trailing = HeaderedFile.trailingBytes(count, read: data, of: url)
      throw .trailingBytes(trailing.count, atLeast: trailing.atLeast)
    }
  }

  /// How much of a model file to read, from its first bytes: none past a wrong magic, version or
  /// header length (a corrupt 900 MB file was read whole before its version was checked), and no
  /// more than the weights its header declares.
  static let layout = HeaderedFile(
    magic: magic, versions: [1, fileFormatVersion], maximumHeaderLength: ModelLimits.headerBytes
  ) { header, version in
    struct Declared: Decodable {
      let parameterCount: Int
      enum CodingKeys: String, CodingKey { case parameterCount = "parameter_count" }
    }
    guard let count = try? JSONDecoder().decode(Declared.self, from: header).parameterCount,
      ModelLimits.parameters.contains(count)
    else { return nil }
    return 4 * count + (version == 1 ? 0 : fileChecksumLength)
  }

  /// Reads a model from bytes (see ``init(contentsOf:for:)``).
  ///
  /// - Parameters:
  ///   - data: a model file's bytes, as ``fileData()`` returns them.
  ///   - robot: the robot it must belong to, or `nil` to skip that check.
  /// - Throws: ``ModelFileError`` as ``init(contentsOf:for:)`` does, but never `unreadable`.
  public init(fileData data: Data, for robot: RobotModel? = nil) throws(ModelFileError) {
    let bytes = [UInt8](data)
    let prefix = try Self.layout.prefix(of: bytes, as: ModelFileError.self)
    let version = prefix.version
    let header: Header
    do {
      header = try JSONDecoder().decode(Header.self, from: prefix.header)
    } catch let error as DecodingError {
      throw .corruptHeader(error.summary)
    } catch {
      throw .corruptHeader("\(error)")
    }
    // The decoder keeps one of two members of one name, as robot files are refused for.
    switch JSONStrictness.firstProblem(in: prefix.header) {
    case .duplicate(let path, let key)?:
      throw .corruptHeader("\(path.isEmpty ? "" : "\(path): ")'\(key)' is given twice")
    case .trailingComma(let line, let column)?:
      throw .corruptHeader("a comma after the last item at line \(line), column \(column)")
    case nil: break
    }
    guard header.formatVersion == version else {
      throw .inconsistent("the header says format version \(header.formatVersion), the file \(version)")
    }
    try header.validate()
    let architecture = header.architecture
    let weightStart = prefix.bodyStart
    let weightEnd = weightStart + header.parameterCount * 4
    let expected = weightEnd + (version == 1 ? 0 : Self.fileChecksumLength)
    guard bytes.count >= expected else { throw .truncated(expectedBytes: expected, foundBytes: bytes.count) }
    guard bytes.count == expected else { throw .trailingBytes(bytes.count - expected) }
    if version > 1, Array(bytes[weightEnd...]) != Array(Self.checksum(Array(bytes[..<weightEnd])).utf8) {
      throw .checksumMismatch
    }
    let weightBytes = Array(bytes[weightStart..<weightEnd])
    guard Self.checksum(weightBytes) == header.weightsChecksum else { throw .checksumMismatch }
    let parameters = (0..<header.parameterCount).map { index in
      Float(bitPattern: HeaderedFile.uint32(weightBytes, at: index * 4))
    }
    guard parameters.allSatisfy(\.isFinite), let mlp = MLP(architecture: architecture, parameters: parameters)
    else { throw .inconsistent("the weights hold non-finite values") }
    self.init(
      robotName: header.robotName, robotFingerprint: header.robotFingerprint, mlp: mlp,
      encoding: header.encoding, layout: header.layout, heads: header.heads, config: header.config,
      metrics: header.metrics)
    if let robot { try check(belongsTo: robot) }
  }

  private static func weightBytes(_ parameters: [Float]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(parameters.count * 4)
    for value in parameters { bytes.append(contentsOf: littleEndian(value.bitPattern)) }
    return bytes
  }

  private static func littleEndian(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  /// FNV-1a 64 of `bytes`, 16 hex digits: the checksum of model and map files.
  package static func checksum(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
