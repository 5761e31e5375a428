import Foundation
import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("solve --path")
struct PathCommandTests {
  @Test(
    "solve --path follows a smooth UR5 path within twice its largest step, flags what is over --max-step, and writes each step"
  )
  func followsAPath() throws {
    let robotFile = Fixtures.robots.appending(path: "ur5.json").path
    let robot = try RobotModel(contentsOf: URL(fileURLWithPath: robotFile))
    let distance = JointDistance(robot: robot)
    let path = try #require(SmoothPaths(robot: robot).generate(count: 1, kind: .pose).first)
    let generating =
      zip(path.configurations, path.configurations.dropFirst()).map {
        distance.largestChange($0, $1)
      }.max() ?? 0
    let directory = try scratchDirectory("path")
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appending(path: "path.csv")
    let rows = path.targets.map { target -> String in
      let q = target.orientation.map { [$0.w, $0.x, $0.y, $0.z] } ?? []
      return ([target.position.x, target.position.y, target.position.z] + q).map { "\($0)" }.joined(
        separator: ",")
    }
    try Data((["x,y,z,qw,qx,qy,qz"] + rows).joined(separator: "\n").utf8).write(to: input)
    let initial = path.configurations[0].map { "\($0)" }.joined(separator: ",")
    func run(maxStep: Double, out: String) throws -> (json: [String: Any], steps: [Double], flags: [String]) {
      let output = directory.appending(path: out)
      let result = try Command.run([
        "solve", "--robot", robotFile, "--targets", input.path, "--out", output.path, "--path",
        "--initial=\(initial)", "--model", Fixtures.directory.appending(path: "models/ur5.nikm").path,
        "--max-step", "\(maxStep)", "--json",
      ])
      #expect(result.status == 0, "\(result.errors) \(result.output)")
      let json = try #require(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
      let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
      let header = lines[0].split(separator: ",").map(String.init)
      let step = try #require(header.firstIndex(of: "step"))
      let flagged = try #require(header.firstIndex(of: "step_flagged"))
      let cells = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
      return (json, cells.compactMap { Double($0[step]) }, cells.map { String($0[flagged]) })
    }
    let followed = try run(maxStep: 2 * generating, out: "followed.csv")
    #expect(followed.json["reachable"] as? Int == path.targets.count)
    #expect(followed.steps.count == path.targets.count)
    #expect(followed.steps.allSatisfy { $0 <= 2 * generating }, "largest \(followed.steps.max() ?? 0)")
    #expect(
      (followed.json["flagged"] as? [Int])?.isEmpty == true && followed.flags.allSatisfy { $0 == "false" })
    // Half the path's own step: the answers cannot keep up, and each step over it is flagged.
    let strict = try run(maxStep: generating / 2, out: "strict.csv")
    let over = strict.steps.indices.filter { strict.steps[$0] > generating / 2 }
    #expect(!over.isEmpty)
    #expect((strict.json["flagged"] as? [Int]) == over.map { $0 + 1 })
    #expect(strict.flags.indices.filter { strict.flags[$0] == "true" } == over)
  }

  @Test(
    "without --initial the first target's step is 0 and never flagged: the robot's configuration before the path is unknown"
  )
  func firstStepWithoutStart() throws {
    let robotFile = Fixtures.robots.appending(path: "ur5.json").path
    let directory = try scratchDirectory("first")
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appending(path: "path.csv")
    let output = directory.appending(path: "out.csv")
    // A tool-down line far from the middle of the limits: the first answer moves joints by more
    // than --max-step from there, the path itself by millimetres.
    let rows = (0..<5).map { "0.4,\(-0.1 + 0.002 * Double($0)),0.3,0,1,0,0" }
    try Data((["x,y,z,qw,qx,qy,qz"] + rows).joined(separator: "\n").utf8).write(to: input)
    let result = try Command.run([
      "solve", "--robot", robotFile, "--solver", "lm", "--targets", input.path, "--out", output.path,
      "--path",
      "--max-step", "0.05", "--json",
    ])
    #expect(result.status == 0, "\(result.errors) \(result.output)")
    let json = try #require(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    #expect(json["solver"] as? String == "lm")
    #expect((json["flagged"] as? [Int])?.isEmpty == true, "\(json)")
    let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
    let step = try #require(lines[0].split(separator: ",").firstIndex(of: "step"))
    let steps = lines.dropFirst().map { Double($0.split(separator: ",")[step]) }
    #expect(steps.first == 0)
    #expect(steps.dropFirst().allSatisfy { ($0 ?? .infinity) <= 0.05 }, "\(steps)")
  }

  @Test(
    "a seven-joint path whose relaxation runs out of its time budget says so, in a warning and in --json; one that does not, does not"
  )
  func relaxationTimedOut() throws {
    let robotFile = Fixtures.robots.appending(path: "panda.json").path
    let directory = try scratchDirectory("relax")
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appending(path: "path.csv")
    let output = directory.appending(path: "out.csv")
    // Gripper down along a line, 2 mm apart.
    let rows = (0..<20).map { "0.45,\(-0.1 + 0.002 * Double($0)),0.4,0,1,0,0" }
    try Data((["x,y,z,qw,qx,qy,qz"] + rows).joined(separator: "\n").utf8).write(to: input)
    func run(_ extra: [String]) throws -> (json: [String: Any], errors: String) {
      let result = try Command.run(
        ["solve", "--robot", robotFile, "--targets", input.path, "--out", output.path, "--path", "--json"]
          + extra)
      #expect(result.status == 0, "\(result.errors) \(result.output)")
      let json = try #require(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
      #expect(json["reachable"] as? Int == rows.count, "\(json)")
      return (json, result.errors)
    }
    // A microsecond per target: the relaxation stops before it starts.
    let starved = try run(["--time-budget-ms", "0.001"])
    #expect(starved.json["relaxation_timed_out"] as? Bool == true, "\(starved.json)")
    #expect(
      starved.errors.contains("warning: relaxing the path along its self-motion stopped at its time budget"))
    let relaxed = try run([])
    #expect(relaxed.json["relaxation_timed_out"] as? Bool == false, "\(relaxed.json)")
    #expect(!relaxed.errors.contains("warning"), "\(relaxed.errors)")
  }

  @Test(
    "a path of tool-axis targets (a gripper pointing down along a line, x,y,z,dx,dy,dz) is followed on the Panda: every answer reached with its axis error written, no step over 0.1 rad"
  )
  func axisPath() throws {
    let robotFile = Fixtures.robots.appending(path: "panda.json").path
    let directory = try scratchDirectory("axis")
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appending(path: "axis.csv")
    // 3 mm apart, from (0.3, -0.3, 0.5) towards (0.6, 0.3, 0.3).
    let rows = (0...40).map { index -> String in
      let t = Double(index) / 200
      return "\(0.3 + 0.3 * t),\(-0.3 + 0.6 * t),\(0.5 - 0.2 * t),0,0,-1"
    }
    try Data((["x,y,z,dx,dy,dz"] + rows).joined(separator: "\n").utf8).write(to: input)
    let output = directory.appending(path: "out.csv")
    let result = try Command.run([
      "solve", "--robot", robotFile, "--model", Fixtures.directory.appending(path: "models/panda.nikm").path,
      "--targets", input.path, "--out", output.path, "--path", "--initial=0,0,0,-1.5,0,1.5,0.7",
    ])
    #expect(result.status == 0, "\(result.errors)")
    let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    #expect(Array(header.prefix(9)) == ["x", "y", "z", "dx", "dy", "dz", "ax", "ay", "az"])
    let column = { (name: String) in try #require(header.firstIndex(of: name)) }
    let (reachable, rotation, step) = (
      try column("reachable"), try column("rotation_error_deg"), try column("step")
    )
    let records = lines.dropFirst().map { $0.split(separator: ",").map(String.init) }
    #expect(records.count == 41)
    for (index, record) in records.enumerated() {
      #expect(record[reachable] == "true", "target \(index + 1)")
      #expect((Double(record[rotation]) ?? .infinity) < 0.572, "target \(index + 1): \(record[rotation])°")
      if index > 0 { #expect((Double(record[step]) ?? .infinity) < 0.1, "step into target \(index + 1)") }
    }
  }

  @Test("--all with --targets, and a targets file with a header and no rows, are refused naming the problem")
  func refusedBatches() throws {
    let robotFile = Fixtures.robots.appending(path: "seed-arm.json").path
    let directory = try scratchDirectory("refused")
    defer { try? FileManager.default.removeItem(at: directory) }
    let headerOnly = directory.appending(path: "header.csv")
    try Data("x,y,z\n".utf8).write(to: headerOnly)
    let output = directory.appending(path: "out.csv")
    let empty = try Command.run([
      "solve", "--robot", robotFile, "--targets", headerOnly.path, "--out", output.path,
    ])
    #expect(empty.status != 0)
    #expect(empty.errors.contains("no targets"), "\(empty.errors)")
    #expect(!FileManager.default.fileExists(atPath: output.path))
    let all = try Command.run([
      "solve", "--robot", robotFile, "--targets", headerOnly.path, "--out", output.path, "--all",
    ])
    #expect(all.status != 0)
    #expect(all.errors.contains("--all"), "\(all.errors)")
  }

  @Test("--max-step without --path, or not a positive number, is refused with a message naming it")
  func badMaxStep() throws {
    let robotFile = Fixtures.robots.appending(path: "seed-arm.json").path
    for extra in [["--max-step", "0.1"], ["--path", "--max-step", "-1"], ["--path", "--max-step", "nan"]] {
      let result = try Command.run(
        ["solve", "--robot", robotFile, "--targets", "/nonexistent.csv", "--out", "/tmp/never.csv"] + extra)
      #expect(result.status != 0)
      #expect((result.errors + result.output).contains("--max-step"), "\(extra): \(result.errors)")
      #expect(!result.errors.contains("Fatal error"))
    }
  }
}
