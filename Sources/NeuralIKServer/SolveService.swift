import Foundation
import NeuralIK

/// What the web API solves with: one robot, its network if any, and the specification every
/// request's solver is built from (the same defaults as `neural-ik solve`). Solvers keep
/// workspaces, so each request borrows its own from a pool and no two requests share one.
public struct SolveService: Sendable {
  public let robot: RobotModel
  /// The robot within the standing lock and limits (``specification``'s restrictions): where the
  /// page opens and the workspace view draws, the configurations every answer can take.
  package let envelope: RobotModel
  /// The robot's ``/NeuralIKCore/RobotModel/approachAxis``, worked out once: an axis target
  /// without `tool_axis` turns it.
  public let approachAxis: Vector3
  public let network: IKNetwork?
  /// The specification of every solve; a request names only the kind and whether to find all.
  public let specification: SolverSpecification
  /// Largest batch `POST /api/solve` accepts.
  public var maxBatch = 1000
  /// Most solutions one answer holds, all targets together: with `all`, a UR5 pose has 512 (its
  /// 8 branches, each with the copies of joints that turn through two full turns), and each
  /// solution comes with the arm's polyline, about 1.3 KB of JSON. A batch of 1,000 such poses
  /// answered in 650 MB; this keeps an answer near 25 MB.
  public var maxSolutions = 20_000
  let pool: SolverPool
  /// Batches stopped because their client hung up, and the targets left unsolved.
  package let abandoned = AbandonedWork()

  /// - Throws: ``SolverSpecificationError`` when the specification is out of range.
  public init(robot: RobotModel, network: IKNetwork?, specification: SolverSpecification = .init())
    throws(SolverSpecificationError)
  {
    try specification.validate()
    // The standing lock and limits are checked here, whatever the kind: a name the robot lacks
    // would otherwise fail every request, the client blamed for the operator's mistake.
    let envelope: RobotModel
    do {
      envelope = try robot.restricted(specification.restrictions)
    } catch {
      throw .restriction(error)
    }
    if let kind = specification.kind {
      // Built once here, so that a kind this robot or model cannot serve is refused at start-up.
      _ = try SolverFactory.make(
        robot: robot, network: network, specification: specification.with(kind: kind))
    }
    self.robot = robot
    self.envelope = envelope
    self.approachAxis = robot.approachAxis
    self.network = network
    self.specification = specification
    self.pool = SolverPool(robot: robot, network: network)
    // Once: finding out whether a closed form exists checks it against the robot's FK.
    let available = SolverFactory.availableKinds(for: robot, network: network, specification: specification)
    if let chosen = specification.kind, available.contains(chosen) {
      solvers = [chosen] + available.filter { $0 != chosen }
    } else {
      solvers = available
    }
  }

  /// The kind of target the page sends: the network's, else the robot's natural one.
  public var targetKind: TargetKind { TargetKind.expected(robot: robot, network: network) }

  /// The solvers this service offers, the default first.
  public let solvers: [SolverKind]

  /// Solves one request off Swift's cooperative thread pool: solving is CPU-bound, and on the pool
  /// it starves the cheap tasks that read sockets (a WebSocket reader could then no longer replace
  /// stale drag requests with newer ones, and latency would pile up). A batch runs in the
  /// ``BulkLane``, behind any single target waiting for a core.
  public func solveOffPool(_ request: SolveRequest) async throws(APIError) -> SolveResponse {
    let isBatch = (request.targets?.count ?? 1) > 1
    let liveness = ConnectionLiveness.current
    return try await Self.offPool(bulk: isBatch) { () throws(APIError) in
      try solve(request, while: { liveness?.isClosed != true })
    }
  }

  /// ``solveOffPool(_:)``'s answer as JSON (``SolveResponse/jsonData()``), with `id` in it when
  /// given, written where it was solved: a batch's answer (a solution and the arm's polyline per
  /// target) costs about as much to write as to solve, and written on Swift's cooperative pool it
  /// held up the WebSocket readers as solving there did.
  package func answerOffPool(_ request: SolveRequest, id: Int? = nil) async throws(APIError) -> Data {
    let isBatch = (request.targets?.count ?? 1) > 1
    let liveness = ConnectionLiveness.current
    return try await Self.offPool(bulk: isBatch) { () throws(APIError) in
      var response = try solve(request, while: { liveness?.isClosed != true })
      response.id = id
      return response.jsonData()
    }
  }

