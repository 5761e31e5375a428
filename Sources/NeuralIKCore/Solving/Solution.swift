/// Which solver produced a ``Solution``.
public enum SolverKind: String, Sendable, Hashable, CaseIterable, Codable {
  /// A closed-form solver: exact, every branch.
  case analytic
  /// GSL's trust-region Levenberg–Marquardt from an initial guess.
  case levenbergMarquardt = "lm"
  /// The learned network alone.
  case network
  /// A closed form where the robot has one, then the network's guesses (with a model) refined by
  /// Levenberg–Marquardt, then Levenberg–Marquardt's own search.
  case hybrid
}

/// When a solution counts as reaching its target.
public struct ReachTolerance: Sendable, Hashable {
  /// Largest position error, in metres.
  public var position: Double
  /// Largest rotation error, in radians (pose targets only).
  public var rotation: Double

  /// A tolerance; the solver factory checks that both are positive and finite.
  ///
  /// - Parameters:
  ///   - position: the largest position error, metres.
  ///   - rotation: the largest rotation error, radians.
  public init(position: Double = 1e-6, rotation: Double = 1e-6) {
    self.position = position
    self.rotation = rotation
  }

  /// Numerical precision: what the closed-form and refined solvers reach.
  public static let exact = ReachTolerance()
}

/// The one result type of every solver.
///
/// For a target out of reach, ``jointValues`` is the solver's closest reachable configuration and
/// ``reachable`` is `false`; ``positionError`` then says how far the target is from reach.
public struct Solution: Sendable, Hashable {
  /// One value per movable joint: radians (revolute, continuous) or metres (prismatic).
  /// Always within the joint limits.
  public var jointValues: [Double]
  /// `T_base_tip` at ``jointValues``.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  public var T_base_tip: Transform3
  /// Distance from the reached tool point to the target, in metres.
  public var positionError: Double
  /// Angle between the reached and target orientations (for an axis target: between the tool axis
  /// and its direction), in radians; `nil` for position targets.
  public var rotationError: Double?
  /// `true` when the errors are within the tolerance the solver was given.
  public var reachable: Bool
  /// Solver iterations spent (0 for closed form).
  public var iterations: Int
  /// Which solver produced this solution.
  public var solver: SolverKind

  /// Measures `jointValues` against `target` with the robot's own forward kinematics.
  ///
  /// - Parameters:
  ///   - robot: the robot.
  ///   - target: the target solved for.
  ///   - jointValues: one value per movable joint, radians or metres.
  ///   - tolerance: when the solution counts as ``reachable``.
  ///   - iterations: solver iterations spent.
  ///   - solver: which solver produced it.
  public init(
    robot: RobotModel, target: IKTarget, jointValues: [Double], tolerance: ReachTolerance,
    iterations: Int, solver: SolverKind
  ) {
    self.init(
      jointValues: jointValues, T_base_tip: robot.tipPose(at: jointValues), target: target,
      targetRotation: nil,
      tolerance: tolerance, iterations: iterations, solver: solver)
  }

  /// As the public initialiser, with the robot's forward kinematics of `jointValues` computed by
  /// the caller (``SharedForwardKinematics``), and the rotation of a pose target's orientation
  /// already at hand: a solver measuring many configurations against one target converts the
  /// quaternion once.
  init(
    // swift-format-ignore: AlwaysUseLowerCamelCase
    jointValues: [Double], T_base_tip: Transform3, target: IKTarget, targetRotation: Rotation3?,
    tolerance: ReachTolerance, iterations: Int, solver: SolverKind
  ) {
    self.jointValues = jointValues
    self.T_base_tip = T_base_tip
    self.positionError = (T_base_tip.translation - target.position).length
    if let orientation = target.orientation {
      self.rotationError = (targetRotation ?? orientation.rotation).angle(to: T_base_tip.rotation)
    } else if let axis = target.axis {
      self.rotationError = axis.angle(at: T_base_tip.rotation)
    } else {
      self.rotationError = nil
    }
    self.reachable =
      positionError <= tolerance.position && (rotationError ?? 0) <= tolerance.rotation
    self.iterations = iterations
    self.solver = solver
  }

  /// The reached tool position, in metres.
  public var reachedPosition: Vector3 { T_base_tip.translation }

  /// The reached tool orientation.
  public var reachedOrientation: Quaternion { Quaternion(T_base_tip.rotation).canonical }
}
