import Foundation
import NeuralIK
import NeuralIKBenchmark
import TestSupport
import Testing

@Suite("The neural-ik command")
struct CommandLineTests {
  static let robot = Fixtures.robots.appending(path: "seed-arm.json").path
  static let model = Fixtures.directory.appending(path: "models/seed-arm.nikm").path

  @Test("solve's default hybrid and bench's hybrid row come from one specification, the library's default")
  func oneSpecification() throws {
    let solve = try Command.run([
      "solve", "--robot", Self.robot, "--model", Self.model, "--target", "0.1,0.05,0.8", "--json",
    ])
    #expect(solve.status == 0, "\(solve.errors)")
    let report = try JSONDecoder().decode(SolveReport.self, from: Data(solve.output.utf8))
    let file = FileManager.default.temporaryDirectory.appending(path: "neural-ik-eval-\(UUID()).json")
    defer { try? FileManager.default.removeItem(at: file) }
    let eval = try Command.run([
      "eval", "--robot", Self.robot, "--model", Self.model, "--targets", "20", "--json", file.path,
    ])
    #expect(eval.status == 0, "\(eval.errors)")
    let benchmark = try JSONDecoder().decode(BenchmarkReport.self, from: Data(contentsOf: file))
    let robot = try RobotModel(contentsOf: URL(filePath: Self.robot))
    let network = try IKNetwork(contentsOf: URL(filePath: Self.model), for: robot)
    let library = try SolverFactory.make(robot: robot, network: network).specification
    let bench = try SolverFactory.make(
      robot: robot, network: network, specification: benchmark.specification.with(kind: .hybrid)
    ).specification
    #expect(report.specification == library)
    #expect(bench == library)
    #expect(benchmark.specification == SolverSpecification())
    // The seed arm has a closed form, so the hybrid is also measured without it.
    #expect(
      Set(benchmark.rows.map(\.solver)) == [
        "hybrid", "network", "analytic", "lm", "hybrid without closed form",
      ])
    #expect(Set(benchmark.rows.map(\.targetSet)) == ["reachable", "out-of-reach"])
  }

  @Test(
    "absurd or malformed arguments exit non-zero with a message naming the option",
    arguments: [
      (["--restarts", "-1"], "--restarts"),
      (["--restarts", "2147483648"], "--restarts"),
      (["--iteration-budget", "0"], "--iteration-budget"),
      (["--free-joint-samples", "100000000"], "--free-joint-samples"),
      (["--time-budget-ms", "nan"], "--time-budget-ms"),
      (["--solver", "magic"], "--solver"),
      (["--solver", "hybrid"], "needs a trained model"),
      (["--initial", "1,2,3"], "--initial"),
      (["--rotation-weight", "1e-300"], "--rotation-weight"),
      // Echoed in the unit it was given in.
      (["--time-budget-ms", "5000000"], "milliseconds, got 5000000"),
    ])
  func badArguments(extra: [String], named: String) throws {
    let result = try Command.run(["solve", "--robot", Self.robot, "--target", "0.1,0,0.5"] + extra)
    #expect(result.status != 0)
    #expect((result.errors + result.output).contains(named), "\(result.errors)")
    #expect(!result.errors.contains("Fatal error"))
  }

  @Test(
    "--out /dev/stdout writes to the command's own output, even redirected to a file (the file was replaced by a rename)"
  )
  func outToStandardOutput() throws {
    let directory = try scratchDirectory("stdout")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appending(path: "out.txt")
    try Data().write(to: file)
    let process = Process()
    process.executableURL = URL(filePath: "/bin/sh")
    process.arguments = [
      "-c", "echo before; \"$0\" targets --robot \"$1\" --count 2 --out /dev/stdout; echo after",
      Command.executable.path, Self.robot,
    ]
    let handle = try FileHandle(forWritingTo: file)
    process.standardOutput = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    let text = try String(contentsOf: file, encoding: .utf8)
    // The seed arm sets no orientation: its targets are positions.
    #expect(text.hasPrefix("before\nx,y,z\n"), "\(text)")
    #expect(text.contains("wrote 2") && text.hasSuffix("after\n"), "\(text)")
  }

  @Test(
    "a number option is read in decimal, as --target is: a hexadecimal float, NaN or a number that underflows to 0 is refused with status 64, naming the option"
  )
  func hexadecimalOption() throws {
    let result = try Command.run([
      "solve", "--robot", Self.robot, "--target", "0.1,0,0.5", "--rotation-weight", "0x10",
    ])
    #expect(result.status == 64)
    #expect(
      result.errors.contains("'0x10' is not a decimal number") && result.errors.contains("--rotation-weight"))
    for (value, words) in [("1e-999", "too near 0"), ("nan(123)", "is not a decimal number")] {
      let refused = try Command.run([
        "solve", "--robot", Self.robot, "--target", "0.1,0,0.5", "--time-budget-ms=\(value)",
      ])
      #expect(refused.status == 64 && refused.errors.contains(words), "\(value): \(refused.errors)")
    }
  }

  @Test(
    "a whole-number option refuses hexadecimal, exponent notation and numbers past its type with the reason, naming the option"
  )
  func wholeNumberOption() throws {
    let refusals = [
      (
        ["solve", "--robot", Self.robot, "--target", "0.1,0,0.5", "--restarts", "0x10"],
        "not a whole number in decimal"
      ),
      (["solve", "--robot", Self.robot, "--target", "0.1,0,0.5", "--restarts", "1e3"], "write 1000"),
      (["bench", "--robot", Self.robot, "--targets", "99999999999999999999"], "out of range"),
      (["bench", "--robot", Self.robot, "--seed=-1"], "from 0 to 18446744073709551615"),
      (["bench", "--robot", Self.robot, "--seed=-1e3"], "from 0 to 18446744073709551615"),
      (["bench", "--robot", Self.robot, "--targets=+-5"], "not a whole number in decimal digits"),
    ]
    for (arguments, words) in refusals {
      let refused = try Command.run(arguments)
      let option = try #require(arguments.last(where: { $0.hasPrefix("--") }))
      #expect(
        refused.status == 64 && refused.errors.contains(words)
          && refused.errors.contains(String(option.prefix { $0 != "=" })),
        "\(arguments): \(refused.errors)")
    }
  }

  @Test(
    "a URDF comes through a pipe as CLI.md shows (--robot <(…)); a targets or solutions file of /dev/zero or /dev/urandom, or text followed by endless NULs, is refused after the chunk that shows it is not text; a file of CR-ended lines past its first chunk is read whole"
  )
  func pipesAndDevices() throws {
    let urdf = Fixtures.robots.appending(path: "ur5.urdf").path
    let script = [
      "\"$0\" solve --robot <(cat \"$1\") --tip tool0 --target 0.3,0.1,0.4 && echo piped",
      "\"$0\" solve --robot \"$2\" --targets /dev/zero --out /dev/null; echo \"zero $?\"",
      "\"$0\" solve --robot \"$2\" --targets /dev/urandom --out /dev/null; echo \"random $?\"",
      // A line of text, then endless NULs: NUL is no text, so it stops after the first chunk.
      "\"$0\" solve --robot \"$2\" --targets <({ echo x,y,z; cat /dev/zero; }) --out /dev/null; echo \"nul $?\"",
      // And past the first chunk: 2 MB of targets, then endless NULs.
      "\"$0\" solve --robot \"$2\" --targets <({ echo x,y,z; yes 0.3,0,0.5 | head -c 2000000; cat /dev/zero; }) --out /dev/null; echo \"late $?\"",
      "\"$0\" score --robot \"$2\" --targets <(printf 'x,y,z\\n0.3,0,0.5\\n') --solutions /dev/zero --solver x; echo \"score $?\"",
      // Lines ended by CR alone, past the first mebibyte: every row is read.
      "awk 'BEGIN { printf \"x,y,z\\r\"; for (i = 0; i < 40000; i++) printf \"0.3,0.0%d,0.5\\r\", i % 9 }' > \"$3\"",
      "\"$0\" solve --robot \"$2\" --targets \"$3\" --out /dev/null",
    ].joined(separator: "\n")
    let process = Process()
    process.executableURL = URL(filePath: "/bin/bash")
    let carriageReturns = FileManager.default.temporaryDirectory.appending(
      path: "cr-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: carriageReturns) }
    process.arguments = ["-c", script, Command.executable.path, urdf, Self.robot, carriageReturns.path]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    let start = Date()
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(text.contains("robot    ur5 (6 joints)") && text.contains("piped"), "\(text)")
    #expect(
      text.contains("zero 1") && text.contains("random 1") && text.contains("nul 1")
        && text.contains("score 1"),
      "\(text)")
    #expect(text.components(separatedBy: "is not UTF-8 text with lines").count == 6, "\(text)")
    #expect(text.contains("40000 targets solved"), "\(text)")
    // Endless inputs read whole would take the machine's memory, and minutes.
    #expect(Date().timeIntervalSince(start) < 60)
  }

  @Test(
    "under ulimit -v, a training run that cannot fit is refused before it starts with both sizes; a robot comes through a pipe"
  )
  func trainingMemory() throws {
    let process = Process()
    // bash, for the robot's `<(…)`.
    process.executableURL = URL(filePath: "/bin/bash")
    process.arguments = [
      "-c",
      "ulimit -v 3000000; \"$0\" train --robot <(cat \"$1\") --out /dev/null --targets 20000000 2>&1",
      Command.executable.path, Self.robot,
    ]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1, "\(text)")
    #expect(text.contains("training would need about") && text.contains(" are left under "), "\(text)")
    // ulimit -v binds unless the machine has less than 3 GB free; then free memory does.
    let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
    let available = meminfo.split(separator: "\n").first { $0.hasPrefix("MemAvailable:") }
      .flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Double($0) }
    if let available, available > 3_500_000 {
      #expect(text.contains("under ulimit -v"), "\(text)")
    }
  }

  @Test(
    "score refuses tolerances beyond a kilometre or half a turn (the loose level printed infinity), naming the option",
    arguments: [
      (["--position-tolerance-mm", "1e308"], "--position-tolerance-mm"),
      (["--rotation-tolerance-deg", "1e308"], "--rotation-tolerance-deg"),
      (["--rotation-tolerance-deg", "0"], "--rotation-tolerance-deg"),
    ])
  func scoreTolerances(extra: [String], named: String) throws {
    let result = try Command.run(
      ["score", "--robot", Self.robot, "--targets", "t.csv", "--solutions", "s.csv", "--solver", "x"] + extra)
    #expect(result.status == 64, "\(result.errors)")
    #expect(result.errors.contains(named), "\(result.errors)")
  }

  @Test(
    "score judges another solver's answers by FK, whatever it reported found (0/1 or true/false); a malformed found is refused naming the line"
  )
  func scoreAnswers() throws {
    let robot = try RobotModel(contentsOf: URL(filePath: Self.robot))
    let configurations = [[0.3, 0.4], [-0.5, 1.1]]
    let directory = try scratchDirectory("score")
    defer { try? FileManager.default.removeItem(at: directory) }
    let targets = directory.appending(path: "targets.csv")
    let rows = configurations.map { q in
      let p = robot.tipPosition(at: q)
      return "\(p.x),\(p.y),\(p.z)"
    }
    try (["x,y,z"] + rows).joined(separator: "\n").write(to: targets, atomically: true, encoding: .utf8)
    let names = robot.movableJoints.map(\.name).joined(separator: ",")
    func score(_ found: [String], time: String = "12.5") throws -> Command {
      let answers = directory.appending(path: "answers.csv")
      let lines = zip(found, configurations).map { "\($0),\(time),\($1[0]),\($1[1])" }
      try (["found,time_us,\(names)"] + lines).joined(separator: "\n")
        .write(to: answers, atomically: true, encoding: .utf8)
      return try Command.run([
        "score", "--robot", Self.robot, "--targets", targets.path, "--solutions", answers.path, "--solver",
        "peer",
      ])
    }
    let words = try score(["True", "false"])
    #expect(words.status == 0, "\(words.errors)")
    #expect(words.output.contains("| peer |") && words.output.contains("100.00%"), "\(words.output)")
    let numbers = try score(["1", "0"])
    #expect(numbers.output == words.output, "the same row from 1/0 as from true/false")
    let bad = try score(["1", "maybe"])
    #expect(bad.status != 0)
    #expect(bad.errors.contains("line 3") && bad.errors.contains("maybe"), "\(bad.errors)")
    // Times that would sum to infinity (the mean, then the JSON report, failed) are refused.
    let huge = try score(["1", "0"], time: "1e308")
    #expect(huge.status != 0 && huge.errors.contains("time_us = 1e308 is out of range"), "\(huge.errors)")
    // A joint name with a comma and a quote, quoted in the header as `solve --out` writes it.
    let quotedRobot = directory.appending(path: "quoted.json")
    try String(contentsOfFile: Self.robot, encoding: .utf8)
      .replacingOccurrences(of: "\"\(robot.movableJoints[0].name)\"", with: "\"base, \\\"yaw\\\"\"")
      .write(to: quotedRobot, atomically: true, encoding: .utf8)
    let answers = directory.appending(path: "quoted.csv")
    try "found,time_us,\"base, \"\"yaw\"\"\", \(robot.movableJoints[1].name)\n1,3,0.3,0.4\n0,3,-0.5,1.1\n"
      .write(to: answers, atomically: true, encoding: .utf8)
    let quoted = try Command.run([
      "score", "--robot", quotedRobot.path, "--targets", targets.path, "--solutions", answers.path,
      "--solver", "peer",
    ])
    #expect(quoted.status == 0, "\(quoted.errors)")
    #expect(quoted.output.contains("100.00%"), "\(quoted.output)")
  }

  @Test(
    "an output file that is one of the command's inputs (the robot, the model, the targets) is refused with status 64 before any work, and the input is left as it was"
  )
  func outputOverInput() throws {
    let directory = try scratchDirectory("over")
    defer { try? FileManager.default.removeItem(at: directory) }
    let robot = directory.appending(path: "robot.json").path
    try FileManager.default.copyItem(atPath: Self.robot, toPath: robot)
    let original = try Data(contentsOf: URL(filePath: robot))
    let targets = directory.appending(path: "targets.csv")
    try "x,y,z\n0.1,0,0.5\n".write(to: targets, atomically: true, encoding: .utf8)
    // Through `.` as well: the same file by another name.
    let sameRobot = directory.appending(path: ".").path + "/robot.json"
    let runs: [[String]] = [
      ["train", "--robot", robot, "--out", sameRobot, "--epochs", "1"],
      ["solve", "--robot", robot, "--targets", targets.path, "--out", sameRobot],
      ["data", "--robot", robot, "--out", robot],
      ["targets", "--robot", robot, "--count", "2", "--out", robot],
      ["bench", "--robot", robot, "--targets", "10", "--json", robot],
      [
        "solve", "--robot", robot, "--model", Self.model, "--targets", targets.path, "--out", Self.model,
      ],
      [
        "score", "--robot", robot, "--targets", targets.path, "--solutions", targets.path, "--solver", "x",
        "--json", targets.path,
      ],
    ]
    for arguments in runs {
      let result = try Command.run(arguments)
      #expect(result.status == 64, "\(arguments): \(result.status) \(result.errors)")
      #expect(result.errors.contains("would destroy that input"), "\(arguments): \(result.errors)")
    }
    // Two outputs of one command naming one file.
    let report = directory.appending(path: "report").path
    for (arguments, words) in [
      (["train", "--robot", robot, "--out", report, "--log", report, "--epochs", "1"], "is the --out file"),
      (
        ["bench", "--robot", robot, "--targets", "10", "--json", report, "--markdown", report],
        "is the --json file"
      ),
    ] {
      let result = try Command.run(arguments)
      #expect(result.status == 64 && result.errors.contains(words), "\(arguments): \(result.errors)")
      #expect(!FileManager.default.fileExists(atPath: report), "\(arguments) wrote \(report)")
    }
    #expect(try Data(contentsOf: URL(filePath: robot)) == original, "the robot file was changed")
    #expect(try String(contentsOf: targets, encoding: .utf8) == "x,y,z\n0.1,0,0.5\n")
  }

  @Test(
    "exit status: 64 for what the command line shows wrong by itself (a non-finite or hexadecimal --target, an --initial value beyond ±1e6, a NaN lock, a lock with two '=', a zero --axis, a pose --target with --axis), 1 for what only the robot shows (a lock outside the joint's limits)"
  )
  func exitStatus() throws {
    let robot = try RobotModel(contentsOf: URL(filePath: Self.robot))
    let joint = robot.movableJoints[0]
    let upper = try #require(joint.limits?.upper)
    let cases: [([String], Int32)] = [
      (["--target", "nan,0,0.5"], 64),
      (["--target", "0x1,0,0.5"], 64),
      (["--target", "0.1,0,0.5", "--initial", "inf,0"], 64),
      // Beyond ±1e6, where no joint can be, whatever the robot.
      (["--target", "0.1,0,0.5", "--initial", "1e7,0"], 64),
      (["--target", "0.1,0,0.5", "--lock", "\(joint.name)=nan"], 64),
      // Two '=': a typo, not a joint named `name=0`.
      (["--target", "0.1,0,0.5", "--lock", "\(joint.name)=0=1"], 64),
      (["--target", "0.1,0,0.5", "--axis", "0,0,0"], 64),
      (["--target", "0.1,0,0.5", "--axis", "0,0,1", "--tool-axis", "0,0,0"], 64),
      (["--target", "0.1,0,0.5", "--axis", "0,1"], 64),
      (["--target", "0.1,0,0.5,1,0,0,0", "--axis", "0,0,1"], 64),
      (["--target", "0.1,0,0.5", "--lock", "\(joint.name)=\(upper + 1)"], 1),
      (["--target", "0.1,0,0.5,1"], 1),
    ]
    for (extra, status) in cases {
      let result = try Command.run(["solve", "--robot", Self.robot] + extra)
      #expect(result.status == status, "\(extra): \(result.status) \(result.errors)")
      #expect(!result.errors.isEmpty && !result.errors.contains("Fatal error"), "\(extra)")
    }
  }

  @Test(
    "--all marks every listed solution that misses the target, and counts those that reach; out of reach the point is the closest found, not claimed the closest there is"
  )
  func allMarksMisses() throws {
    // Three joints: two branches of a reachable point, several local closest points of a far one.
    let robot = Fixtures.robots.appending(path: "arm-3dof.json").path
    let reachable = try Command.run(["solve", "--robot", robot, "--target", "0.2,0.1,0.3", "--all"])
    #expect(reachable.status == 0, "\(reachable.errors)")
    #expect(reachable.output.contains("solution 1") && !reachable.output.contains("NOT REACHED"))
    let far = try Command.run(["solve", "--robot", robot, "--target", "5,5,5", "--all", "--solver", "lm"])
    #expect(far.status == 0, "\(far.errors)")
    #expect(far.output.contains("OUT OF REACH: the closest point found is"), "\(far.output)")
    let listed = far.output.split(separator: "\n").filter { $0.hasPrefix("solution ") }
    #expect(listed.count > 1 && listed.allSatisfy { $0.contains(": NOT REACHED, ") }, "\(far.output)")
  }

  @Test("bench --targets-file with --targets or --seed, which generate targets, is refused naming both")
  func targetsFileAlone() throws {
    let directory = try scratchDirectory("file")
    defer { try? FileManager.default.removeItem(at: directory) }
    let targets = directory.appending(path: "targets.csv").path
    try "x,y,z\n0.1,0,0.5\n".write(toFile: targets, atomically: true, encoding: .utf8)
    for extra in [["--targets", "50"], ["--seed", "3"]] {
      let result = try Command.run(["bench", "--robot", Self.robot, "--targets-file", targets] + extra)
      #expect(result.status == 64, "\(extra): \(result.errors)")
      #expect(result.errors.contains("--targets-file gives the targets"), "\(result.errors)")
    }
  }

  @Test(
    "data and solve --targets refuse up front work that would not fit in the memory left, naming both sizes (they died of a failed allocation with a backtrace)"
  )
  func memoryRefusals() throws {
    let script = [
      "ulimit -v 1500000",
      // Bounded, should a refusal not come: the work itself would take minutes.
      "timeout 120 \"$0\" data --robot \"$1\" --count 3000000 --out \"$2\"; echo \"data $?\"",
      "awk 'BEGIN { print \"x,y,z\"; for (i = 0; i < 600000; i++) print \"0.3,0,0.5\" }' > \"$3\"",
      "timeout 120 \"$0\" solve --robot \"$1\" --targets \"$3\" --out \"$2\"; echo \"solve $?\"",
    ].joined(separator: "\n")
    let directory = try scratchDirectory("memory")
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appending(path: "out.csv")
    let process = Process()
    process.executableURL = URL(filePath: "/bin/bash")
    process.arguments = [
      "-c", script, Command.executable.path, Self.robot, out.path, directory.appending(path: "in.csv").path,
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    // Under ulimit -v, or a cgroup's limit where that leaves less.
    #expect(text.contains("3000000 targets for") && text.contains("are left under"), "\(text)")
    #expect(text.contains("solving the 600000 targets of"), "\(text)")
    #expect(text.contains("data 1") && text.contains("solve 1"), "\(text)")
    #expect(!text.contains("Fatal error") && !FileManager.default.fileExists(atPath: out.path), "\(text)")
  }

  @Test("a negative value written without '=' is refused with the way to write it")
  func negativeValueHint() throws {
    for (extra, written) in [
      (["--target", "-0.2,0,0.4"], "--target=-0.2,0,0.4"),
      (["--target", "0.1,0,0.5", "--restarts", "-1"], "--restarts=-1"),
    ] {
      let result = try Command.run(["solve", "--robot", Self.robot] + extra)
      #expect(result.status == 64, "\(extra): \(result.errors)")
      #expect(result.errors.contains("needs '=': write \(written)"), "\(result.errors)")
    }
  }

  @Test("an option given twice is refused, naming it, not read as its last value; --lock and --limits repeat")
  func repeatedOption() throws {
    for (extra, named) in [
      (["--target", "0.1,0,0.5", "--target", "0.2,0,0.5"], "--target is given more than once"),
      (
        ["--target", "0.1,0,0.5", "--initial=0.1,0.2", "--initial=0.3,0.4"],
        "--initial is given more than once"
      ),
      (["--robot", Self.robot, "--target", "0.1,0,0.5"], "--robot is given more than once"),
    ] {
      let result = try Command.run(["solve", "--robot", Self.robot] + extra)
      #expect(result.status == 64, "\(extra): \(result.errors)")
      #expect(result.errors.contains(named), "\(result.errors)")
    }
    let locked = try Command.run([
      "solve", "--robot", Self.robot, "--target", "0.1,0,0.5", "--lock", "base_yaw=0", "--lock",
      "shoulder_pitch=1",
    ])
    #expect(!locked.errors.contains("more than once"), "\(locked.errors)")
  }

  @Test(
    "solve --axis turns the robot's approach axis unless --tool-axis names one, and --json says which: on the iiwa, iiwa_link_ee's x"
  )
  func approachAxis() throws {
    let iiwa = Fixtures.robots.appending(path: "iiwa14.json").path
    func solve(_ extra: [String]) throws -> SolveReport {
      let result = try Command.run(
        ["solve", "--robot", iiwa, "--target", "0.5,0,0.4", "--axis", "0,0,-1", "--json"] + extra)
      #expect(result.status == 0, "\(result.errors)")
      return try JSONDecoder().decode(SolveReport.self, from: Data(result.output.utf8))
    }
    let robot = try RobotModel(contentsOf: URL(filePath: iiwa))
    for (extra, tool) in [([String](), [1.0, 0, 0]), (["--tool-axis", "0,0,1"], [0, 0, 1])] {
      let report = try solve(extra)
      #expect(report.axis == [0, 0, -1] && report.status == .reachable, "\(extra)")
      let usedAxis = try #require(report.toolAxis)
      #expect(zip(usedAxis, tool).allSatisfy { abs($0 - $1) < 1e-12 }, "\(extra): \(usedAxis)")
      let values = try #require(report.solutions.first?.jointValues)
      let pointing = robot.tipPose(at: values).rotation * Vector3(tool[0], tool[1], tool[2])
      #expect((pointing - Vector3(0, 0, -1)).length < 1e-6, "\(extra): \(pointing)")
    }
    // A file without ax,ay,az means each robot's own approach axis: said where it is not z.
    let directory = try scratchDirectory("approach")
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appending(path: "down.csv")
    try "x,y,z,dx,dy,dz\n0.5,0,0.4,0,0,-1\n".write(to: input, atomically: true, encoding: .utf8)
    for (arm, noted) in [("iiwa14", true), ("panda", false)] {
      let result = try Command.run([
        "solve", "--robot", Fixtures.robots.appending(path: "\(arm).json").path, "--targets", input.path,
        "--out", directory.appending(path: "\(arm).csv").path,
      ])
      #expect(result.status == 0, "\(result.errors)")
      #expect(
        result.errors.contains("approach axis, (1, 0, 0) in the tip frame") == noted,
        "\(arm): \(result.errors)")
    }
  }

  @Test(
    "solve warns of an --initial in degrees and a target in millimetres, and still answers; a start and target in the right units get no warning"
  )
  func unitWarnings() throws {
    let panda = Fixtures.robots.appending(path: "panda.json").path
    let plain = try Command.run([
      "solve", "--robot", panda, "--target", "0.4,0.2,0.5,0,1,0,0", "--initial=0,0,0,-1.5,0,1.5,0.7",
    ])
    #expect(plain.status == 0 && !plain.errors.contains("warning"), "\(plain.errors)")
    let degrees = try Command.run([
      "solve", "--robot", panda, "--target", "0.4,0.2,0.5,0,1,0,0", "--initial=0,-45,0,-135,0,90,45",
    ])
    #expect(degrees.status == 0 && degrees.output.contains("reachable"), "\(degrees.output)")
    #expect(degrees.errors.contains("joint 'panda_joint4' = -135.0 rad"), "\(degrees.errors)")
    #expect(degrees.errors.contains("written in degrees?"), "\(degrees.errors)")
    let millimetres = try Command.run(["solve", "--robot", panda, "--target", "400,200,500,0,1,0,0"])
    #expect(millimetres.status == 0 && millimetres.output.contains("OUT OF REACH"), "\(millimetres.output)")
    #expect(millimetres.errors.contains("written in millimetres?"), "\(millimetres.errors)")
    let directory = try scratchDirectory("millimetres")
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appending(path: "in.csv")
    try "x,y,z\n0.3,0.1,0.4\n300,100,400\n".write(to: input, atomically: true, encoding: .utf8)
    let batch = try Command.run([
      "solve", "--robot", panda, "--targets", input.path, "--out", directory.appending(path: "out.csv").path,
    ])
    #expect(batch.status == 0, "\(batch.errors)")
    #expect(batch.errors.contains("1 of 2 targets (the first is target 2)"), "\(batch.errors)")
  }

  @Test(
    "a search's miss on an arm with fewer free joints than the target fixes says that restarts rarely help, not to add them"
  )
  func fewerJointsThanTheTargetFixes() throws {
    let model = Fixtures.directory.appending(path: "models/seed-arm.nikm").path
    // Two joints, and an axis target fixes five values.
    let result = try Command.run([
      "solve", "--robot", Self.robot, "--model", model, "--target", "0.07,-0.11,0.78", "--axis", "0,0,1",
    ])
    #expect(result.output.contains("NO SOLUTION FOUND"), "\(result.output) \(result.errors)")
    #expect(
      result.output.contains("with 2 joints free to move") && result.output.contains("rarely help")
        && !result.output.contains("search wider"), "\(result.output)")
  }

  @Test(
    "targets writes the kind bench draws without a model: positions on an arm that cannot set an orientation, poses on one that can; --poses and --positions choose; quaternions with qw ≥ 0"
  )
  func targetKinds() throws {
    let directory = FileManager.default.temporaryDirectory.appending(path: "targets-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    func header(_ arm: String, _ extra: [String] = []) throws -> String {
      let out = directory.appending(path: "\(arm).csv").path
      let result = try Command.run(
        [
          "targets", "--robot", Fixtures.robots.appending(path: "\(arm).json").path, "--count", "3", "--out",
          out,
        ]
          + extra)
      #expect(result.status == 0, "\(result.errors)")
      return String(try String(contentsOfFile: out, encoding: .utf8).prefix { $0 != "\n" })
    }
    #expect(try header("arm-3dof") == "x,y,z")
    #expect(try header("panda") == "x,y,z,qw,qx,qy,qz")
    #expect(try header("arm-3dof", ["--poses"]) == "x,y,z,qw,qx,qy,qz")
    #expect(try header("panda", ["--positions"]) == "x,y,z")
    // Quaternions are written as answers print them, qw ≥ 0: half of FK's rotations come out with qw < 0.
    let out = directory.appending(path: "signs.csv").path
    let written = try Command.run([
      "targets", "--robot", Fixtures.robots.appending(path: "panda.json").path, "--count", "200", "--out",
      out,
    ])
    #expect(written.status == 0, "\(written.errors)")
    let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst()
    #expect(rows.count == 200)
    let negative = rows.filter { (Double($0.split(separator: ",")[3]) ?? -1) < 0 }
    #expect(negative.isEmpty, "rows with qw < 0: \(negative.prefix(3))")
  }

  @Test(
    "eval --check refuses a missing fixture, or one measured on another robot, before the evaluation runs")
  func fixtureCheckedFirst() throws {
    let other = Fixtures.directory.appending(path: "accuracy/arm-3dof.json").path
    let foreign = try Command.run(["eval", "--robot", Self.robot, "--check", other])
    #expect(foreign.status == 1)
    #expect(foreign.errors.contains("measured on robot 'arm-3dof', not 'seed-arm'"), "\(foreign.errors)")
    #expect(foreign.output.isEmpty, "nothing was evaluated: \(foreign.output)")
    let missing = try Command.run(["eval", "--robot", Self.robot, "--check", "/nonexistent/fixture.json"])
    #expect(
      missing.status == 1 && missing.errors.contains("cannot read accuracy fixture")
        && missing.errors.contains("does not exist"), "\(missing.errors)")
    #expect(missing.output.isEmpty)
    // A fixture emptied of its rows would pass any run.
    let emptied = try scratchDirectory("check-emptied")
    defer { try? FileManager.default.removeItem(at: emptied) }
    let seedFixture = try JSONSerialization.jsonObject(
      with: Data(contentsOf: Fixtures.directory.appending(path: "accuracy/seed-arm.json")))
    var withoutRows = try #require(seedFixture as? [String: Any])
    withoutRows["rows"] = [Any]()
    let emptiedPath = emptied.appending(path: "empty.json")
    try JSONSerialization.data(withJSONObject: withoutRows).write(to: emptiedPath)
    let none = try Command.run(["eval", "--robot", Self.robot, "--check", emptiedPath.path])
    #expect(none.status == 1 && none.errors.contains("has no rows"), "\(none.errors)")
    #expect(none.output.isEmpty)
    // Other targets than the fixture's are refused before any solver runs, naming both sets.
    let own = Fixtures.directory.appending(path: "accuracy/seed-arm.json").path
    let fewer = try Command.run(["eval", "--robot", Self.robot, "--targets", "40", "--check", own])
    #expect(fewer.status == 1)
    #expect(
      fewer.errors.contains("was measured on 10000 reachable targets")
        && fewer.errors.contains("this run would draw 40")
        && fewer.errors.contains("give the fixture's --targets and --seed"), "\(fewer.errors)")
    #expect(!fewer.output.contains("| hybrid"), "nothing was evaluated: \(fewer.output)")
    // A fixture of a targets file compares with the same file however its path is spelled.
    let directory = try scratchDirectory("check-file")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appending(path: "t.csv").path
    let fixture = directory.appending(path: "f.json").path
    _ = try Command.run(["targets", "--robot", Self.robot, "--count", "10", "--out", file])
    let made = try Command.run(["bench", "--robot", Self.robot, "--targets-file", file, "--json", fixture])
    #expect(made.status == 0, "\(made.errors)")
    let respelled = directory.path + "/./t.csv"
    let again = try Command.run([
      "bench", "--robot", Self.robot, "--targets-file", respelled, "--check", fixture,
    ])
    #expect(again.status == 0 && again.output.contains("accuracy matches"), "\(again.errors)")
  }

  @Test(
    "an input that is a directory or missing says which; bench options that cannot apply (--partial on positions, --near-start with a targets file) are refused, not ignored"
  )
  func inputsAndInapplicableOptions() throws {
    let directory = FileManager.default.temporaryDirectory.path
    let cases: [([String], String)] = [
      (
        ["solve", "--robot", directory, "--target", "0.1,0,0.5"],
        "robot file '\(directory)': it is a directory"
      ),
      (["solve", "--robot", "/nonexistent/arm.json", "--target", "0.1,0,0.5"], "does not exist"),
      (
        ["solve", "--robot", Self.robot, "--model", directory, "--target", "0.1,0,0.5"],
        "model '\(directory)': it is a directory"
      ),
      (["bench", "--robot", Self.robot, "--targets", "10", "--partial"], "the targets are positions"),
      (
        ["bench", "--robot", Self.robot, "--targets-file", Self.robot, "--near-start", "0.2"],
        "only generated targets have"
      ),
      (["bench", "--robot", Self.robot, "--targets", "10", "--paths-ride-limits"], "goes with --paths N"),
      // Refused before a million targets are drawn, which would take minutes.
      (
        ["bench", "--robot", Self.robot, "--targets", "1000000", "--partial"],
        "--partial adds the hybrid's rows on pose targets; here the targets are positions"
      ),
    ]
    for (arguments, message) in cases {
      let result = try Command.run(arguments)
      #expect(result.status != 0, "\(arguments)")
      #expect(result.errors.contains(message), "\(arguments): \(result.errors)")
    }
  }

  @Test(
    "where OpenBLAS fell back to weaker kernels than the CPU runs, the command restarts itself with OPENBLAS_CORETYPE naming them (profile names the core); else it keeps OpenBLAS's choice"
  )
  func openBLASKernels() throws {
    // This test process loaded OpenBLAS with its own choice, as the command does at first.
    let expected = NumericsBackend.betterOpenBLASCore
    let profile = try Command.run([
      "profile", "--robot", Self.robot, "--model", Self.model, "--targets", "10",
    ])
    #expect(profile.status == 0, "\(profile.errors)")
    let core = expected ?? NumericsBackend.openBLASCore
    #expect(profile.output.contains("OpenBLAS core \(core);"), "\(profile.output.prefix(300))")
  }

  @Test(
    "eval with --lock and --limits draws its targets inside them: the closed form reaches every reachable one and finds every closest point"
  )
  func evalWithinRestrictions() throws {
    let robot = Fixtures.robots.appending(path: "arm-3dof.json").path
    let file = FileManager.default.temporaryDirectory.appending(path: "restricted-\(UUID()).json")
    defer { try? FileManager.default.removeItem(at: file) }
    let eval = try Command.run([
      "eval", "--robot", robot, "--targets", "40", "--solver", "analytic", "--limits", "base_yaw=0:0.5",
      "--lock", "elbow=1", "--json", file.path,
    ])
    #expect(eval.status == 0, "\(eval.errors)")
    let report = try JSONDecoder().decode(BenchmarkReport.self, from: Data(contentsOf: file))
    let reachable = try #require(report.rows.first { $0.targetSet == BenchmarkTargets.reachableName })
    // Drawn over the robot's own limits, 16% of them were reached.
    #expect(reachable.successRate == 1, "\(reachable.successRate)")
    // Out of reach, success is the closest point's distance, measured under the same restrictions.
    let outOfReach = try #require(report.rows.first { $0.targetSet == BenchmarkTargets.outOfReachName })
    #expect(outOfReach.successRate == 1, "\(outOfReach.successRate)")
    // Other targets than an unrestricted run's: a fixture's --check compares this.
    #expect(
      report.context["targets"]?.hasSuffix("drawn within --lock elbow=1.0 --limits base_yaw=0.0:0.5") == true,
      "\(report.context["targets"] ?? "")")
  }

  @Test("data refuses a single target as a count, not as a robot in the wrong units")
  func dataOfOneTarget() throws {
    let out = FileManager.default.temporaryDirectory.appending(path: "one-\(UUID().uuidString).csv").path
    let result = try Command.run(["data", "--robot", Self.robot, "--count", "1", "--out", out])
    #expect(result.status == 64)
    #expect(result.errors.contains("--count must be 2 to"), "\(result.errors)")
    #expect(!result.errors.contains("metres") && !FileManager.default.fileExists(atPath: out))
  }

  @Test("train refuses a run that would train nothing (no epochs of either phase) before any work")
  func nothingToTrain() throws {
    let out = FileManager.default.temporaryDirectory.appending(path: "nothing-\(UUID().uuidString).nikm").path
    let result = try Command.run([
      "train", "--robot", Self.robot, "--out", out, "--epochs", "0", "--warmup", "0",
    ])
    #expect(result.status != 0)
    #expect(result.errors.contains("--epochs and --warmup are both 0"), "\(result.errors)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test(
    "train's standard error, not a terminal, holds one line an epoch, warm-up's too, each with that epoch's own validation"
  )
  func trainLogsEveryEpoch() throws {
    let out = FileManager.default.temporaryDirectory.appending(path: "epochs-\(UUID().uuidString).nikm").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    // 2,000 targets in batches of 512: 4 batches, so the last is not on the 1/20 reporting grid.
    let result = try Command.run([
      "train", "--robot", Self.robot, "--out", out, "--targets", "2000", "--epochs", "2", "--warmup", "2",
      "--width", "16", "--depth", "1", "--threads", "1", "--patience", "5",
    ])
    #expect(result.status == 0, "\(result.errors)")
    let lines = result.errors.split(separator: "\n").map(String.init)
    let epochs = lines.filter { $0.contains(" epoch ") }
    #expect(
      epochs.map { $0.prefix(while: { $0 != "%" }) }
        == [
          "warm-up epoch 1/2 100", "warm-up epoch 2/2 100", "FK loss epoch 1/2 100", "FK loss epoch 2/2 100",
        ],
      "\(result.errors)")
    // An FK-loss epoch's line carries its own validation, as the log's row does.
    #expect(epochs.suffix(2).allSatisfy { $0.contains("val median") && !$0.contains("ETA") }, "\(epochs)")
    #expect(!result.errors.contains("\u{1B}"), "terminal codes in a pipe")
  }

  @Test("train refuses a network too large for a model file as such, before it weighs the run's memory")
  func tooLargeForAModelFile() throws {
    let out = FileManager.default.temporaryDirectory.appending(path: "large-\(UUID().uuidString).nikm").path
    let result = try Command.run([
      "train", "--robot", Self.robot, "--out", out, "--width", "4096", "--depth", "32",
    ])
    #expect(result.status == 1)
    #expect(result.errors.contains("32 hidden layers of 4096"), "\(result.errors)")
    #expect(!result.errors.contains("training would need"), "\(result.errors)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test(
    "without a model, an arm with a closed form of poses is solved by the hybrid over it, which proves a pose it misses out of reach; with the closed form turned off, by lm"
  )
  func modelLessDefault() throws {
    let ur5 = Fixtures.robots.appending(path: "ur5.json").path
    let reached = try Command.run(["solve", "--robot", ur5, "--target", "0.4,0.2,0.3,0,1,0,0"])
    #expect(reached.status == 0, "\(reached.errors)")
    #expect(reached.output.contains("solver   hybrid") && reached.output.contains("status   reachable"))
    // Inside the reach sphere, turned so that no branch reaches it.
    let missed = try Command.run(["solve", "--robot", ur5, "--target", "0.05,0,0.1,0,1,0,0"])
    #expect(
      missed.output.contains("solver   hybrid") && missed.output.contains("OUT OF REACH"), "\(missed.output)")
    let plain = try Command.run([
      "solve", "--robot", ur5, "--target", "0.4,0.2,0.3,0,1,0,0", "--no-closed-form",
    ])
    #expect(plain.output.contains("solver   lm"), "\(plain.output)")
    let refused = try Command.run([
      "solve", "--robot", ur5, "--solver", "hybrid", "--no-closed-form", "--target", "0.4,0.2,0.3",
    ])
    #expect(refused.status != 0 && refused.errors.contains("needs a trained model"), "\(refused.errors)")
    // The closed form turned off leaves the analytic solver nothing: it ran the closed form anyway.
    let contradictory = try Command.run([
      "solve", "--robot", ur5, "--solver", "analytic", "--no-closed-form", "--target", "0.4,0.2,0.3,0,1,0,0",
    ])
    #expect(
      contradictory.status == 64 && contradictory.errors.contains("all the analytic solver is"),
      "\(contradictory.errors)")
  }

  @Test(
    "a miss is called OUT OF REACH only where it proves it (a closed form listing every branch, or beyond the reach sphere); a search from starts that misses says NO SOLUTION FOUND"
  )
  func honestMisses() throws {
    let ur5 = Fixtures.robots.appending(path: "ur5.json").path
    let robot = try RobotModel(contentsOf: Fixtures.robots.appending(path: "ur5.json"))
    let pose = robot.tipPose(at: [0.3, -1.2, 1.1, -0.4, 1.3, 0.2])
    let q = Quaternion(pose.rotation)
    let reachable = [pose.translation.x, pose.translation.y, pose.translation.z, q.w, q.x, q.y, q.z]
      .map { "\($0)" }.joined(separator: ",")
    // One iteration from the middle: `lm` misses a target that is reachable.
    let starved = try Command.run([
      "solve", "--robot", ur5, "--solver", "lm", "--restarts", "0", "--max-iterations", "1",
      "--iteration-budget", "1",
      "--start-iteration-budget", "1",
      "--target=\(reachable)",
    ])
    #expect(starved.status == 0, "\(starved.errors)")
    #expect(starved.output.contains("NO SOLUTION FOUND") && !starved.output.contains("OUT OF REACH"))
    let beyond = try Command.run(["solve", "--robot", ur5, "--solver", "lm", "--target", "40,0,0,1,0,0,0"])
    #expect(beyond.output.contains("OUT OF REACH"), "\(beyond.output)")
    // The seed arm's closed form of positions lists every branch: a point off its surface is out of reach.
    let seed = try Command.run(["solve", "--robot", Self.robot, "--target", "0.3,0.3,0.3"])
    #expect(seed.output.contains("OUT OF REACH"), "\(seed.output)")
    // --json says the same, in its status.
    let starvedJSON = try Command.run(
      [
        "solve", "--robot", ur5, "--solver", "lm", "--restarts", "0", "--max-iterations", "1",
        "--iteration-budget", "1",
        "--start-iteration-budget", "1", "--target=\(reachable)", "--json",
      ])
    let seedJSON = try Command.run(["solve", "--robot", Self.robot, "--target", "0.3,0.3,0.3", "--json"])
    #expect(
      try JSONDecoder().decode(SolveReport.self, from: Data(starvedJSON.output.utf8)).status
        == .noSolutionFound)
    #expect(
      try JSONDecoder().decode(SolveReport.self, from: Data(seedJSON.output.utf8)).status == .outOfReach)
  }

  @Test("solve --targets --json writes a JSON summary that a JSON parser reads, whatever the file name")
  func batchSummary() throws {
    let directory = FileManager.default.temporaryDirectory.appending(path: "neural-ik \"quoted\" \(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appending(path: "in.csv")
    try Data("x,y,z\n0.072265116961,-0.112546251379,0.781779092709\n-0.5,0,0.3\n".utf8).write(to: input)
    let output = directory.appending(path: "out \"1\".csv")
    let result = try Command.run([
      "solve", "--robot", Self.robot, "--targets", input.path, "--out", output.path, "--json",
    ])
    #expect(result.status == 0, "\(result.errors)")
    let json = try #require(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    #expect(json["out"] as? String == output.path)
    #expect(json["targets"] as? Int == 2 && json["reachable"] as? Int == 1)
    // Each row's status, after `reachable`: the second target is off the seed arm's surface.
    let rows = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map {
      $0.split(separator: ",").map(String.init)
    }
    let column = try #require(rows.first?.firstIndex(of: "status"))
    #expect(rows.first?[column - 1] == "reachable")
    #expect(rows.dropFirst().map { $0[column] } == ["reachable", "out_of_reach"], "\(rows)")
  }
}

