import Accounts
import Credentials
import EventLog
import EventLogSQLite
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import SharedKernel
import TestSupport
import Testing
import UserAdministration

@testable import DepositsService

/// A deposits service on its own log with the real sign-in: two treasury makers and a manager.
struct TreasuryFixture {
  let app: ServiceApplication
  let maker: String
  let otherMaker: String
  let manager: String
  let clock: TestClock

  init(today: String = "2022-04-01T10:00") async throws {
    let folder = temporaryFolder()
    let path = folder.appending(path: "events.sqlite").path
    let log = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    let credentials = try await CredentialStore.open(dataDirectory: folder.path, policy: .testing)
    let administration = UserAdministration(store: log, credentials: credentials)
    try await administration.register(
      [
        NewUser(login: try LoginName("suzuki"), role: .treasury), NewUser(login: try LoginName("sato"), role: .treasury),
        NewUser(login: try LoginName("kacho"), role: .treasuryManager),
      ], metadata: EventMetadata(actor: "test"), now: Date())
    maker = try await administration.issueToken(login: "suzuki", label: "test", now: Date())
    otherMaker = try await administration.issueToken(login: "sato", label: "test", now: Date())
    manager = try await administration.issueToken(login: "kacho", label: "test", now: Date())
    await log.close()
    let clock = TestClock(today)
    self.clock = clock
    let configuration = ServiceConfiguration(
      serviceName: "kip-deposits", eventLog: .sqlite(path: path), dataDirectory: folder.path, port: 0, credentialPolicy: .testing)
    app = try await DepositsService.buildApplication(configuration: configuration, logger: .init(label: "test"), now: { clock.now() })
  }

  func headers(_ token: String, key: String? = UUID().uuidString) -> HTTPFields {
    var fields = HTTPFields()
    fields[.authorization] = "Bearer \(token)"
    fields[.contentType] = "application/json"
    if let key { fields[.idempotencyKey] = key }
    return fields
  }

  func caughtUp() async throws {
    let head = try await app.store.head().position
    #expect(try await app.projections?.waitUntil("ledger", reached: head, timeout: .seconds(30)) == true)
  }
}

func json(_ response: TestResponse) throws -> [String: Any] {
  try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "\(String(buffer: response.body))")
}

