import NeuralIK

/// One target of one benchmark row, kept for the figures of `bench --plots` (the rows keep only
/// statistics). Measured as the row is: by NeuralIK's forward kinematics from the joint values.
public struct TargetSample: Sendable, Hashable {
  /// The target's position in the base frame, metres.
  public var targetPosition: Vector3
  /// Metres from the target to the reached tool point.
  public var positionError: Double
  /// Radians between the target's and the reached orientation (or tool axis); `nil` for position targets.
  public var rotationError: Double?
  /// Out of reach: metres from the target to the closest reachable point; `nil` for reachable targets.
  public var reachDistance: Double?
  /// Within the row's tight tolerance, counted as the row's success rate counts it.
  public var succeeded: Bool
  /// Wall-clock seconds of the solve alone on one thread; `nil` when not timed.
  public var seconds: Double?

  public init(
    targetPosition: Vector3, positionError: Double, rotationError: Double?, reachDistance: Double?,
    succeeded: Bool, seconds: Double?
  ) {
    self.targetPosition = targetPosition
    self.positionError = positionError
    self.rotationError = rotationError
    self.reachDistance = reachDistance
    self.succeeded = succeeded
    self.seconds = seconds
  }

  /// Metres of position error beyond what the target allows: beyond the closest reachable
  /// distance out of reach, the whole error otherwise.
  public var excessError: Double { max(0, positionError - (reachDistance ?? 0)) }
}

/// Every target of one row (``BenchmarkReport/samples``), in the order of the target set.
public struct RowSamples: Sendable, Hashable {
  public var solver: String
  public var targetSet: String
  public var samples: [TargetSample]

  public init(solver: String, targetSet: String, samples: [TargetSample]) {
    self.solver = solver
    self.targetSet = targetSet
    self.samples = samples
  }
}
