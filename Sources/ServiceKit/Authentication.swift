import Foundation
import HTTPTypes
import Hummingbird

/// Turns a request's credentials into a user: the credentials store plugs in here at start-up
/// (as a log backend plugs into swift-log), so ServiceKit does not depend on how they are kept.
public protocol Authenticator: Sendable {
  /// The user an API token (`Authorization: Bearer …`) belongs to, or nil for an unknown,
  /// revoked or disabled one.
  func user(bearerToken: String) async throws -> AuthenticatedUser?
  /// The user of a signed session cookie, or nil for an expired, ended or forged one.
  func user(sessionCookie: String) async throws -> AuthenticatedUser?
}

/// The session cookie's name; one cookie is valid on all three services.
public enum SessionCookie {
  public static let name = "kip_session"
}

/// Recognises the user of a request (bearer token first, then the session cookie) and checks the
/// route's access rule: 401 without a user, 403 for a role the route does not allow.
struct AccessMiddleware: RouterMiddleware {
  typealias Context = KIPRequestContext
  let table: RouteTable
  let authenticator: any Authenticator

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    var context = context
    if let authorization = request.headers[.authorization] {
      let parts = authorization.split(separator: " ", maxSplits: 1)
      guard parts.count == 2, parts[0].lowercased() == "bearer" else {
        throw Problem(.unauthenticated, "Authorization must be 'Bearer <token>'", field: "Authorization", headers: [.wwwAuthenticate: "Bearer"])
      }
      guard let user = try await authenticator.user(bearerToken: String(parts[1])) else {
        throw Problem(.unauthenticated, "the token is unknown, revoked or its user is disabled", field: "Authorization", headers: [.wwwAuthenticate: "Bearer"])
      }
      context.user = user
    } else if let cookie = request.cookies[SessionCookie.name] {
      context.user = try await authenticator.user(sessionCookie: cookie.value)
    }
    guard let route = table.route(request.method, request.uri.path) else { return try await next(request, context) }
    switch route.access {
    case .anyone:
      break
    case .signedIn, .roles:
      guard let user = context.user else {
        if route.isPage && request.method == .get {
          let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
          return Response(status: .seeOther, headers: [.location: "/login?next=\(next)"])
        }
        throw Problem(.unauthenticated, "sign in, or send 'Authorization: Bearer <token>'", headers: [.wwwAuthenticate: "Bearer"])
      }
      guard route.access.allows(user.role) else {
        throw Problem(.forbidden, "\(route.method) \(route.path) is not open to the role \(user.role.rawValue)")
      }
    }
    return try await next(request, context)
  }
}

/// No one is recognised: every protected route answers 401. For services started without a
/// credentials store (and for tests of public routes).
public struct NoAuthenticator: Authenticator {
  public init() {}
  public func user(bearerToken: String) async throws -> AuthenticatedUser? { nil }
  public func user(sessionCookie: String) async throws -> AuthenticatedUser? { nil }
}
