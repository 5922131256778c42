public import Hummingbird
public import SharedKernel

/// Someone the service recognised: a user with a role, signed in by token or session.
public struct AuthenticatedUser: Sendable, Hashable {
  public var id: UserID
  public var login: String
  public var role: Role
  /// The network organisation of a `partner` user: it sees only what concerns it.
  public var organisation: String?
  /// The session a page request came with (nil for a bearer token): its CSRF token guards forms.
  public var session: SessionInfo?

  public init(id: UserID, login: String, role: Role, organisation: String? = nil, session: SessionInfo? = nil) {
    self.id = id
    self.login = login
    self.role = role
    self.organisation = organisation
    self.session = session
  }

  /// The principal events record.
  public var principal: Principal { .user(id, role) }
}

/// A signed-in browser session as a page request sees it.
public struct SessionInfo: Sendable, Hashable {
  public var id: String
  /// Every form carries it; a form post without it is refused.
  public var csrfToken: String

  public init(id: String, csrfToken: String) {
    self.id = id
    self.csrfToken = csrfToken
  }
}

/// The request context of every KIP service: a request id (also the correlation id of the
/// events a request writes) and, once authenticated, the user.
public struct KIPRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// From a well-formed `X-Request-ID`, else made here; echoed in the response.
  public var requestID: String
  public var user: AuthenticatedUser?

  public init(source: Source) {
    coreContext = .init(source: source)
    requestID = ""
    user = nil
  }

  /// Request bodies are read by ``JSONInput`` with its own limits; this is Hummingbird's ceiling.
  public var maxUploadSize: Int { JSONInput.Limits.files.bodyBytes }
}
