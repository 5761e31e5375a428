import Foundation
import NeuralIK

/// What the web API solves with: one robot, its network if any, and per-request solvers, so that
/// one client's request never shares mutable state with another's.
public struct SolveService: Sendable {
  public let robot: RobotModel
  public let network: IKNetwork?
  /// Largest batch `POST /api/solve` accepts.
  public var maxBatch = 1000

  public init(robot: RobotModel, network: IKNetwork?) {
    self.robot = robot
    self.network = network
  }

  /// Whether the page sends pose targets: the network's kind, or for an arm without one, whether it
  /// has the joints to set an orientation.
  public var poseTargets: Bool { network?.encoding.poses ?? (robot.degreesOfFreedom >= 6) }

  /// The solvers this service offers, best first.
  public var solvers: [String] {
    var names: [String] = []
    if network != nil { names += ["hybrid", "network"] }
    if (try? AnalyticSolver(robot: robot)) != nil { names.append("analytic") }
    names.append("lm")
    return names
  }

  /// Solves one request off Swift's cooperative thread pool: solving is CPU-bound, and on the pool
  /// it starves the cheap tasks that read sockets (a WebSocket reader could then no longer replace
  /// stale drag requests with newer ones, and latency would pile up).
  public func solveOffPool(_ request: SolveRequest) async throws(APIError) -> SolveResponse {
    let result: Result<SolveResponse, APIError> = await withCheckedContinuation { continuation in
      Self.queue.async {
        continuation.resume(returning: Result { () throws(APIError) in try solve(request) })
      }
    }
    return try result.get()
  }

  private static let queue = DispatchQueue(
    label: "neural-ik.solve", qos: .userInitiated, attributes: .concurrent)

  /// Solves one request; every failure is an `APIError` with a message for the client.
  public func solve(_ request: SolveRequest) throws(APIError) -> SolveResponse {
    let targetLists: [[Double]]
    switch (request.target, request.targets) {
    case (let target?, nil): targetLists = [target]
    case (nil, let targets?): targetLists = targets
    default: throw APIError("give exactly one of \"target\": [x, y, z] or \"targets\": [[x, y, z], ...]")
    }
    guard !targetLists.isEmpty else { throw APIError("\"targets\" is empty") }
    guard targetLists.count <= maxBatch else {
      throw APIError(
        "batch of \(targetLists.count) targets is larger than the limit of \(maxBatch)", status: 413)
    }
    let solverName = request.solver ?? solvers[0]
    guard solvers.contains(solverName) else {
      throw APIError("unknown solver '\(solverName)'; this server offers: \(solvers.joined(separator: ", "))")
    }
    var targets: [IKTarget] = []
    for (index, values) in targetLists.enumerated() {
      do {
        targets.append(try IKTarget(values: values))
      } catch {
        throw APIError(targetLists.count == 1 ? "target: \(error)" : "targets[\(index)]: \(error)")
      }
    }
    var results: [SolveResult] = []
    do {
      for target in targets {
        let start = DispatchTime.now().uptimeNanoseconds
        let solutions = try solutions(for: target, solver: solverName, all: request.all ?? false)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        results.append(SolveResult(robot: robot, target: target, solutions: solutions, milliseconds: elapsed))
      }
    } catch {
      throw APIError("\(error)")
    }
    return SolveResponse(solver: solverName, results: results)
  }

  private func solutions(for target: IKTarget, solver: String, all: Bool) throws -> [Solution] {
    let middle = robot.middleConfiguration
    switch (solver, network) {
    case ("hybrid", let network?):
      let hybrid = try HybridSolver(robot: robot, network: network)
      return all ? try hybrid.allSolutions(for: target) : [try hybrid.solve(target, from: middle)]
    case ("network", let network?):
      let solver = try NetworkSolver(robot: robot, network: network)
      return all ? try solver.proposals(for: target) : [try solver.solve(target, from: middle)]
    case ("analytic", _):
      let solutions = try AnalyticSolver(robot: robot).allSolutions(for: target)
      return all ? solutions : Array(solutions.prefix(1))
    default:
      let lm = LevenbergMarquardtSolver(robot: robot, options: LevenbergMarquardtOptions(randomRestarts: 8))
      return [try lm.solve(target, from: middle)]
    }
  }
}

/// A client error: HTTP status and a message naming the problem.
public struct APIError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var status: Int

  public init(_ message: String, status: Int = 400) {
    self.message = message
    self.status = status
  }

  public var description: String { message }
}
