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
  /// kernel calls available, its cgroups' limits less their use (``cgroupHeadroom(root:membership:)``),
  /// and `ulimit -v` less the
  /// address space already mapped and `reserved` (``reserved(_:)``). `nil` when none can be read.
  static func available(reserved: Double) -> (bytes: Double, bound: String)? {
    var bounds: [(Double, String)] = []
    if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
      let kilobytes = field("MemAvailable:", in: meminfo)
    {
      bounds.append((kilobytes * 1024, "the machine's available memory"))
    }
    if let (headroom, name) = cgroupHeadroom() {
      bounds.append((headroom, name))
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

  /// What this process's cgroups leave it: the least, over its group and every group above it
  /// (a limit set on a parent binds its children), of the limit less the memory in use, where the
  /// page cache the kernel would reclaim first (inactive files) is not counted as in use. cgroup
  /// v2's `memory.max` or v1's `memory.limit_in_bytes`; `nil` where no group has a limit (`max`,
  /// or v1's near-2⁶³ "unlimited").
  ///
  /// - Parameters:
  ///   - root: where the hierarchies are mounted.
  ///   - membership: `/proc/self/cgroup`'s text; `nil` reads it.
  /// - Returns: the bytes left and what bounds them, as "the cgroup /a/b's memory.max".
  static func cgroupHeadroom(root: String = "/sys/fs/cgroup", membership: String? = nil) -> (
    bytes: Double, bound: String
  )? {
    let text = membership ?? (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
    var hierarchies: [(mount: String, group: String, limit: String, used: String, cache: String)] = []
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard fields.count == 3 else { continue }
      if fields[0] == "0", fields[1].isEmpty {
        hierarchies.append((root, String(fields[2]), "memory.max", "memory.current", "inactive_file"))
      } else if fields[1].split(separator: ",").contains("memory") {
        hierarchies.append(
          (
            root + "/memory", String(fields[2]), "memory.limit_in_bytes", "memory.usage_in_bytes",
            "total_inactive_file"
          ))
      }
    }
    if hierarchies.isEmpty {
      // No listing: a container sees its own group at the hierarchy's root.
      hierarchies = [
        (root, "/", "memory.max", "memory.current", "inactive_file"),
        (root + "/memory", "/", "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"),
      ]
    }
    var least: (bytes: Double, bound: String)?
    for hierarchy in hierarchies {
      var components = hierarchy.group.split(separator: "/").map(String.init)
      while true {
        let group = "/" + components.joined(separator: "/")
        let directory = hierarchy.mount + (components.isEmpty ? "" : group)
        if let limit = number(atPath: directory + "/" + hierarchy.limit), limit < 1e18,
          let used = number(atPath: directory + "/" + hierarchy.used)
        {
          let stat = (try? String(contentsOfFile: directory + "/memory.stat", encoding: .utf8)) ?? ""
          let cache = field(hierarchy.cache + " ", in: stat) ?? 0
          let headroom = limit - max(0, used - cache)
          if headroom < least?.bytes ?? .infinity {
            least = (headroom, "the cgroup \(group)'s \(hierarchy.limit)")
          }
        }
        if components.isEmpty { break }
        components.removeLast()
      }
    }
    return least
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

  /// Refuses work on `threads` threads that would need about `needed` bytes where fewer are left
  /// (``available(reserved:)``, with a stack reserved per thread and OpenBLAS's buffer per
  /// thread it may run, `OPENBLAS_NUM_THREADS` at most), naming both and `advice`: the commands
  /// other than `train` that hold their whole input or output in memory (`solve --targets`,
  /// `data`) check as it does.
  static func check(needed: Double, threads: Int, for what: String, advice: String) throws {
    let blas =
      ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"].flatMap { Int($0) }.map { max(1, $0) }
      ?? threads
    let reserved = Double(threads) * 8e6 + Double(min(blas, threads)) * 128e6
    guard let (available, bound) = available(reserved: reserved), needed > available else { return }
    throw CLIError(
      "\(what) would need about \(spoken(needed)); \(spoken(max(0, available))) are left under \(bound): \(advice)"
    )
  }

  /// "8.6 GB".
  static func spoken(_ bytes: Double) -> String {
    bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
  }
}
