/// A table of rows, with numeric columns right-aligned (amounts line up by the yen).
public struct Table: Sendable {
  public struct Column: Sendable {
    public var title: String
    public var numeric: Bool
    public init(_ title: String, numeric: Bool = false) {
      self.title = title
      self.numeric = numeric
    }
  }

  public var caption: String?
  public var columns: [Column]
  public var rows: [[HTML]]

  public init(caption: String? = nil, columns: [Column], rows: [[HTML]]) {
    self.caption = caption
    self.columns = columns
    self.rows = rows
  }

  public var html: HTML {
    let head = HTML.element(
      "thead", [:],
      [.element("tr", [:], columns.map { .element("th", ["scope": "col", "class": $0.numeric ? "num" : nil], [.text($0.title)]) })])
    let body = HTML.element(
      "tbody", [:],
      rows.map { row in
        .element("tr", [:], zip(columns, row).map { column, cell in .element("td", ["class": column.numeric ? "num" : nil], [cell]) })
      })
    return .element("table", ["class": "data"], (caption.map { [.element("caption", [:], [.text($0)])] } ?? []) + [head, body])
  }
}
