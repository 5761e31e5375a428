/// A geometric Jacobian: 6 rows (linear velocity x, y, z; angular velocity x, y, z, both in the
/// base frame) by one column per movable joint, stored row-major.
public struct Jacobian: Sendable, Hashable {
  /// One column per movable joint.
  public private(set) var columns: Int
  /// Row-major storage: element (row, column) is `storage[row * columns + column]`.
  public var storage: [Double]

  /// A zero Jacobian for `columns` joints.
  ///
  /// - Parameter columns: the number of movable joints.
  public init(columns: Int) {
    self.columns = columns
    self.storage = Array(repeating: 0, count: 6 * columns)
  }

  /// Element (`row`, `column`): rows 0–2 linear (metres per radian or per metre), 3–5 angular.
  ///
  /// - Parameters:
  ///   - row: 0 to 5.
  ///   - column: the movable joint, `0..<columns`.
  @inlinable public subscript(row: Int, column: Int) -> Double {
    get { storage[row * columns + column] }
    set { storage[row * columns + column] = newValue }
  }
}

extension RobotModel {
  /// The geometric Jacobian of the tool point at `jointValues`, written into `jacobian`.
  ///
  /// Column *i* is `[zᵢ × (p_tip − pᵢ); zᵢ]` for a revolute joint and `[zᵢ; 0]` for a prismatic
  /// one, with `zᵢ` the joint axis and `pᵢ` the joint origin in the base frame. Performs no heap
  /// allocation when `jacobian` already has ``degreesOfFreedom`` columns and is uniquely owned.
  /// `jointValues` must hold ``degreesOfFreedom`` values, as for ``tipPose(at:)``.
  ///
  /// - Parameters:
  ///   - jointValues: one value per movable joint, radians or metres.
  ///   - jacobian: overwritten with the Jacobian (resized when its column count differs).
  /// - Returns: `T_base_tip` at the same configuration, which the computation yields anyway.
  @discardableResult
  public func jacobian(at jointValues: [Double], into jacobian: inout Jacobian) -> Transform3 {
    let n = chain.count
    precondition(jointValues.count == n, wrongCount(jointValues.count, in: "jacobian(at:into:)"))
    if jacobian.columns != n || jacobian.storage.count != 6 * n { jacobian = Jacobian(columns: n) }
    // Through the storage once: each write through the subscript checks the array's uniqueness
    // and bounds, which cost as much as the products (a third of the near-start Newton steps).
    return jacobian.storage.withUnsafeMutableBufferPointer { storage in
      // First pass: store each joint's world axis in the angular rows and its origin in the
      // linear rows, so that no scratch array is needed; the second pass turns origins into
      // lever arms.
      // swift-format-ignore: AlwaysUseLowerCamelCase
      var T_base_linkAxis = Transform3.identity
      for index in 0..<n {
        // Through the axis frames (ChainLink): the axis is the third column of the joint's frame.
        let link = chain[index]
        let axis = T_base_linkAxis.rotation * link.T_previousAxis_jointAxis.rotation.column2
        let origin = T_base_linkAxis * link.T_previousAxis_jointAxis.translation
        storage[index] = origin.x
        storage[n + index] = origin.y
        storage[2 * n + index] = origin.z
        storage[3 * n + index] = axis.x
        storage[4 * n + index] = axis.y
        storage[5 * n + index] = axis.z
        T_base_linkAxis = T_base_linkAxis * link.T_previousAxis_movedAxis(jointValues[index])
      }
      // swift-format-ignore: AlwaysUseLowerCamelCase
      let T_base_tip = T_base_linkAxis * T_lastAxis_tip
      let tip = T_base_tip.translation
      for index in 0..<n {
        let axis = Vector3(storage[3 * n + index], storage[4 * n + index], storage[5 * n + index])
        let linear: Vector3
        if chain[index].isPrismatic {
          linear = axis
          storage[3 * n + index] = 0
          storage[4 * n + index] = 0
          storage[5 * n + index] = 0
        } else {
          let origin = Vector3(storage[index], storage[n + index], storage[2 * n + index])
          linear = axis.cross(tip - origin)
        }
        storage[index] = linear.x
        storage[n + index] = linear.y
        storage[2 * n + index] = linear.z
      }
      return T_base_tip
    }
  }

  /// The geometric Jacobian at `jointValues` (allocating convenience).
  ///
  /// - Parameter jointValues: one value per movable joint, radians or metres.
  /// - Returns: the 6 × ``degreesOfFreedom`` Jacobian.
  public func jacobian(at jointValues: [Double]) -> Jacobian {
    var result = Jacobian(columns: degreesOfFreedom)
    jacobian(at: jointValues, into: &result)
    return result
  }
}
