import ArgumentParser
import Foundation
import NeuralIK

/// `--robot FILE`, shared by every subcommand that works on a robot.
struct RobotOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("Robot file (JSON, see Docs/RobotFormat.md).", valueName: "file"))
  var robot: String

  func load() throws -> RobotModel {
    guard FileManager.default.isReadableFile(atPath: robot) else {
      throw CLIError("cannot read robot file '\(robot)': no such readable file")
    }
    do {
      return try RobotModel(contentsOf: URL(filePath: robot))
    } catch let error as RobotModelError {
      throw CLIError("robot file '\(robot)': \(error)")
    }
  }
}

/// The solvers the CLI offers.
enum SolverChoice: String, ExpressibleByArgument, CaseIterable {
  case analytic
  case lm
}
