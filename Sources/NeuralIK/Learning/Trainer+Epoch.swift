import Dispatch
import Foundation

extension Trainer {
  struct LoopState {
    var mlp: MLP
    var adam: Adam
  }

  /// One pass over `data` in a seeded shuffled order; returns the mean training loss.
  ///
  /// Data-parallel: each mini-batch is split into one shard per thread; every shard runs its own
  /// forward pass, loss and backward pass (OpenBLAS on one thread each, since these products are
  /// too small to split), and the shard gradients are summed in a fixed order, so the result does
  /// not depend on thread timing.
  func runEpoch(
    data: TrainingData, state: inout LoopState, encoding: InputEncoding, workspaces: [MLPWorkspace],
    learningRate: Double, generator: inout SplitMix64,
    lossFunction: @escaping @Sendable ([Float], TrainingData, Range<Int>, inout [Float]) -> Double,
    report: (Double, Double) -> Void
  ) -> Double {
    var order = Array(0..<data.count)
    order.shuffle(using: &generator)
    let shuffled = TrainingData(
      targets: order.map { data.targets[$0] }, labels: order.map { data.labels[$0] })
    let features = encoding.featureCount
    let outputs = state.mlp.architecture.outputCount
    let parameterCount = state.mlp.parameters.count
    var parameterGradient = [Float](repeating: 0, count: parameterCount)
    var total = 0.0
    var batches = 0
    let batchCount = (data.count + config.batchSize - 1) / config.batchSize
    var first = 0
    while first < data.count {
      let range = first..<min(data.count, first + config.batchSize)
      let shards = min(workspaces.count, range.count)
      let shardSize = (range.count + shards - 1) / shards
      let mlp = state.mlp
      let results = ChunkResults(count: shards)
      DispatchQueue.concurrentPerform(iterations: shards) { shard in
        let lower = range.lowerBound + shard * shardSize
        let shardRange = lower..<min(range.upperBound, lower + shardSize)
        guard !shardRange.isEmpty else {
          results.store(shard, loss: 0, gradient: [])
          return
        }
        let count = shardRange.count
        var input = [Float](repeating: 0, count: count * features)
        for (row, index) in shardRange.enumerated() {
          let free = encoding.freeJoint.map {
            Self.freeValue($0, label: shuffled.labels[index], index: index)
          }
          encoding.encode(shuffled.targets[index], freeValue: free, into: &input, offset: row * features)
        }
        let workspace = workspaces[shard]
        mlp.forward(input, batch: count, workspace: workspace)
        var outputGradient = [Float](repeating: 0, count: count * outputs)
        let output = Array(workspace.output.prefix(count * outputs))
        // Each loss is a mean over its shard; weigh shards by size to get the batch mean.
        let weight = Float(count) / Float(range.count)
        let loss = lossFunction(output, shuffled, shardRange, &outputGradient)
        for index in outputGradient.indices { outputGradient[index] *= weight }
        var gradient = [Float](repeating: 0, count: parameterCount)
        mlp.backward(outputGradient: outputGradient, batch: count, workspace: workspace, gradient: &gradient)
        results.store(shard, loss: loss * Double(weight), gradient: gradient)
      }
      for index in parameterGradient.indices { parameterGradient[index] = 0 }
      for shard in 0..<shards {
        let (loss, gradient) = results.result(shard)
        total += loss
        for index in gradient.indices { parameterGradient[index] += gradient[index] }
      }
      state.adam.update(&state.mlp.parameters, gradient: parameterGradient, learningRate: Float(learningRate))
      batches += 1
      if batches % max(1, batchCount / 20) == 0 || batches == batchCount {
        report(Double(batches) / Double(batchCount), total / Double(batches))
      }
      first = range.upperBound
    }
    return total / Double(max(1, batches))
  }
}
