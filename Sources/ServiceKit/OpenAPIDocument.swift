public import Foundation

/// The OpenAPI 3.1 document of a route table, served at `GET /openapi.json`.
///
/// Every operation documents its own answers, the headers of the conventions (`Idempotency-Key`,
/// `If-Match` and `ETag`, `X-KIP-Min-Position`, `X-KIP-Position`), its allowed roles
/// (`x-kip-roles`), and a `default` answer in problem+json for every error.
public struct OpenAPIDocument: Encodable, Sendable {
  struct Info: Encodable, Sendable {
    var title: String
    var version: String
    var description: String
  }

  struct MediaType: Encodable, Sendable {
    var schema: Schema
  }

  struct Header: Encodable, Sendable {
    var description: String
    var schema: Schema
  }

  struct Response: Encodable, Sendable {
    var description: String
    var content: [String: MediaType]?
    var headers: [String: Header]?
  }

  struct Parameter: Encodable, Sendable {
    var name: String
    var `in`: String
    var required: Bool
    var description: String
    var schema: Schema
  }

  struct RequestBody: Encodable, Sendable {
    var required: Bool
    var content: [String: MediaType]
  }

  struct Operation: Encodable, Sendable {
    var operationId: String
    var summary: String
    var tags: [String]
    var parameters: [Parameter]
    var requestBody: RequestBody?
    var responses: [String: Response]
    var security: [[String: [String]]]?
    var xRoles: [String]

    enum CodingKeys: String, CodingKey {
      case operationId, summary, tags, parameters, requestBody, responses, security
      case xRoles = "x-kip-roles"
    }
  }

  struct SecurityScheme: Encodable, Sendable {
    var type: String
    var scheme: String?
    var `in`: String?
    var name: String?
  }

  struct Components: Encodable, Sendable {
    var schemas: [String: Schema]
    var securitySchemes: [String: SecurityScheme]
  }

  var openapi = "3.1.0"
  var info: Info
  var paths: [String: [String: Operation]]
  var components: Components

  public init(_ table: RouteTable) {
    info = Info(
      title: table.title, version: "1",
      description: "Errors are RFC 9457 problem+json with a stable type (urn:kip:problem:…). Writes need an Idempotency-Key.")
    components = Components(
      schemas: ["Problem": .problem],
      securitySchemes: [
        "bearer": SecurityScheme(type: "http", scheme: "bearer"),
        "session": SecurityScheme(type: "apiKey", in: "cookie", name: SessionCookie.name),
      ])
    var paths: [String: [String: Operation]] = [:]
    for route in table.routes {
      paths[route.path, default: [:]][route.method.rawValue.lowercased()] = Self.operation(route, service: table.service)
    }
    self.paths = paths
  }

  static func operation(_ route: Route, service: String) -> Operation {
    let problem = ["application/problem+json": MediaType(schema: .reference("Problem"))]
    var parameters = route.parameters.map { parameter in
      Parameter(
        name: parameter.name, in: parameter.location.rawValue, required: parameter.required, description: parameter.description,
        schema: parameter.schema)
    }
    if route.appendsEvents {
      parameters.append(
        Parameter(
          name: "Idempotency-Key", in: "header", required: true,
          description: "A key of your choosing, new for each intended change; a retry with the same key and body gets the first answer.",
          schema: .string(pattern: #"^[\x21-\x7E]{1,200}$"#)))
      parameters.append(
        Parameter(
          name: "If-Match", in: "header", required: false,
          description: "The ETag (stream version) you last saw; the write is refused with 412 if it is no longer current.",
          schema: .string()))
    } else if route.readsModels {
      parameters.append(
        Parameter(
          name: "X-KIP-Min-Position", in: "header", required: false,
          description: "Wait (briefly) until the read models have reached this log position: read your own writes.",
          schema: .string(pattern: "^[0-9]{1,18}$")))
    }
    var responses: [String: Response] = [:]
    for answer in route.responses {
      var headers: [String: Header] = [:]
      for name in answer.headers {
        headers[name] = Header(description: headerDescriptions[name] ?? name, schema: .string())
      }
      if route.appendsEvents {
        headers["ETag"] = Header(description: headerDescriptions["ETag"] ?? "", schema: .string())
        headers["X-KIP-Position"] = Header(description: headerDescriptions["X-KIP-Position"] ?? "", schema: .string())
      }
      // A text answer without a schema (CSV) is still listed, as a string; two answers with one
      // status (JSON or CSV by `format`) are one response with two media types.
      let schema = answer.schema ?? (answer.mediaType.hasPrefix("text/") ? .string() : nil)
      let content = schema.map { [answer.mediaType: MediaType(schema: $0)] }
      let status = String(answer.status)
      if var earlier = responses[status] {
        earlier.content = (earlier.content ?? [:]).merging(content ?? [:]) { first, _ in first }
        if !headers.isEmpty { earlier.headers = (earlier.headers ?? [:]).merging(headers) { first, _ in first } }
        responses[status] = earlier
      } else {
        responses[status] = Response(description: answer.description, content: content, headers: headers.isEmpty ? nil : headers)
      }
    }
    responses["default"] = Response(description: "An error, as problem+json", content: problem, headers: nil)
    let roles: [String] =
      switch route.access {
      case .anyone: ["anyone"]
      case .signedIn: ["signed-in"]
      case .roles(let roles): roles.map(\.rawValue).sorted()
      }
    let operationID =
      route.method.rawValue.lowercased()
      + route.path.split(separator: "/").map { segment in
        segment.filter { $0.isLetter || $0.isNumber }.capitalized
      }.joined()
    return Operation(
      operationId: operationID, summary: route.summary, tags: [route.tag], parameters: parameters,
      requestBody: route.requestBody.map { schema in
        // A route that takes several media types lists them comma-separated, each with the schema.
        let types = route.requestMediaType.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return RequestBody(required: true, content: Dictionary(types.map { ($0, MediaType(schema: schema)) }, uniquingKeysWith: { first, _ in first }))
      },
      responses: responses, security: route.access == .anyone ? nil : [["bearer": []], ["session": []]], xRoles: roles)
  }

  static let headerDescriptions = [
    "ETag": "The stream's version after the write, as a strong ETag: send it back in If-Match.",
    "X-KIP-Position": "The log position written: send it as X-KIP-Min-Position to read your own write.",
    "Retry-After": "Seconds to wait before asking again.",
  ]

  /// The document as JSON bytes, keys sorted.
  public func json() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(self)) ?? Data("{}".utf8)
  }
}
