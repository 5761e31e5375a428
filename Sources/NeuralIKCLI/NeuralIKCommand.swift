import ArgumentParser

@main
struct NeuralIKCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "neural-ik",
    abstract: "Inverse kinematics for serial robot arms: closed form, GSL Levenberg–Marquardt.",
    subcommands: [
      SolveCommand.self, DataCommand.self, TrainCommand.self, EvalCommand.self, BenchCommand.self,
    ]
  )
}
