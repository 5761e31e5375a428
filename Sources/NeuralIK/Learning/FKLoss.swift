import Dispatch
import Foundation

/// The seed project's loss, done properly: the distance between FK(network(target)) and the
/// target, back-propagated through the analytic FK Jacobian, with winner-takes-all over heads.
///
/// Per sample and head, `L = √(‖r‖² + δ²) − δ` where `r` is the ``/NeuralIKCore/PoseResidual``
/// (metres; poses add the weighted rotation error): a distance that stays differentiable at 0. The head with the
/// smallest `L` takes weight 1, every other head ``losersShare`` so that no head dies. An
/// out-of-reach target pulls the best head toward the closest reachable point.
public struct FKLoss: Sendable {
  /// The robot whose forward kinematics measures the distance.
  public let robot: RobotModel
  /// How the outputs become joint values.
  public let layout: JointOutputLayout
  /// Heads per target.
  public let heads: Int
  /// δ in metres: below it the loss turns quadratic.
  public var smoothing: Double = 1e-4
  /// The weight of every head but the best.
  public var losersShare: Double = 0.05
  /// Metres of loss per radian of rotation error, for pose targets.
  public var rotationWeight: Double = PoseResidual.defaultRotationWeight
  /// The index of a joint whose value is a network input (``FreeJoint``) rather than an output.
  public var freeJoint: Int?

  /// The loss for `robot` with the default smoothing, share and rotation weight.
  ///
  /// - Parameters:
  ///   - robot: the robot whose forward kinematics measures the distance.
  ///   - layout: how the outputs become joint values.
  ///   - heads: heads per target.
  public init(robot: RobotModel, layout: JointOutputLayout, heads: Int) {
    self.robot = robot
    self.layout = layout
    self.heads = heads
  }

