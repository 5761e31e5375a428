import Foundation
import NeuralIKCore
import TestSupport
import Testing

@Suite("Robot file loading")
struct RobotFileTests {
  /// A valid two-joint robot file; each case below breaks one thing in it.
  static let valid = """
    {"format": "neural-ik-robot/1", "name": "r",
     "joints": [
       {"name": "a", "type": "revolute", "axis": [0, 0, 1], "limits": {"lower": -1, "upper": 1}},
       {"name": "b", "type": "prismatic", "origin": {"xyz": [0.1, 0, 0]}, "axis": [1, 0, 0],
        "limits": {"lower": 0, "upper": 0.2}}],
     "tool": {"xyz": [0.1, 0, 0], "rpy": [0, 0, 0]}}
    """

  static func load(_ text: String) throws -> RobotModel { try RobotModel(json: Data(text.utf8)) }

  static func replacing(_ old: String, with new: String) -> String {
    valid.replacingOccurrences(of: old, with: new)
  }

  @Test("every fixture and the template load")
  func validFiles() throws {
    let robot = try Self.load(Self.valid)
    #expect(robot.degreesOfFreedom == 2)
    for arm in FixtureArm.allCases { _ = try arm.robot() }
  }

  static let broken: [(String, String, String)] = [
    ("not JSON", "{\"format\": ", "not valid JSON"),
    (
      "a stray comma, placed by line and column",
      replacing("\"axis\": [0, 0, 1],", with: "\"axis\": [0, 0,, 1],"),
      "not valid JSON: invalid value at line 3, column 52"
    ),
    ("top level is an array", "[]", "expected an object, found an array"),
    (
      "unknown top-level key", replacing("\"name\": \"r\"", with: "\"name\": \"r\", \"colour\": 1"),
      "unknown key 'colour'"
    ),
    (
      "missing format", replacing("\"format\": \"neural-ik-robot/1\",", with: ""),
      "format: missing; expected \"neural-ik-robot/1\""
    ),
    ("wrong format", replacing("neural-ik-robot/1", with: "urdf"), "unsupported format \"urdf\""),
    ("missing joints", "{\"format\": \"neural-ik-robot/1\", \"name\": \"r\"}", "joints: missing"),
    (
      "unknown joint type", replacing("\"prismatic\"", with: "\"spherical\""),
      "joints[1].type: unknown joint type 'spherical'; expected one of: revolute, continuous, prismatic, fixed"
    ),
    (
      "lower > upper", replacing("\"lower\": -1, \"upper\": 1", with: "\"lower\": 2.1, \"upper\": 1.9"),
      "joint 'a' limits: lower limit 2.1 > upper limit 1.9"
    ),
    ("zero axis", replacing("[0, 0, 1]", with: "[0, 0, 0]"), "joints[0].axis: is the zero vector"),
    (
      "axis of two numbers", replacing("[0, 0, 1]", with: "[0, 1]"),
      "joints[0].axis: expected 3 numbers [x, y, z], found 2"
    ),
    (
      "string for a number", replacing("\"upper\": 0.2", with: "\"upper\": \"0.2\""),
      "joints[1].limits.upper: expected a number, found a string"
    ),
    (
      "boolean for a number", replacing("\"upper\": 0.2", with: "\"upper\": true"),
      "joints[1].limits.upper: expected a number, found a boolean"
    ),
    (
      "non-finite number", replacing("[0.1, 0, 0], \"rpy\"", with: "[1e999, 0, 0], \"rpy\""),
      "not valid JSON: number 1e999 does not fit a Double (beyond about ±1.8e308",
    ),
    (
      "a number that would read as 0", replacing("[0.1, 0, 0], \"rpy\"", with: "[1e-999, 0, 0], \"rpy\""),
      "not valid JSON: number 1e-999 does not fit a Double (beyond about ±1.8e308, or nearer 0 than about 5e-324) at line",
    ),
    // The decoder checks these only when the value is read: it said a broken string was a number
    // that does not fit a Double.
    (
      "a tab inside a string", replacing("\"name\": \"r\"", with: "\"name\": \"r\tx\""),
      "not valid JSON: unescaped control character at line 1, column 43"
    ),
    (
      "a number with a leading zero", replacing("\"lower\": 0,", with: "\"lower\": 00,"),
      "not valid JSON: number with leading zero at line 5, column 26"
    ),
    (
      "enormous offset", replacing("[0.1, 0, 0], \"rpy\"", with: "[0.1, 0, -1.9e211], \"rpy\""),
      "tool xyz: an offset of 1.9e+211 m; an offset may be at most 1000000.0 m"
    ),
    // Each offset within its bound, but the arm reaching past a tenth of the farthest target:
    // a data set's FK of it stopped the program.
    (
      "a reach of a thousand kilometres",
      replacing("[0.1, 0, 0], \"rpy\"", with: "[600000, 0, 600000], \"rpy\""),
      "the chain reaches up to"
    ),
    (
      "enormous prismatic travel", replacing("\"upper\": 0.2", with: "\"upper\": 2e7"),
      "joint 'b' limits: a limit of 20000000.0 m; limits may be at most ±1000000.0 m"
    ),
    (
      "enormous revolute limits",
      replacing("\"lower\": -1, \"upper\": 1", with: "\"lower\": 1e308, \"upper\": 1.7e308"),
      "joint 'a' limits: a limit of 1.7e+308 rad; limits may be at most ±1000000.0 rad "
        + "(a joint that turns without limit is 'continuous')"
    ),
    (
      "missing limits", replacing(", \"limits\": {\"lower\": -1, \"upper\": 1}", with: ""),
      "a revolute joint needs lower and upper limits"
    ),
    (
      "half limits", replacing("\"lower\": -1, \"upper\": 1", with: "\"lower\": -1"),
      "joints[0].limits: needs both 'lower' and 'upper'"
    ),
    ("missing axis", replacing("\"axis\": [0, 0, 1], ", with: ""), "joint 'a' is missing 'axis'"),
    ("duplicate names", replacing("\"name\": \"b\"", with: "\"name\": \"a\""), "duplicate joint name"),
    (
      "no movable joint",
      "{\"format\": \"neural-ik-robot/1\", \"name\": \"r\", \"joints\": [{\"name\": \"f\", \"type\": \"fixed\"}]}",
      "the chain has no movable joint"
    ),
    (
      "unknown joint key", replacing("\"name\": \"a\",", with: "\"name\": \"a\", \"mass\": 2,"),
      "joints[0]: unknown key 'mass'"
    ),
    (
      "limits on a continuous joint", replacing("\"revolute\"", with: "\"continuous\""),
      "a continuous joint takes no limits"
    ),
    (
      "a joint's limits given twice",
      replacing(
        "\"limits\": {\"lower\": -1, \"upper\": 1}",
        with: "\"limits\": {\"lower\": -1, \"upper\": 1, \"upper\": 3}"),
      "joints[0].limits: 'upper' is given twice; give each key once"
    ),
    (
      "a top-level key given twice, once escaped",
      replacing("\"name\": \"r\"", with: "\"name\": \"r\", \"n\\u0061me\": \"s\""),
      "'name' is given twice"
    ),
    (
      "a line break in a joint's name", replacing("\"name\": \"a\"", with: "\"name\": \"a\\nb\""),
      "joint \"a\\nb\": its name contains a control character"
    ),
    (
      "an escape sequence in the robot's name",
      replacing("\"name\": \"r\"", with: "\"name\": \"r\\u001b[2J\""),
      "name: contains a control character"
    ),
    (
      "a right-to-left override in a joint's name, which would print the text after it reversed",
      replacing("\"name\": \"a\"", with: "\"name\": \"a\\u202Eb\""),
      "joint \"a\\u{202E}b\": its name contains a control character (a line break, tab, escape or bidirectional text control)"
    ),
    (
      "a comma after the last joint",
      replacing(
        "\"limits\": {\"lower\": -1, \"upper\": 1}", with: "\"limits\": {\"lower\": -1, \"upper\": 1,}"),
      "not valid JSON: a comma after the last item at line 3, column 91; remove it"
    ),
  ]

