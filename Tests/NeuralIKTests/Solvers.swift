import NeuralIK

/// Solvers as users build them: through the factory, from the shipped specification with the
/// changes a test names.
enum Solvers {
  static func make(
    _ kind: SolverKind, _ robot: RobotModel, network: IKNetwork? = nil,
    _ change: (inout SolverSpecification) -> Void = { _ in }
  ) throws -> Solver {
    var specification = SolverSpecification.default(kind)
    change(&specification)
    return try SolverFactory.make(robot: robot, network: network, specification: specification)
  }
}
