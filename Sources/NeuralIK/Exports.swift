@_exported import NeuralIKCore
