import Foundation
import TestSupport
import Testing

@Suite("Awkward robots and output files on the command line")
struct AwkwardRobotCommandTests {
  /// The 3-DoF arm's robot file with its elbow's limits replaced, in a fresh directory.
  static func armWithElbow(lower: Double, upper: Double, in directory: URL) throws -> String {
    let data = try Data(contentsOf: Fixtures.robots.appending(path: "arm-3dof.json"))
    var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var joints = try #require(json["joints"] as? [[String: Any]])
    joints[2]["limits"] = ["lower": lower, "upper": upper]
    json["joints"] = joints
    let url = directory.appending(path: "arm.json")
    try JSONSerialization.data(withJSONObject: json).write(to: url)
    return url.path
  }

  /// `data --kind grid --count count` succeeds with between half and twice `count` rows.
  static func expectGrid(
    _ robot: String, about count: Int, in directory: URL, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let grid = directory.appending(path: "grid.csv").path
    let data = try Command.run([
      "data", "--robot", robot, "--kind", "grid", "--count", "\(count)", "--out", grid,
    ])
    #expect(data.status == 0, "\(data.errors)", sourceLocation: sourceLocation)
    let rows = try String(contentsOfFile: grid, encoding: .utf8).split(separator: "\n").count - 1
    #expect(
      (count / 2...2 * count).contains(rows), "\(rows) grid rows for about \(count)",
      sourceLocation: sourceLocation)
  }

  @Test(
    "a pinned joint (lower = upper): the FK grid, training (which starts from it) and the trained model's solve all work"
  )
  func pinnedJoint() throws {
    let directory = try scratchDirectory("awkward")
    defer { try? FileManager.default.removeItem(at: directory) }
    let robot = try Self.armWithElbow(lower: 0.5, upper: 0.5, in: directory)
    try Self.expectGrid(robot, about: 500, in: directory)
    let model = directory.appending(path: "arm.nikm").path
    let train = try Command.run([
      "train", "--robot", robot, "--out", model, "--targets", "2000", "--epochs", "1", "--width", "16",
      "--depth", "1", "--threads", "1",
    ])
    #expect(train.status == 0, "\(train.errors)")
    #expect(!train.errors.contains("Fatal error"))
    let solve = try Command.run(["solve", "--robot", robot, "--model", model, "--target", "0.5,0.1,0.6"])
    #expect(solve.status == 0, "\(solve.errors)")
  }

  @Test("a joint a hair wide: the FK grid holds about the points asked for (at most twice), not billions")
  func hairWideJoint() throws {
    let directory = try scratchDirectory("awkward")
    defer { try? FileManager.default.removeItem(at: directory) }
    let robot = try Self.armWithElbow(lower: 0.5, upper: 0.5000001, in: directory)
    try Self.expectGrid(robot, about: 1000, in: directory)
  }

  @Test(
    "an output file that cannot be written is refused before any work, naming the option; the results never replace the targets"
  )
  func outputFiles() throws {
    let directory = try scratchDirectory("awkward")
    defer { try? FileManager.default.removeItem(at: directory) }
    let robot = Fixtures.robots.appending(path: "arm-3dof.json").path
    let targets = directory.appending(path: "targets.csv")
    let text = "x,y,z\n0.5,0.1,0.6\n"
    try Data(text.utf8).write(to: targets)
    let linked = directory.appending(path: "linked.csv")
    try FileManager.default.linkItem(at: targets, to: linked)
    // Read-only by its mode, which a test run as root must see too; and a loop of links.
    let readOnly = directory.appending(path: "kept.csv")
    try Data("kept\n".utf8).write(to: readOnly)
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: readOnly.path)
    let loop = directory.appending(path: "loop.csv")
    try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: "loop.csv")
    let cases: [([String], String)] = [
      (["solve", "--robot", robot, "--targets", targets.path, "--out", readOnly.path], "is read-only"),
      (
        ["solve", "--robot", robot, "--targets", targets.path, "--out", loop.path],
        "is a loop of symbolic links"
      ),
      (
        ["solve", "--robot", robot, "--targets", targets.path, "--out", linked.path], "is the --targets file"
      ),
      (
        ["solve", "--robot", robot, "--targets", targets.path, "--out", targets.path], "is the --targets file"
      ),
      (
        ["solve", "--robot", robot, "--targets", targets.path, "--out", directory.path + "/./targets.csv"],
        "is the --targets file"
      ),
      (["solve", "--robot", robot, "--targets", targets.path, "--out", directory.path], "is a directory"),
      (["data", "--robot", robot, "--out", directory.path + "/missing/data.csv"], "does not exist"),
      (["train", "--robot", robot, "--out", directory.path], "is a directory"),
      (["bench", "--robot", robot, "--targets", "10", "--json", directory.path], "is a directory"),
    ]
    for (arguments, message) in cases {
      // Training would take minutes: the refusal comes first.
      let result = try Command.run(arguments, timeout: 30)
      #expect(result.status != 0, "\(arguments)")
      #expect(result.errors.contains(message), "\(arguments): \(result.errors)")
    }
    #expect(try String(contentsOf: targets, encoding: .utf8) == text)
    #expect(try String(contentsOf: readOnly, encoding: .utf8) == "kept\n")
  }

  @Test(
    "joints named like the output's own columns (a gantry's x) head their columns joint:NAME, so that no two columns share a name"
  )
  func jointNamesLikeColumns() throws {
    let directory = try scratchDirectory("awkward")
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = try Data(contentsOf: Fixtures.robots.appending(path: "arm-3dof.json"))
    var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var joints = try #require(json["joints"] as? [[String: Any]])
    for (index, name) in ["x", "step", "joint:x"].enumerated() { joints[index]["name"] = name }
    json["joints"] = joints
    let robot = directory.appending(path: "gantry.json").path
    try JSONSerialization.data(withJSONObject: json).write(to: URL(filePath: robot))
    let targets = directory.appending(path: "targets.csv")
    try Data("x,y,z\n0.5,0.1,0.6\n0.5,0.12,0.6\n".utf8).write(to: targets)
    let out = directory.appending(path: "out.csv").path
    let solve = try Command.run([
      "solve", "--robot", robot, "--targets", targets.path, "--path", "--out", out,
    ])
    #expect(solve.status == 0, "\(solve.errors)")
    let header = try #require(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").first)
      .split(separator: ",").map(String.init)
    #expect(Set(header).count == header.count, "\(header)")
    let time = try #require(header.firstIndex(of: "time_us"))
    #expect(Array(header[(time + 1)...(time + 3)]) == ["joint:joint:x", "joint:step", "joint:x"])
    let grid = directory.appending(path: "grid.csv").path
    let generated = try Command.run([
      "data", "--robot", robot, "--kind", "grid", "--count", "8", "--out", grid,
    ])
    #expect(generated.status == 0, "\(generated.errors)")
    let gridHeader = try String(contentsOfFile: grid, encoding: .utf8).split(separator: "\n").first
    #expect(gridHeader == "x,y,z,joint:joint:x,step,joint:x")
  }
}
