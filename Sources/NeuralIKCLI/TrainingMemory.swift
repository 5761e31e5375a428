import Foundation
import NeuralIK

#if canImport(Glibc)
  import Glibc
#endif

/// A training run's memory, estimated before it starts, and the memory this process may use: a run
/// that cannot fit is refused up front with both numbers, rather than killed by the allocator hours
/// in (a batch job under `ulimit -v` or a cgroup limit).
enum TrainingMemory {
  /// Bytes a run of `config` on `robot` needs at its peak, roughly: the data set twice (an epoch
  /// shuffles a copy), the weights with their gradients (one per thread) and Adam's two moments,
  /// and each thread's activations for its share of a batch. The per-target cost was measured:
  /// 430 bytes for the Panda's pose targets (7 joints), 40 MB besides.
  static func estimate(_ config: TrainingConfig, robot: RobotModel) -> Double {
    let dof = Double(robot.degreesOfFreedom)
    let targets = Double(config.trainingTargets + config.validationTargets)
    // The trainer's checks come first (`TrainCommand`), so the network fits a model file.
    let architecture = config.architecture(for: robot)
    let layers = architecture.layerWidths.map(Double.init)
    let parameters = Double(architecture.parameterCount)
    let threads = Double(max(1, config.threads))
    let weights = parameters * 4 * (6 + 2 * threads)
    let activations = Double(config.batchSize) * layers.reduce(0, +) * 4 * 4
    // Arrays grow by doubling, and the allocator keeps what they left: half again, as measured
    // under `ulimit -v`, where a run the bare sum accepted died on one allocation.
    return 1.5 * (40e6 + targets * (220 + 30 * dof) + weights + activations)
  }

  /// Address space a run reserves beyond ``estimate(_:robot:)``, which only `ulimit -v` counts:
  /// OpenBLAS's buffer (128 MB) and a stack per thread, mapped but mostly never touched.
  static func reserved(_ config: TrainingConfig) -> Double {
    Double(max(1, config.threads)) * 136e6
  }

  /// Bytes this process may still allocate, and what bounds it: the least of the memory the
  /// kernel calls available, its cgroup's limit less its use (v2 or v1), and `ulimit -v` less the
  /// address space already mapped and `reserved` (``reserved(_:)``). `nil` when none can be read.
  static func available(reserved: Double) -> (bytes: Double, bound: String)? {
    var bounds: [(Double, String)] = []
    if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
      let kilobytes = field("MemAvailable:", in: meminfo)
    {
      bounds.append((kilobytes * 1024, "the machine's available memory"))
    }
    if let (limit, used, name) = cgroupMemory() {
      bounds.append((limit - used, "the cgroup's \(name)"))
    }
    var limit = rlimit()
    if getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
      let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let mapped = field("VmSize:", in: status)
    {
      bounds.append((Double(limit.rlim_cur) - mapped * 1024 - reserved, "ulimit -v"))
    }
    return bounds.min { $0.0 < $1.0 }
  }

  /// This process's cgroup memory limit and use, and the limit's file name: cgroup v2's
  /// `memory.max` or v1's `memory.limit_in_bytes`, in the process's own group
  /// (`/proc/self/cgroup`), else at the hierarchy's root (a container sees its own group there).
  /// `nil` when there is no limit (`max`, or v1's near-2⁶³ "unlimited").
  private static func cgroupMemory() -> (limit: Double, used: Double, name: String)? {
    let lines =
      (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8))?.split(separator: "\n") ?? []
    var candidates: [(directory: String, limit: String, used: String)] = []
    for line in lines {
      let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard fields.count == 3 else { continue }
      if fields[0] == "0", fields[1].isEmpty {
        candidates.append(("/sys/fs/cgroup" + fields[2], "memory.max", "memory.current"))
      } else if fields[1].split(separator: ",").contains("memory") {
        candidates.append(
          ("/sys/fs/cgroup/memory" + fields[2], "memory.limit_in_bytes", "memory.usage_in_bytes"))
      }
    }
    candidates += [
      ("/sys/fs/cgroup", "memory.max", "memory.current"),
      ("/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes"),
    ]
    for (directory, limitFile, usedFile) in candidates {
      guard let limit = number(atPath: directory + "/" + limitFile), limit < 1e18,
        let used = number(atPath: directory + "/" + usedFile)
      else { continue }
      return (limit, used, limitFile)
    }
    return nil
  }

  /// The number after `name` in a `/proc` listing (`MemAvailable:   123 kB`).
  private static func field(_ name: String, in text: String) -> Double? {
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return nil }
    return line.dropFirst(name.count).split(whereSeparator: \.isWhitespace).first.flatMap { Double($0) }
  }

  private static func number(atPath path: String) -> Double? {
    (try? String(contentsOfFile: path, encoding: .utf8)).flatMap {
      Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
  }

  /// "8.6 GB".
  static func spoken(_ bytes: Double) -> String {
    bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
  }
}
