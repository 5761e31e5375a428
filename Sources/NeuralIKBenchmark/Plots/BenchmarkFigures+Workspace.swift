import Foundation
import NeuralIK

extension BenchmarkFigures {
  /// The workspace in the half-plane through the base's z axis: every target turned about that
  /// axis into the plane (horizontal distance from the axis r, height z, base frame, equal scales),
  /// coloured by the hybrid's time (left) and the network's position error (right, beyond the
  /// closest reachable distance out of reach). Circles are reachable targets, squares out of reach;
  /// the dashed arc is the reach bound. `nil` without hybrid and network rows.
  func workspace() -> SVGDocument? {
    let hybrid = report.samples.filter { $0.solver == SolverKind.hybrid.rawValue }
    let network = report.samples.filter { $0.solver == SolverKind.network.rawValue }
    guard !hybrid.isEmpty, !network.isEmpty else { return nil }
    let all = hybrid.flatMap(\.samples)
    let radial = { (p: Vector3) -> Double in (p.x * p.x + p.y * p.y).squareRoot() }
    let rs = all.map { radial($0.targetPosition) }
    let zs = all.map(\.targetPosition.z)
    // Equal scales: the wider span sets metres per pixel, the narrower is centred in its panel.
    let rSpan = max(0.05, (rs.max() ?? 1) * 1.04)
    let (zLow, zHigh) = (zs.min() ?? -0.5, zs.max() ?? 0.5)
    let zSpan = max(0.05, (zHigh - zLow) * 1.08)
    let panelWidth = 380.0
    let panelHeight = min(520, max(200, panelWidth * zSpan / rSpan))
    let metresPerPixel = max(rSpan / panelWidth, zSpan / panelHeight)
    let zMiddle = (zLow + zHigh) / 2
    let xScale = AxisScale.linear(0, panelWidth * metresPerPixel)
    let yScale = AxisScale.linear(
      zMiddle - panelHeight * metresPerPixel / 2, zMiddle + panelHeight * metresPerPixel / 2)

    let times = all.compactMap { $0.seconds.map { $0 * 1e6 } }
    let errors = network.flatMap(\.samples).map { $0.excessError * 1000 }
    let panels: [(title: String, rows: [RowSamples], scale: ColourScale, value: (TargetSample) -> Double?)] =
      [
        (
          "hybrid: time per solve", hybrid,
          ColourScale(scale: .fitting(times, logarithmic: true), label: "time per solve (µs, log scale)"),
          { $0.seconds.map { $0 * 1e6 } }
        ),
        (
          "network alone: position error", network,
          ColourScale(
            scale: .fitting(errors.map { max($0, 1e-6) }, logarithmic: true),
            label: "position error (mm, log scale)"),
          { $0.excessError * 1000 }
        ),
      ]
    let (left, top, gap) = (80.0, 96.0, 150.0)
    var svg = canvas(
      title: "Where in the workspace the hybrid is slow and the network is wrong (\(report.robot))",
      width: left + 2 * (panelWidth + gap), height: top + panelHeight + 120)
    svg.text(
      "Every target turned about the base z axis into one plane: r = √(x² + y²), z in the base frame, equal scales. "
        + "Circles: reachable; squares: out of reach; dashed: the reach bound.",
      x: 16, y: 44, size: 11, fill: "#555555")
    for (index, content) in panels.enumerated() {
      let panel = PlotPanel(
        x: left + Double(index) * (panelWidth + gap), y: top, width: panelWidth, height: panelHeight,
        xScale: xScale, yScale: yScale, title: content.title, xLabel: "r, distance from the base z axis (m)",
        yLabel: "z, height (m)")
      panel.drawAxes(into: &svg)
      drawReachBound(in: panel, into: &svg)
      for row in content.rows {
        for sample in thinned(row.samples) {
          guard let value = content.value(sample) else { continue }
          let point = panel.pixel(radial(sample.targetPosition), sample.targetPosition.z)
          let fill = content.scale.colour(value)
          if sample.reachDistance == nil {
            svg.circle(x: point.x, y: point.y, radius: 2.2, fill: fill, opacity: 0.8)
          } else {
            svg.rect(x: point.x - 2, y: point.y - 2, width: 4, height: 4, fill: fill)
          }
        }
      }
      content.scale.drawBar(x: panel.x + panelWidth + 14, y: top, height: panelHeight, into: &svg)
    }
    return svg
  }

  /// The part of the reach-bound circle (centre: the base origin) inside the panel, as dashed runs.
  private func drawReachBound(in panel: PlotPanel, into svg: inout SVGDocument) {
    var run: [(x: Double, y: Double)] = []
    for step in 0...180 {
      let angle = -Double.pi / 2 + Double.pi * Double(step) / 180
      let (r, z) = (reachBound * cos(angle), reachBound * sin(angle))
      let inside =
        panel.xScale.lower...panel.xScale.upper ~= r && panel.yScale.lower...panel.yScale.upper ~= z
      if inside {
        run.append(panel.pixel(r, z))
      } else {
        svg.polyline(run, stroke: "#888888", dashed: true)
        run = []
      }
    }
    svg.polyline(run, stroke: "#888888", dashed: true)
  }
}
