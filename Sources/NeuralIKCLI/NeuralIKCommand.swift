import ArgumentParser
import Foundation
import NeuralIK

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
    restartWithBetterOpenBLASKernels()
    if let repeated = RepeatedOption.first(in: CommandLine.arguments.dropFirst()) {
      FileHandle.standardError.write(Data("Error: \(RepeatedOption.message(repeated))\n".utf8))
      Foundation.exit(ExitCode.validationFailure.rawValue)
    }
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

  /// OpenBLAS chooses its kernels once, as it loads, by the CPU's model; where a virtual machine
  /// hides the model it falls back to SSE3 kernels, and training's products run 2.4 times slower
  /// (Docs/Performance.md). The process then starts itself again at once, before any work, with
  /// `OPENBLAS_CORETYPE` naming kernels the CPU's feature bits allow. A coretype the user set is
  /// kept, and a failed restart goes on as it is.
  static func restartWithBetterOpenBLASKernels() {
    #if os(Linux)
      guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
        let core = NumericsBackend.betterOpenBLASCore
      else { return }
      setenv("OPENBLAS_CORETYPE", core, 1)
      execv("/proc/self/exe", CommandLine.unsafeArgv)
      // Still here: the restart failed, and the fallback kernels are slower, not wrong.
      unsetenv("OPENBLAS_CORETYPE")
    #endif
  }
}
