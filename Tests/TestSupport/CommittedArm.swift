import Foundation
import NeuralIKCore
import Testing

/// Every fixture arm, small and real, each with its committed model in `Fixtures/models/`: the
/// arms the heavy property suite checks its laws on.
public enum CommittedArm: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case seedArm = "seed-arm"
  case planar2Link = "planar-2link"
  case arm3DoF = "arm-3dof"
  case panda
  case iiwa14
  case ur5

  public var testDescription: String { rawValue }

  /// The arm's JSON robot file.
  public func robot() throws -> RobotModel {
    try RobotModel(contentsOf: Fixtures.robots.appending(path: "\(rawValue).json"))
  }

  /// The arm's committed trained model.
  public var modelURL: URL { Fixtures.directory.appending(path: "models/\(rawValue).nikm") }
}
