import Foundation

extension BenchmarkFigures {
  /// Half a decade per bar.
  static let binsPerDecade = 2.0

  /// One panel per row (solver × target set): how many targets end at each position error, on a
  /// log scale, successes and failures side by side in each bin. Out of reach, the error counted is
  /// the excess over the closest reachable distance, as the success rate counts it.
  func errorHistograms() -> SVGDocument {
    let sets = report.samples.map(\.targetSet).reduce(into: [String]()) {
      if !$0.contains($1) { $0.append($1) }
    }
    let errors = report.samples.flatMap { $0.samples.map { $0.excessError * 1000 } }
    let positive = errors.filter { $0 > 0 && $0.isFinite }
    let lowest = max(-12, Foundation.log10(positive.min() ?? 1e-6).rounded(.down))
    let highest = max(lowest + 1, Foundation.log10(positive.max() ?? 1).rounded(.up))
    let bins = Int(((highest - lowest) * Self.binsPerDecade).rounded())
    let xScale = AxisScale.logarithmic(Foundation.pow(10, lowest), Foundation.pow(10, highest))

    let (panelWidth, panelHeight) = (380.0, 160.0)
    let (left, top, columnGap, rowGap) = (80.0, 100.0, 110.0, 80.0)
    let rows = (report.samples.count + sets.count - 1) / max(1, sets.count)
    let width = left + Double(sets.count) * (panelWidth + columnGap)
    let height = top + Double(rows) * (panelHeight + rowGap) + 40
    var svg = canvas(
      title: "Position error per solver (\(report.robot)): successes and failures", width: width,
      height: height)
    svg.text(
      "Success: within the tight tolerance (position, and rotation for poses; the dashed line is its position). "
        + "Errors below \(AxisScale.decade(Int(lowest))) mm, exact zeros included, are counted in the first bar.",
      x: 16, y: 44, size: 11, fill: "#555555")
    legendRow(
      solvers.map { (colour(of: $0), "\($0): within the tight tolerance") } + [
        (Self.failureColour, "outside it")
      ],
      y: 58, into: &svg)

    for (index, row) in report.samples.enumerated() {
      let column = Double(sets.firstIndex(of: row.targetSet) ?? 0)
      let line = Double(solvers.firstIndex(of: row.solver) ?? index)
      var counts = Array(repeating: (succeeded: 0, failed: 0), count: bins)
      for sample in row.samples {
        let error = sample.excessError * 1000
        let place = error > 0 ? (Foundation.log10(error) - lowest) * Self.binsPerDecade : 0
        let bin = min(bins - 1, max(0, Int(place.isFinite ? place.rounded(.down) : 0)))
        if sample.succeeded { counts[bin].succeeded += 1 } else { counts[bin].failed += 1 }
      }
      let n = max(1, row.samples.count)
      let shares = counts.flatMap { [$0.succeeded, $0.failed] }.filter { $0 > 0 }.map {
        Double($0) / Double(n) * 100
      }
      let failures = row.samples.filter { !$0.succeeded }.count
      let success = Double(n - failures) / Double(n) * 100
      let panel = PlotPanel(
        x: left + column * (panelWidth + columnGap), y: top + line * (panelHeight + rowGap),
        width: panelWidth, height: panelHeight, xScale: xScale,
        yScale: .logarithmic((shares.min() ?? 1) / 2, 100),
        title: String(
          format: "%@, %@: %.2f%% succeed, %d fail", row.solver, row.targetSet, success, failures),
        xLabel: row.targetSet == BenchmarkTargets.outOfReachName
          ? "position error beyond the closest reachable distance (mm, log scale)"
          : "position error (mm, log scale)",
        yLabel: "share of targets (%)")
      panel.drawAxes(into: &svg)
      let barWidth = panelWidth / Double(bins) / 2
      for (bin, count) in counts.enumerated() {
        let start = panel.x + Double(bin) * barWidth * 2
        for (offset, value, fill, kind) in [
          (0.0, count.succeeded, colour(of: row.solver), "succeeded"),
          (barWidth, count.failed, Self.failureColour, "failed"),
        ] where value > 0 {
          let top = panel.pixel(1, Double(value) / Double(n) * 100).y
          let lower = Foundation.pow(10, lowest + Double(bin) / Self.binsPerDecade)
          svg.rect(
            x: start + offset + 0.5, y: top, width: barWidth - 1, height: panel.y + panel.height - top,
            fill: fill,
            title: String(format: "%d %@ from %.3g mm", value, kind, lower))
        }
      }
      let tolerance = panel.pixel(report.tolerances.tight.position * 1000, 1).x
      svg.line(
        x1: tolerance, y1: panel.y, x2: tolerance, y2: panel.y + panel.height, stroke: Self.failureColour,
        dashed: true)
    }
    return svg
  }
}
