/// Hooks for `neural-ik profile` (Docs/Performance.md): the parts of one solve, timed apart.
extension Solver {
  /// The hybrid's first stage alone: the network's pass and the ranking of its proposals by
  /// forward kinematics, exactly as ``solve(_:from:)`` runs them; `nil` for other kinds and for a
  /// hybrid without a network.
  package func rankedProposals(for target: IKTarget) throws(IKError) -> [[Double]]? {
    guard case .hybrid(let hybrid) = engine, let network = hybrid.network else { return nil }
    return try network.rankedProposals(for: target)
  }
}