@Suite("Unit warnings on the command line")
struct UnitWarningCommandTests {
  @Test(
    "a robot whose limits look written in degrees loads and solves, with a warning on standard error naming the joint"
  )
  func degreesWarned() throws {
    let directory = try scratchDirectory("units")
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = try String(contentsOf: Fixtures.robots.appending(path: "arm-3dof.json"), encoding: .utf8)
      .replacingOccurrences(of: "\"lower\": -2.9670597283903604", with: "\"lower\": -170")
      .replacingOccurrences(of: "\"upper\": 2.9670597283903604", with: "\"upper\": 170")
    let robot = directory.appending(path: "degrees.json")
    try text.write(to: robot, atomically: true, encoding: .utf8)
    let result = try Command.run(["solve", "--robot", robot.path, "--target", "0.2,0.1,0.3", "--json"])
    #expect(result.status == 0, "\(result.errors)")
    #expect(
      result.errors.contains(
        "warning: robot file '\(robot.path)': joint 'base_yaw': limits [-170.0, 170.0] rad")
        && result.errors.contains("written in degrees?"), "\(result.errors)")
    #expect(!result.output.contains("warning"), "the warning stays off standard output: \(result.output)")
    let plain = try Command.run(["solve", "--robot", CommandLineTests.robot, "--target", "0.1,0,0.5"])
    #expect(!plain.errors.contains("warning"), "\(plain.errors)")
  }
}

