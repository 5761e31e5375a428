import Foundation
import NeuralIK

/// `GET /api/workspace?count=N&seed=S`: the tool points of `count` random in-limit configurations,
/// each solved as a target by the server's default solver (timed) and, with a model, by the
/// network alone (its position error): where in the workspace solves are slow or the network is off.
public struct WorkspaceResponse: Codable, Sendable {
  /// The default solver, which the times are of.
  public var solver: String
  /// `position` or `pose`: what the targets are, as the page sends them.
  public var targetKind: TargetKind
  public var seed: UInt64
  /// Each target's position, base frame, metres.
  public var positions: [[Double]]
  /// Each target's solve time by ``solver``, as `POST /api/solve` reports it, milliseconds.
  public var milliseconds: [Double]
  /// Each target's position error by the network alone, metres; `nil` without a model.
  public var networkErrorM: [Double]?

  enum CodingKeys: String, CodingKey {
    case solver
    case targetKind = "target_kind"
    case seed, positions, milliseconds
    case networkErrorM = "network_error_m"
  }
}

/// The query of `GET /api/workspace`, checked.
public struct WorkspaceQuery: Sendable, Hashable {
  /// Targets per answer unless asked, and at most: a few seconds of solving on one core.
  public static let defaultCount = 500
  public static let maximumCount = 2000

  public var count: Int
  public var seed: UInt64

  /// From a query's parameters in order, as `name=value` pairs: each of `count` and `seed` at
  /// most once, and no other (a name misspelt or given twice was ignored, or one of the two
  /// values taken, and the client never learned which).
  ///
  /// - Throws: ``APIError`` (400) naming the parameter.
  public init(parameters: [(name: String, value: String)]) throws(APIError) {
    var values: [String: String] = [:]
    // An empty name is no parameter (`?count=5&&seed=1`, a leading `&`).
    for (name, value) in parameters where !name.isEmpty {
      guard name == "count" || name == "seed" else {
        throw APIError("unknown query parameter '\(name)'; /api/workspace takes count and seed")
      }
      guard values[name] == nil else {
        throw APIError("query parameter '\(name)' is given more than once; give it once")
      }
      values[name] = value
    }
    try self.init(count: values["count"], seed: values["seed"])
  }

  /// From the query's text values (`nil`: absent).
  ///
  /// - Throws: ``APIError`` (400) naming the parameter and the values it takes.
  public init(count: String?, seed: String?) throws(APIError) {
    if let count {
      guard let value = Int(count), (1...Self.maximumCount).contains(value) else {
        throw APIError("count must be a whole number from 1 to \(Self.maximumCount), got '\(count)'")
      }
      self.count = value
    } else {
      self.count = Self.defaultCount
    }
    if let seed {
      guard let value = UInt64(seed) else {
        throw APIError("seed must be a whole number from 0 to \(UInt64.max), got '\(seed)'")
      }
      self.seed = value
    } else {
      self.seed = 1
    }
  }
}

extension SolveService {
  /// ``workspace(_:)`` off Swift's cooperative pool, in the bulk lane (``solveOffPool(_:)``).
  public func workspaceOffPool(_ query: WorkspaceQuery) async throws(APIError) -> WorkspaceResponse {
    try await Self.offPool(bulk: true) { () throws(APIError) in try workspace(query) }
  }

  /// ``workspace(_:)``'s answer as JSON, written in the bulk lane too (``answerOffPool(_:id:)``),
  /// and stopped, as a batch is, when the client leaves.
  package func workspaceAnswerOffPool(_ query: WorkspaceQuery) async throws(APIError) -> Data {
    let liveness = ConnectionLiveness.current
    return try await Self.offPool(bulk: true) { () throws(APIError) in
      JSONResponse.encode(try workspace(query, while: { liveness?.isClosed != true }))
    }
  }

  /// Solves the query's targets (the same for the same seed) with the default solver and the
  /// network; times are the only part that changes between calls.
  ///
  /// - Parameters:
  ///   - query: how many targets, from which seed.
  ///   - wanted: asked before each target after the first: `false` (the client has gone) stops.
  /// - Throws: ``APIError`` (500) when a solver cannot be built or a solve fails; (400) when
  ///   `wanted` stopped it.
  public func workspace(_ query: WorkspaceQuery, while wanted: () -> Bool = { true }) throws(APIError)
    -> WorkspaceResponse
  {
    // Drawn inside the server's lock and limits, which every answer keeps: drawn over the robot's
    // own limits, most targets of a restricted server were out of its reach, and their network
    // errors gaps to unreachable points.
    var generator = SplitMix64(seed: query.seed)
    let targets = (0..<query.count).map { _ in
      DataGeneration.target(
        robot: envelope, q: envelope.randomConfiguration(using: &generator), poses: targetKind == .pose)
    }
    let kind = solvers[0]
    let timed = try solveAll(targets, kind: kind, laterPasses: network == nil ? 0 : 1, while: wanted)
    let network = network == nil ? nil : try solveAll(targets, kind: .network, laterPasses: 0, while: wanted)
    return WorkspaceResponse(
      solver: kind.rawValue, targetKind: targetKind, seed: query.seed,
      positions: targets.map { [$0.position.x, $0.position.y, $0.position.z] },
      milliseconds: timed.map { $0.seconds * 1000 }, networkErrorM: network?.map(\.best.positionError))
  }

  /// Each target solved by `kind`'s solver; stopped when `wanted` turns `false`, counting in
  /// ``abandoned`` this pass's targets left and the `laterPasses` over all of them that follow.
  private func solveAll(
    _ targets: [IKTarget], kind: SolverKind, laterPasses: Int, while wanted: () -> Bool
  ) throws(APIError) -> [IKResult] {
    let requested = specification.with(kind: kind)
    let solver: Solver
    do {
      solver = try pool.borrow(requested)
    } catch {
      throw APIError("\(error)", status: 500)
    }
    defer { pool.giveBack(solver, borrowedAs: requested) }
    var results: [IKResult] = []
    for (index, target) in targets.enumerated() {
      guard index == 0 || wanted() else {
        abandoned.count(targets: targets.count - index + laterPasses * targets.count)
        throw APIError(
          "the client closed its side of the connection before the workspace was solved (\(index) of \(targets.count)); keep it open until the answer arrives"
        )
      }
      do {
        results.append(try solver.solve(target))
      } catch {
        throw APIError("workspace target \(results.count + 1): \(error)", status: 500)
      }
    }
    return results
  }
}