  /// The mean loss over `targets` given network `outputs` (`targets.count × heads·perHead`),
  /// writing ∂(mean loss)/∂outputs into `gradient`. Spreads the samples over `threads` threads.
  ///
  /// With `labels`, a labelled target's winner is the head nearest its label in joint space rather
  /// than the head with the smallest loss: the label names a branch, and this keeps each branch on
  /// the head that holds it even while a wrong-branch head happens to land closer.
  ///
  /// - Parameters:
  ///   - outputs: the network's outputs for the batch, row-major.
  ///   - targets: the batch's targets.
  ///   - labels: per target, its generating configuration or `nil`; `nil` for no labels.
  ///   - freeValues: per target, the free joint's value, for a network with one.
  ///   - gradient: ∂(mean loss)/∂outputs, overwritten; as long as `outputs`.
  ///   - threads: threads to spread the samples over.
  /// - Returns: the mean loss over the batch, metres.
  public func evaluate(
    outputs: [Float], targets: ArraySlice<IKTarget>, labels: ArraySlice<[Double]?>? = nil,
    freeValues: ArraySlice<Double>? = nil, gradient: inout [Float], threads: Int
  ) -> Double {
    let batch = targets.count
    let stride = heads * layout.outputsPerHead
    let workers = max(1, min(threads, batch))
    let chunk = (batch + workers - 1) / workers
    let parts = ChunkResults(count: workers)
    let start = targets.startIndex
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let range = (worker * chunk)..<min(batch, (worker + 1) * chunk)
      var local = [Float](repeating: 0, count: range.count * stride)
      var total = 0.0
      var scratch = Scratch(degreesOfFreedom: robot.degreesOfFreedom)
      for sample in range {
        let label = labels.flatMap { $0[$0.startIndex + sample] }
        let free = freeValues.map { $0[$0.startIndex + sample] }
        total += accumulate(
          outputs: outputs, outputOffset: sample * stride, target: targets[start + sample], label: label,
          freeValue: free,
          gradient: &local, gradientOffset: (sample - range.lowerBound) * stride,
          scale: 1 / Double(batch), scratch: &scratch)
      }
      parts.store(worker, loss: total, gradient: local)
    }
    var loss = 0.0
    var cursor = 0
    for worker in 0..<workers {
      let (partLoss, partGradient) = parts.result(worker)
      loss += partLoss
      for value in partGradient {
        gradient[cursor] = value
        cursor += 1
      }
    }
    return loss / Double(batch)
  }

  /// The distance-like loss of each head for one target (metres), for validation and selection.
  ///
  /// - Parameters:
  ///   - outputs: the network's outputs.
  ///   - outputOffset: where this target's row starts.
  ///   - target: the target.
  /// - Returns: one loss per head, in head order.
  public func headLosses(outputs: [Float], outputOffset: Int, target: IKTarget) -> [Double] {
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: rotationWeight)
    var f = [Double](repeating: 0, count: residual.count)
    return (0..<heads).map { head in
      let q = layout.jointValues(outputs, offset: outputOffset + head * layout.outputsPerHead)
      residual.evaluate(at: q, into: &f)
      return f.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
  }

  struct Scratch {
    var jacobian: Jacobian
    var f: [Double]
    var residualJacobian: [Double]
    init(degreesOfFreedom: Int) {
      jacobian = Jacobian(columns: degreesOfFreedom)
      f = [Double](repeating: 0, count: 6)
      residualJacobian = [Double](repeating: 0, count: 6 * degreesOfFreedom)
    }
  }

  private func accumulate(
    outputs: [Float], outputOffset: Int, target: IKTarget, label: [Double]?, freeValue: Double?,
    gradient: inout [Float],
    gradientOffset: Int,
    scale: Double, scratch: inout Scratch
  ) -> Double {
    let residual = PoseResidual(robot: robot, target: target, rotationWeight: rotationWeight)
    let n = robot.degreesOfFreedom
    let rows = residual.count
    var losses = [Double](repeating: 0, count: heads)
    var jointGradients = [[Double]](repeating: [], count: heads)
    var labelDistances = [Double](repeating: 0, count: heads)
    for head in 0..<heads {
      var q = layout.jointValues(outputs, offset: outputOffset + head * layout.outputsPerHead)
      if let freeJoint, let freeValue { q[freeJoint] = freeValue }
      if let label {
        labelDistances[head] = zip(q, zip(label, layout.kinds)).reduce(0) { sum, pair in
          let d = pair.1.1 == .circular ? remainder(pair.0 - pair.1.0, 2 * .pi) : pair.0 - pair.1.0
          return sum + d * d
        }
      }
      residual.evaluate(
        at: q, residual: &scratch.f, jacobian: &scratch.residualJacobian, scratch: &scratch.jacobian)
      var squared = 0.0
      for row in 0..<rows { squared += scratch.f[row] * scratch.f[row] }
      let smoothed = (squared + smoothing * smoothing).squareRoot()
      losses[head] = smoothed - smoothing
      // ∂L/∂q = Jᵀ r / √(‖r‖² + δ²).
      var dq = [Double](repeating: 0, count: n)
      for column in 0..<n {
        var sum = 0.0
        for row in 0..<rows { sum += scratch.residualJacobian[row * n + column] * scratch.f[row] }
        dq[column] = sum / smoothed
      }
      // The free joint's value came from the input; its output takes no part.
      if let freeJoint, freeValue != nil { dq[freeJoint] = 0 }
      jointGradients[head] = dq
    }
    let ranking = label == nil ? losses : labelDistances
    let best = ranking.indices.min { ranking[$0] < ranking[$1] } ?? 0
    var total = 0.0
    for head in 0..<heads {
      let weight = head == best ? 1 : losersShare
      total += weight * losses[head]
      layout.backward(
        outputs, offset: outputOffset + head * layout.outputsPerHead, jointGradient: jointGradients[head],
        weight: weight * scale, into: &gradient,
        gradientOffset: gradientOffset + head * layout.outputsPerHead)
    }
    return total
  }
}

/// Per-thread partial results, each written by one worker.
final class ChunkResults: @unchecked Sendable {
  private var losses: [Double]
  private var gradients: [[Float]]
  private let lock = NSLock()

  init(count: Int) {
    losses = [Double](repeating: 0, count: count)
    gradients = [[Float]](repeating: [], count: count)
  }

  func store(_ index: Int, loss: Double, gradient: [Float]) {
    lock.lock()
    defer { lock.unlock() }
    losses[index] = loss
    gradients[index] = gradient
  }

  func result(_ index: Int) -> (Double, [Float]) {
    lock.lock()
    defer { lock.unlock() }
    return (losses[index], gradients[index])
  }
}