  /// A `POST /api/solve` body's answer as JSON. A body longer than ``bulkBodyBytes`` is read in the
  /// ``BulkLane`` too, where it is solved: reading a batch's JSON is work of the batch's size. A
  /// shorter one is read where it arrives and goes on as ``answerOffPool(_:id:)`` sends it.
  package func answerOffPool(body: Data) async throws(APIError) -> Data {
    guard body.count > Self.bulkBodyBytes else {
      return try await answerOffPool(try JSONRequest.decode(SolveRequest.self, from: body))
    }
    let liveness = ConnectionLiveness.current
    return try await Self.offPool(bulk: true) { () throws(APIError) in
      try solve(try JSONRequest.decode(SolveRequest.self, from: body), while: { liveness?.isClosed != true })
        .jsonData()
    }
  }

  /// Room for one target with every option (a start, locks and limits by joint name on a
  /// seven-joint arm come to about 600 bytes); a longer body is a batch, or read as one.
  static let bulkBodyBytes = 2048

  /// Runs `work` on the interactive queue, or in the bulk lane with `bulk`.
  static func offPool<Value: Sendable>(bulk: Bool, _ work: @escaping @Sendable () throws(APIError) -> Value)
    async throws(APIError) -> Value
  {
    let result: Result<Value, APIError> = await withCheckedContinuation { continuation in
      let job: @Sendable () -> Void = {
        continuation.resume(returning: Result { () throws(APIError) in try work() })
      }
      if bulk { bulkLane.async(job) } else { queue.async(execute: job) }
    }
    return try result.get()
  }

  static let queue = DispatchQueue(
    label: "neural-ik.solve", qos: .userInitiated, attributes: .concurrent)

  /// Batches and workspace samples: long jobs at a lower priority than single targets.
  static let bulkLane = BulkLane()

