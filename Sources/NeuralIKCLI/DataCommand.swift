import ArgumentParser
import Foundation
import NeuralIK

struct DataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "Generate a training data set (FK grid or balanced targets) and print its balance.")

  enum Kind: String, ExpressibleByArgument { case grid, balanced }

  @OptionGroup var robotOptions: RobotOptions
  @Option(help: "grid: the seed's FK grid with joint labels; balanced: targets in and around the reach.")
  var kind: Kind = .balanced
  @Option(help: "Targets (balanced) or about how many grid points (grid).") var count: Int = 10_000
  @Option(help: "Share of balanced targets on the reach.", transform: Double.decimalArgument)
  var reachableShare: Double = TrainingConfig()
    .reachableShare
  @Option(help: "Random seed.") var seed: UInt64 = 1
  @Option(help: ArgumentHelp("Where the CSV goes.", valueName: "file")) var out: String

  func validate() throws {
    guard (1...20_000_000).contains(count) else {
      throw ValidationError("--count must be 1 to 20,000,000, got \(count)")
    }
    guard (0...1).contains(reachableShare) else { throw ValidationError("--reachable-share must be in 0…1") }
  }

  func run() throws {
    try OutputPath.check(out, option: "--out", inputs: ["--robot": robotOptions.robot])
    let robot = try robotOptions.load()
    var generator = SplitMix64(seed: seed)
    let data: TrainingData
    switch kind {
    case .grid:
      data = DataGeneration.fkGrid(
        robot: robot, step: DataGeneration.gridStep(robot: robot, approximateCount: count))
    case .balanced:
      data = DataGeneration.balancedTargets(
        robot: robot, count: count, reachableShare: reachableShare, margin: TrainingConfig().margin,
        poses: false,
        using: &generator)
    }
    do {
      try data.validate(for: robot)
      print(try ReachDistance(robot: robot).balance(of: data.targets))
    } catch {
      throw CLIError("\(error)")
    }
    try EvaluationOptions.write(Data(data.csv(for: robot).utf8), to: out)
    print("\(data.count) targets → \(out)")
  }
}
