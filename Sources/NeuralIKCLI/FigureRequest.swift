import Foundation
import NeuralIK
import NeuralIKBenchmark

/// Where `bench --plots` writes its figures, and the note for their captions.
struct FigureRequest {
  var directory: String
  var note: String?

  /// Creates the directory if it is missing: called before a run, which can take minutes, so that
  /// a path that cannot be one (a file, a folder without write access) fails at once.
  func prepare() throws {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw CLIError("cannot create the plots directory '\(directory)': \(error.localizedDescription)")
    }
    guard FileManager.default.isWritableFile(atPath: directory) else {
      throw CLIError("cannot write into the plots directory '\(directory)': permission denied")
    }
  }

  /// Writes every figure of `report` (which kept its samples) into the directory, creating it.
  func write(_ report: BenchmarkReport, robot: RobotModel) throws {
    try prepare()
    let figures = BenchmarkFigures(report: report, robot: robot, note: note).figures
    for figure in figures {
      let path = URL(filePath: directory).appending(path: figure.fileName).path
      try EvaluationOptions.write(Data(figure.svg.xml.utf8), to: path)
      print("wrote \(path)")
    }
  }
}
