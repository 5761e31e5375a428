import Dispatch
import Foundation

/// Solves many targets on several threads, each thread with its own solver.
public enum BatchSolving {
  /// Solves `targets` in order, in contiguous chunks across `threads` workers.
  ///
  /// - Parameters:
  ///   - makeSolver: builds one solver per worker (solvers that keep workspaces are not shared).
  ///   - initialGuess: the start of every solve.
  ///   - progress: called from worker threads with the number of targets done so far.
  /// - Returns: one solution per target, in the order of `targets`.
  /// - Throws: the first ``IKError`` any solve threw.
  public static func solve(
    _ targets: [IKTarget], initialGuess: [Double],
    threads: Int = ProcessInfo.processInfo.activeProcessorCount,
    makeSolver: @Sendable () throws(IKError) -> any IKSolver,
    progress: (@Sendable (Int) -> Void)? = nil
  ) throws(IKError) -> [Solution] {
    let slots = Slots(count: targets.count)
    let workers = max(1, min(threads, targets.count))
    let chunk = (targets.count + workers - 1) / max(1, workers)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let range = (worker * chunk)..<min(targets.count, (worker + 1) * chunk)
      guard !range.isEmpty else { return }
      do throws(IKError) {
        let solver = try makeSolver()
        for index in range {
          slots.store(.success(try solver.solve(targets[index], from: initialGuess)), at: index)
          if let progress { progress(slots.completed()) }
        }
      } catch {
        slots.store(.failure(error), at: range.lowerBound)
      }
    }
    return try slots.results()
  }
}

/// Result slots that workers fill at disjoint indices, guarded by a lock.
private final class Slots: @unchecked Sendable {
  private var values: [Result<Solution, IKError>?]
  private var done = 0
  private let lock = NSLock()

  init(count: Int) { values = Array(repeating: nil, count: count) }

  func store(_ value: Result<Solution, IKError>, at index: Int) {
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

  func results() throws(IKError) -> [Solution] {
    var solutions: [Solution] = []
    solutions.reserveCapacity(values.count)
    for value in values {
      switch value {
      case .success(let solution): solutions.append(solution)
      case .failure(let error): throw error
      case nil: throw .numerical("a batch worker stopped before finishing its targets")
      }
    }
    return solutions
  }
}