  @Test(
    "an axis of any finite non-zero length is normalised: huge and tiny ones keep their direction",
    arguments: ["[1e200, 1e200, 0]", "[0, 0, 1e-10]", "[-1e-300, 0, 0]", "[3, 4, 0]"])
  func axisOfAnyLength(axis: String) throws {
    let robot = try Self.load(Self.replacing("[0, 0, 1]", with: axis))
    let loaded = robot.movableJoints[0].axis
    let values = try JSONDecoder().decode([Double].self, from: Data(axis.utf8))
    let largest = values.map(abs).max() ?? 1
    let scaled = values.map { $0 / largest }
    let length = scaled.map { $0 * $0 }.reduce(0, +).squareRoot()
    #expect(loaded.x.isFinite && loaded.y.isFinite && loaded.z.isFinite)
    #expect(abs(loaded.x - scaled[0] / length) < 1e-15 && abs(loaded.y - scaled[1] / length) < 1e-15)
    #expect(abs(loaded.z - scaled[2] / length) < 1e-15, "\(loaded)")
  }

  @Test("a malformed file is rejected with a message naming the field", arguments: broken)
  func malformed(_ name: String, text: String, message: String) {
    #expect {
      try Self.load(text)
    } throws: { error in
      let description = "\(error)"
      let matches = error is RobotModelError && description.contains(message)
      if !matches { Issue.record("\(name): got \"\(description)\"") }
      return matches
    }
  }

  @Test("a missing file is an error, not a crash")
  func missingFile() {
    #expect(throws: RobotModelError.self) {
      try RobotModel(contentsOf: URL(filePath: "/nonexistent/robot.json"))
    }
  }

  @Test(
    "a robot file is read from a pipe; an empty, endless or directory path gets its own message, a missing one too"
  )
  func unusualFiles() throws {
    let directory = try scratchDirectory("robot-files")
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appending(path: "arm.json")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    let text = try Data(contentsOf: FixtureArm.seedArm.url)
    let writer = Thread {
      if let handle = FileHandle(forWritingAtPath: fifo.path) {
        handle.write(text)
        try? handle.close()
      }
    }
    writer.start()
    #expect(try RobotModel(contentsOf: fifo).degreesOfFreedom == 2)
    func message(_ url: URL) -> String {
      do {
        _ = try RobotModel(contentsOf: url)
        return "loaded"
      } catch {
        return error.description
      }
    }
    #expect(message(URL(filePath: "/dev/null")).contains("'/dev/null' is empty"))
    #expect(message(URL(filePath: "/dev/zero")).contains("more than \(RobotLimits.fileBytes) bytes"))
    #expect(message(directory).contains("is a directory"))
    #expect(message(URL(filePath: "/nonexistent/robot.json")).contains("does not exist"))
    let loop = directory.appending(path: "loop.json")
    try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: loop.path)
    #expect(message(loop).contains("a symbolic link to nothing"))
  }

  @Test(
    "a robot file without an extension (a pipe, /dev/stdin) is read as a URDF when it begins with '<', else as JSON; a base or tip link is refused for JSON"
  )
  func formatByContent() throws {
    let urdf = try Data(contentsOf: Fixtures.robots.appending(path: "ur5.urdf"))
    let json = try Data(contentsOf: FixtureArm.seedArm.url)
    let pipe = URL(filePath: "/dev/fd/63")
    #expect(RobotModel.format(of: pipe, data: Data("\u{FEFF}\n  ".utf8) + urdf) == .urdf)
    #expect(RobotModel.format(of: pipe, data: json) == .json)
    #expect(RobotModel.format(of: URL(filePath: "arm.URDF"), data: json) == .urdf)
    let directory = try scratchDirectory("robot-format")
    defer { try? FileManager.default.removeItem(at: directory) }
    let bare = directory.appending(path: "arm")
    try urdf.write(to: bare)
    #expect(try RobotModel(fileAt: bare, tip: "tool0").degreesOfFreedom == 6)
    try json.write(to: bare)
    #expect(try RobotModel(fileAt: bare).degreesOfFreedom == 2)
    #expect { try RobotModel(fileAt: bare, tip: "tool0") } throws: { "\($0)".contains("applies to a URDF") }
  }

  @Test(
    "a reader's first answer other than read-on holds: a stop ends the read after the first chunk, a bound one byte past it, and neither is asked again"
  )
  func extentAnswers() throws {
    var asked = 0
    let stopped = try FileContents.read(URL(filePath: "/dev/zero")) { _ in
      asked += 1
      return .stop
    }
    #expect(stopped.count <= 1 << 20 && asked == 1)
    asked = 0
    let bounded = try FileContents.read(URL(filePath: "/dev/zero")) { data in
      asked += 1
      return data.count < 3 << 20 ? .readOn : .atMost(5 << 20)
    }
    #expect(bounded.count == 5 << 20 + 1 && asked == 3)
    asked = 0
    #expect(throws: FileReadError.tooLarge(limit: 4 << 20)) {
      try FileContents.read(URL(filePath: "/dev/zero"), limit: 4 << 20) { _ in
        asked += 1
        return .toTheEnd
      }
    }
    #expect(asked == 1)
    #expect(throws: FileReadError.tooLarge(limit: 10)) {
      try FileContents.read(URL(filePath: "/dev/zero"), limit: 10)
    }
  }

  @Test("target and configuration validation name the problem")
  func targets() throws {
    #expect(
      throws: IKError.wrongDimension(what: "target (x, y, z or x, y, z, qw, qx, qy, qz)", expected: 3, got: 2)
    ) {
      try IKTarget(values: [1, 2])
    }
    #expect { try IKTarget(values: [1, .nan, 2]) } throws: { "\($0)".contains("non-finite") }
    #expect { try IKTarget(values: [1, 2, 3, 0, 0, 0, 0]) } throws: { "\($0)".contains("zero length") }
    let robot = try FixtureArm.seedArm.robot()
    #expect(throws: IKError.self) { try robot.checkConfiguration([1, 2, 3]) }
    #expect(throws: IKError.self) { try robot.checkConfiguration([1, .infinity]) }
    // Outside the limits passes (a reading just past one); beyond any limit a robot can have does not.
    try robot.checkConfiguration([100, -100])
    #expect { try robot.checkConfiguration([0, -1e300]) } throws: { error in
      guard case .invalidConfiguration(let message)? = error as? IKError else { return false }
      return message.contains("beyond ±1000000 rad") && message.contains("'\(robot.movableJoints[1].name)'")
    }
  }

  @Test(
    "a joint origin or a tool whose matrix is no rotation (a scale, zeros, a mirror) is refused naming it")
  func notRotations() throws {
    let notRotations = [
      Rotation3(row0: Vector3(1e300, 0, 0), row1: Vector3(0, 1e300, 0), row2: Vector3(0, 0, 1e300)),
      Rotation3(row0: Vector3(0, 0, 0), row1: Vector3(0, 0, 0), row2: Vector3(0, 0, 0)),
      Rotation3(row0: Vector3(1, 0, 0), row1: Vector3(0, 1, 0), row2: Vector3(0, 0, -1)),
    ]
    for matrix in notRotations {
      let origin = Transform3(rotation: matrix, translation: Vector3(1, 0, 0))
      #expect {
        try RobotModel(
          name: "two",
          joints: [
            Joint(name: "j1", type: .revolute, limits: JointLimits(lower: -3, upper: 3)),
            Joint(name: "j2", type: .revolute, origin: origin, limits: JointLimits(lower: -3, upper: 3)),
          ], tool: Transform3(translation: Vector3(1, 0, 0)))
      } throws: { "\($0)".contains("j2") && "\($0)".contains("is not a rotation") }
      #expect {
        try RobotModel(
          name: "one", joints: [Joint(name: "j1", type: .revolute, limits: JointLimits(lower: -3, upper: 3))],
          tool: origin)
      } throws: { "\($0)".contains("tool") && "\($0)".contains("is not a rotation") }
    }
  }
}
