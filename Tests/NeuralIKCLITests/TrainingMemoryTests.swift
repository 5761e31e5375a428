import Foundation
import TestSupport
import Testing

@testable import NeuralIKCLI

@Suite("Training memory: what the cgroups leave a run")
struct TrainingMemoryTests {
  /// Writes `files` (path → contents) under a scratch directory that stands for the mount.
  private static func hierarchy(_ files: [String: String]) throws -> URL {
    let root = try scratchDirectory("cgroup")
    for (path, contents) in files {
      let url = root.appending(path: path)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(contents.utf8).write(to: url)
    }
    return root
  }

  @Test(
    "a parent group's limit binds its child, the tighter of the two bounds, and reclaimable page cache is not counted as in use (v2)"
  )
  func parentLimitAndPageCache() throws {
    var files = [
      "a/memory.max": "8000000000\n", "a/memory.current": "1000000000\n",
      "a/memory.stat": "anon 400000000\ninactive_file 500000000\nactive_file 100000000\n",
      "a/b/memory.max": "max\n", "a/b/memory.current": "900000000\n",
      "a/b/memory.stat": "inactive_file 400000000\n",
    ]
    var root = try Self.hierarchy(files)
    var headroom = TrainingMemory.cgroupHeadroom(root: root.path, membership: "0::/a/b\n")
    // The parent's limit, less its use without the 0.5 GB of inactive files.
    #expect(
      headroom?.bytes == 7.5e9 && headroom?.bound == "the cgroup /a's memory.max",
      "\(String(describing: headroom))")
    try? FileManager.default.removeItem(at: root)

    files["a/b/memory.max"] = "2000000000\n"
    root = try Self.hierarchy(files)
    headroom = TrainingMemory.cgroupHeadroom(root: root.path, membership: "0::/a/b\n")
    #expect(
      headroom?.bytes == 1.5e9 && headroom?.bound == "the cgroup /a/b's memory.max",
      "\(String(describing: headroom))")
    try? FileManager.default.removeItem(at: root)
  }

  @Test(
    "cgroup v1: the memory hierarchy's limit and use, with its hierarchical page cache; no limit anywhere is none"
  )
  func versionOne() throws {
    let root = try Self.hierarchy([
      "memory/x/memory.limit_in_bytes": "4000000000\n", "memory/x/memory.usage_in_bytes": "3000000000\n",
      "memory/x/memory.stat": "inactive_file 1\ntotal_inactive_file 1000000000\n",
      "memory/memory.limit_in_bytes": "9223372036854771712\n", "memory/memory.usage_in_bytes": "5000000000\n",
    ])
    defer { try? FileManager.default.removeItem(at: root) }
    let headroom = TrainingMemory.cgroupHeadroom(root: root.path, membership: "4:memory:/x\n0::/\n")
    #expect(
      headroom?.bytes == 2e9 && headroom?.bound == "the cgroup /x's memory.limit_in_bytes",
      "\(String(describing: headroom))")
    #expect(TrainingMemory.cgroupHeadroom(root: root.path, membership: "4:memory:/\n") == nil)
  }
}