  /// Solves one request; every failure is an `APIError` with a message for the client.
  ///
  /// - Parameters:
  ///   - request: the request.
  ///   - wanted: asked before each target after the first (and, for a path, during its
  ///     relaxation): `false` (its client has gone, or closed its side) stops the batch there,
  ///     with an error, and counts it in ``abandoned``.
  public func solve(_ request: SolveRequest, while wanted: () -> Bool = { true }) throws(APIError)
    -> SolveResponse
  {
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
    let kind: SolverKind
    if let name = request.solver {
      guard let named = SolverKind(rawValue: name), solvers.contains(named) else {
        throw APIError(
          "unknown solver \(name.quotedExcerpt); this server offers: \(solvers.map(\.rawValue).joined(separator: ", "))"
        )
      }
      kind = named
    } else {
      kind = solvers[0]
    }
    let axis = try request.axisTarget(approachAxis: approachAxis)
    var targets: [IKTarget] = []
    for (index, values) in targetLists.enumerated() {
      let name = targetLists.count == 1 ? "target" : "targets[\(index)]"
      do {
        if let axis {
          guard values.count == 3 else {
            throw APIError("\(name): with \"axis\" give a position [x, y, z], got \(values.count) values")
          }
          targets.append(try IKTarget(position: Vector3(values[0], values[1], values[2]), axis: axis))
        } else {
          targets.append(try IKTarget(values: values))
        }
      } catch let error as APIError {
        throw error
      } catch {
        throw APIError("\(name): \(error)")
      }
    }
    if let start = request.start {
      do {
        try robot.checkConfiguration(start)
      } catch {
        throw APIError(
          "start: \(error) (one value per joint: \(robot.movableJoints.map(\.name).joined(separator: ", ")))")
      }
    }
    let isPath = request.path ?? false
    if let maxStep = request.maxStep {
      guard maxStep > 0, maxStep.isFinite else {
        throw APIError("max_step = \(maxStep): give a positive joint step (radians or metres)")
      }
      guard isPath || request.start != nil else {
        throw APIError(
          "\"max_step\" goes with \"path\" or \"start\": a step is measured from the previous answer or from where the robot is"
        )
      }
    }
    var requested = specification.with(kind: kind)
    requested.findAll = request.all ?? false
    // The server's own lock and limits (`serve --lock/--limits`) are a safety envelope: a request
    // narrows it or is refused, and never replaces it.
    let asked = try request.restrictions()
    do {
      requested.restrictions = try JointRestriction.narrowing(specification.restrictions, by: asked)
    } catch {
      throw APIError("\(error)")
    }
    if let weight = request.rotationWeight {
      // Checked here, to name the request's field rather than the specification's.
      guard SolverSpecification.rotationWeights.contains(weight) else {
        throw APIError("rotation_weight = \(weight) is out of range; give 0.0001 to 1,000 metres per radian")
      }
      requested.rotationWeight = weight
    }
    let solver: Solver
    do {
      solver = try pool.borrow(requested)
    } catch {
      throw APIError("\(error)")
    }
    defer { pool.giveBack(solver, borrowedAs: requested) }
    if isPath {
      return try withoutActuallyEscaping(wanted) { wanted throws(APIError) in
        try solvePath(targets, request: request, solver: solver, findAll: requested.findAll, while: wanted)
      }
    }
    var results: [SolveResult] = []
    var solutionCount = 0
    for (index, target) in targets.enumerated() {
      // Not before the first: a client that closes its side after sending (`nc -N`) and waits,
      // which the server allows, gets a single target's answer; a batch's is cut after a target.
      guard index == 0 || wanted() else {
        abandoned.count(targets: targets.count - index)
        throw APIError(
          "the client closed its side of the connection before the batch was solved (\(index) of \(targets.count)); keep it open until the answer arrives"
        )
      }
      let result: IKResult
      do {
        result = try solver.solve(target, from: request.start)
      } catch {
        throw APIError(solving: error, target: index, of: targets.count)
      }
      solutionCount += requested.findAll ? result.solutions.count : 1
      guard solutionCount <= maxSolutions else {
        throw APIError(
          tooMany: solutionCount, limit: maxSolutions, solved: index + 1, of: targets.count,
          all: requested.findAll, path: false)
      }
      results.append(
        SolveResult(
          robot: robot, target: target, solutions: requested.findAll ? result.solutions : [result.best],
          status: solver.verdict(on: result.best, for: target), milliseconds: result.seconds * 1000,
          step: request.start.map { solver.largestStep(from: $0, to: result.best.jointValues) },
          maxStep: request.maxStep))
    }
    return SolveResponse(solver: kind.rawValue, results: results)
  }

  /// A request's targets as a path (`"path": true`): each solved from the previous answer, as
  /// `solve --path` (``/NeuralIK/Solver/solvePath(_:from:maxStep:)``), each result with its step.
  /// Stopped as a batch is when `wanted` turns `false` (before a target after the first, or
  /// during a seven-joint path's relaxation).
  private func solvePath(
    _ targets: [IKTarget], request: SolveRequest, solver: Solver, findAll: Bool,
    while wanted: @escaping () -> Bool
  ) throws(APIError) -> SolveResponse {
    let completion: Solver.PathCompletion
    do {
      completion = try solver.solvePath(
        targets, from: request.start, maxStep: request.maxStep, while: wanted, solutionLimit: maxSolutions)
    } catch {
      throw APIError(solving: error)
    }
    let path: PathResult
    switch completion {
    case .solved(let result): path = result
    case .failed(let index, let error):
      throw APIError(solving: error, target: index, of: targets.count)
    case .tooManySolutions(let solved, let count):
      throw APIError(
        tooMany: count, limit: maxSolutions, solved: solved, of: targets.count, all: findAll, path: true)
    case .stopped(let solved):
      abandoned.count(targets: targets.count - solved)
      throw APIError(
        "the client closed its side of the connection before the path was solved (\(solved) of \(targets.count)); keep it open until the answer arrives"
      )
    }
    let solutionCount = findAll ? path.results.reduce(0) { $0 + $1.solutions.count } : path.results.count
    // The relaxation and the branch planning may change answers after the count above.
    guard solutionCount <= maxSolutions else {
      throw APIError(
        tooMany: solutionCount, limit: maxSolutions, solved: targets.count, of: targets.count, all: findAll,
        path: true)
    }
    let results = zip(targets, zip(path.results, path.steps)).map { target, outcome in
      let (result, step) = outcome
      return SolveResult(
        robot: robot, target: target, solutions: findAll ? result.solutions : [result.best],
        status: solver.verdict(on: result.best, for: target), milliseconds: result.seconds * 1000,
        step: step, maxStep: request.maxStep)
    }
    var response = SolveResponse(solver: solver.kind.rawValue, results: results)
    response.relaxationTimedOut = path.relaxationTimedOut
    return response
  }
}

