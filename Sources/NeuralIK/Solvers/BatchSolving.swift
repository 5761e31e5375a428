import Dispatch
import Foundation

/// Solves many targets on several threads, each thread with its own ``Solver`` of one
/// specification.
public enum BatchSolving {
  /// Solves `targets` in order, in contiguous chunks across `threads` workers.
  ///
  /// Each worker has its own ``Solver`` of `specification`, so the answers are those of one
  /// solver target by target.
  ///
  /// - Parameters:
  ///   - targets: the targets, in any order; the results keep it.
  ///   - robot: the robot every solver is built for.
  ///   - network: the trained model, for the `network` and `hybrid` kinds; `nil` for none.
  ///   - specification: every solver's settings, as ``SolverFactory/make(robot:network:specification:)``
  ///     takes them.
  ///   - start: the start of every solve (default: the middle of the limits).
  ///   - threads: the most workers to use (at most one per target; default: every core).
  ///   - progress: called from worker threads with the number of targets done so far.
  /// - Returns: one result per target, in the order of `targets`.
  /// - Throws: ``BatchError/specification(_:)`` when the specification builds no solver, else
  ///   ``BatchError/solve(index:error:)`` for the first target that failed.
  public static func solve(
    _ targets: [IKTarget], robot: RobotModel, network: IKNetwork?, specification: SolverSpecification,
    from start: [Double]? = nil, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
    progress: (@Sendable (Int) -> Void)? = nil
  ) throws(BatchError) -> [IKResult] {
    let workers = max(1, min(threads, targets.count))
    var solvers: [Solver] = []
    do {
      for _ in 0..<workers {
        solvers.append(try SolverFactory.make(robot: robot, network: network, specification: specification))
      }
    } catch {
      throw .specification(error)
    }
    let slots = Slots(count: targets.count)
    let chunk = (targets.count + workers - 1) / workers
    let pool = SolverHandOff(solvers)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let range = (worker * chunk)..<min(targets.count, (worker + 1) * chunk)
      guard !range.isEmpty else { return }
      let solver = pool.solver(worker)
      for index in range {
        do throws(IKError) {
          slots.store(.success(try solver.solve(targets[index], from: start)), at: index)
        } catch {
          slots.store(.failure(error), at: index)
        }
        if let progress { progress(slots.completed()) }
      }
    }
    return try slots.results()
  }
}

/// Why a batch stopped.
public enum BatchError: Error, Sendable, CustomStringConvertible {
  /// The specification built no solver.
  case specification(SolverSpecificationError)
  /// The solve of `targets[index]` failed.
  case solve(index: Int, error: IKError)

  /// The reason, with the 1-based number of the target that failed.
  public var description: String {
    switch self {
    case .specification(let error): return "\(error)"
    case .solve(let index, let error): return "target \(index + 1): \(error)"
    }
  }
}

/// Hands each worker its own solver: solvers keep workspaces and are never shared.
private final class SolverHandOff: @unchecked Sendable {
  private let solvers: [Solver]
  init(_ solvers: [Solver]) { self.solvers = solvers }
  func solver(_ worker: Int) -> Solver { solvers[worker] }
}

/// Result slots that workers fill at disjoint indices, guarded by a lock.
private final class Slots: @unchecked Sendable {
  private var values: [Result<IKResult, IKError>?]
  private var done = 0
  private let lock = NSLock()

  init(count: Int) { values = Array(repeating: nil, count: count) }

  func store(_ value: Result<IKResult, IKError>, at index: Int) {
    lock.lock()
    defer { lock.unlock() }
    values[index] = value
    done += 1
  }

  func completed() -> Int {
    lock.lock()
    defer { lock.unlock() }
    return done
  }

  func results() throws(BatchError) -> [IKResult] {
    var results: [IKResult] = []
    results.reserveCapacity(values.count)
    for (index, value) in values.enumerated() {
      switch value {
      case .success(let result): results.append(result)
      case .failure(let error): throw .solve(index: index, error: error)
      case nil:
        throw .solve(index: index, error: .numerical("a batch worker stopped before this target"))
      }
    }
    return results
  }
}
