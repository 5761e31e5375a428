import Dispatch
import Foundation

/// Builds a ``ReachabilityMap`` of a robot with the solver of one specification, on several
/// threads, each with its own ``Solver`` from ``SolverFactory``.
///
/// Each voxel's centre is first solved as a position target: where the position is not reached,
/// no orientation can be, and the voxel is 0 without trying them (a voxel farther from the base
/// than ``/NeuralIKCore/RobotModel/reachBound``, or outside the
/// ``/NeuralIKCore/RobotModel/reachSphere``, is 0 without a solve). Where it is, a pose map solves one pose
/// target per sampled orientation (``OrientationSampling``) and counts the reached ones; a position
/// map counts the voxel as reached. Solves start from nowhere in particular (no start), so each
/// answer depends only on its target and the specification: the map is the same for any thread
/// count and any sharding.
public struct ReachabilityMapBuilder: Sendable {
  /// The robot the map is of.
  public let robot: RobotModel
  /// Its trained model, or `nil`.
  public let network: IKNetwork?
  /// The specification every solve uses, its kind and rotation weight resolved.
  public let specification: SolverSpecification
  /// The voxels the map covers.
  public let grid: VoxelGrid
  /// `.pose` when the robot is asked for poses (six joints or more, or a pose model), else `.position`.
  public let targetKind: TargetKind
  /// The orientations tried per voxel; empty for a position map.
  public let orientations: [Quaternion]
  private let modelFingerprint: String?
  /// The sphere outside which no voxel centre is reached (``/NeuralIKCore/RobotModel/reachSphere``).
  private let reachSphere: ReachSphere

  /// A builder for a grid of voxels of edge `resolution` over the robot's reach.
  ///
  /// - Parameters:
  ///   - robot: the robot the map is of.
  ///   - network: its trained model, or `nil` (the solver is then the one
  ///     ``SolverFactory/resolvedKind(for:network:specification:)`` picks without one).
  ///   - specification: the solver settings, as `solve` takes them.
  ///   - resolution: voxel edge, metres.
  ///   - orientationCount: orientations per voxel, 1 to ``ReachabilityMap/maximumOrientationCount``
  ///     (checked, then ignored, for a position map).
  /// - Throws: ``ReachabilityMapError`` for a bad resolution, too many voxels, an orientation count
  ///   out of range, or a specification that builds no solver.
  public init(
    robot: RobotModel, network: IKNetwork?, specification: SolverSpecification, resolution: Double,
    orientationCount: Int
  ) throws(ReachabilityMapError) {
    guard orientationCount >= 1, orientationCount <= ReachabilityMap.maximumOrientationCount else {
      throw .invalidOrientationCount(orientationCount, maximum: ReachabilityMap.maximumOrientationCount)
    }
    let solver: Solver
    do {
      solver = try SolverFactory.make(robot: robot, network: network, specification: specification)
    } catch {
      throw .specification("\(error)")
    }
    self.grid = try VoxelGrid(covering: robot, resolution: resolution)
    self.robot = robot
    self.network = network
    self.specification = solver.specification
    let kind: TargetKind =
      TargetKind.expected(robot: robot, network: network) == .position ? .position : .pose
    self.targetKind = kind
    self.orientations = kind == .pose ? OrientationSampling.superFibonacci(count: orientationCount) : []
    self.modelFingerprint = network.map { IKNetwork.checksum([UInt8]($0.fileData())) }
    self.reachSphere = robot.reachSphere
  }

