import Foundation
import NeuralIK

/// The figures of `neural-ik bench --plots`, drawn from a report that kept its samples
/// (``Benchmark/keepSamples``): error histograms, time against the distance from the reach, and the
/// workspace coloured by the hybrid's time and the network's error (Docs/Accuracy.md#figures).
///
/// Everything but the measured times and the date in the caption is fixed by the targets' seed,
/// so two runs differ only where the machine's speed does.
public struct BenchmarkFigures: Sendable {
  public let report: BenchmarkReport
  /// ``RobotModel/reachBound``, metres: the reach figures measure from it.
  public let reachBound: Double
  /// Appended to the caption, for context the benchmark cannot know (a commit, say).
  public var note: String?
  /// At most this many points per series in the scatter figures (every k-th target beyond), so a
  /// figure of 10,000 targets stays small enough to show on a web page.
  public var maximumPointsPerSeries = 1500

  public init(report: BenchmarkReport, robot: RobotModel, note: String? = nil) {
    self.report = report
    self.reachBound = robot.reachBound
    self.note = note
  }

  /// One figure: its file name (prefixed by the robot's name) and drawing.
  public struct Figure: Sendable {
    public var fileName: String
    public var svg: SVGDocument
  }

  /// Every figure the samples allow: the histograms when there are samples, the reach figure when they were timed,
  /// the workspace when the hybrid and the network both have rows.
  public var figures: [Figure] {
    guard !report.samples.isEmpty else { return [] }
    let stem = Self.fileStem(report.robot)
    var figures = [Figure(fileName: "\(stem)-errors.svg", svg: errorHistograms())]
    if let reach = timeAgainstReach() {
      figures.append(Figure(fileName: "\(stem)-time-vs-reach.svg", svg: reach))
    }
    if let workspace = workspace() {
      figures.append(Figure(fileName: "\(stem)-workspace.svg", svg: workspace))
    }
    return figures
  }

  /// A robot's name as the start of a file name in the figures' directory: letters, digits, `.`,
  /// `-` and `_` kept, anything else `_`, leading dots dropped. A URDF's name is the file's to
  /// choose: `../../x` or `dir/robot` named a file outside the directory, or one in a directory
  /// that does not exist, found only after the whole benchmark had run. A stem longer than
  /// ``maximumStemLength`` keeps its start and ends in the name's checksum, so that the file name
  /// stays within the 255 bytes a file system allows, and two long names still differ.
  package static func fileStem(_ name: String) -> String {
    let kept = String(
      name.unicodeScalars.map { scalar -> Character in
        scalar.isASCII
          && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            || "._-".unicodeScalars.contains(scalar))
          ? Character(scalar) : "_"
      })
    let stem = kept.drop { $0 == "." }
    guard !stem.isEmpty else { return "robot" }
    guard stem.count > maximumStemLength else { return String(stem) }
    let checksum = IKNetwork.checksum(Array(name.utf8))
    return String(stem.prefix(maximumStemLength - checksum.count - 1)) + "-" + checksum
  }

  /// The longest stem of a figure's file name, in characters (ASCII, so bytes): the longest
  /// figure's suffix, `-time-vs-reach.svg`, brings it to 98, far within any file system's 255.
  package static let maximumStemLength = 80

  /// Two or three lines under every figure: robot, targets, the specification every row shares,
  /// then where and when it was measured.
  var captionLines: [String] {
    let s = report.specification
    let settings = String(
      format:
        "tolerance %g m, %g rad; %d random restarts, seed %llu; at most %d iterations (lm), %d (hybrid)",
      s.tolerance.position, s.tolerance.rotation, s.randomRestarts, s.seed,
      s.with(kind: .levenbergMarquardt).maximumIterations, s.with(kind: .hybrid).maximumIterations)
    let context = report.context
    var measured = "Measured \(context["date"] ?? "(no date)") on \(context["cpu"] ?? "unknown CPU")"
    if let cores = context["cores"] { measured += ", \(cores) cores" }
    measured += ", one thread per solve; cblas \(context["cblas"] ?? "unknown")"
    if let note { measured += "; \(note)" }
    return [
      "Robot \(report.robot); \(context["targets"] ?? "targets unknown").",
      "Solvers as `neural-ik solve` builds them: \(settings).", measured + ".",
    ]
  }

  /// A canvas with the figure's title on top and the caption at the bottom, at least wide enough
  /// for the caption.
  func canvas(title: String, width: Double, height: Double) -> SVGDocument {
    var svg = SVGDocument(width: max(width, 1040), height: height)
    svg.text(title, x: 16, y: 24, size: 15, bold: true)
    for (index, line) in captionLines.enumerated() {
      svg.text(line, x: 16, y: height - 46 + Double(index) * 15, size: 10, fill: "#555555")
    }
    return svg
  }

  /// The solvers in the order of the report's rows.
  var solvers: [String] {
    report.samples.map(\.solver).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
  }

  /// A fixed colour per solver, by its place in the rows (red is kept for failures).
  func colour(of solver: String) -> String {
    let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#17becf"]
    return palette[(solvers.firstIndex(of: solver) ?? 0) % palette.count]
  }

  static let failureColour = "#d62728"

  /// A legend on one line under the title: a swatch and a label per entry.
  func legendRow(_ entries: [(colour: String, label: String)], y: Double, into svg: inout SVGDocument) {
    var x = 16.0
    for entry in entries {
      svg.rect(x: x, y: y, width: 10, height: 10, fill: entry.colour)
      svg.text(entry.label, x: x + 14, y: y + 9, size: 10)
      x += 14 + Double(entry.label.count) * 5.6 + 18
    }
  }

  /// Every k-th sample so that at most ``maximumPointsPerSeries`` remain, in target order.
  func thinned(_ samples: [TargetSample]) -> [TargetSample] {
    let stride = max(1, (samples.count + maximumPointsPerSeries - 1) / maximumPointsPerSeries)
    return Swift.stride(from: 0, to: samples.count, by: stride).map { samples[$0] }
  }
}
