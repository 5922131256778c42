/// A form that posts back to its page: each field shows the server's validation message next to
/// it, keeps what the person typed, and the form carries its CSRF token and an idempotency key.
public struct Form: Sendable {
  /// A `checkbox` sends `1` when ticked (and is ticked when its value is `1`); a `textarea`
  /// takes several lines.
  public enum Kind: String, Sendable { case text, password, date, number, email, hidden, select, checkbox, textarea, file }

  /// One field; `error` is the server's message for it, shown beside it.
  public struct Field: Sendable {
    public var name: String
    public var label: String
    public var kind: Kind
    public var value: String
    public var error: String?
    public var hint: String?
    public var required: Bool
    /// The choices of a `select` field: the value sent and the label shown. On a `text` field
    /// they are suggestions (a `datalist`): the person may still type something else.
    public var options: [(value: String, label: String)]

    public init(
      _ name: String, label: String, kind: Kind = .text, value: String = "", error: String? = nil, hint: String? = nil, required: Bool = false,
      options: [(value: String, label: String)] = []
    ) {
      self.name = name
      self.label = label
      self.kind = kind
      self.value = value
      self.error = error
      self.hint = hint
      self.required = required
      self.options = options
    }
  }

  public var action: String
  public var fields: [Field]
  public var submit: String
  /// The session's CSRF token; on the sign-in forms, which have no session yet, the value of
  /// their double-submit cookie.
  public var csrfToken: String?
  /// A fresh key per rendering: a double submit of the same form writes once.
  public var idempotencyKey: String
  /// A message for the whole form (e.g. 「ログインIDまたはパスワードが違います」).
  public var error: String?
  /// Set where a page has several forms with the same field names: the fields' ids become
  /// `field-<prefix>-<name>`, so each label still finds its own field.
  public var prefix: String?

  public init(action: String, fields: [Field], submit: String, csrfToken: String?, idempotencyKey: String, error: String? = nil) {
    self.action = action
    self.fields = fields
    self.submit = submit
    self.csrfToken = csrfToken
    self.idempotencyKey = idempotencyKey
    self.error = error
  }

  /// The names of the hidden fields every form carries.
  public static let csrfField = "_csrf"
  public static let idempotencyField = "_idempotency_key"

  public var html: HTML {
    var children: [HTML] = []
    if let error { children.append(.element("p", ["class": "form-error", "role": "alert"], [.text(error)])) }
    if let csrfToken { children.append(.element("input", ["type": "hidden", "name": Self.csrfField, "value": csrfToken])) }
    children.append(.element("input", ["type": "hidden", "name": Self.idempotencyField, "value": idempotencyKey]))
    for field in fields {
      if field.kind == .hidden {
        children.append(.element("input", ["type": "hidden", "name": field.name, "value": field.value]))
        continue
      }
      let id = "field-" + (prefix.map { "\($0)-" } ?? "") + field.name
      let errorID = "\(id)-error"
      let control: HTML
      if field.kind == .select {
        control = .element(
          "select",
          ["id": id, "name": field.name, "aria-invalid": field.error == nil ? nil : "true", "aria-describedby": field.error == nil ? nil : errorID],
          field.options.map { option in
            .element("option", ["value": option.value, "selected": option.value == field.value ? "" : nil], [.text(option.label)])
          })
      } else if field.kind == .textarea {
        control = .element(
          "textarea",
          ["id": id, "name": field.name, "rows": "3", "aria-invalid": field.error == nil ? nil : "true", "aria-describedby": field.error == nil ? nil : errorID],
          [.text(field.value)])
      } else if field.kind == .checkbox {
        control = .element(
          "input",
          [
            "id": id, "name": field.name, "type": "checkbox", "value": "1", "checked": field.value == "1" ? "" : nil,
            "aria-invalid": field.error == nil ? nil : "true", "aria-describedby": field.error == nil ? nil : errorID,
          ])
      } else {
        let suggestions = field.kind == .text && !field.options.isEmpty ? "\(id)-choices" : nil
        control = .join([
          .element(
            "input",
            [
              "id": id, "name": field.name, "type": field.kind == .date ? "text" : field.kind.rawValue,
              "value": field.kind == .password || field.kind == .file ? nil : field.value, "aria-invalid": field.error == nil ? nil : "true",
              "aria-describedby": field.error == nil ? nil : errorID, "placeholder": field.kind == .date ? "2023-03-31 または 令和5年3月31日" : nil,
              "list": suggestions,
            ]),
          suggestions.map { list in
            .element("datalist", ["id": list], field.options.map { .element("option", ["value": $0.value, "label": $0.label], []) })
          } ?? .empty,
        ])
      }
      var parts: [HTML] = [
        .element("label", ["for": id], [.text(field.label), field.required ? .element("span", ["class": "required"], [.text("必須")]) : .empty]),
        control,
      ]
      if let hint = field.hint { parts.append(.element("small", ["class": "hint"], [.text(hint)])) }
      if let error = field.error { parts.append(.element("p", ["class": "field-error", "id": errorID], [.text(error)])) }
      children.append(.element("div", ["class": field.error == nil ? "field" : "field invalid"], parts))
    }
    children.append(.element("button", ["type": "submit"], [.text(submit)]))
    // A form with a file field is sent as multipart/form-data (read by ``pageUpload(_:context:limit:)``).
    let enctype = fields.contains { $0.kind == .file } ? "multipart/form-data" : nil
    return .element("form", ["method": "post", "action": action, "enctype": enctype, "novalidate": ""], children)
  }
}

extension Form {
  /// Puts a problem's message beside its field (or above the form); `aliases` maps a problem's
  /// field to the form's field where their names differ.
  public mutating func mark(_ problem: Problem, aliases: [String: String] = [:]) {
    let name = problem.field.map { aliases[$0] ?? $0 }
    if let name, let index = fields.firstIndex(where: { $0.name == name && $0.kind != .hidden }) {
      fields[index].error = problem.detail
    } else {
      error = problem.detail
    }
  }

  /// Whether any message is shown.
  public var hasErrors: Bool { error != nil || fields.contains { $0.error != nil } }
}
