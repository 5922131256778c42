public import Foundation
#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif
public import Projections

/// Why a call to a service failed, in words a person can act on.
public enum KIPClientError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Nothing answered at the address.
  case unreachable(String, reason: String)
  /// The service answered with a problem (RFC 9457).
  case problem(status: Int, type: String, detail: String)
  /// The service answered something this client does not understand.
  case unexpected(status: Int, body: String)

  public var description: String {
    switch self {
    case .unreachable(let url, let reason): "no service answers at \(url): \(reason)"
    case .problem(let status, let type, let detail): "\(status) \(type.replacingOccurrences(of: "urn:kip:problem:", with: "")): \(detail)"
    case .unexpected(let status, let body): "unexpected answer \(status): \(body.prefix(200))"
    }
  }
}

/// A typed HTTP client for the services (URLSession, which is libcurl on Linux), for kipctl and
/// end-to-end tests.
public struct KIPClient: Sendable {
  public let baseURL: URL
  /// An API token (`kipctl users token`), sent as `Authorization: Bearer`.
  public let token: String?

  public init(baseURL: URL, token: String?) {
    self.baseURL = baseURL
    self.token = token
  }

  /// Each projection's version, checkpoint, lag, rebuild progress and last error.
  public func projections() async throws(KIPClientError) -> [ProjectionStatus] {
    try await send("GET", "admin/projections", as: [ProjectionStatus].self)
  }

  /// Starts a rebuild beside the live generation; answers the projection's status.
  public func rebuild(_ projection: String) async throws(KIPClientError) -> ProjectionStatus {
    try await send("POST", "admin/projections/\(projection)/rebuild", as: ProjectionStatus.self)
  }

  /// The checksum of a projection's live tables.
  public func checksum(_ projection: String) async throws(KIPClientError) -> String {
    try await send("GET", "admin/projections/\(projection)/checksum", as: [String: String].self)["checksum"] ?? ""
  }

  /// One request; a problem+json answer becomes ``KIPClientError/problem(status:type:detail:)``.
  public func send<T: Decodable>(
    _ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:], as type: T.Type
  ) async throws(KIPClientError) -> T {
    let url = baseURL.appending(path: path)
    var request = URLRequest(url: url)
    request.httpMethod = method
    request.httpBody = body
    request.timeoutInterval = 30
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let data: Data
    let response: URLResponse
    do {
      (data, response) = try await URLSession.shared.data(for: request)
    } catch {
      throw .unreachable(baseURL.absoluteString, reason: error.localizedDescription)
    }
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    guard (200..<300).contains(status) else {
      if let problem = try? JSONDecoder().decode(ProblemBody.self, from: data) {
        throw .problem(status: status, type: problem.type, detail: problem.detail)
      }
      throw .unexpected(status: status, body: String(decoding: data, as: UTF8.self))
    }
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch {
      throw .unexpected(status: status, body: String(decoding: data, as: UTF8.self))
    }
  }

  private struct ProblemBody: Decodable {
    var type: String
    var detail: String
  }
}
