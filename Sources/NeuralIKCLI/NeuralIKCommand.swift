import ArgumentParser
import Foundation

@main
struct NeuralIKCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "neural-ik",
    abstract:
      "Inverse kinematics for serial robot arms: a learned network refined by GSL Levenberg–Marquardt.",
    subcommands: [
      SolveCommand.self, DataCommand.self, TrainCommand.self, EvalCommand.self, BenchCommand.self,
      TargetsCommand.self, ScoreCommand.self, ServeCommand.self, ProfileCommand.self, MapCommand.self,
    ]
  )

  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      guard let hint = negativeValueHint(CommandLine.arguments.dropFirst(), message: fullMessage(for: error))
      else { exit(withError: error) }
      FileHandle.standardError.write(Data("Error: \(message(for: error))\n\(hint)\n".utf8))
      Foundation.exit(exitCode(for: error).rawValue)
    }
  }

  /// ArgumentParser reads `--target -0.2,0,0.4` as an option with no value followed by short
  /// options, and says only that the value is missing: where an option is followed by what looks
  /// like a negative number, the way to write it.
  static func negativeValueHint(_ arguments: some Collection<String>, message: String) -> String? {
    guard message.contains("Missing value") else { return nil }
    for (option, value) in zip(arguments, arguments.dropFirst())
    where option.hasPrefix("--") && !option.contains("=") && value.count > 1 && value.hasPrefix("-") {
      let second = value[value.index(after: value.startIndex)]
      guard second.isNumber || second == "." else { continue }
      return "A value starting with '-' needs '=': write \(option)=\(value)"
    }
    return nil
  }
}
