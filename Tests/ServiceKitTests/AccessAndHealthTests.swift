import Accounts
import BuildingService
import Credentials
import DepositsService
import EventLog
import EventLogSQLite
import Foundation
import Hummingbird
import HummingbirdTesting
import ProjectionFixtures
import ServiceKit
import SharedKernel
import SuccessionService
import TestSupport
import Testing
import UserAdministration
import PersonalDataKeys

/// A key store of its own in a temporary folder, with a new master key.
func testVault() -> KeyVault {
  // A test that cannot make a temporary file cannot run at all.
  try! KeyVault.open(dataDirectory: temporaryFolder().path, masterKey: .generate())
}

@Suite("ServiceKit: roles, health, metrics, OpenAPI, read models")
struct AccessAndHealthTests {
  static let definitions: [(String, ServiceDefinition)] = [
    ("kip-building", BuildingService.definition()), ("kip-succession", SuccessionService.definition(vault: testVault())),
    ("kip-deposits", DepositsService.definition()), ("sample", sampleDefinition()),
  ]

  @Test("the role × route matrix holds over every route: 401 without a user, 403 for a role not allowed, through otherwise",
    arguments: definitions)
  func matrix(service: String, definition: ServiceDefinition) async throws {
    let folder = temporaryFolder()
    let configuration = ServiceConfiguration(
      serviceName: service, eventLog: .sqlite(path: folder.appending(path: "events.sqlite").path), dataDirectory: folder.path, port: 0)
    let app = try await ServiceApplication.open(
      configuration: configuration, logger: .init(label: "test"), definition: definition, authenticator: FixedTokens())
    let table = app.routeTable
    #expect(table.routes.contains { $0.path == "/openapi.json" } && table.routes.contains { $0.path == "/metrics" })
    try await walkMatrix(app) { "token-\($0.rawValue)" }
  }

