import BankFiles
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import SharedKernel
import TestSupport
import Testing

@testable import DepositsService

/// 入出金明細と照合 through the API: a statement imported from a bank CSV, matched with the
/// approved entries where unambiguous, a difference left for the treasury, matched by hand, and
/// the same statement again changing nothing.
@Suite("kip-deposits: bank statements and reconciliation", .serialized)
struct ReconciliationAPITests {
  static let yokohama =
    #"{"name":"横浜銀行","bankCode":"0138","branchCode":"100","accountType":"ordinary","accountNumber":"0012345","accountName":"ﾖｺﾊﾏｷﾞﾝｺｳ","roles":["lender","handling"]}"#

  static let header = "bankCode,branchCode,depositType,accountNumber,postingDate,direction,amountYen,balanceYen,counterparty,summary\r\n"

  /// April 1st as the bank saw it: the drawdown in, the placement out, the ¥660 charge, and a
  /// ¥440 charge the ledger does not have.
  static let april1 =
    header + "0138,100,ordinary,0001234567,2022-04-01,in,1000000000,1000000000,ﾖｺﾊﾏｷﾞﾝｺｳ,ﾌﾘｺﾐ\r\n"
    + "0138,100,ordinary,0001234567,2022-04-01,out,800000000,200000000,ｶ)ﾖｺﾊﾏｷﾞﾝｺｳ,ﾌﾘｺﾐ\r\n"
    + "0138,100,ordinary,0001234567,2022-04-01,out,660,199999340,,ﾃｽｳﾘﾖｳ\r\n"
    + "0138,100,ordinary,0001234567,2022-04-01,out,440,199998900,,ﾃｽｳﾘﾖｳ\r\n"

  func upload(_ client: some TestClientProtocol, _ fixture: TreasuryFixture, _ body: String, type: String = "text/csv", key: String = UUID().uuidString)
    async throws -> TestResponse
  {
    var headers = fixture.headers(fixture.maker, key: key)
    headers[.contentType] = type
    return try await client.execute(uri: "/api/statements", method: .post, headers: headers, body: ByteBuffer(string: body))
  }

