extension PoseResidual {
  /// The second-order part of the Hessian of `½‖r‖²`: `S[a][b] = Σᵢ rᵢ ∂²rᵢ/∂q_a∂q_b`, which
  /// Gauss–Newton's `JᵀJ` leaves out and which a large residual (a target out of reach) makes
  /// dominant. Written row-major into the first `n × n` values of `secondOrder`.
  ///
  /// From the geometric Jacobian (linear columns `Jᵥ`, joint axes `ω`, zero for a prismatic
  /// joint): the tip's position has `∂Jᵥ_b/∂q_a = ω_a × Jᵥ_b` for `a ≤ b` and `ω_b × Jᵥ_a` after.
  /// The rotation rows `w J_r⁻¹(φ) v_b`, with `v_b = R_tipᵀ ω_b`, have `∂v_b/∂q_a = v_b × v_a` for
  /// `a > b` (zero before: joint `a` turns the tip and the axis alike), and the derivative of
  /// `J_r⁻¹` along `∂φ/∂q_a = J_r⁻¹ v_a`, by central differences of that 3 × 3 function (no
  /// kinematics). Checked against finite differences of the analytic Jacobian in the tests.
  ///
  /// - Parameters:
  ///   - residual: the residual at the configuration (``count`` values), as ``evaluate(at:residual:jacobian:scratch:)`` wrote it.
  ///   - geometric: the geometric Jacobian there (its `scratch`).
  ///   - T_base_tip: the tip's pose there.
  ///   - secondOrder: at least `n × n` values, overwritten.
  /// - Returns: `false` for an axis target, whose rows this does not cover (`secondOrder` is then
  ///   untouched).
  // swift-format-ignore: AlwaysUseLowerCamelCase
  public func secondOrderTerm(
    residual: [Double], geometric: Jacobian, T_base_tip: Transform3, into secondOrder: inout [Double]
  ) -> Bool {
    guard target.axis == nil else { return false }
    let n = geometric.columns
    func linear(_ column: Int) -> Vector3 {
      Vector3(geometric[0, column], geometric[1, column], geometric[2, column])
    }
    func axis(_ column: Int) -> Vector3 {
      Vector3(geometric[3, column], geometric[4, column], geometric[5, column])
    }
    let positionError = Vector3(residual[0], residual[1], residual[2])
    for a in 0..<n {
      for b in a..<n {
        let value = positionError.dot(axis(a).cross(linear(b)))
        secondOrder[a * n + b] = value
        secondOrder[b * n + a] = value
      }
    }
    guard target.orientation != nil else { return true }
    let w = rotationWeight
    let rotationError = Vector3(residual[3], residual[4], residual[5])
    let phi = rotationError / w
    let inverse = Self.inverseRightJacobian(phi)
    // swift-format-ignore: AlwaysUseLowerCamelCase
    let R_tip_base = T_base_tip.rotation.transposed
    // e · (J_r⁻¹ (v_b × v_a)) = (J_r⁻ᵀ e) · (v_b × v_a), and likewise for the difference of the
    // two J_r⁻¹ evaluations: each 3 × 3 product is made once per joint, not once per pair.
    let pulledBack = inverse.transposed * rotationError
    withUnsafeTemporaryAllocation(of: Vector3.self, capacity: n) { v in
      v.initialize(repeating: .zero)
      for b in 0..<n { v[b] = R_tip_base * axis(b) }
      for a in 0..<n {
        let va = v[a]
        let direction = inverse * va
        let length = direction.length
        guard length > 0 else { continue }
        let step = 1e-6 / length
        let plus = Self.inverseRightJacobian(phi + direction * step)
        let minus = Self.inverseRightJacobian(phi - direction * step)
        let slope = (plus.transposed * rotationError - minus.transposed * rotationError) / (2 * step)
        for b in 0..<n {
          var value = slope.dot(v[b])
          if a > b { value += pulledBack.dot(v[b].cross(va)) }
          secondOrder[a * n + b] += value * w
        }
      }
    }
    return true
  }
}