  @Test("the matrix holds with the real credentials store too, one real token per role, over the user routes as well",
    arguments: definitions)
  func matrixWithRealCredentials(service: String, definition: ServiceDefinition) async throws {
    let folder = temporaryFolder()
    let log = folder.appending(path: "events.sqlite").path
    // One user per role (and one to act on), registered before the service starts, as kipctl would.
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: log))
    let credentials = try await CredentialStore.open(dataDirectory: folder.path, policy: .testing)
    let administration = UserAdministration(store: store, credentials: credentials)
    let users = try Role.allCases.map { role in
      NewUser(login: try LoginName("matrix-\(role.rawValue)"), role: role, organisation: role == .partner ? try OrganisationID("org-1") : nil)
    }
    try await administration.register(
      users + [NewUser(login: try LoginName("target"), role: .desk)], metadata: EventMetadata(actor: "test"), now: Date())
    var tokens: [Role: String] = [:]
    for role in Role.allCases {
      tokens[role] = try await administration.issueToken(login: "matrix-\(role.rawValue)", label: "matrix", now: Date())
    }
    await store.close()
    try credentials.close()
    let configuration = ServiceConfiguration(
      serviceName: service, eventLog: .sqlite(path: log), dataDirectory: folder.path, port: 0, credentialPolicy: .testing)
    let app = try await ServiceApplication.open(configuration: configuration, logger: .init(label: "test"), definition: definition)
    let table = app.routeTable
    #expect(table.routes.contains { $0.path == "/admin/users/{login}/disable" } && table.routes.contains { $0.path == "/users/{login}/{action}" })
    let issued = tokens
    try await walkMatrix(app) { issued[$0] ?? "missing" }
  }

  /// Calls every route of the table without a user and as each role (with `token(role)`), path
  /// parameters filled in: `{login}` is a user who is none of the callers, `{action}` a new password.
  func walkMatrix(_ app: ServiceApplication, token: @escaping @Sendable (Role) -> String) async throws {
    let table = app.routeTable
    let substitutions = ["{id}": "x", "{name}": "bookings", "{login}": "target", "{action}": "password", "{number}": "R2023-00001", "{file}": "x.ics",
      "{unit}": "x", "{ticket}": "x", "{booking}": "x", "{fy}": "2022", "{match}": "x", "{batch}": "x",
    ]
    try await Application(router: app.makeRouter()).test(.router) { client in
      for route in table.routes {
        // A parameter with listed values takes its first one; the others take the table above.
        let listed = route.parameters.compactMap { parameter -> (String, String)? in
          guard parameter.location == .path, case .string(_, _, _, let values?, _) = parameter.schema, let first = values.first else { return nil }
          return ("{\(parameter.name)}", first)
        }
        let uri = (listed + substitutions.map { ($0.key, $0.value) }).reduce(route.path) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
        #expect(!uri.contains("{"), "\(route.path) has a parameter the matrix does not fill in")
        // The sign-in forms refuse a post without their CSRF token with the page again (403) and a
        // wrong password with 401: that is the form's answer, not the access rule's.
        let signInForm = route.path.hasPrefix("/login") && route.method == .post
        let anonymous = try await client.execute(uri: uri, method: route.method, headers: [:])
        if route.access == .anyone {
          #expect(anonymous.status != .forbidden || signInForm, "\(route.method) \(route.path)")
          #expect(anonymous.status != .unauthorized || route.path.hasPrefix("/login"), "\(route.method) \(route.path)")
        } else if route.isPage && route.method == .get {
          #expect(anonymous.status == .seeOther && anonymous.headers[.location]?.hasPrefix("/login?next=") == true, "\(route.path)")
        } else {
          #expect(anonymous.status == .unauthorized, "\(route.method) \(route.path) without a user")
        }
        for role in Role.allCases {
          let headers: HTTPFields = [.authorization: "Bearer \(token(role))", .contentType: "application/json"]
          let response = try await client.execute(uri: uri, method: route.method, headers: headers)
          if route.access.allows(role) {
            #expect(response.status != .unauthorized || signInForm, "\(route.method) \(route.path) as \(role)")
            #expect(response.status != .forbidden || signInForm, "\(route.method) \(route.path) as \(role)")
            // 503 is a read model still being built (documented, with Retry-After); nothing else may fail.
            #expect(response.status.code < 500 || response.status == .serviceUnavailable, "\(route.method) \(route.path) as \(role): \(String(buffer: response.body))")
          } else {
            #expect(response.status == .forbidden, "\(route.method) \(route.path) as \(role)")
          }
        }
      }
      let unknown = try await client.execute(uri: "/health", method: .get, headers: [.authorization: "Bearer nobody"])
      #expect(unknown.status == .unauthorized, "an unknown token is refused even on a public route")
    }
  }

  @Test("the OpenAPI document lists every route with its roles, the write headers, and problem+json errors")
  func openAPI() async throws {
    let app = try await sampleApplication()
    try await Application(router: app.makeRouter()).test(.router) { client in
      let response = try await client.execute(uri: "/openapi.json", method: .get)
      let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
      #expect(document["openapi"] as? String == "3.1.0")
      let paths = try #require(document["paths"] as? [String: [String: Any]])
      for route in app.routeTable.routes {
        let operation = paths[route.path]?[route.method.rawValue.lowercased()] as? [String: Any]
        #expect(operation != nil, "\(route.method) \(route.path) is missing from the document")
        #expect((operation?["responses"] as? [String: Any])?["default"] != nil)
      }
      let write = try #require(paths["/tallies/{id}/additions"]?["post"] as? [String: Any])
      let parameters = (write["parameters"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
      #expect(parameters.contains("Idempotency-Key") && parameters.contains("If-Match"))
      #expect(write["x-kip-roles"] as? [String] == ["building-manager", "desk"])
    }
  }

  @Test("a new projection version answers 503 with Retry-After until it has caught up; health shows the progress")
  func notReady() async throws {
    let folder = temporaryFolder()
    let first = try await sampleApplication(folder: folder)
    try await SyntheticBookings.append(count: 3000, seed: 31, to: first.store, batch: 500)
    try await first.projections?.catchUp()
    await first.store.close()
    // The next release: version 2 of the projection, not built yet.
    let upgraded = try await sampleApplication(folder: folder, bookingsVersion: 2)
    try await Application(router: upgraded.makeRouter()).test(.router) { client in
      let waiting = try await client.execute(uri: "/bookings/count", method: .get, headers: headers())
      #expect(waiting.status == .serviceUnavailable)
      #expect(waiting.headers[.retryAfter] == "2")
      #expect(try problem(waiting).type == "urn:kip:problem:not-ready")
      let ready = try await client.execute(uri: "/health/ready", method: .get)
      #expect(ready.status == .serviceUnavailable)
      let report = try JSONDecoder().decode(HealthReport.self, from: Data(buffer: ready.body))
      #expect(report.status == "not-ready" && report.projections.first?.ready == false && report.log?.position == 3000)
      try await upgraded.projections?.catchUp()
      let answered = try await client.execute(uri: "/bookings/count", method: .get, headers: headers())
      #expect(answered.status == .ok)
      #expect(try await client.execute(uri: "/health/ready", method: .get).status == .ok)
    }
  }

  @Test("X-KIP-Min-Position waits for the read models, and a malformed one is refused")
  func readYourWrites() async throws {
    let app = try await sampleApplication()
    let runner = try #require(app.projections)
    try await runner.catchUp()
    let following = Task { await runner.run() }
    defer { following.cancel() }
    try await Application(router: app.makeRouter()).test(.router) { client in
      try await SyntheticBookings.append(count: 200, seed: 32, to: app.store, batch: 200)
      let head = try await app.store.head().position
      let requested = try await app.store.read(after: 0, category: nil, limit: 500).filter { $0.type == SyntheticBookings.requested }.count
      let read = try await client.execute(
        uri: "/bookings/count", method: .get, headers: headers(role: .desk, [.kipMinPosition: String(head)]))
      #expect(String(buffer: read.body) == #"{"count":\#(requested)}"#)
      let malformed = try await client.execute(uri: "/bookings/count", method: .get, headers: headers(role: .desk, [.kipMinPosition: "soon"]))
      #expect(malformed.status == .badRequest)
    }
  }

  @Test("metrics count requests by route and status in Prometheus text")
  func metrics() async throws {
    _ = KIPMetrics.registry
    let app = try await sampleApplication(service: "metrics-sample")
    try await Application(router: app.makeRouter()).test(.router) { client in
      _ = try await client.execute(uri: "/health", method: .get)
      _ = try await client.execute(
        uri: "/tallies/m/additions", method: .post, headers: headers(key: "m1"), body: json(#"{"amount": 1, "kind": "cash"}"#))
      let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
      #expect(text.contains(#"kip_http_requests_total{service="metrics-sample",method="GET",route="/health",status="200"}"#), "\(text.prefix(2000))")
      #expect(text.contains("kip_http_request_duration_seconds"))
      #expect(text.contains(#"kip_events_appended_total{service="metrics-sample"} 1"#), "\(text.prefix(3000))")
      #expect(text.contains("kip_append_duration_seconds"))
      #expect(text.contains(#"kip_projection_lag_events{service="metrics-sample",projection="bookings"}"#))
    }
  }
}