@Suite("kip-deposits: the treasury's API", .serialized)
struct DepositsAPITests {
  func withService(_ body: @escaping @Sendable (TreasuryFixture, any TestClientProtocol) async throws -> Void) async throws {
    let fixture = try await TreasuryFixture()
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      try await body(fixture, client)
    }
  }

  @discardableResult
  func post(
    _ client: some TestClientProtocol, _ fixture: TreasuryFixture, _ uri: String, _ body: String = "", as token: String? = nil,
    key: String = UUID().uuidString, expect status: HTTPResponse.Status? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> TestResponse {
    let response = try await client.execute(uri: uri, method: .post, headers: fixture.headers(token ?? fixture.maker, key: key), body: ByteBuffer(string: body))
    if let status { #expect(response.status == status, "\(uri): \(String(buffer: response.body))", sourceLocation: sourceLocation) }
    return response
  }

  func get(_ client: some TestClientProtocol, _ fixture: TreasuryFixture, _ uri: String) async throws -> [String: Any] {
    try await fixture.caughtUp()
    return try json(try await client.execute(uri: uri, method: .get, headers: fixture.headers(fixture.manager, key: nil)))
  }

  func balance(_ balances: [String: Any], _ account: String) -> Int? {
    (balances["balances"] as? [[String: Any]])?.first { $0["account"] as? String == account }?["balanceYen"] as? Int
  }

  static let yokohama = #"{"name":"横浜銀行","bankCode":"0138","branchCode":"100","accountType":"ordinary","accountNumber":"0012345","accountName":"ｶﾅｶﾞﾜｹﾝｻﾝｷﾞﾖｳｼﾝｺｳｾﾝﾀ-","roles":["lender","handling"]}"#

  static let mainAccount =
    #"{"id":"main","name":"預託事業用 普通預金","bankName":"横浜銀行","branchName":"本店営業部","bankCode":"0138","branchCode":"100","accountType":"ordinary","accountNumber":"1234567","accountName":"ｻﾞｲ)ｶﾅｶﾞﾜｹﾝｻﾝｷﾞﾖｳｼﾝｺｳｾﾝﾀ-"}"#

  /// Opens the foundation's account `main` (as the manager), registers 横浜銀行 and answers its id.
  func register(_ client: some TestClientProtocol, _ fixture: TreasuryFixture) async throws -> String {
    try await post(client, fixture, "/api/bank-accounts", Self.mainAccount, as: fixture.manager, expect: .created)
    return try #require(try json(try await post(client, fixture, "/api/institutions", Self.yokohama, expect: .created))["id"] as? String)
  }

  @Test("the register of the foundation's bank accounts: opened by a manager, the first is the default, codes unique; postings name an open account of it")
  func bankAccountRegister() async throws {
    try await withService { fixture, client in
      let bank = try #require(try json(try await post(client, fixture, "/api/institutions", Self.yokohama, expect: .created))["id"] as? String)
      let borrowing = #"{"lender":"\#(bank)","amountYen":1000000000,"ratePercent":"0.125","valueDate":"2022-04-01","maturity":"2022-07-01"}"#
      // Before any account is opened, a posting has nowhere to go.
      let before = try await post(client, fixture, "/api/borrowings", borrowing, expect: .conflict)
      #expect(String(buffer: before.body).contains("口座が登録されていません"), "\(String(buffer: before.body))")
      let head = try await fixture.app.store.head().position
      // Only a treasury manager opens an account; a bad カナ name is 422 naming the field.
      try await post(client, fixture, "/api/bank-accounts", Self.mainAccount, as: fixture.maker, expect: .forbidden)
      let badKana = Self.mainAccount.replacingOccurrences(of: "ｻﾞｲ)", with: "ざい")
      let refused = try await post(client, fixture, "/api/bank-accounts", badKana, as: fixture.manager, expect: .unprocessableContent)
      #expect(try json(refused)["field"] as? String == "accountName")
      #expect(try await fixture.app.store.head().position == head, "refused requests wrote nothing")
      try await post(client, fixture, "/api/bank-accounts", Self.mainAccount, as: fixture.manager, expect: .created)
      let current = Self.mainAccount.replacingOccurrences(of: #""id":"main""#, with: #""id":"current""#)
        .replacingOccurrences(of: #""accountType":"ordinary""#, with: #""accountType":"current""#)
      // The same bank, branch and number under another id is refused.
      let taken = try await post(client, fixture, "/api/bank-accounts", current, as: fixture.manager, expect: .conflict)
      #expect(String(buffer: taken.body).contains("main"), "\(String(buffer: taken.body))")
      try await post(client, fixture, "/api/bank-accounts", current.replacingOccurrences(of: "1234567", with: "0007654"), as: fixture.manager, expect: .created)
      try await fixture.caughtUp()
      let list = try await client.execute(uri: "/api/bank-accounts", method: .get, headers: fixture.headers(fixture.maker, key: nil))
      let accounts = try #require(try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [[String: Any]])
      #expect(accounts.map { $0["id"] as? String } == ["main", "current"])
      #expect(accounts.map { $0["isDefault"] as? Bool } == [true, false])
      #expect(accounts.last?["accountNumber"] as? String == "0007654", "leading zeros kept")
      // A posting without an account goes to the default; one naming an unknown account is 404; a closed one 409.
      let drawn = try json(try await post(client, fixture, "/api/borrowings", borrowing, expect: .created))
      let unknown = try await post(
        client, fixture, "/api/borrowings", borrowing.replacingOccurrences(of: #""lender""#, with: #""bankAccount":"nowhere","lender""#), expect: .notFound)
      #expect(try json(unknown)["field"] as? String == "bankAccount")
      try await post(client, fixture, "/api/bank-accounts/current/closure", #"{"reason":"解約"}"#, as: fixture.manager, expect: .ok)
      try await post(
        client, fixture, "/api/borrowings", borrowing.replacingOccurrences(of: #""lender""#, with: #""bankAccount":"current","lender""#), expect: .conflict)
      try await fixture.caughtUp()
      let entry = try #require(drawn["entry"] as? String)
      try await post(client, fixture, "/api/entries/\(entry)/approve", as: fixture.manager, expect: .ok)
      let trial = try await get(client, fixture, "/api/trial-balance?asOf=2022-04-01")
      let names = (trial["lines"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
      #expect(names == ["普通預金（横浜銀行 本店営業部 1234567）", "借入金（横浜銀行）"], "\(trial)")
    }
  }

  @Test("a borrowing and a deposit to the yen: entered by treasury, approved by a manager, only approved entries in the balances; the trial balance balances")
  func borrowPlaceApprove() async throws {
    try await withService { fixture, client in
      let bank = try await register(client, fixture)
      let drawn = try json(
        try await post(
          client, fixture, "/api/borrowings",
          #"{"lender":"\#(bank)","amountYen":1000000000,"ratePercent":"0.125","valueDate":"2022-04-01","maturity":"2022-07-01"}"#, expect: .created))
      let drawEntry = try #require(drawn["entry"] as? String), borrowing = try #require(drawn["subject"] as? String)
      // Nothing is borrowed until approved: the deposit finds no headroom.
      let early = try await post(
        client, fixture, "/api/deposits",
        #"{"institution":"\#(bank)","amountYen":800000000,"valueDate":"2022-04-01","returnDate":"2022-06-30","programme":"事業活性化資金"}"#)
      #expect(early.status == .conflict, "\(String(buffer: early.body))")
      #expect((try await get(client, fixture, "/api/balances?asOf=2022-04-01")["balances"] as? [[String: Any]])?.isEmpty == true)
      try await fixture.caughtUp()
      // The maker may not approve; the manager may.
      try await post(client, fixture, "/api/entries/\(drawEntry)/approve", as: fixture.maker, expect: .forbidden)
      try await post(client, fixture, "/api/entries/\(drawEntry)/approve", as: fixture.manager, expect: .ok)
      let placed = try json(
        try await post(
          client, fixture, "/api/deposits",
          #"{"institution":"\#(bank)","amountYen":800000000,"valueDate":"2022-04-01","returnDate":"2022-06-30","programme":"事業活性化資金"}"#,
          expect: .created))
      let placeEntry = try #require(placed["entry"] as? String)
      try await fixture.caughtUp()
      let queue = try await client.execute(uri: "/api/entries?status=pending", method: .get, headers: fixture.headers(fixture.manager, key: nil))
      let pending = try #require(try JSONSerialization.jsonObject(with: Data(buffer: queue.body)) as? [[String: Any]])
      #expect(pending.map { $0["id"] as? String } == [placeEntry] && pending.first?["amountYen"] as? Int == 800_000_000, "\(pending)")
      try await post(client, fixture, "/api/entries/\(placeEntry)/approve", as: fixture.manager, expect: .ok)

      let balances = try await get(client, fixture, "/api/balances?asOf=2022-04-01")
      #expect(balance(balances, "bank:main") == 200_000_000, "\(balances)")
      #expect(balance(balances, "borrowings:\(bank)") == 1_000_000_000)
      #expect(balance(balances, "deposits:\(bank)") == 800_000_000, "\(balances)")
      let perInstitution = try #require(balances["institutions"] as? [[String: Any]])
      #expect(perInstitution.count == 1 && perInstitution.first?["name"] as? String == "横浜銀行", "\(perInstitution)")
      #expect(perInstitution.first?["borrowingsYen"] as? Int == 1_000_000_000 && perInstitution.first?["depositsPlacedYen"] as? Int == 800_000_000)
      #expect((try await get(client, fixture, "/api/balances?asOf=2022-03-31")["balances"] as? [[String: Any]])?.isEmpty == true, "nothing before the value date")
      let trial = try await get(client, fixture, "/api/trial-balance?asOf=2022-04-01")
      #expect(trial["totalDebitYen"] as? Int == 1_000_000_000 && trial["totalCreditYen"] as? Int == 1_000_000_000, "\(trial)")

      // Interest: 1,000,000,000 × 0.125% × 91 / 365 = 311,643.8… → ¥311,643, accrued 1 April – 30 June.
      let accrued = try json(try await post(client, fixture, "/api/borrowings/\(borrowing)/accruals", #"{"through":"2022-06-30"}"#, expect: .created))
      try await fixture.caughtUp()
      try await post(client, fixture, "/api/entries/\(try #require(accrued["entry"] as? String))/approve", as: fixture.manager, expect: .ok)
      #expect(balance(try await get(client, fixture, "/api/balances?asOf=2022-06-30"), "interest-payable") == 311_643)
      // The deposit comes back, then the borrowing is repaid in full on its maturity.
      let back = try json(try await post(client, fixture, "/api/deposits/\(try #require(placed["subject"] as? String))/returns", #"{"valueDate":"2022-06-30"}"#, expect: .created))
      // Repaying before the return is approved would leave ¥800,000,000 placed on ¥0 borrowed.
      try await post(client, fixture, "/api/borrowings/\(borrowing)/repayments", #"{"valueDate":"2022-07-01"}"#, expect: .conflict)
      try await fixture.caughtUp()
      try await post(client, fixture, "/api/entries/\(try #require(back["entry"] as? String))/approve", as: fixture.manager, expect: .ok)
      let repaid = try json(try await post(client, fixture, "/api/borrowings/\(borrowing)/repayments", #"{"valueDate":"2022-07-01"}"#, expect: .created))
      try await fixture.caughtUp()
      try await post(client, fixture, "/api/entries/\(try #require(repaid["entry"] as? String))/approve", as: fixture.manager, expect: .ok)
      let after = try await get(client, fixture, "/api/balances?asOf=2022-07-01")
      #expect(balance(after, "borrowings:\(bank)") == 0 && balance(after, "bank:main") == 0, "\(after)")
    }
  }

  @Test("the interest calculator: 片端 365, 両端, ¥100 units, leap years; a value date on a holiday names the next business day; bad input is 422 and writes nothing")
  func quotesAndRefusals() async throws {
    try await withService { fixture, client in
      func quote(_ body: String) async throws -> [String: Any] { try json(try await post(client, fixture, "/api/interest/quote", body, expect: .ok)) }
      let base = #""principalYen":1000000000,"ratePercent":"0.125","from":"2022-04-01","to":"2022-07-01""#
      let katahashi = try await quote("{\(base)}")
      #expect(katahashi["days"] as? Int == 91 && katahashi["interestYen"] as? Int == 311_643, "\(katahashi)")
      let ryohashi = try await quote(#"{\#(base),"dayCount":"ryohashi"}"#)
      #expect(ryohashi["days"] as? Int == 92 && ryohashi["interestYen"] as? Int == 315_068, "\(ryohashi)")
      // ¥1,234,599 in ¥100 units is ¥1,234,500: at 1% for 365 days, ¥12,345.
      let units = try await quote(#"{"principalYen":1234599,"ratePercent":"1","from":"2022-04-01","to":"2023-04-01","accrualUnitYen":100}"#)
      #expect(units["interestYen"] as? Int == 12_345, "\(units)")
      // Over 29 February 2024: 365 counts 366 days over 365; actual-leap366 the whole period over 366.
      let leap = try await quote(#"{"principalYen":366000000,"ratePercent":"1","from":"2024-01-01","to":"2025-01-01","yearBasis":"actual-leap366"}"#)
      #expect(leap["days"] as? Int == 366 && leap["interestYen"] as? Int == 3_660_000, "\(leap)")

      let bank = try await register(client, fixture)
      let head = try await fixture.app.store.head().position
      let holiday = try await post(
        client, fixture, "/api/borrowings",
        #"{"lender":"\#(bank)","amountYen":1000,"ratePercent":"0.1","valueDate":"2022-04-29","maturity":"2022-07-01"}"#)
      let detail = try json(holiday)["detail"] as? String ?? ""
      #expect(holiday.status == .unprocessableContent && detail.contains("2022-05-02"), "\(detail)")
      for (uri, body, field) in [
        ("/api/interest/quote", #"{"principalYen":1000,"ratePercent":"0.1234567","from":"2022-04-01","to":"2022-07-01"}"#, "ratePercent"),
        ("/api/institutions", Self.yokohama.replacingOccurrences(of: "ｶﾅｶﾞﾜ", with: "かながわ"), "accountName"),
        ("/api/borrowings", #"{"lender":"\#(bank)","amountYen":0,"ratePercent":"0.1","valueDate":"2022-04-01","maturity":"2022-07-01"}"#, "amountYen"),
      ] {
        let response = try await post(client, fixture, uri, body)
        #expect(response.status == .unprocessableContent, "\(uri): \(String(buffer: response.body))")
        #expect(try json(response)["field"] as? String == field, "\(uri): \(String(buffer: response.body))")
      }
      #expect(try await fixture.app.store.head().position == head, "refused requests write nothing")
      // A term of three months from 2022-06-23 ends on 2022-09-23, 秋分の日 (a Friday): the maturity rolls to Monday 2022-09-26.
      let rolled = try json(
        try await post(
          client, fixture, "/api/borrowings", #"{"lender":"\#(bank)","amountYen":1000,"ratePercent":"0.1","valueDate":"2022-06-23","termMonths":3}"#,
          expect: .created))
      try await fixture.caughtUp()
      let schedule = try json(try await client.execute(
        uri: "/api/borrowings/\(try #require(rolled["subject"] as? String))/schedule", method: .get, headers: fixture.headers(fixture.manager, key: nil)))
      #expect((schedule["lines"] as? [[String: Any]])?.last?["through"] as? String == "2022-09-26", "the schedule's last period ends on the rolled maturity: \(schedule)")
    }
  }

  @Test("own funds and bank charges by manual entry; a month closes only with nothing pending, refuses postings, reopens with a reason; a reversal takes the charge off; the schedule and the year's totals tie out")
  func entriesPeriodsAndTotals() async throws {
    let fixture = try await TreasuryFixture(today: "2022-05-10T10:00")
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      let bank = try await register(client, fixture)
      func approve(_ response: TestResponse) async throws {
        try await fixture.caughtUp()
        try await post(client, fixture, "/api/entries/\(try #require(try json(response)["entry"] as? String))/approve", as: fixture.manager, expect: .ok)
      }
      let own = #"{"valueDate":"2022-04-01","memo":"自己資金の繰入","lines":[{"account":"bank:main","side":"debit","amountYen":50000000},{"account":"own-funds","side":"credit","amountYen":50000000}]}"#
      try await approve(try await post(client, fixture, "/api/entries", own, expect: .created))
      let unbalanced = try await post(
        client, fixture, "/api/entries",
        #"{"valueDate":"2022-04-01","memo":"誤り","lines":[{"account":"bank:main","side":"debit","amountYen":1000},{"account":"own-funds","side":"credit","amountYen":999}]}"#)
      #expect(unbalanced.status == .unprocessableContent, "\(String(buffer: unbalanced.body))")
      let drawn = try await post(
        client, fixture, "/api/borrowings",
        #"{"lender":"\#(bank)","amountYen":100000000,"ratePercent":"0.2","valueDate":"2022-04-01","maturity":"2022-10-03"}"#, expect: .created)
      try await approve(drawn)
      let schedule = try json(try await client.execute(
        uri: "/api/borrowings/\(try #require(try json(drawn)["subject"] as? String))/schedule", method: .get, headers: fixture.headers(fixture.manager, key: nil)))
      let lines = try #require(schedule["lines"] as? [[String: Any]])
      #expect(lines.count == 7 && lines.first?["days"] as? Int == 30 && lines.first?["through"] as? String == "2022-04-30", "\(lines.first ?? [:])")
      // ¥100,000,000 × 0.2% × 30 / 365 = ¥16,438.3… in April.
      #expect(lines.first?["interestYen"] as? Int == 16_438)
      #expect(schedule["totalInterestYen"] as? Int == lines.compactMap { $0["interestYen"] as? Int }.reduce(0, +))

      let charge = try await post(
        client, fixture, "/api/entries",
        #"{"valueDate":"2022-04-20","memo":"振込手数料","lines":[{"account":"bank-charges","side":"debit","amountYen":660},{"account":"bank:main","side":"credit","amountYen":660}]}"#,
        expect: .created)
      try await fixture.caughtUp()
      // April cannot close with the charge awaiting approval.
      try await post(client, fixture, "/api/periods/2022/close", #"{"month":"2022-04"}"#, as: fixture.manager, expect: .conflict)
      try await approve(charge)
      let closed = try json(try await post(client, fixture, "/api/periods/2022/close", #"{"month":"2022-04"}"#, as: fixture.manager, expect: .ok, sourceLocation: #_sourceLocation))
      #expect(closed["closedMonths"] as? [String] == ["2022-04"])
      try await post(
        client, fixture, "/api/entries",
        #"{"valueDate":"2022-04-25","memo":"遅れた手数料","lines":[{"account":"bank-charges","side":"debit","amountYen":440},{"account":"bank:main","side":"credit","amountYen":440}]}"#,
        expect: .conflict)
      // The charge is corrected in May, the open period.
      let reversal = try await post(
        client, fixture, "/api/entries/\(try #require(try json(charge)["entry"] as? String))/reversal", #"{"valueDate":"2022-05-10"}"#, expect: .created)
      try await approve(reversal)
      try await post(client, fixture, "/api/periods/2022/reopen", #"{"month":"2022-04"}"#, as: fixture.manager, expect: .unprocessableContent)
      let reopened = try json(
        try await post(client, fixture, "/api/periods/2022/reopen", #"{"month":"2022-04","reason":"監査指摘による修正"}"#, as: fixture.manager, expect: .ok))
      #expect(reopened["closedMonths"] as? [String] == [])

      try await fixture.caughtUp()
      let totals = try json(try await client.execute(uri: "/api/reports/fiscal-year?fy=2022", method: .get, headers: fixture.headers(fixture.manager, key: nil)))
      #expect(totals["borrowedYen"] as? Int == 100_000_000 && totals["bankChargesYen"] as? Int == 0 && totals["placedYen"] as? Int == 0, "\(totals)")
      let csv = try await client.execute(uri: "/api/reports/fiscal-year?fy=2022&format=csv", method: .get, headers: fixture.headers(fixture.manager, key: nil))
      #expect(Array(Data(buffer: csv.body).prefix(3)) == [0xEF, 0xBB, 0xBF])
      let balances = try json(try await client.execute(uri: "/api/balances?asOf=2022-05-10", method: .get, headers: fixture.headers(fixture.manager, key: nil)))
      #expect(balance(balances, "bank:main") == 150_000_000 && balance(balances, "own-funds") == 50_000_000 && balance(balances, "bank-charges") == 0, "\(balances)")

      // 元帳 of bank:main: the running balance ends at the balance; the CSV has the same rows, amounts as plain integers.
      func text(_ uri: String) async throws -> (HTTPResponse.Status, String) {
        let response = try await client.execute(uri: uri, method: .get, headers: fixture.headers(fixture.manager, key: nil))
        return (response.status, String(decoding: Data(buffer: response.body), as: UTF8.self))
      }
      let ledger = try json(try await client.execute(uri: "/api/ledger?account=bank:main&fy=2022", method: .get, headers: fixture.headers(fixture.manager, key: nil)))
      let ledgerLines = try #require(ledger["lines"] as? [[String: Any]])
      #expect(ledger["openingBalanceYen"] as? Int == 0 && ledger["name"] as? String == "普通預金（横浜銀行 本店営業部 1234567）", "\(ledger)")
      #expect(ledgerLines.map { $0["balanceYen"] as? Int } == [50_000_000, 150_000_000, 149_999_340, 150_000_000], "\(ledgerLines)")
      #expect(ledger["closingBalanceYen"] as? Int == 150_000_000)
      let (_, ledgerCSV) = try await text("/api/ledger?account=bank:main&fy=2022&format=csv")
      let csvRows = ledgerCSV.dropFirst().split(separator: "\r\n")
      #expect(csvRows.first == "起票日,伝票番号,摘要,相手科目,借方,貸方,残高" && csvRows.count == 6, "\(ledgerCSV)")
      #expect(csvRows.last?.hasSuffix(",660,,150000000") == true, "the reversal of the charge, as plain integers: \(ledgerCSV)")
      #expect(try await text("/api/ledger?account=nonsense&fy=2022").0 == .unprocessableContent)
      #expect(try await text("/api/ledger?fy=2022").0 == .unprocessableContent)
      // 仕訳帳 of April and May: every entry with its lines and account names (the unbalanced one was never entered).
      let journal = try json(try await client.execute(uri: "/api/journal?from=2022-04-01&to=2022-05-31", method: .get, headers: fixture.headers(fixture.manager, key: nil)))
      let entries = try #require(journal["entries"] as? [[String: Any]])
      #expect(entries.count == 4 && entries.contains { $0["reverses"] as? String == (try? json(charge)["entry"] as? String) }, "\(entries)")
      let (_, journalCSV) = try await text("/api/journal?from=2022-04-01&to=2022-05-31&format=csv")
      #expect(journalCSV.hasPrefix("\u{FEFF}起票日,伝票番号,摘要,借方科目,借方金額,貸方科目,貸方金額,状態,起票 / 承認"), "\(journalCSV)")
      #expect(journalCSV.contains(",支払手数料,660,普通預金（横浜銀行 本店営業部 1234567）,660,"), "\(journalCSV)")
      #expect(try await text("/api/journal?from=2022-06-01&to=2022-05-31").0 == .unprocessableContent)
      // 利息計算表 as CSV: one row per period and the totals.
      let (_, scheduleCSV) = try await text("/api/borrowings/\(try #require(try json(drawn)["subject"] as? String))/schedule?format=csv")
      #expect(scheduleCSV.contains("2022-04-01〜2022-04-30,30,0,100000000,3000000000,16438\r\n"), "\(scheduleCSV)")
    }
  }
}
