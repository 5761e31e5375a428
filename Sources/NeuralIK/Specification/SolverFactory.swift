/// The one place that builds solvers: from a robot, an optional trained network and a
/// ``SolverSpecification``. Every front end (the CLI, the server, the benchmarks and the
/// library's callers) builds its solvers here, so the same specification always means the same
/// solver.
public enum SolverFactory {
  /// The kind a specification without one resolves to: the hybrid with a network; else the
  /// closed form when the robot has one that takes position targets (the 2- and 3-joint arms);
  /// else the hybrid without a network when its closed form takes poses (6- and 7-joint arms:
  /// that closed form first, on every branch, then `lm` for what it does not take or reach);
  /// else Levenberg–Marquardt. A closed form of poses alone is offered
  /// (``availableKinds(for:network:specification:)``) but is not the default: it refuses
  /// positions and axes, which the hybrid answers with `lm`. On a 2- or 3-joint arm the default,
  /// its closed form of positions, takes positions only, the one kind of target such an arm can
  /// meet in general; `lm` takes the others there.
  ///
  /// - Parameters:
  ///   - robot: the robot to solve for.
  ///   - network: its trained model, or `nil`.
  ///   - specification: the settings (only whether the closed form is turned off counts here).
  /// - Returns: the first of ``availableKinds(for:network:specification:)``.
  public static func resolvedKind(
    for robot: RobotModel, network: IKNetwork?, specification: SolverSpecification = .init()
  ) -> SolverKind {
    availableKinds(for: robot, network: network, specification: specification).first ?? .levenbergMarquardt
  }

  /// The kinds this robot and network can be solved with, in the order of
  /// ``resolvedKind(for:network:specification:)``'s preference: a closed form of poses only comes
  /// after `lm`.
  ///
  /// - Parameters:
  ///   - robot: the robot to solve for.
  ///   - network: its trained model, or `nil` (then no `network`, and `hybrid` only over a
  ///     closed form of poses).
  ///   - specification: the settings: with ``SolverSpecification/closedForm`` `false` and no
  ///     network there is no `hybrid` (it would be `lm` with extra stages).
  /// - Returns: `hybrid` and `network` with a network, `analytic` when the robot has a closed
  ///   form of positions, `hybrid` without a network when it has one of poses, then `lm`, then
  ///   `analytic` when its closed form takes poses only.
  public static func availableKinds(
    for robot: RobotModel, network: IKNetwork?, specification: SolverSpecification = .init()
  ) -> [SolverKind] {
    var kinds: [SolverKind] = []
    if network != nil { kinds += [.hybrid, .network] }
    let closedForm = try? AnalyticSolver(robot: robot)
    if closedForm?.targetKind == .position { kinds.append(.analytic) }
    if network == nil, closedForm?.targetKind == .pose, specification.closedForm != false {
      kinds.append(.hybrid)
    }
    kinds.append(.levenbergMarquardt)
    if closedForm?.targetKind == .pose { kinds.append(.analytic) }
    return kinds
  }

