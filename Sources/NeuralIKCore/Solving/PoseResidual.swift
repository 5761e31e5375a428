import Foundation

/// The least-squares residual that numerical solvers drive to zero, with its analytic Jacobian.
///
/// Rows 0–2: `p_tip(q) − p_target` in metres. For pose targets, rows 3–5:
/// `w · log(R_targetᵀ R_tip(q))`, the rotation error vector in the target frame, scaled by
/// ``rotationWeight`` (metres per radian) so that both parts are lengths. For axis targets, rows
/// 3–5: `w · (R_tip(q) a − d)`, the tool axis `a` against its direction `d`.
public struct PoseResidual: Sendable {
  /// The robot whose forward kinematics the residual measures.
  public let robot: RobotModel
  /// The target the residual is zero at.
  public let target: IKTarget
  /// Metres of position error that weigh as much as one radian of rotation error.
  public let rotationWeight: Double
  // swift-format-ignore: AlwaysUseLowerCamelCase
  private let R_target_base: Rotation3

  /// 0.1 m/rad makes the default success tolerances (1 mm, 0.572° = 0.01 rad) weigh equally.
  public static let defaultRotationWeight = 0.1

  /// The residual of `target` for `robot`.
  ///
  /// - Parameters:
  ///   - robot: the robot.
  ///   - target: a position, pose or axis target.
  ///   - rotationWeight: metres per radian, positive.
  public init(robot: RobotModel, target: IKTarget, rotationWeight: Double = defaultRotationWeight) {
    self.robot = robot
    self.target = target
    self.rotationWeight = rotationWeight
    self.R_target_base = target.orientation?.rotation.transposed ?? .identity
  }

  /// Number of residual rows (3 or 6).
  public var count: Int { target.residualCount }

  /// Writes the residual at `jointValues` into `residual` (``count`` values).
  ///
  /// - Parameters:
  ///   - jointValues: one value per movable joint, radians or metres.
  ///   - residual: at least ``count`` values; the first ``count`` are overwritten, metres.
  public func evaluate(at jointValues: [Double], into residual: inout [Double]) {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    let T_base_tip = robot.tipPose(at: jointValues)
    write(T_base_tip, into: &residual)
  }

  /// Writes the residual and its Jacobian (``count`` × dof, row-major) at `jointValues`.
  ///
  /// `scratch` holds the geometric Jacobian; reuse it across calls to avoid allocation.
  ///
  /// - Parameters:
  ///   - jointValues: one value per movable joint, radians or metres.
  ///   - residual: at least ``count`` values, overwritten.
  ///   - jacobian: at least ``count`` × dof values, overwritten row-major with ∂residual/∂q.
  ///   - scratch: the geometric Jacobian's storage, reused.
  /// - Returns: the tip's pose there.
  @discardableResult
  public func evaluate(
    at jointValues: [Double], residual: inout [Double], jacobian: inout [Double],
    scratch: inout Jacobian
  ) -> Transform3 {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    let T_base_tip = robot.jacobian(at: jointValues, into: &scratch)
    write(T_base_tip, into: &residual)
    let n = scratch.columns
    // What the rotation rows are made of: ∂(R_tip a)/∂qᵢ = ωᵢ × (R_tip a) for an axis target (ωᵢ
    // zero for a prismatic joint), and for a pose d/dq log(E exp(δ)) = J_r⁻¹(φ) δ with
    // E = R_targetᵀ R_tip and δ = R_tipᵀ ω for joint axis ω.
    enum Rows {
      case positionOnly
      case axis(pointing: Vector3)
      case pose(inverseRightJacobian: Rotation3, R_tip_base: Rotation3)
    }
    let rows: Rows
    if let axis = target.axis {
      rows = .axis(pointing: T_base_tip.rotation * axis.toolAxis)
    } else if target.orientation != nil {
      let phi = Vector3(residual[3], residual[4], residual[5]) / rotationWeight
      // swift-format-ignore: AlwaysUseLowerCamelCase
      let R_tip_base = T_base_tip.rotation.transposed
      rows = .pose(inverseRightJacobian: Self.inverseRightJacobian(phi), R_tip_base: R_tip_base)
    } else {
      rows = .positionOnly
    }
    let weight = rotationWeight
    // Through the buffers once: element writes to the array check its uniqueness and bounds.
    precondition(jacobian.count >= count * n, "PoseResidual.evaluate: jacobian buffer too small")
    scratch.storage.withUnsafeBufferPointer { geometric in
      jacobian.withUnsafeMutableBufferPointer { jacobian in
        for column in 0..<n {
          jacobian[column] = geometric[column]
          jacobian[n + column] = geometric[n + column]
          jacobian[2 * n + column] = geometric[2 * n + column]
          let omega = Vector3(geometric[3 * n + column], geometric[4 * n + column], geometric[5 * n + column])
          let d: Vector3
          switch rows {
          case .positionOnly: continue
          case .axis(let pointing): d = omega.cross(pointing) * weight
          case .pose(let inverseRightJacobian, let R_tip_base):
            d = inverseRightJacobian * (R_tip_base * omega) * weight
          }
          jacobian[3 * n + column] = d.x
          jacobian[4 * n + column] = d.y
          jacobian[5 * n + column] = d.z
        }
      }
    }
    return T_base_tip
  }

  // swift-format-ignore: AlwaysUseLowerCamelCase
  private func write(_ T_base_tip: Transform3, into residual: inout [Double]) {
    let dp = T_base_tip.translation - target.position
    residual[0] = dp.x
    residual[1] = dp.y
    residual[2] = dp.z
    if let axis = target.axis {
      // The tool axis minus its direction: zero exactly when it points along it, whatever the
      // rotation about it; its length is 2 sin(θ/2) for an angle θ between them.
      let miss = (T_base_tip.rotation * axis.toolAxis - axis.direction) * rotationWeight
      residual[3] = miss.x
      residual[4] = miss.y
      residual[5] = miss.z
      return
    }
    guard target.orientation != nil else { return }
    let phi = (R_target_base * T_base_tip.rotation).logarithm * rotationWeight
    residual[3] = phi.x
    residual[4] = phi.y
    residual[5] = phi.z
  }

  /// `J_r⁻¹(φ) = I + ½[φ]× + (1/θ² − (1 + cos θ)/(2θ sin θ))[φ]×²`.
  static func inverseRightJacobian(_ phi: Vector3) -> Rotation3 {
    let theta = phi.length
    // The series of the [φ]×² coefficient: 1/12 + θ²/720; exact enough below 1e-4.
    let c =
      theta < 1e-4
      ? 1.0 / 12 + theta * theta / 720
      : 1 / (theta * theta) - (1 + cos(theta)) / (2 * theta * sin(theta))
    let (x, y, z) = (phi.x, phi.y, phi.z)
    // [φ]× and [φ]×² written out; Rotation3 serves here as a plain 3×3 matrix.
    let k0 = Vector3(0, -z, y)
    let k1 = Vector3(z, 0, -x)
    let k2 = Vector3(-y, x, 0)
    let kk0 = Vector3(-(y * y + z * z), x * y, x * z)
    let kk1 = Vector3(x * y, -(x * x + z * z), y * z)
    let kk2 = Vector3(x * z, y * z, -(x * x + y * y))
    return Rotation3(
      row0: Vector3(1, 0, 0) + 0.5 * k0 + c * kk0,
      row1: Vector3(0, 1, 0) + 0.5 * k1 + c * kk1,
      row2: Vector3(0, 0, 1) + 0.5 * k2 + c * kk2)
  }
}
