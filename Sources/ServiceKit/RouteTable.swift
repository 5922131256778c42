public import Hummingbird
public import SharedKernel

/// Who may call a route.
public enum Access: Sendable, Hashable {
  /// Everyone, signed in or not (`/health`, `/metrics`, `/openapi.json`, the login page).
  case anyone
  /// Any signed-in user, whatever the role.
  case signedIn
  /// Signed-in users with one of these roles.
  case roles(Set<Role>)

  /// Whether `role` may call it (a signed-in user's role).
  public func allows(_ role: Role) -> Bool {
    switch self {
    case .anyone, .signedIn: true
    case .roles(let roles): roles.contains(role)
    }
  }
}

/// A documented parameter of a route.
public struct RouteParameter: Sendable, Hashable {
  public enum Location: String, Sendable, Hashable { case path, query, header }
  public var name: String
  public var location: Location
  public var required: Bool
  public var schema: Schema
  public var description: String

  public init(_ name: String, in location: Location, required: Bool = false, schema: Schema = .string(), _ description: String) {
    self.name = name
    self.location = location
    self.required = location == .path ? true : required
    self.schema = schema
    self.description = description
  }
}

/// A documented answer of a route (errors are documented once for all, as problem+json).
public struct RouteResponse: Sendable, Hashable {
  public var status: Int
  public var description: String
  public var schema: Schema?
  public var mediaType: String
  /// Response headers it sets, e.g. `ETag`, `X-KIP-Position`, `Retry-After`.
  public var headers: [String]

  public init(_ status: Int, _ description: String, schema: Schema? = nil, mediaType: String = "application/json", headers: [String] = []) {
    self.status = status
    self.description = description
    self.schema = schema
    self.mediaType = mediaType
    self.headers = headers
  }
}

/// One route: its path, what it is for, who may call it, its documentation and its handler.
/// A route cannot be registered without a summary and an access rule, so the OpenAPI document
/// and the role × route matrix always describe every route there is.
public struct Route: Sendable {
  public typealias Handler = @Sendable (Request, KIPRequestContext) async throws -> Response

  public var method: HTTPRequest.Method
  /// OpenAPI form, `{name}` for a parameter: `/admin/projections/{name}/rebuild`.
  public var path: String
  public var summary: String
  public var access: Access
  /// A write that appends events: it needs an `Idempotency-Key` (428 without) and may take `If-Match`.
  public var appendsEvents: Bool
  public var parameters: [RouteParameter]
  public var requestBody: Schema?
  /// How the body is sent: JSON for the API, `application/x-www-form-urlencoded` for page forms.
  /// The body's media type, or several comma-separated (`text/csv, application/octet-stream`).
  public var requestMediaType: String
  public var responses: [RouteResponse]
  /// Grouping in the document (e.g. `admin`, `health`).
  public var tag: String
  /// A page for people (HTML): without a session it redirects to the login page instead of 401.
  public var isPage: Bool
  /// Answers from the read models: it takes `X-KIP-Min-Position` and waits for it. Other routes
  /// neither document nor honour the header.
  public var readsModels: Bool
  public var handler: Handler

  public init(
    _ method: HTTPRequest.Method, _ path: String, summary: String, access: Access, appendsEvents: Bool = false,
    parameters: [RouteParameter] = [], requestBody: Schema? = nil, requestMediaType: String = "application/json",
    responses: [RouteResponse], tag: String, isPage: Bool = false, readsModels: Bool = false,
    handler: @escaping Handler
  ) {
    precondition(!summary.isEmpty, "every route has a summary")
    precondition(path.hasPrefix("/"), "paths start with /")
    self.method = method
    self.path = path
    self.summary = summary
    self.access = access
    self.appendsEvents = appendsEvents
    self.parameters = parameters
    self.requestBody = requestBody
    self.requestMediaType = requestMediaType
    self.responses = responses
    self.tag = tag
    self.isPage = isPage
    self.readsModels = readsModels
    self.handler = handler
  }

  /// The path in Hummingbird's form (`:name`).
  var routerPath: String {
    path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
      segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
    }.joined(separator: "/")
  }

  /// Whether a request path fits this route's pattern; a path parameter documented with a list
  /// of values (`{action}`: confirm, pay, …) fits only those, so `/x/{id}/permit` is not taken
  /// for `/x/{id}/{action}`.
  func matches(_ requestPath: String) -> Bool {
    let pattern = path.split(separator: "/")
    let actual = requestPath.split(separator: "/")
    guard pattern.count == actual.count else { return false }
    return zip(pattern, actual).allSatisfy { expected, given in
      guard expected.hasPrefix("{") && expected.hasSuffix("}") else { return expected == given }
      let name = String(expected.dropFirst().dropLast())
      guard let parameter = parameters.first(where: { $0.name == name && $0.location == .path }),
        case .string(_, _, _, let values?, _) = parameter.schema
      else { return true }
      return values.contains(String(given))
    }
  }
}

/// A service's routes: the single source for the router, the OpenAPI document and the role ×
/// route matrix.
public struct RouteTable: Sendable {
  public let service: String
  public let title: String
  public private(set) var routes: [Route] = []

  public init(service: String, title: String) {
    self.service = service
    self.title = title
  }

  /// Adds a route; a second route with the same method and path is a programming error.
  public mutating func add(_ route: Route) {
    precondition(
      !routes.contains { $0.method == route.method && $0.path == route.path }, "\(route.method) \(route.path) is registered twice")
    routes.append(route)
  }

  public mutating func add(_ more: [Route]) {
    for route in more { add(route) }
  }

  /// The methods registered for a path (for 405's `Allow`), sorted.
  public func methods(for requestPath: String) -> [HTTPRequest.Method] {
    routes.filter { $0.matches(requestPath) }.map(\.method).sorted { $0.rawValue < $1.rawValue }
  }

  /// The route a request reached, if any.
  public func route(_ method: HTTPRequest.Method, _ requestPath: String) -> Route? {
    routes.first { $0.method == method && $0.matches(requestPath) }
  }

  /// Each route with each role and whether that role may call it: the matrix to review and test.
  public var matrix: [(route: Route, role: Role, allowed: Bool)] {
    routes.flatMap { route in Role.allCases.map { (route, $0, route.access.allows($0)) } }
  }
}