  /// Builds the solver of `specification` for `robot`.
  ///
  /// - Parameters:
  ///   - robot: the robot to solve for, unrestricted (the specification's restrictions apply to
  ///     it).
  ///   - network: the trained model, needed by the network solver, and by the hybrid on a robot
  ///     without a closed form of poses; it must belong to
  ///     `robot` (``IKNetwork/check(belongsTo:)``).
  ///   - specification: every setting; a `nil` kind resolves by
  ///     ``resolvedKind(for:network:specification:)``,
  ///     a `nil` rotation weight to ``/NeuralIKCore/PoseResidual/defaultRotationWeight``, whatever
  ///     the model was trained with (which only ranks the network's own proposals).
  /// - Returns: a solver whose ``Solver/specification`` has both resolved. Use it from one thread.
  /// - Throws: ``SolverSpecificationError`` for an option out of range, a kind that needs a
  ///   model without one, a model of another robot, or a robot with no closed form.
  public static func make(
    robot: RobotModel, network: IKNetwork? = nil, specification: SolverSpecification = .init()
  ) throws(SolverSpecificationError) -> Solver {
    try specification.validate()
    // A model of another robot is refused whatever the kind: `lm` and the closed form do not use
    // it, but a caller who passed it meant this robot's, and would otherwise learn of the mix-up
    // only on switching kinds.
    if let network {
      do {
        try network.check(belongsTo: robot)
      } catch {
        throw .wrongModel(error)
      }
    }
    // Every solver works in the restricted robot's limits; the network is still checked against,
    // and proposes for, the robot it was trained for, its proposals then clamped into them.
    let limited: RobotModel
    do {
      limited = try robot.restricted(specification.restrictions)
    } catch {
      throw .restriction(error)
    }
    let kind = specification.kind ?? resolvedKind(for: robot, network: network, specification: specification)
    var resolved = specification
    resolved.kind = kind
    // The refinement's weight is the specification's, whatever model is loaded, so that `lm` is
    // the same solve with or without one; the network ranks its own proposals with the weight it
    // was trained with.
    let weight = resolved.rotationWeight ?? PoseResidual.defaultRotationWeight
    resolved.rotationWeight = weight
    let engine: Solver.Engine
    switch kind {
    case .analytic:
      do {
        engine = .analytic(
          try AnalyticSolver(
            robot: limited, tolerance: resolved.tolerance,
            freeJointSweep: resolved.freeJointSamples ?? AnalyticSolver.defaultFreeJointSweep))
      } catch {
        throw .noClosedForm(error)
      }
    case .levenbergMarquardt:
      engine = .levenbergMarquardt(lm(limited, resolved, weight))
    case .network:
      guard let network else { throw .needsModel(kind) }
      let sampled = resolved.freeJointSamples.map { network.with(freeJointSamples: $0) } ?? network
      do {
        engine = .network(
          try NetworkSolver(
            robot: robot, network: sampled, tolerance: resolved.tolerance, restricted: limited))
      } catch {
        throw .wrongModel(error)
      }
    case .hybrid:
      let samples = resolved.freeJointSamples ?? SolverSpecification.hybridFreeJointSamples
      let closedForm =
        resolved.closedForm == false
        ? nil
        : try? AnalyticSolver(
          robot: limited, tolerance: resolved.tolerance,
          freeJointSweep: resolved.freeJointSamples ?? AnalyticSolver.defaultFreeJointSweep)
      // Without a network the hybrid is its closed form of poses with `lm` behind it: with
      // neither, it would be `lm` with extra stages, and says so.
      guard network != nil || closedForm?.targetKind == .pose else {
        let turnedOff =
          resolved.closedForm == false && (try? AnalyticSolver(robot: limited))?.targetKind == .pose
        throw .hybridNeedsModel(closedFormTurnedOff: turnedOff)
      }
      let proposer: NetworkSolver?
      do {
        proposer = try network.map { network throws(ModelFileError) in
          try NetworkSolver(
            robot: robot, network: network.with(freeJointSamples: samples), tolerance: resolved.tolerance,
            restricted: limited)
        }
      } catch {
        throw .wrongModel(error)
      }
      let restrictedRoots =
        closedForm == nil
        ? nil
        : RestrictedJointRoots.make(
          robot: robot, restrictions: resolved.restrictions, restricted: limited,
          restrictedClosedForm: closedForm,
          tolerance: resolved.tolerance, rotationWeight: weight)
      engine = .hybrid(
        HybridSolver(
          network: proposer, lm: lm(limited, resolved, weight), specification: resolved,
          rotationWeight: weight, closedForm: closedForm, restrictedRoots: restrictedRoots))
    }
    return Solver(robot: limited, specification: resolved, engine: engine)
  }

  /// The `lm` solver of a specification: the `lm` kind's engine and the hybrid's fallback alike.
  private static func lm(_ robot: RobotModel, _ specification: SolverSpecification, _ weight: Double)
    -> LevenbergMarquardtSolver
  {
    LevenbergMarquardtSolver(
      robot: robot, options: LevenbergMarquardtOptions(specification, rotationWeight: weight))
  }
}
