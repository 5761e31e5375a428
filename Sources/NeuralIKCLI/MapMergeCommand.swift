import ArgumentParser
import Foundation
import NeuralIK

/// `neural-ik map merge OUT IN...`: joins the shards of one map.
struct MapMergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join the shards of one map (map --shard I/N) into the whole map.",
    discussion: """
      Every shard must come from one build (same robot, model, solver, resolution and orientations) \
      and be given once; the result is the same file, byte for byte, as one unsharded run.
      """
  )

  @Argument(help: ArgumentHelp("Where the merged map goes.", valueName: "out"))
  var out: String

  @Argument(help: ArgumentHelp("The shard files, in any order.", valueName: "in"))
  var inputs: [String] = []

  func validate() throws {
    guard !inputs.isEmpty else {
      throw ValidationError("give the shard files to merge after the output file")
    }
    if inputs.contains(where: { OutputPath.sameFile($0, out) }) {
      throw ValidationError("the output '\(out)' is also an input; write the merged map to another file")
    }
    // Last: a file system's refusal (status 1) must not hide a mistake of the command line (64).
    try OutputPath.check(out, option: "--out")
  }

  func run() throws {
    var shards: [ReachabilityMap] = []
    for path in inputs {
      do {
        shards.append(try ReachabilityMap(contentsOf: URL(filePath: path)))
      } catch {
        throw CLIError("'\(path)': \(error)")
      }
    }
    do {
      let map = try ReachabilityMap.merged(shards, labels: inputs)
      try map.write(to: URL(filePath: out))
      print(
        "merged \(shards.count) shards of '\(map.robotName)' into \(out): \(map.reachedCounts.count) voxels, \(map.reachableVoxelCount) reachable"
      )
    } catch {
      throw CLIError("\(error)")
    }
  }
}
