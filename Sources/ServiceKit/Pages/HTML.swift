/// A piece of HTML, escaped as it was built: text is escaped once when it becomes HTML, so a
/// page cannot carry a user's `<script>` by mistake.
public struct HTML: Sendable, Hashable, CustomStringConvertible {
  /// The markup, ready to send.
  public let markup: String

  /// Markup the caller vouches for (constants of this kit); never a user's text.
  init(trusted markup: String) { self.markup = markup }

  public var description: String { markup }

  /// Text, escaped.
  public static func text(_ text: String) -> HTML { HTML(trusted: escape(text)) }

  /// Nothing.
  public static let empty = HTML(trusted: "")

  /// An element with attributes (values escaped; nil values left out, `""` as a bare attribute)
  /// and children.
  public static func element(_ tag: String, _ attributes: KeyValuePairs<String, String?> = [:], _ children: [HTML] = []) -> HTML {
    var markup = "<\(tag)"
    for (name, value) in attributes {
      guard let value else { continue }
      markup += value.isEmpty ? " \(name)" : " \(name)=\"\(escape(value))\""
    }
    markup += ">"
    if voidElements.contains(tag) { return HTML(trusted: markup) }
    for child in children { markup += child.markup }
    return HTML(trusted: markup + "</\(tag)>")
  }

  /// Several pieces in a row.
  public static func join(_ parts: [HTML]) -> HTML { HTML(trusted: parts.map(\.markup).joined()) }

  static let voidElements: Set<String> = ["br", "hr", "img", "input", "link", "meta"]

  /// `&`, `<`, `>`, `"` and `'` as entities.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}

/// Shorthands for the elements pages use most.
public enum H {
  public static func text(_ text: String) -> HTML { .text(text) }
  public static func p(_ children: HTML..., class name: String? = nil) -> HTML { .element("p", ["class": name], children) }
  public static func h1(_ text: String) -> HTML { .element("h1", [:], [.text(text)]) }
  public static func h2(_ text: String) -> HTML { .element("h2", [:], [.text(text)]) }
  public static func a(_ text: String, href: String, class name: String? = nil) -> HTML {
    .element("a", ["href": href, "class": name], [.text(text)])
  }
  public static func div(_ children: [HTML], class name: String? = nil, id: String? = nil) -> HTML {
    .element("div", ["class": name, "id": id], children)
  }
  public static func section(_ children: [HTML], class name: String? = nil) -> HTML { .element("section", ["class": name], children) }
}
