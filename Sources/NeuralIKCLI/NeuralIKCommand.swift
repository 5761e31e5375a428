import ArgumentParser

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
}