/// Idle solvers by specification: a request borrows one (or gets a new one when all are busy)
/// and gives it back, so solvers are built once per concurrent request, not once per target.
final class SolverPool: @unchecked Sendable {
  private let robot: RobotModel
  private let network: IKNetwork?
  private var idle: [SolverSpecification: [Solver]] = [:]
  private let lock = NSLock()
  /// Idle solvers kept per specification; more are dropped when given back.
  private let keep = 8
  /// Specifications kept at all: requests choose their joint restrictions and rotation weight, so
  /// without a bound every distinct request would leave solvers (and their network weights) behind.
  private let specifications = 16

  init(robot: RobotModel, network: IKNetwork?) {
    self.robot = robot
    self.network = network
  }

  func borrow(_ specification: SolverSpecification) throws(SolverSpecificationError) -> Solver {
    lock.lock()
    if let solver = idle[specification]?.popLast() {
      lock.unlock()
      return solver
    }
    lock.unlock()
    return try SolverFactory.make(robot: robot, network: network, specification: specification)
  }

  /// Returns a solver under the specification it was borrowed with (before the factory resolved
  /// its kind and weight), so that the same request finds it again.
  func giveBack(_ solver: Solver, borrowedAs specification: SolverSpecification) {
    lock.lock()
    defer { lock.unlock() }
    guard idle[specification] != nil || idle.count < specifications else { return }
    if idle[specification, default: []].count < keep { idle[specification, default: []].append(solver) }
  }
}

/// A client error: HTTP status and a message naming the problem.
public struct APIError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var status: Int

  public init(_ message: String, status: Int = 400) {
    // Every quote of a client's input is an excerpt; this bounds what one missed would echo.
    self.message =
      message.count > Self.longestMessage
      ? message.prefix(Self.longestMessage) + "… (\(message.count) characters)" : message
    self.status = status
  }

  /// The most characters of a message sent back; the longest written is under a thousand.
  static let longestMessage = 4000

  public var description: String { message }

  /// The 413 for a request body larger than any route takes (``ConnectionLimits/maxBodySize``),
  /// declared on its head or found as its chunks arrive.
  static let bodyTooLarge = APIError(
    "request body is larger than \(ConnectionLimits.maxBodySize >> 20) MiB", status: 413)

  /// The 413 for an answer that would hold `count` solutions, more than `limit`, for the first
  /// `solved` of `total` targets, with advice that fits the request (`all`, a `path`).
  init(tooMany count: Int, limit: Int, solved: Int, of total: Int, all: Bool, path: Bool) {
    let advice =
      path
      ? (all ? "ask without \"all\"" : "send a shorter path")
      : solved == 1
        ? (all ? "this target alone has more; ask without \"all\"" : "ask for fewer")
        : (all ? "send fewer targets per request with \"all\"" : "send fewer targets per request")
    self.init(
      "the answer would hold more than \(limit) solutions (\(count) for the first \(solved) of \(total) \(path ? "path " : "")targets\(all ? " with \"all\"" : "")); \(advice)",
      status: 413)
  }

  /// A solver's refusal of `targets[index]`, named by its index when the request has more than
  /// one: a numerical library's failure is the server's fault (500), anything else the
  /// request's (400).
  init(solving error: IKError, target index: Int = 0, of count: Int = 1) {
    let status: Int
    if case .numerical = error { status = 500 } else { status = 400 }
    self.init(count == 1 ? "\(error)" : "targets[\(index)]: \(error)", status: status)
  }
}
