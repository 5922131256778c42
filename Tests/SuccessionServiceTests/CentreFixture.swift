import Accounts
import Credentials
import EventLog
import EventLogSQLite
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import SharedKernel
import Synchronization
import TestSupport
import Testing
import UserAdministration

@testable import SuccessionService

/// A succession service with the real sign-in: two staff members (佐藤, 田中), the manager, two
/// partner users (横浜商工会議所 `org-a`, 川崎信用金庫 `org-b`) and an auditor, with fixed user ids.
struct CentreFixture {
  let app: ServiceApplication
  let clock: TestClock
  let tokens: [String: String]

  /// The partner list of the tests in CP932, as Excel in Japan saves it: 機関コード,機関名,種別,地域,担当者,電話番号 —
  /// org-a 横浜商工会議所 (担当 髙橋 一郎, 髙 as 0xEEE0), org-b 川崎信用金庫, org-c 旧㈱相模支援; CRLF.
  static let partnersCP932 = Data(
    hex: "8b408ad68352815b83682c8b408ad696bc2c8eed95ca2c926e88e62c925393968ed22c9364986294d48d860d0a6f72672d612c89a1956c8fa48d4889ef8b638f8a2c8fa48d4889ef8b638f8a2c89a1956c2ceee08bb42088ea98592c3034352d3637312d373430300d0a6f72672d622c90ec8de8904d97708be08cc92c904d97708be08cc92c90ec8de82c97e996d82089d48e712c3034342d3230302d303030300d0a6f72672d632c8b8c878a918a96cd8e7889872c82bb82cc91bc8e7889878b408ad62c8ca7899b2c2c0d0a"
  )

  init(today: String = "2023-04-03T10:00", importPartners: Bool = true) async throws {
    let folder = temporaryFolder()
    let path = folder.appending(path: "events.sqlite").path
    let log = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    let credentials = try await CredentialStore.open(dataDirectory: folder.path, policy: .testing)
    let administration = UserAdministration(store: log, credentials: credentials)
    let users: [(String, Role, String?)] = [
      ("sato", .succession, nil), ("tanaka", .succession, nil), ("boss", .successionManager, nil), ("ycci", .partner, "org-a"),
      ("kawashin", .partner, "org-b"), ("audit", .auditor, nil), ("desk", .desk, nil),
    ]
    try await administration.register(
      try users.map { login, role, organisation in
        NewUser(login: try LoginName(login), name: login, role: role, organisation: try organisation.map { try OrganisationID($0) }, id: try UserID(login))
      }, metadata: EventMetadata(actor: "test"), now: Date())
    var tokens: [String: String] = [:]
    for (login, _, _) in users { tokens[login] = try await administration.issueToken(login: login, label: "test", now: Date()) }
    self.tokens = tokens
    await log.close()
    let clock = TestClock(today)
    self.clock = clock
    let configuration = ServiceConfiguration(
      serviceName: "kip-succession", eventLog: .sqlite(path: path), dataDirectory: folder.path, port: 0, credentialPolicy: .testing)
    app = try await SuccessionService.buildApplication(configuration: configuration, logger: .init(label: "test"), now: { clock.now() })
  }

  func headers(_ login: String, key: String? = nil, _ more: HTTPFields = [:]) -> HTTPFields {
    var fields = more
    fields[.authorization] = "Bearer \(tokens[login] ?? "none")"
    if fields[.contentType] == nil { fields[.contentType] = "application/json" }
    if let key { fields[.idempotencyKey] = key }
    return fields
  }

  func caughtUp() async throws {
    let head = try await app.store.head().position
    #expect(try await app.projections?.waitUntil("succession", reached: head, timeout: .seconds(30)) == true)
  }

  /// A POST as `login` with a fresh idempotency key.
  @discardableResult
  func post(_ client: some TestClientProtocol, _ uri: String, as login: String, _ body: String, key: String = UUID().uuidString) async throws -> TestResponse {
    let response = try await client.execute(uri: uri, method: .post, headers: headers(login, key: key), body: ByteBuffer(string: body))
    try await caughtUp()
    return response
  }

  func get(_ client: some TestClientProtocol, _ uri: String, as login: String) async throws -> TestResponse {
    try await client.execute(uri: uri, method: .get, headers: headers(login))
  }

  /// Three referrals — 横浜商工会議所's 青葉精工株式会社 (with consent) and 緑町食品 (without),
  /// 川崎信用金庫's 川崎鉄工 — and the first two accepted as 田中's cases.
  func referFromTwoPartners(_ client: some TestClientProtocol) async throws {
    try await post(client, "/api/referrals", as: "ycci", referral(#"{"name":"青葉精工株式会社"}"#, consent: true))
    try await post(client, "/api/referrals", as: "ycci", referral(#"{"name":"緑町食品"}"#, consent: false))
    try await post(client, "/api/referrals", as: "kawashin", referral(#"{"name":"川崎鉄工"}"#))
    for id in ["2023-0001", "2023-0002"] {
      #expect(try await post(client, "/api/cases/\(id)/accept", as: "sato", #"{"side":"selling","assignee":"tanaka"}"#).status == .ok)
    }
  }

  /// Imports the partner file (CP932) as staff.
  func importPartners(_ client: some TestClientProtocol) async throws {
    let response = try await client.execute(
      uri: "/api/partners/import", method: .post, headers: headers("sato", key: "partners-1", [.contentType: "text/csv"]),
      body: ByteBuffer(bytes: Self.partnersCP932))
    #expect(response.status == .ok, "\(String(buffer: response.body))")
    try await caughtUp()
  }
}

/// Runs `body` against a fresh service with its projections running (and the partners imported).
func withCentre(
  today: String = "2023-04-03T10:00", importPartners: Bool = true, _ body: @escaping @Sendable (CentreFixture, any TestClientProtocol) async throws -> Void
) async throws {
  let fixture = try await CentreFixture(today: today)
  try await Application(router: fixture.app.makeRouter()).test(.router) { client in
    let runner = Task { await fixture.app.projections?.run() }
    defer { runner.cancel() }
    if importPartners { try await fixture.importPartners(client) }
    try await body(fixture, client)
  }
}

func json(_ response: TestResponse) throws -> [String: Any] {
  try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "\(String(buffer: response.body))")
}

func jsonArray(_ response: TestResponse) throws -> [[String: Any]] {
  try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]], "\(String(buffer: response.body))")
}

extension Data {
  init(hex: String) {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      bytes.append(UInt8(hex[index..<next], radix: 16)!)
      index = next
    }
    self.init(bytes)
  }
}

/// A referral body: `company` JSON inside.
func referral(_ company: String, partner: String? = nil, consent: Bool = true, staff: String = "髙橋 一郎", reason: String = "後継者がいないため相談したい") -> String {
  let partnerField = partner.map { #""partner":"\#($0)","# } ?? ""
  return #"{\#(partnerField)"partnerStaff":"\#(staff)","company":\#(company),"consent":\#(consent),"reason":"\#(reason)"}"#
}
