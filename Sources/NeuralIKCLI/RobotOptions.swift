import ArgumentParser
import Foundation
import NeuralIK

/// `--robot FILE`, shared by every subcommand that works on a robot.
struct RobotOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Robot file: JSON (Docs/RobotFormat.md) or URDF (.urdf, Docs/URDF.md).", valueName: "file"))
  var robot: String

  @Option(
    help: ArgumentHelp(
      "URDF only: the link the chain starts from (default: the root link).", valueName: "link"))
  var base: String?

  @Option(
    help: ArgumentHelp(
      "URDF only: the link the chain ends at (default: the single leaf link).", valueName: "link"))
  var tip: String?

  func load() throws -> RobotModel {
    try InputPath.check(robot, what: "robot file")
    let model: RobotModel
    do {
      model = try RobotModel(fileAt: URL(filePath: robot), base: base, tip: tip)
    } catch {
      throw CLIError(naming: "robot file", robot, error)
    }
    // Loaded, as the file says; but a limit of 170 rad or a link of 400 m is most likely a unit
    // mistake, which every answer would carry.
    for warning in model.unitWarnings {
      FileHandle.standardError.write(Data("warning: robot file '\(robot)': \(warning)\n".utf8))
    }
    return model
  }
}

/// Loads a model file for a robot, with the one-line errors of the CLI.
func loadModel(_ path: String, for robot: RobotModel) throws -> IKNetwork {
  try InputPath.check(path, what: "model")
  do {
    return try IKNetwork(contentsOf: URL(filePath: path), for: robot)
  } catch {
    throw CLIError(naming: "model", path, error)
  }
}