@Suite("Outputs named wrongly are refused before any work")
struct OutputNameTests {
  @Test(
    "--out - is refused (no file named '-' is written), bench --plots naming a file fails before the benchmark runs, and score --solver with '|' or a line break is a command-line error"
  )
  func refusedBeforeWork() throws {
    let directory = try scratchDirectory("outputs")
    defer { try? FileManager.default.removeItem(at: directory) }
    let robot = CommandLineTests.robot
    let targets = directory.appending(path: "in.csv")
    try Data("x,y,z\n0.1,0,0.5\n".utf8).write(to: targets)
    let dash = try Command.run(["solve", "--robot", robot, "--targets", targets.path, "--out", "-"])
    #expect(dash.status == 64 && dash.errors.contains("not standard output"), "\(dash.errors)")
    // A command line's mistake: the usage that follows is the subcommand's, not the tool's.
    #expect(dash.errors.contains("Usage: neural-ik solve "), "\(dash.errors)")
    #expect(!FileManager.default.fileExists(atPath: "-"))
    let file = directory.appending(path: "plots.txt")
    try Data("x".utf8).write(to: file)
    let plots = try Command.run(["bench", "--robot", robot, "--targets", "10", "--plots", file.path])
    #expect(
      plots.status == 1 && plots.errors.contains("cannot create the plots directory"), "\(plots.errors)")
    #expect(!plots.output.contains("|"), "the benchmark ran first: \(plots.output)")
    for name in ["a|b", "a\nb", " "] {
      let score = try Command.run([
        "score", "--robot", robot, "--targets", targets.path, "--solutions", targets.path, "--solver", name,
      ])
      #expect(
        score.status == 64 && score.errors.contains("--solver names the solver"), "\(name): \(score.errors)")
    }
  }
}
