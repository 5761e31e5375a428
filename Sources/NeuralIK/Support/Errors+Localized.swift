import NeuralIKCore

// `localizedDescription` gives each error's message (``/NeuralIKCore/DescribedError``).

extension SolverSpecificationError: DescribedError {}
extension ModelFileError: DescribedError {}
extension TrainingError: DescribedError {}
extension BatchError: DescribedError {}
extension DataFileError: DescribedError {}
extension TargetsCSVError: DescribedError {}
extension ReachabilityMapError: DescribedError {}
