/// One set of axes in a figure: its pixel frame, two scales, a title and axis labels (with units).
/// It draws its frame, grid, ticks and labels, and maps data to pixels inside the frame.
public struct PlotPanel: Sendable {
  /// The plotting area in pixels (ticks and labels are drawn outside it).
  public var x: Double
  public var y: Double
  public var width: Double
  public var height: Double
  public var xScale: AxisScale
  public var yScale: AxisScale
  public var title: String
  public var xLabel: String
  public var yLabel: String

  public init(
    x: Double, y: Double, width: Double, height: Double, xScale: AxisScale, yScale: AxisScale,
    title: String, xLabel: String, yLabel: String
  ) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
    self.xScale = xScale
    self.yScale = yScale
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  /// The pixel of a data point, clamped to the frame.
  public func pixel(_ dataX: Double, _ dataY: Double) -> (x: Double, y: Double) {
    (x + xScale.fraction(dataX) * width, y + height - yScale.fraction(dataY) * height)
  }

  /// Frame, light grid lines at the ticks, tick labels, axis labels and title.
  public func drawAxes(into svg: inout SVGDocument) {
    for tick in xScale.ticks {
      let px = pixel(tick.value, yScale.lower).x
      svg.line(x1: px, y1: y, x2: px, y2: y + height, stroke: "#e6e6e6")
      svg.line(x1: px, y1: y + height, x2: px, y2: y + height + 4, stroke: "#444444")
      svg.text(tick.label, x: px, y: y + height + 16, size: 10, anchor: .middle)
    }
    for tick in yScale.ticks {
      let py = pixel(xScale.lower, tick.value).y
      svg.line(x1: x, y1: py, x2: x + width, y2: py, stroke: "#e6e6e6")
      svg.line(x1: x - 4, y1: py, x2: x, y2: py, stroke: "#444444")
      svg.text(tick.label, x: x - 6, y: py + 3.5, size: 10, anchor: .end)
    }
    svg.line(x1: x, y1: y + height, x2: x + width, y2: y + height, stroke: "#444444")
    svg.line(x1: x, y1: y, x2: x, y2: y + height, stroke: "#444444")
    svg.text(xLabel, x: x + width / 2, y: y + height + 32, size: 11, anchor: .middle)
    svg.text(yLabel, x: x - 44, y: y + height / 2, size: 11, anchor: .middle, rotated: true)
    svg.text(title, x: x, y: y - 8, size: 12, bold: true)
  }
}