  /// Builds the voxels of `shard`.
  ///
  /// - Parameters:
  ///   - shard: the slice of the voxels to build (``MapShard/whole`` by default).
  ///   - threads: worker threads, each with its own solver.
  ///   - progress: called from worker threads with the number of the shard's voxels done.
  /// - Returns: the map of the shard and what building it took.
  /// - Throws: ``ReachabilityMapError/specification(_:)`` when the specification builds no solver.
  public func build(
    shard: MapShard = .whole, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
    progress: (@Sendable (Int) -> Void)? = nil
  ) throws(ReachabilityMapError) -> ReachabilityMapBuild {
    let begin = DispatchTime.now().uptimeNanoseconds
    let voxels = shard.voxelCount(of: grid.count)
    let workers = max(1, min(threads, voxels))
    var solvers: [Solver] = []
    do {
      for _ in 0..<workers {
        solvers.append(try SolverFactory.make(robot: robot, network: network, specification: specification))
      }
    } catch {
      throw .specification("\(error)")
    }
    let board = VoxelBoard(count: voxels)
    let handOff = MapSolverHandOff(solvers)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let solver = handOff.solver(worker)
      // Voxels are handed out one at a time: their costs differ a hundredfold (a reached pose
      // takes microseconds, a missed one the whole iteration budget), so fixed chunks would idle.
      while let position = board.next() {
        let outcome = measure(voxel: shard.voxel(at: position), with: solver)
        board.store(outcome, at: position)
        progress?(board.completed())
      }
    }
    let outcomes = board.outcomes()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) * 1e-9
    let map = try ReachabilityMap(
      robotName: robot.name, robotFingerprint: robot.fingerprint, modelFingerprint: modelFingerprint,
      targetKind: targetKind, specification: specification, grid: grid,
      orientationCount: max(1, orientations.count),
      orientationSampling: targetKind == .pose ? OrientationSampling.identifier : "none", shard: shard,
      reachedCounts: outcomes.map(\.reached), manipulability: outcomes.map(\.manipulability))
    return ReachabilityMapBuild(
      map: map, solves: outcomes.reduce(0) { $0 + $1.solves },
      failedSolves: outcomes.reduce(0) { $0 + $1.failedSolves },
      voxelsWithinReachBound: outcomes.filter(\.withinReachBound).count, threads: workers, seconds: seconds)
  }

  /// One voxel: the position first, then (for a pose map) each orientation.
  private func measure(voxel: Int, with solver: Solver) -> VoxelOutcome {
    var outcome = VoxelOutcome()
    let centre = grid.centre(of: voxel)
    guard centre.length <= robot.reachBound else { return outcome }
    outcome.withinReachBound = true
    // Outside the reach sphere no configuration reaches the centre: 0, as a solve would find.
    guard !reachSphere.excludes(centre) else { return outcome }
    let rows = targetKind == .pose ? 6 : 3
    func reached(_ target: IKTarget) -> Solution? {
      outcome.solves += 1
      do {
        let best = try solver.solve(target).best
        return best.reachable ? best : nil
      } catch {
        // A numerical failure on one target costs the map that target, not the run.
        outcome.failedSolves += 1
        return nil
      }
    }
    guard let position = try? IKTarget(position: centre), let solution = reached(position) else {
      return outcome
    }
    guard targetKind == .pose else {
      outcome.reached = 1
      outcome.manipulability = Float(robot.manipulability(at: solution.jointValues, rows: rows))
      return outcome
    }
    for orientation in orientations {
      guard let pose = try? IKTarget(position: centre, orientation: orientation), let solution = reached(pose)
      else { continue }
      outcome.reached += 1
      outcome.manipulability = max(
        outcome.manipulability, Float(robot.manipulability(at: solution.jointValues, rows: rows)))
    }
    return outcome
  }
}

/// A built map and what building it took.
public struct ReachabilityMapBuild: Sendable {
  /// The map of the shard.
  public var map: ReachabilityMap
  /// Solves run (position checks and poses).
  public var solves: Int
  /// Solves that threw (a numerical failure) and counted as not reached.
  public var failedSolves: Int
  /// Voxels of the shard whose centre lies within ``/NeuralIKCore/RobotModel/reachBound`` of the base.
  public var voxelsWithinReachBound: Int
  /// Worker threads used.
  public var threads: Int
  /// Wall-clock seconds.
  public var seconds: Double
}

/// What one voxel came to.
struct VoxelOutcome: Sendable {
  var reached: UInt16 = 0
  var manipulability: Float = 0
  var solves = 0
  var failedSolves = 0
  var withinReachBound = false
}

/// The shard's voxels: the next one to measure, and the outcomes, guarded by a lock.
private final class VoxelBoard: @unchecked Sendable {
  private var values: [VoxelOutcome]
  private var handedOut = 0
  private var done = 0
  private let lock = NSLock()

  init(count: Int) { values = Array(repeating: VoxelOutcome(), count: count) }

  func next() -> Int? {
    lock.withLock {
      guard handedOut < values.count else { return nil }
      handedOut += 1
      return handedOut - 1
    }
  }

  func store(_ outcome: VoxelOutcome, at position: Int) {
    lock.withLock {
      values[position] = outcome
      done += 1
    }
  }

  func completed() -> Int { lock.withLock { done } }

  func outcomes() -> [VoxelOutcome] { lock.withLock { values } }
}

/// Hands each worker its own solver: solvers keep workspaces and are never shared.
private final class MapSolverHandOff: @unchecked Sendable {
  private let solvers: [Solver]
  init(_ solvers: [Solver]) { self.solvers = solvers }
  func solver(_ worker: Int) -> Solver { solvers[worker] }
}
