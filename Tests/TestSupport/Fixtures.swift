import Foundation
import NeuralIKCore
import PropertyBased
import Testing

/// The fixture arms in `Fixtures/robots/`.
public enum FixtureArm: String, CaseIterable, Sendable {
  case seedArm = "seed-arm"
  case planar2Link = "planar-2link"
  case arm3DoF = "arm-3dof"

  public var url: URL { Fixtures.robots.appending(path: "\(rawValue).json") }

  /// The parsed robot; a fixture that does not load is a failed test, not a crash.
  public func robot() throws -> RobotModel { try RobotModel(contentsOf: url) }
}

/// The real-arm fixtures, each written twice: as a URDF file and as a JSON robot file.
public enum RealArm: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case panda
  case iiwa14
  case ur5

  public var testDescription: String { rawValue }

  /// UR's description adds the ROS-Industrial `base` frame as a second leaf, so its tip is named.
  public var tip: String? { self == .ur5 ? "tool0" : nil }

  public var degreesOfFreedom: Int { self == .ur5 ? 6 : 7 }

  public func fromURDF() throws -> RobotModel {
    try RobotModel(urdfContentsOf: Fixtures.robots.appending(path: "\(rawValue).urdf"), tip: tip)
  }

  public func fromJSON() throws -> RobotModel {
    try RobotModel(contentsOf: Fixtures.robots.appending(path: "\(rawValue).json"))
  }

  /// The arm's JSON robot file with the movable joint `joint` (0-based) made continuous, or given
  /// `halfRange` either side of 0: a full-turn joint that no fixture has, renamed `name`.
  public func withFullTurn(joint: Int, halfRange: Double? = nil, name: String) throws -> RobotModel {
    let data = try Data(contentsOf: Fixtures.robots.appending(path: "\(rawValue).json"))
    guard var json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      var joints = json["joints"] as? [[String: Any]]
    else { throw CocoaError(.fileReadCorruptFile) }
    let movable = joints.indices.filter { joints[$0]["type"] as? String != "fixed" }
    let index = movable[joint]
    if let halfRange {
      joints[index]["type"] = "revolute"
      joints[index]["limits"] = ["lower": -halfRange, "upper": halfRange]
    } else {
      joints[index]["type"] = "continuous"
      joints[index]["limits"] = nil
    }
    json["joints"] = joints
    json["name"] = name
    return try RobotModel(json: JSONSerialization.data(withJSONObject: json))
  }

  /// The arm's JSON robot file with a prismatic joint inserted before its movable joint `joint`
  /// (0-based; 0: a rail under the arm, 1: a lift after its first axis), sliding along `axis`
  /// (its own frame) from `lower` to `upper` metres, renamed `name`: a robot with a closed form at
  /// each value of the slide, and no fixture of its own.
  public func withSlide(
    before joint: Int, axis: [Double], lower: Double, upper: Double, name: String
  ) throws -> RobotModel {
    let data = try Data(contentsOf: Fixtures.robots.appending(path: "\(rawValue).json"))
    guard var json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      var joints = json["joints"] as? [[String: Any]]
    else { throw CocoaError(.fileReadCorruptFile) }
    let movable = joints.indices.filter { joints[$0]["type"] as? String != "fixed" }
    let slide: [String: Any] = [
      "name": "slide", "type": "prismatic", "origin": ["xyz": [0.1, -0.05, 0.2], "rpy": [0.1, 0, 0.3]],
      "axis": axis, "limits": ["lower": lower, "upper": upper],
    ]
    joints.insert(slide, at: movable[joint])
    json["joints"] = joints
    json["name"] = name
    return try RobotModel(json: JSONSerialization.data(withJSONObject: json))
  }

  /// The committed trained model, `nil` when there is none.
  public var modelURL: URL? {
    let url = Fixtures.directory.appending(path: "models/\(rawValue).nikm")
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
  }
}

public enum Fixtures {
  /// The repository's `Fixtures/` directory, found from this source file.
  public static let directory = URL(filePath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appending(path: "Fixtures")

  public static let robots = directory.appending(path: "robots")

  /// A chain that exercises every joint kind and non-trivial origins: fixed joints with rotated
  /// origins, a prismatic joint, a continuous joint and skewed axes.
  public static func mixedChain() throws -> RobotModel {
    try RobotModel(
      name: "mixed",
      joints: [
        Joint(
          name: "j1", type: .revolute, origin: Transform3(xyz: [0, 0, 0.1], rpy: [0, 0, 0.3]),
          axis: [0, 0, 1], limits: JointLimits(lower: -2, upper: 2)),
        Joint(
          name: "mount", type: .fixed, origin: Transform3(xyz: [0.05, 0.02, 0.2], rpy: [0.4, -0.2, 0.1])),
        Joint(
          name: "j2", type: .revolute, origin: Transform3(xyz: [0, 0.1, 0.05], rpy: [0.1, 0.2, 0.3]),
          axis: [0.3, 1, 0.2], limits: JointLimits(lower: -1.5, upper: 1.5)),
        Joint(
          name: "slide", type: .prismatic, origin: Transform3(xyz: [0.3, 0, 0], rpy: [0, 0.5, 0]),
          axis: [1, 0, 0.1], limits: JointLimits(lower: 0, upper: 0.25)),
        Joint(
          name: "wrist", type: .continuous, origin: Transform3(xyz: [0.1, 0, 0], rpy: [-0.3, 0, 0.2]),
          axis: [0, 1, 0]),
        Joint(
          name: "j5", type: .revolute, origin: Transform3(xyz: [0.05, 0.05, 0], rpy: [0.2, 0.1, -0.4]),
          axis: [1, 0, 0], limits: JointLimits(lower: -2.5, upper: 2.5)),
      ],
      tool: Transform3(xyz: [0.08, 0.01, 0.02], rpy: [0.1, 0.2, 0.3]))
  }
}

extension RobotModel {
  /// Configurations uniform within the limits (continuous joints in [−π, π]), for propertyCheck.
  public func configurations() -> Generator<[Double], some Sequence & SendableMetatype> {
    let joints = movableJoints
    return Gen.double(in: 0...1).array(of: joints.count).map { fractions in
      zip(fractions, joints).map { fraction, joint in
        let limits = joint.limits ?? JointLimits(lower: -.pi, upper: .pi)
        return limits.lower + fraction * limits.range
      }
    }
  }
}

/// Central finite differences of `f` (ℝⁿ → ℝᵐ) at `x`, row-major m × n.
public func centralDifferences(
  at x: [Double], outputs: Int, step: Double = 1e-6, _ f: ([Double]) -> [Double]
) -> [Double] {
  var result = Array(repeating: 0.0, count: outputs * x.count)
  for column in x.indices {
    var plus = x
    var minus = x
    plus[column] += step
    minus[column] -= step
    let (fp, fm) = (f(plus), f(minus))
    for row in 0..<outputs { result[row * x.count + column] = (fp[row] - fm[row]) / (2 * step) }
  }
  return result
}
