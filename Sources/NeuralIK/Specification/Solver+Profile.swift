/// Hooks for `neural-ik profile` (Docs/Performance.md): the parts of one solve, timed apart.
extension Solver {
  /// The hybrid's first stage alone: the network's pass and the ranking of its proposals by
  /// forward kinematics, exactly as ``solve(_:from:)`` runs them; `nil` for other kinds.
  package func rankedProposals(for target: IKTarget) throws(IKError) -> [[Double]]? {
    guard case .hybrid(let hybrid) = engine else { return nil }
    return try hybrid.network.rankedProposals(for: target)
  }
}
