import ArgumentParser
import Foundation
import NeuralIK

/// `neural-ik map`: builds a reachability map (the default subcommand) or merges shards of one.
struct MapCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "map",
    abstract: "Build a reachability map (share of orientations reached per voxel), or merge its shards.",
    discussion: "See Docs/Maps.md: running a map as a job array (Slurm, GNU parallel) and merging it.",
    subcommands: [MapBuildCommand.self, MapMergeCommand.self],
    defaultSubcommand: MapBuildCommand.self
  )
}

struct MapBuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract: "Build a reachability map of a robot, or one shard of it.",
    discussion: """
      The grid covers the cube of ± the robot's reach bound about its base. Each voxel's centre is \
      solved as a position, then (for an arm asked for poses) at each of N orientations spread over \
      SO(3) (super-Fibonacci); the map stores the count reached and the best manipulability. Arms \
      with fewer than six joints, or models trained on positions, get reached-or-not per voxel.
      """
  )

  @OptionGroup var robotOptions: RobotOptions

  @Option(
    help: ArgumentHelp(
      "Trained model file (neural-ik train); the solver is then the hybrid, as for solve (without one, as solve picks).",
      valueName: "file"))
  var model: String?

  @OptionGroup var solverOptions: SolverOptions

  @Option(
    help: ArgumentHelp("Voxel edge in metres (default 0.05).", valueName: "m"),
    transform: Double.decimalArgument)
  var resolution: Double = 0.05

  @Option(help: "Orientations tried per voxel (arms asked for poses).")
  var orientations: Int = 64

  @Option(help: ArgumentHelp("Where the map goes (.nikmap).", valueName: "file"))
  var out: String

  @Option(
    help: ArgumentHelp(
      "Build only slice I of N (voxels numbered I modulo N), for job arrays; merge with 'map merge'.",
      valueName: "I/N"))
  var shard: String?

  @Option(help: "Worker threads, one per core unless given.")
  var threads: Int = ProcessInfo.processInfo.activeProcessorCount

  func validate() throws {
    // At most a kilometre: beyond, the grid is one voxel and its size hundreds of digits long. (A
    // fine one is refused by its voxel count.)
    guard resolution > 0, resolution <= 1000 else {
      throw ValidationError(
        "--resolution must be a positive number of metres, at most 1,000, got \(resolution)")
    }
    guard (1...ReachabilityMap.maximumOrientationCount).contains(orientations) else {
      throw ValidationError(
        "--orientations must be 1 to \(ReachabilityMap.maximumOrientationCount), got \(orientations)")
    }
    guard (1...256).contains(threads) else {
      throw ValidationError("--threads must be 1 to 256, got \(threads)")
    }
    if let shard {
      do {
        _ = try MapShard(parsing: shard)
      } catch {
        throw ValidationError("--shard: \(error)")
      }
    }
    _ = try solverOptions.specification()
    // Last: a file system's refusal (status 1) must not hide a mistake of the command line (64).
    try OutputPath.check(out, option: "--out", inputs: ["--robot": robotOptions.robot, "--model": model])
  }

  func run() throws {
    let robot = try robotOptions.load()
    let network = try model.map { try loadModel($0, for: robot) }
    try solverOptions.warnOfUnits(for: robot)
    let slice = try shard.map { try MapShard(parsing: $0) } ?? .whole
    let builder: ReachabilityMapBuilder
    do {
      builder = try ReachabilityMapBuilder(
        robot: robot, network: network, specification: try solverOptions.specification(),
        resolution: resolution,
        orientationCount: orientations)
    } catch {
      throw CLIError("\(error)")
    }
    let voxels = slice.voxelCount(of: builder.grid.count)
    let bar = ProgressBar(total: voxels, label: "mapping")
    let build: ReachabilityMapBuild
    do {
      build = try builder.build(shard: slice, threads: threads, progress: { bar.update($0) })
    } catch {
      bar.finish()
      throw CLIError("\(error)")
    }
    bar.finish()
    do {
      try build.map.write(to: URL(filePath: out))
    } catch {
      throw CLIError("\(error)")
    }
    print(MapSummary.describe(build, builder: builder, out: out))
  }
}
