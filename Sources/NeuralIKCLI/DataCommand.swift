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
  @Option(help: "Targets (balanced) or about how many grid points (grid).")
  var count: Int = 10_000
  @Option(help: "Share of balanced targets on the reach.", transform: Double.decimalArgument)
  var reachableShare: Double = TrainingConfig()
    .reachableShare
  @Option(help: "Random seed.") var seed: UInt64 = 1
  @Option(help: ArgumentHelp("Where the CSV goes.", valueName: "file")) var out: String

  func validate() throws {
    // One target has no extent, which the data's check takes for a robot in the wrong units.
    guard (2...20_000_000).contains(count) else {
      throw ValidationError("--count must be 2 to 20,000,000, got \(count)")
    }
    guard (0...1).contains(reachableShare) else { throw ValidationError("--reachable-share must be in 0…1") }
    // Last: a file system's refusal (status 1) must not hide a mistake of the command line (64).
    try OutputPath.check(out, option: "--out", inputs: ["--robot": robotOptions.robot])
  }

  func run() throws {
    let robot = try robotOptions.load()
    // Every target, its configuration and the file's text are held at once: measured 430 bytes a
    // target on a 3-joint arm, 540 on the Panda, 2.1 KB on 64 joints; half again for the allocator.
    let dof = Double(robot.degreesOfFreedom)
    try TrainingMemory.check(
      needed: 1.5 * (40e6 + Double(count) * (300 + 28 * dof)), threads: 1,
      for: "\(count) targets for \(robot.name)",
      advice: "ask for fewer with --count")
    var generator = SplitMix64(seed: seed)
    // A million targets take seconds a stage (20 million, minutes): say which stage is running.
    let status = count >= 1_000_000 ? ProgressLine() : nil
    // Cleared on the way out too: an error's message would follow the status on its line.
    defer { status?.clear() }
    status?.note(kind == .grid ? "computing about \(count) grid points…" : "drawing \(count) targets…")
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
    status?.note("checking \(data.count) targets…")
    do {
      try data.validate(for: robot)
      let balance = try ReachDistance(robot: robot).balance(of: data.targets)
      status?.clear()
      print(balance)
    } catch DataFileError.degenerate where kind == .grid {
      // The robot is fine: a grid of `count` points over many joints leaves each joint one value.
      throw CLIError(
        "every target of the grid is the same point: about \(count) points over \(robot.degreesOfFreedom) joints give each joint few values, or none of them moves the tool; use --kind balanced (random configurations) for an arm with this many joints"
      )
    } catch {
      throw CLIError("\(error)")
    }
    status?.note("writing \(data.count) rows…")
    try EvaluationOptions.write(Data(data.csv(for: robot).utf8), to: out)
    status?.clear()
    print("\(data.count) targets → \(out)")
  }
}