  @Test("a CSV statement is imported and matched where unambiguous; the ¥440 the ledger lacks is the tie-out's difference; the same file again changes nothing; a match by hand and its undo")
  func importAndMatch() async throws {
    let fixture = try await TreasuryFixture()
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      let api = DepositsAPITests()
      try await api.post(client, fixture, "/api/bank-accounts", DepositsAPITests.mainAccount, as: fixture.manager, expect: .created)
      let bank = try #require(try json(try await api.post(client, fixture, "/api/institutions", Self.yokohama, expect: .created))["id"] as? String)
      func approved(_ uri: String, _ body: String) async throws -> String {
        let entry = try #require(try json(try await api.post(client, fixture, uri, body, expect: .created))["entry"] as? String)
        try await fixture.caughtUp()
        try await api.post(client, fixture, "/api/entries/\(entry)/approve", as: fixture.manager, expect: .ok)
        return entry
      }
      let drawdown = try await approved(
        "/api/borrowings", #"{"lender":"\#(bank)","amountYen":1000000000,"ratePercent":"0.125","valueDate":"2022-04-01","maturity":"2022-07-01"}"#)
      let placement = try await approved(
        "/api/deposits", #"{"institution":"\#(bank)","amountYen":800000000,"valueDate":"2022-04-01","returnDate":"2022-06-30","programme":"事業活性化資金"}"#)
      let charge = try await approved(
        "/api/entries",
        #"{"valueDate":"2022-04-01","memo":"振込手数料","lines":[{"account":"bank-charges","side":"debit","amountYen":660},{"account":"bank:main","side":"credit","amountYen":660}]}"#)

      // A malformed file is refused whole and writes nothing.
      let head = try await fixture.app.store.head().position
      let broken = try await upload(client, fixture, Self.april1.replacingOccurrences(of: "199999340", with: "199999341"))
      #expect(broken.status == .unprocessableContent, "\(String(buffer: broken.body))")
      let unknown = try await upload(client, fixture, Self.april1.replacingOccurrences(of: "0001234567", with: "0007654321"))
      #expect(unknown.status == .notFound && String(buffer: unknown.body).contains("0138-100-7654321"), "\(String(buffer: unknown.body))")
      let wrongType = try await upload(client, fixture, Self.april1, type: "application/json")
      #expect(wrongType.status == .unsupportedMediaType)
      #expect(try await fixture.app.store.head().position == head, "refused imports wrote nothing")

      let imported = try await upload(client, fixture, Self.april1)
      #expect(imported.status == .created, "\(String(buffer: imported.body))")
      let answer = try #require((try json(imported)["statements"] as? [[String: Any]])?.first)
      let statement = try #require(answer["statement"] as? String)
      let lines = try #require(answer["lines"] as? [[String: Any]])
      #expect(lines.map { $0["entries"] as? [String] } == [[drawdown], [placement], [charge], nil], "\(lines)")
      #expect(lines.last?["ageDays"] as? Int != nil && lines.last?["counterparty"] as? String == "")
      #expect(lines.first?["counterparty"] as? String == "ヨコハマギンコウ", "half-width カナ read as full-width")
      let tie = try #require(answer["tieOut"] as? [String: Any])
      #expect(tie["statementBalanceYen"] as? Int == 199_998_900 && tie["ledgerBalanceYen"] as? Int == 199_999_340, "\(tie)")
      #expect(tie["differenceYen"] as? Int == -440 && tie["agrees"] as? Bool == false && tie["unmatchedLinesYen"] as? Int == -440)

      // The same statement again: nothing changes, the same lines are answered.
      let before = try await fixture.app.store.head().position
      let again = try await upload(client, fixture, Self.april1)
      let replayed = try json(again)["statements"] as? [[String: Any]]
      #expect(again.status == .ok && replayed?.first?["alreadyImported"] as? Bool == true)
      #expect(try await fixture.app.store.head().position == before)

      // The ¥440 is entered and approved; it is then matched by hand, undone with a reason, and matched again automatically.
      let late = try await approved(
        "/api/entries",
        #"{"valueDate":"2022-04-01","memo":"振込手数料（追加）","lines":[{"account":"bank-charges","side":"debit","amountYen":440},{"account":"bank:main","side":"credit","amountYen":440}]}"#)
      let unbalanced = try await api.post(client, fixture, "/api/bank-accounts/main/matches", #"{"lines":[4],"entries":["\#(charge)"]}"#)
      #expect(unbalanced.status == .conflict || unbalanced.status == .unprocessableContent, "\(String(buffer: unbalanced.body))")
      let taken = try await api.post(client, fixture, "/api/bank-accounts/main/matches", #"{"lines":[3],"entries":["\#(late)"]}"#, expect: .conflict)
      #expect(String(buffer: taken.body).contains("照合済み"))
      let matched = try json(try await api.post(client, fixture, "/api/bank-accounts/main/matches", #"{"lines":[4],"entries":["\#(late)"]}"#, expect: .created))
      let match = try #require((matched["matches"] as? [[String: Any]])?.first?["match"] as? String)
      try await api.post(client, fixture, "/api/bank-accounts/main/matches/\(match)/undo", #"{"reason":""}"#, expect: .unprocessableContent)
      try await api.post(client, fixture, "/api/bank-accounts/main/matches/\(match)/undo", #"{"reason":"照合誤り"}"#, expect: .ok)
      let auto = try json(try await api.post(client, fixture, "/api/bank-accounts/main/matches/auto", "{}", expect: .ok))
      #expect((auto["matches"] as? [[String: Any]])?.first?["entries"] as? [String] == [late], "\(auto)")

      let view = try json(
        try await client.execute(uri: "/api/reconciliation?statement=\(statement)", method: .get, headers: fixture.headers(fixture.manager, key: nil)))
      let viewTie = try #require(view["tieOut"] as? [String: Any])
      #expect(viewTie["agrees"] as? Bool == true && viewTie["differenceYen"] as? Int == 0, "\(viewTie)")
      #expect((view["unmatchedEntries"] as? [Any])?.isEmpty == true)
      let list = try await client.execute(uri: "/api/bank-accounts/main/statements", method: .get, headers: fixture.headers(fixture.manager, key: nil))
      let summaries = try #require(try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [[String: Any]])
      #expect(summaries.count == 1 && summaries.first?["unmatchedLines"] as? Int == 0)
      let missing = try await client.execute(uri: "/api/reconciliation?statement=st-nothing", method: .get, headers: fixture.headers(fixture.manager, key: nil))
      #expect(missing.status == .notFound)
      // April's 全銀 file repeats the day's four lines and adds one: only that one is new, the
      // rest keep their matches; a file of the wrong record length is refused whole.
      func line(_ date: String, _ direction: BankFiles.Direction, _ amount: Int64, _ counterparty: String, _ summary: String) throws -> BankFiles.StatementLine {
        let day = try LocalDate(iso8601: date)
        return BankFiles.StatementLine(
          inquiryNumber: "", postingDate: day, valueDate: day, direction: direction, amount: Yen(amount), counterparty: counterparty, summary: summary)
      }
      let monthLines = [
        try line("2022-04-01", .in, 1_000_000_000, "ヨコハマギンコウ", "フリコミ"), try line("2022-04-01", .out, 800_000_000, "カ)ヨコハマギンコウ", "フリコミ"),
        try line("2022-04-01", .out, 660, "", "テスウリヨウ"), try line("2022-04-01", .out, 440, "", "テスウリヨウ"),
        try line("2022-04-28", .out, 330, "", "テスウリヨウ"),
      ]
      let month = BankFiles.Statement(accounts: [
        AccountStatement(
          bankCode: "0138", branchCode: "100", depositType: .ordinary, accountNumber: "0001234567", periodFrom: try LocalDate(iso8601: "2022-04-01"),
          periodTo: try LocalDate(iso8601: "2022-04-28"), openingBalance: .zero, closingBalance: Yen(199_998_570), lines: monthLines)
      ])
      let file = try ZenginStatement.write(month, createdOn: try LocalDate(iso8601: "2022-05-02"))
      var zengin = fixture.headers(fixture.maker)
      zengin[.contentType] = "application/vnd.zengin"
      let short = try await client.execute(uri: "/api/statements", method: .post, headers: zengin, body: ByteBuffer(bytes: file.dropLast()))
      #expect(short.status == .unprocessableContent && String(buffer: short.body).contains("200"), "\(String(buffer: short.body))")
      zengin[.idempotencyKey] = UUID().uuidString
      let monthly = try await client.execute(uri: "/api/statements", method: .post, headers: zengin, body: ByteBuffer(bytes: file))
      #expect(monthly.status == .created, "\(String(buffer: monthly.body))")
      let monthAnswer = try #require((try json(monthly)["statements"] as? [[String: Any]])?.first)
      let monthRows = try #require(monthAnswer["lines"] as? [[String: Any]])
      #expect(monthRows.map { $0["number"] as? Int } == [1, 2, 3, 4, 5], "the day's four lines are the same lines: \(monthRows)")
      #expect(monthRows.prefix(4).allSatisfy { $0["match"] as? String != nil } && monthRows[4]["match"] == nil)
      #expect((monthAnswer["tieOut"] as? [String: Any])?["differenceYen"] as? Int == -330)

      // The page shows the statement beside the ledger: every line matched, the balances agreeing.
      let page = try await client.execute(uri: "/treasury/reconciliation?account=main&statement=\(statement)", method: .get, headers: fixture.headers(fixture.manager, key: nil))
      let markup = String(buffer: page.body)
      #expect(page.status == .ok && markup.contains(#"id="tie-out""#) && markup.contains("一致しています"), "\(markup.prefix(300))")
      #expect(markup.contains(#"id="statement-lines""#) && markup.contains("照合済（自動）") && markup.contains("手作業") == false)
    }
  }
}

/// 総合振込: a day's repayments and interest payments as a batch, approved by another person,
/// written as a 全銀 file, and recognised on the statement.
@Suite("kip-deposits: transfer files (総合振込)", .serialized)
struct TransferAPITests {
  @Test("a batch of the day's approved repayment: prepared once, approved by a manager, its file of 120-byte records read back, its debit on the statement matched with it")
  func batch() async throws {
    let fixture = try await TreasuryFixture()
    try await Application(router: fixture.app.makeRouter()).test(.router) { client in
      let runner = Task { await fixture.app.projections?.run() }
      defer { runner.cancel() }
      let api = DepositsAPITests()
      let withCode = DepositsAPITests.mainAccount.replacingOccurrences(of: #""id":"main""#, with: #""id":"main","requesterCode":"1234567890""#)
      try await api.post(client, fixture, "/api/bank-accounts", withCode, as: fixture.manager, expect: .created)
      let bank = try #require(try json(try await api.post(client, fixture, "/api/institutions", ReconciliationAPITests.yokohama, expect: .created))["id"] as? String)
      func approved(_ uri: String, _ body: String) async throws -> String {
        let answer = try json(try await api.post(client, fixture, uri, body, expect: .created))
        let entry = try #require(answer["entry"] as? String)
        try await fixture.caughtUp()
        try await api.post(client, fixture, "/api/entries/\(entry)/approve", as: fixture.manager, expect: .ok)
        return answer["subject"] as? String ?? entry
      }
      let borrowing = try await approved(
        "/api/borrowings", #"{"lender":"\#(bank)","amountYen":1000000000,"ratePercent":"0.125","valueDate":"2022-04-01","maturity":"2022-07-01"}"#)
      _ = try await approved("/api/borrowings/\(borrowing)/repayments", #"{"amountYen":300000000,"valueDate":"2022-06-01"}"#)
      // Nothing is due on another day; a holiday is refused naming the next business day.
      try await api.post(client, fixture, "/api/bank-accounts/main/transfers", #"{"date":"2022-06-02"}"#, expect: .conflict)
      let holiday = try await api.post(client, fixture, "/api/bank-accounts/main/transfers", #"{"date":"2022-05-03"}"#, expect: .unprocessableContent)
      #expect(String(buffer: holiday.body).contains("2022-05-06"), "\(String(buffer: holiday.body))")
      let prepared = try json(try await api.post(client, fixture, "/api/bank-accounts/main/transfers", #"{"date":"2022-06-01"}"#, expect: .created))
      let batch = try #require(prepared["batch"] as? String)
      #expect(prepared["totalYen"] as? Int == 300_000_000 && (prepared["transfers"] as? [Any])?.count == 1 && prepared["status"] as? String == "prepared")
      // Once in a batch, the payment is not batched again; no file before approval; the maker may not approve.
      try await api.post(client, fixture, "/api/bank-accounts/main/transfers", #"{"date":"2022-06-01"}"#, expect: .conflict)
      let early = try await client.execute(uri: "/api/bank-accounts/main/transfers/\(batch)/file", method: .get, headers: fixture.headers(fixture.manager, key: nil))
      #expect(early.status == .conflict)
      try await api.post(client, fixture, "/api/bank-accounts/main/transfers/\(batch)/approve", "{}", as: fixture.maker, expect: .forbidden)
      try await api.post(client, fixture, "/api/bank-accounts/main/transfers/\(batch)/approve", "{}", as: fixture.manager, expect: .ok)
      let file = try await client.execute(uri: "/api/bank-accounts/main/transfers/\(batch)/file", method: .get, headers: fixture.headers(fixture.manager, key: nil))
      #expect(file.status == .ok && file.headers[.contentType] == "application/vnd.zengin")
      let bytes = Array(Data(buffer: file.body))
      #expect(bytes.count == 4 * 120, "header, one transfer, trailer, end")
      let read = try BulkTransferFile.read(bytes, near: try LocalDate(iso8601: "2022-06-01"))
      #expect(read.requesterCode == "1234567890" && read.transfers.map(\.amount) == [Yen(300_000_000)] && read.transfers.first?.payeeName == "ﾖｺﾊﾏｷﾞﾝｺｳ")
      let june1 = try LocalDate(iso8601: "2022-06-01")
      #expect(read.transfers.first?.payee.number == "0012345" && read.transferDate == june1)

      // The statement's one debit of the batch's total is matched with the batch.
      let csv = ReconciliationAPITests.header
        + "0138,100,ordinary,0001234567,2022-06-01,out,300000000,700000000,,ｿｳｺﾞｳﾌﾘｺﾐ\r\n"
      var headers = fixture.headers(fixture.maker)
      headers[.contentType] = "text/csv"
      let imported = try await client.execute(uri: "/api/statements", method: .post, headers: headers, body: ByteBuffer(string: csv))
      let line = try #require(((try json(imported)["statements"] as? [[String: Any]])?.first?["lines"] as? [[String: Any]])?.first)
      #expect(line["rule"] as? String == "transfer-batch", "\(line)")
    }
  }
}
