import ArgumentParser
import Foundation
import Hummingbird
import NeuralIK
import NeuralIKServer

struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the web app and the HTTP/WebSocket solve API.",
    discussion: """
      Without --model, uses the robot's default model: models/NAME.nikm beside the robot file's \
      folder (as in Fixtures/), or NAME.nikm beside the file. If there is none, it serves without \
      one where the solver needs none, as solve does (lm, analytic, and by default a robot with a \
      closed form); else it trains one first and saves it there. The address, port, \
      map and three.js are checked before that. three.js comes from Debian's libjs-three (/usr/share/javascript/three). \
      The library's reference is served at /docs from --docs (default .build/docs, which `make docs` \
      writes); without it, /docs answers 404 saying how to build it.
      """
  )

  @OptionGroup var robotOptions: RobotOptions
  @Option(help: ArgumentHelp("Trained model file (default: the robot's default model).", valueName: "file"))
  var model: String?
  @OptionGroup(title: "Solver options (the same defaults as solve)") var solverOptions: SolverOptions
  @Option(
    help: ArgumentHelp(
      "A reachability map of this robot (neural-ik map) to draw on the page and serve at /api/map.",
      valueName: "file.nikmap"))
  var map: String?
  @Option(help: "Port to listen on.") var port: Int = 8080
  @Option(help: "Address to listen on (loopback by default).") var host: String = "127.0.0.1"
  @Option(help: ArgumentHelp("The DocC site `make docs` built, served at /docs.", valueName: "dir"))
  var docs: String = DocsSite.defaultDirectory

  @Option(
    help: ArgumentHelp(
      "An origin (http://host:port) besides the server's own whose pages may call it from a browser; '*' for any. Repeat for more.",
      valueName: "origin"))
  var allowOrigin: [String] = []

  func validate() throws {
    guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535, got \(port)") }
    for origin in allowOrigin where origin != "*" && ConnectionLimits.normalizedOrigin(origin) == nil {
      throw ValidationError(
        "--allow-origin '\(origin)' is not an origin: give scheme and host as a browser sends them, such as http://localhost:3000, or '*'"
      )
    }
  }

  func run() async throws {
    let robot = try robotOptions.load()
    // Everything that can fail fast is checked before a model is trained, which takes minutes.
    guard FileManager.default.fileExists(atPath: systemThreeJSDirectory + "/build/three.module.js") else {
      throw CLIError("three.js is missing: install Debian's libjs-three (apt-get install libjs-three)")
    }
    let specification = try solverOptions.specification()
    try solverOptions.warnOfUnits(for: robot)
    let reachability: ReachabilityMap?
    do {
      reachability = try map.map { try ReachabilityMap(contentsOf: URL(filePath: $0), for: robot) }
    } catch {
      throw CLIError(naming: "map", map ?? "", error)
    }
    // A shard holds every Nth voxel: drawn, it looks like a sparse map of the whole reach.
    if let reachability, let map, reachability.shard != .whole {
      throw CLIError(
        "--map '\(map)' is shard \(reachability.shard.index) of \(reachability.shard.count) (every \(reachability.shard.count)th voxel), not a whole map; join the shards first: neural-ik map merge OUT SHARD..."
      )
    }
    // A map of another envelope draws voxels the server's answers cannot reach, or leaves out
    // ones they can (`map merge` refuses shards of different specifications for the same reason).
    if let reachability, let map,
      Set(reachability.specification.restrictions) != Set(specification.restrictions)
    {
      throw CLIError(
        "--map '\(map)' was built under \(reachability.specification.restrictions.commandLine), and the server would solve under \(specification.restrictions.commandLine); build the map with the server's --lock and --limits (neural-ik map), or serve with the map's"
      )
    }
    do {
      try await ListenError.check(host: host, port: port)
    } catch {
      throw CLIError("\(error)")
    }
    let network = try loadOrTrain(robot, specification: specification)
    let service: SolveService
    do {
      service = try SolveService(robot: robot, network: network, specification: specification)
    } catch {
      throw CLIError("\(error)")
    }
    let banner = Data(
      "NeuralIK: \(robot.name) on \(Self.address(host: host, port: port))  (Ctrl-C to stop)\n".utf8)
    let app = buildApplication(
      service: service, map: reachability, host: host, port: port,
      limits: ConnectionLimits(
        allowedOrigins: Set(allowOrigin.map { ConnectionLimits.normalizedOrigin($0) ?? $0 })),
      docs: DocsSite(directory: docs)
    ) {
      // Unbuffered, so that the address shows at once even when output goes to a file or pipe;
      // only once the server listens, so that it never announces a server that failed to start.
      FileHandle.standardOutput.write(banner)
    }
    do {
      try await app.runService()
    } catch {
      guard let listening = ListenError(ifSystemError: error, host: host, port: port) else { throw error }
      throw CLIError("\(listening)")
    }
  }

  /// The given model, the robot's default model, or a freshly trained one. None is trained where
  /// the solver works without one, as `solve` runs it without `--model`: `lm`, `analytic`, and a
  /// hybrid over a closed form of poses, whether asked for or the robot's default.
  private func loadOrTrain(_ robot: RobotModel, specification: SolverSpecification) throws -> IKNetwork? {
    if let model { return try loadModel(model, for: robot) }
    let candidates = Self.defaultModelPaths(forRobotFile: robotOptions.robot)
    // Whether the solver builds without a model; any other refusal (a lock of a joint the robot
    // lacks, a closed form it does not have) is the user's to fix, before minutes of training.
    let withoutModel: Solver?
    do {
      withoutModel = try SolverFactory.make(robot: robot, network: nil, specification: specification)
    } catch .needsModel, .hybridNeedsModel {
      withoutModel = nil
    } catch {
      throw CLIError("\(error)")
    }
    // With no kind named, a robot without a closed form (or with it turned off) resolves to `lm`:
    // there a model is what makes the default the learned hybrid, so one is trained.
    let needsNone =
      withoutModel.map { specification.kind != nil || $0.specification.kind != .levenbergMarquardt } ?? false
    if let existing = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) {
      say("model: \(existing)")
      do {
        return try loadModel(existing, for: robot)
      } catch  where specification.kind == .levenbergMarquardt || specification.kind == .analytic {
        // Offered to clients beside the solver asked for, which needs none: a stale one is no
        // reason to stop. Without a kind named, the model would have made the default the learned
        // hybrid: serving another solver instead would change it unasked.
        say("warning: \(error); serving without a model")
        return nil
      }
    }
    if needsNone, let kind = withoutModel?.specification.kind {
      say(
        "no model at \(candidates.joined(separator: " or ")): serving \(kind.rawValue) without one, as solve does "
          + "(the network solver needs a model: neural-ik train, then --model)")
      return nil
    }
    guard let destination = candidates.last else {
      throw CLIError("no place to save a model for '\(robotOptions.robot)'")
    }
    say(
      "no model at \(candidates.joined(separator: " or ")) yet: training one (a few minutes) → \(destination)"
    )
    let line = ProgressLine()
    let result: TrainingResult
    do {
      // An arm that can set an orientation is served with pose targets (SolveService.targetKind).
      var config = TrainingConfig()
      config.poses = TargetKind.natural(for: robot) == .pose
      result = try Trainer(robot: robot, config: config).train { line.show($0) }
    } catch {
      line.clear()
      throw CLIError("training failed: \(error)")
    }
    line.finish()
    do {
      try result.network.write(to: URL(filePath: destination))
    } catch {
      say("warning: \(error); serving the model from memory")
    }
    return result.network
  }

  /// Prints a line at once: a server's output often goes to a file or a journal, where the C
  /// library would hold it until exit, and a server is stopped rather than exits.
  private func say(_ line: String) {
    print(line)
    fflush(nil)
  }

  /// `models/NAME.nikm` beside the robot file's folder, then `NAME.nikm` beside the file.
  static func defaultModelPaths(forRobotFile path: String) -> [String] {
    let url = URL(filePath: path)
    let stem = url.deletingPathExtension().lastPathComponent
    let folder = url.deletingLastPathComponent()
    let sibling = folder.deletingLastPathComponent().appending(path: "models/\(stem).nikm").path
    let beside = folder.appending(path: "\(stem).nikm").path
    return FileManager.default.fileExists(
      atPath: folder.deletingLastPathComponent().appending(path: "models").path)
      ? [sibling, beside] : [beside]
  }
}

extension ServeCommand {
  /// The URL the server answers at: an IPv6 address in brackets (RFC 3986), or its colons would
  /// read as the port's, and its zone's `%` written `%25` (RFC 6874).
  static func address(host: String, port: Int) -> String {
    let authority =
      host.contains(":") ? "[\(host.replacingOccurrences(of: "%", with: "%25"))]" : host
    return "http://\(authority):\(port)/"
  }
}
