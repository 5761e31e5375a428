import Foundation
import NeuralIK
import TestSupport
import Testing

@Suite("neural-ik map")
struct MapCommandTests {
  static let robot = Fixtures.robots.appending(path: "arm-3dof.json").path
  static let model = Fixtures.directory.appending(path: "models/arm-3dof.nikm").path

  @Test(
    "absurd resolutions, orientation counts, shards and threads exit non-zero naming the option",
    arguments: [
      (["--resolution", "0"], "--resolution"), (["--resolution", "-0.05"], "--resolution"),
      (["--resolution", "nan"], "--resolution"), (["--resolution", "1e300"], "at most 1,000"),
      (["--resolution", "1e-6"], "16777216"),
      (["--orientations", "0"], "--orientations"), (["--orientations", "1000000"], "--orientations"),
      (["--shard", "4/4"], "--shard"), (["--shard", "two/4"], "--shard"), (["--shard", "1"], "--shard"),
      (["--threads", "0"], "--threads"),
    ])
  func refusals(arguments: [String], mentions: String) throws {
    let out = FileManager.default.temporaryDirectory.appending(path: "neural-ik-map-\(UUID()).nikmap")
    defer { try? FileManager.default.removeItem(at: out) }
    let run = try Command.run(["map", "--robot", Self.robot, "--out", out.path] + arguments)
    #expect(run.status != 0)
    #expect(run.errors.contains(mentions), "\(run.errors)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test("two shards merged on the command line are the unsharded file; a missing shard is refused")
  func shardsAndMerge() throws {
    let folder = try scratchDirectory("map")
    defer { try? FileManager.default.removeItem(at: folder) }
    func path(_ name: String) -> String { folder.appending(path: name).path }
    let base = ["map", "--robot", Self.robot, "--model", Self.model, "--resolution", "0.25"]
    let whole = try Command.run(base + ["--out", path("whole.nikmap")])
    #expect(whole.status == 0, "\(whole.errors)")
    #expect(whole.output.contains("reachable"))
    #expect(whole.output.contains("solves/s"))
    for index in 0..<2 {
      let shard = try Command.run(
        base + ["--shard", "\(index)/2", "--threads", "1", "--out", path("s\(index).nikmap")])
      #expect(shard.status == 0, "\(shard.errors)")
    }
    let merge = try Command.run(["map", "merge", path("merged.nikmap"), path("s1.nikmap"), path("s0.nikmap")])
    #expect(merge.status == 0, "\(merge.errors)")
    let merged = try Data(contentsOf: URL(filePath: path("merged.nikmap")))
    #expect(merged == (try Data(contentsOf: URL(filePath: path("whole.nikmap")))))
    let missing = try Command.run(["map", "merge", path("partial.nikmap"), path("s1.nikmap")])
    #expect(missing.status != 0)
    #expect(missing.errors.contains("missing (0/2)"), "\(missing.errors)")
    // Drawn, a shard looks like a sparse map of the whole reach.
    let served = try Command.run([
      "serve", "--robot", Self.robot, "--model", Self.model, "--map", path("s1.nikmap"),
    ])
    #expect(
      served.status == 1 && served.errors.contains("is shard 1 of 2") && served.errors.contains("map merge"),
      "\(served.errors)")
  }

  @Test(
    "serve refuses a map built under other --lock and --limits than its own, naming both; the same ones pass")
  func mapOfAnotherEnvelope() throws {
    let folder = try scratchDirectory("map")
    defer { try? FileManager.default.removeItem(at: folder) }
    let map = folder.appending(path: "limited.nikmap").path
    let joint = try RobotModel(contentsOf: URL(filePath: Self.robot)).movableJoints[0].name
    let built = try Command.run([
      "map", "--robot", Self.robot, "--model", Self.model, "--resolution", "0.25", "--limits",
      "\(joint)=0:0.5",
      "--out", map,
    ])
    #expect(built.status == 0, "\(built.errors)")
    let bare = try Command.run(["serve", "--robot", Self.robot, "--model", Self.model, "--map", map])
    #expect(
      bare.status == 1 && bare.errors.contains("--limits \(joint)=0.0:0.5")
        && bare.errors.contains("no --lock or --limits"), "\(bare.errors)")
    let other = try Command.run([
      "serve", "--robot", Self.robot, "--model", Self.model, "--map", map, "--limits", "\(joint)=0:1",
    ])
    #expect(other.status == 1 && other.errors.contains("--limits \(joint)=0.0:1.0"), "\(other.errors)")
    // The map's own envelope: served (until the test's time runs out).
    let port = try freePort()
    let same = try Command.run(
      [
        "serve", "--robot", Self.robot, "--model", Self.model, "--map", map, "--limits", "\(joint)=0:0.5",
        "--port", "\(port)",
      ], timeout: 8)
    #expect(same.output.contains("on http://"), "\(same.output) \(same.errors)")
  }
}
