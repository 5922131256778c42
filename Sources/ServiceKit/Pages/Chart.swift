import Foundation

/// Bar and line charts drawn on the server as inline SVG: no script, prints as it shows.
public struct Chart: Sendable {
  public enum Style: Sendable { case bar, line }

  /// One labelled value (a month, a space), in any unit the caller names.
  public struct Point: Sendable {
    public var label: String
    public var value: Int64
    public init(_ label: String, _ value: Int64) {
      self.label = label
      self.value = value
    }
  }

  public var title: String
  public var style: Style
  public var points: [Point]
  /// How values are written on the axis and in tooltips (e.g. `{ "\($0)千円" }`).
  public var format: @Sendable (Int64) -> String
  public var width = 640
  public var height = 260
  /// A level to read the values against (a year's target), drawn as a dashed line with its label.
  public var reference: (label: String, value: Int64)?

  public init(
    title: String, style: Style, points: [Point], reference: (label: String, value: Int64)? = nil,
    format: @escaping @Sendable (Int64) -> String = { "\($0)" }
  ) {
    self.title = title
    self.style = style
    self.points = points
    self.reference = reference
    self.format = format
  }

  public var html: HTML {
    let left = 72.0, right = 16.0, top = 28.0, bottom = 40.0
    let plotWidth = Double(width) - left - right
    let plotHeight = Double(height) - top - bottom
    let maximum = max(points.map(\.value).max() ?? 0, reference?.value ?? 0, 1)
    let minimum = min(points.map(\.value).min() ?? 0, 0)
    let span = Double(maximum - minimum)
    func y(_ value: Int64) -> Double { top + plotHeight * (1 - Double(value - minimum) / span) }
    let step = points.isEmpty ? plotWidth : plotWidth / Double(points.count)
    var parts: [String] = [
      #"<title>\#(HTML.escape(title))</title>"#,
      #"<text x="\#(left)" y="18" class="chart-title">\#(HTML.escape(title))</text>"#,
      #"<line x1="\#(left)" y1="\#(y(0))" x2="\#(Double(width) - right)" y2="\#(y(0))" class="axis"/>"#,
      #"<text x="\#(left - 6)" y="\#(y(maximum) + 4)" text-anchor="end" class="tick">\#(HTML.escape(format(maximum)))</text>"#,
      #"<text x="\#(left - 6)" y="\#(y(minimum) + 4)" text-anchor="end" class="tick">\#(HTML.escape(format(minimum)))</text>"#,
    ]
    var line: [String] = []
    for (index, point) in points.enumerated() {
      let x = left + step * Double(index)
      let label = HTML.escape("\(point.label): \(format(point.value))")
      switch style {
      case .bar:
        let top = min(y(point.value), y(0))
        let height = abs(y(point.value) - y(0))
        parts.append(
          #"<rect x="\#(x + step * 0.15)" y="\#(top)" width="\#(step * 0.7)" height="\#(height)" class="bar"><title>\#(label)</title></rect>"#)
      case .line:
        let cx = x + step / 2
        line.append("\(cx),\(y(point.value))")
        parts.append(#"<circle cx="\#(cx)" cy="\#(y(point.value))" r="3" class="dot"><title>\#(label)</title></circle>"#)
      }
      parts.append(
        #"<text x="\#(x + step / 2)" y="\#(Double(height) - bottom + 16)" text-anchor="middle" class="tick">\#(HTML.escape(point.label))</text>"#)
    }
    if let reference {
      let level = y(reference.value)
      let text = HTML.escape("\(reference.label) \(format(reference.value))")
      parts.append(
        #"<line x1="\#(left)" y1="\#(level)" x2="\#(Double(width) - right)" y2="\#(level)" class="reference"><title>\#(text)</title></line>"#)
      parts.append(#"<text x="\#(Double(width) - right)" y="\#(level - 4)" text-anchor="end" class="tick">\#(text)</text>"#)
    }
    if style == .line, !line.isEmpty {
      parts.insert(#"<polyline points="\#(line.joined(separator: " "))" class="line"/>"#, at: 3)
    }
    return HTML(
      trusted: #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 \#(width) \#(height)" width="\#(width)" height="\#(height)">"#
        + parts.joined() + "</svg>")
  }
}
