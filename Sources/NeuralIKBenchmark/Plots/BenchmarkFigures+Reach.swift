import Foundation
import NeuralIK

extension BenchmarkFigures {
  /// Time per solve against the distance from the reach, one series per solver, failures ringed in
  /// red. Reachable targets: metres inside the reach bound (``RobotModel/reachBound`` less the
  /// target's distance from the base origin), which is at least the distance to the true boundary;
  /// out of reach: metres to the closest reachable point, as the benchmark measured it. `nil`
  /// when nothing was timed.
  func timeAgainstReach() -> SVGDocument? {
    let timed = report.samples.filter { $0.samples.contains { $0.seconds != nil } }
    guard !timed.isEmpty else { return nil }
    let sets = timed.map(\.targetSet).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    let micros = timed.flatMap { $0.samples.compactMap { $0.seconds.map { $0 * 1e6 } } }
    let yScale = AxisScale.fitting(micros, logarithmic: true)
    let (panelWidth, panelHeight) = (440.0, 320.0)
    let (left, top, gap) = (80.0, 96.0, 90.0)
    let width = left + Double(sets.count) * (panelWidth + gap)
    var svg = canvas(
      title: "Time per solve against the distance from the reach (\(report.robot))", width: width,
      height: top + panelHeight + 120)
    svg.text(
      "Reachable: the reach bound (\(String(format: "%.3f", reachBound)) m, every link's length added up) less the "
        + "target's distance from the base, at least its distance to the true boundary. Out of reach: its distance to the reach.",
      x: 16, y: 44, size: 11, fill: "#555555")
    legendRow(
      solvers.map { (colour(of: $0), $0) } + [(Self.failureColour, "ringed: outside the tight tolerance")],
      y: 58,
      into: &svg)

    for (column, set) in sets.enumerated() {
      let rows = timed.filter { $0.targetSet == set }
      let outOfReach = set == BenchmarkTargets.outOfReachName
      let distance = { (sample: TargetSample) -> Double in
        outOfReach ? (sample.reachDistance ?? 0) : reachBound - sample.targetPosition.length
      }
      let panel = PlotPanel(
        x: left + Double(column) * (panelWidth + gap), y: top, width: panelWidth, height: panelHeight,
        xScale: .fitting(rows.flatMap { $0.samples.map(distance) } + [0], logarithmic: false), yScale: yScale,
        title: "\(set) targets",
        xLabel: outOfReach ? "distance to the reach (m)" : "distance inside the reach bound (m)",
        yLabel: "time per solve (µs, log scale)")
      panel.drawAxes(into: &svg)
      for row in rows {
        for sample in thinned(row.samples) {
          guard let seconds = sample.seconds else { continue }
          let point = panel.pixel(distance(sample), seconds * 1e6)
          svg.circle(
            x: point.x, y: point.y, radius: sample.succeeded ? 2.2 : 3.2, fill: colour(of: row.solver),
            stroke: sample.succeeded ? nil : Self.failureColour, opacity: 0.55)
        }
      }
    }
    return svg
  }
}
