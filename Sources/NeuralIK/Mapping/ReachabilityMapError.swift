import Foundation

/// Why a reachability map could not be built, read, written or merged. Each case says what was
/// wrong and what would be right.
public enum ReachabilityMapError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A resolution, origin or dimensions that make no grid.
  case invalidGrid(String)
  /// A resolution so fine that the grid would hold `count` voxels, more than `maximum`.
  case tooManyVoxels(count: Double, maximum: Int)
  /// An orientation count out of range.
  case invalidOrientationCount(Int, maximum: Int)
  /// A shard that is not `I/N` with `0 ≤ I < N`.
  case invalidShard(String)
  /// The specification built no solver.
  case specification(String)
  /// The file at `path` could not be read.
  case unreadable(path: String, reason: FileReadError)
  /// The file at `path` could not be written, for `reason`; nothing was left half-written.
  case unwritable(path: String, reason: String)
  /// The first bytes are not the map magic.
  case notAMap
  /// A format version this build does not read; it reads `supported`.
  case unsupportedVersion(found: UInt32, supported: UInt32)
  /// The file ends before the length its header announces.
  case truncated(expectedBytes: Int, foundBytes: Int)
  /// Bytes follow the checksum.
  /// `atLeast` when the file was a pipe, read no further than a chunk past them.
  case trailingBytes(Int, atLeast: Bool = false)
  /// The header is not the JSON the format describes; the message says where.
  case corruptHeader(String)
  /// The checksum does not match the bytes before it: the file was changed or damaged.
  case checksumMismatch
  /// Header and data disagree, or a value is out of its range.
  case inconsistent(String)
  /// The map was built for another robot (name and fingerprint) than the one given.
  case wrongRobot(expected: String, found: String)
  /// Shards that do not belong to one map, overlap or leave voxels out.
  case incompatibleShards(String)

  /// The error as one sentence that says what was wrong and what would be right.
  public var description: String {
    switch self {
    case .invalidGrid(let detail): return "invalid map grid: \(detail)"
    case .tooManyVoxels(let count, let maximum):
      return
        "the map grid would hold \(Self.format(count)) voxels; the largest allowed is \(maximum) (256³): choose a coarser resolution"
    case .invalidOrientationCount(let count, let maximum):
      return "the orientation count must be 1 to \(maximum), got \(count)"
    case .invalidShard(let detail): return "invalid shard: \(detail)"
    case .specification(let detail): return "the solver cannot be built: \(detail)"
    case .unreadable(let path, let reason): return "cannot read map file '\(path)': \(reason)"
    case .unwritable(let path, let reason): return "cannot write map file '\(path)': \(reason)"
    case .notAMap: return "not a NeuralIK map file (its first bytes are not \"NIKMAP\")"
    case .unsupportedVersion(let found, let supported):
      return
        "map file format version \(found) is not supported; this build reads version \(supported) (rebuild the map)"
    case .truncated(let expected, let found):
      return "map file is truncated: \(found) bytes, expected \(expected)"
    case .trailingBytes(let count, let atLeast):
      return
        "map file has \(HeaderedFile.trailingBytesPhrase(count, atLeast: atLeast)) after its checksum (corrupt or concatenated)"
    case .corruptHeader(let detail): return "map file header is corrupt: \(detail)"
    case .checksumMismatch: return "map file does not match its checksum (corrupt file)"
    case .inconsistent(let detail): return "map file is inconsistent: \(detail)"
    case .wrongRobot(let expected, let found):
      return "map was built for robot \(found), not \(expected); build one for this robot"
    case .incompatibleShards(let detail): return "cannot merge the shards: \(detail)"
    }
  }

  private static func format(_ count: Double) -> String {
    count < 1e15 ? String(Int(count)) : String(format: "%.3g", count)
  }
}
