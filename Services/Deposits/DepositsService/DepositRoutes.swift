import DepositLedger
import DepositReadModels
import EventLog
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// The treasury's JSON API: institutions, borrowings and deposits as postings that await a
/// manager's approval, the interest calculator, balances and the trial balance.
enum DepositRoutes {
  static let readers: Access = .roles([.treasury, .treasuryManager, .auditor])
  static let makers: Access = .roles([.treasury])
  static let checkers: Access = .roles([.treasuryManager])

  static func all(app: ServiceApplication, now: @escaping @Sendable () -> Date) -> [Route] {
    guard let runner = app.projections else { return [] }
    let treasury = Treasury(store: app.store, runner: runner, now: now)
    let service = app.configuration.serviceName
    let object = Schema.object([:], open: true)
    let posted = [RouteResponse(201, "The entry, awaiting approval", schema: object, headers: ["ETag", "X-KIP-Position"])]
    let date = Schema.string(maxLength: 40, description: "ISO 2023-03-31 or 和暦 令和5年3月31日")

    @Sendable func write<Body: Encodable & Sendable>(
      _ request: Request, _ context: KIPRequestContext, _ decide: @escaping (WriteRequest, Principal, Transaction) async throws -> Outcome<Body>
    ) async throws -> Response {
      guard let user = context.user else { throw Problem(.unauthenticated, "サインインしてください") }
      return try await treasury.decisions.respond(to: request, context: context, service: service) { write, t in
        try await decide(write, user.principal, t)
      }
    }

    /// An optional date query parameter, ISO or 和暦.
    @Sendable func day(_ request: Request, _ name: String) throws -> LocalDate? {
      guard let text = try request.queryText(name, maxLength: 40) else { return nil }
      do { return try LocalDate(typed: text) } catch { throw Problem(.validationFailed, "\(name): \(error)", field: name) }
    }

    @Sendable func asOf(_ request: Request) throws -> LocalDate {
      guard let text = try request.queryText("asOf", maxLength: 40) else { return try LocalDate(japanTimeOf: now()) }
      do { return try LocalDate(typed: text) } catch { throw Problem(.validationFailed, "asOf: \(error)", field: "asOf") }
    }

    let format = RouteParameter("format", in: .query, schema: .string(values: ["json", "csv"]), "json (default) or csv (UTF-8 with BOM)")
    func jsonOrCSV(_ what: String) -> [RouteResponse] {
      [RouteResponse(200, "\(what) (JSON), or with format=csv the same as CSV", schema: object), RouteResponse(200, "\(what) as CSV", mediaType: "text/csv")]
    }
    @Sendable func csv(_ request: Request) throws -> Bool {
      switch try request.queryText("format", maxLength: 8) {
      case nil, "json": return false
      case "csv": return true
      default: throw Problem(.validationFailed, "format は json か csv です", field: "format")
      }
    }

    @Sendable func fiscalYear(_ context: KIPRequestContext) throws -> FiscalYear {
      let text = context.parameters.get("fy") ?? ""
      do { return try FiscalYear(input: text, field: "fy") } catch { throw Problem(.notFound, "年度 \(text) はありません（例: 2022、FY2022、令和4年度）") }
    }

    @Sendable func id<Tag>(_ context: KIPRequestContext, _ what: String) throws -> ID<Tag> {
      do { return try ID<Tag>(try context.parameters.require("id")) } catch { throw Problem(.notFound, "その\(what)はありません") }
    }

    /// A repayment, an interest payment or a deposit's return: money moving on a value date,
    /// all that is outstanding when no amount is given, awaiting approval.
    @Sendable func movement<Tag>(
      _ path: String, _ summary: String, _ noun: String, _ type: ID<Tag>.Type,
      _ perform: @escaping @Sendable (ID<Tag>, MovementBody, EntryID, String, Principal, Transaction) async throws -> Outcome<EntryAnswer>
    ) -> Route {
      Route(
        .post, path, summary: summary, access: makers, appendsEvents: true,
        parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The \(noun)'s id")], requestBody: MovementBody.schema,
        responses: posted, tag: "deposits"
      ) { request, context in
        let subject: ID<Tag> = try id(context, noun == "deposit" ? "預託" : "借入")
        return try await write(request, context) { write, by, t in
          try await perform(subject, try write.decode(MovementBody.self), newID("e", at: now()), write.idempotency.key, by, t)
        }
      }
    }

    return [
      Route(
        .get, "/api/institutions", summary: "金融機関: lenders and handling institutions with their codes, account and roles.", access: readers,
        responses: [RouteResponse(200, "The institutions", schema: .array(object))], tag: "deposits", readsModels: true
      ) { _, _ in try jsonResponse(try await treasury.read { db, set in try LedgerQueries.institutions(in: db, set) }) },
      Route(
        .post, "/api/institutions", summary: "Register a lender or handling institution: bank and branch codes, account, 口座名義 in half-width カナ.",
        access: makers, appendsEvents: true, requestBody: InstitutionBody.schema,
        responses: [RouteResponse(201, "The institution", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "deposits"
      ) { request, context in
        try await write(request, context) { write, by, t in
          let body = try write.decode(InstitutionBody.self)
          return try await treasury.register(try body.command(id: newID("fi", at: now())), by: by, t)
        }
      },
      Route(
        .get, "/api/bank-accounts", summary: "財団の口座: the foundation's own bank accounts the scheme's money moves through, the default first.",
        access: readers, responses: [RouteResponse(200, "The accounts", schema: .array(object))], tag: "deposits", readsModels: true
      ) { _, _ in try jsonResponse(try await treasury.read { db, set in try LedgerQueries.bankAccounts(in: db, set) }) },
      Route(
        .post, "/api/bank-accounts", summary: "Open one of the foundation's bank accounts in the register (treasury manager): codes, 口座名義 in half-width カナ.",
        access: checkers, appendsEvents: true, requestBody: BankAccountBody.schema,
        responses: [RouteResponse(201, "The account", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "deposits"
      ) { request, context in
        try await write(request, context) { write, by, t in try await treasury.open(try write.decode(BankAccountBody.self).command(), by: by, t) }
      },
      Route(
        .post, "/api/bank-accounts/{id}/closure", summary: "Close a bank account of the register, with the reason: it takes no further postings.",
        access: checkers, appendsEvents: true, parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The account's id")],
        requestBody: RejectionBody.schema, responses: [RouteResponse(200, "The account, closed", schema: object, headers: ["ETag", "X-KIP-Position"])],
        tag: "deposits"
      ) { request, context in
        let account: BankAccountID = try id(context, "口座")
        return try await write(request, context) { write, by, t in
          try await treasury.close(account, reason: try write.decode(RejectionBody.self).reason, by: by, t)
        }
      },
      Route(
        .post, "/api/interest/quote", summary: "Interest to the yen: days and interest for a principal, rate, period, 片端/両端, 365/actual-leap366, 付利単位.",
        access: readers, requestBody: QuoteBody.schema,
        responses: [RouteResponse(200, "The quote", schema: .object(["days": .integer(), "interestYen": .integer()], required: ["days", "interestYen"], open: true))],
        tag: "deposits"
      ) { request, context in
        let body = try await QuoteBody.read(request, context: context)
        return try jsonResponse(try body.quote())
      },
      Route(
        .post, "/api/borrowings", summary: "預託原資の借入: a drawdown from a lender on a bank business day, with its terms; awaits approval.",
        access: makers, appendsEvents: true, requestBody: BorrowingBody.schema, responses: posted, tag: "deposits"
      ) { request, context in
        try await write(request, context) { write, by, t in
          let body = try write.decode(BorrowingBody.self)
          return try await treasury.draw(try body.command(id: newID("bw", at: now()), entry: newID("e", at: now()), key: write.idempotency.key), by: by, t)
        }
      },
      movement(
        "/api/borrowings/{id}/repayments", "償還: repay principal (all outstanding when no amount), never beyond what is outstanding.", "borrowing",
        BorrowingID.self
      ) { borrowing, body, entry, key, by, t in
        let command = RepayBorrowing(
          entry: entry, amount: body.amountYen.map(Yen.init), valueDate: body.valueDate.date, bankAccount: try bankAccountID(body.bankAccount),
          memo: body.memo ?? "", idempotencyKey: key)
        return try await treasury.repay(borrowing, command, by: by, t)
      },
      movement(
        "/api/borrowings/{id}/interest-payments", "利息支払: pay accrued interest (all accrued and unpaid when no amount).", "borrowing", BorrowingID.self
      ) { borrowing, body, entry, key, by, t in
        let command = PayInterest(
          entry: entry, amount: body.amountYen.map(Yen.init), valueDate: body.valueDate.date, bankAccount: try bankAccountID(body.bankAccount),
          memo: body.memo ?? "", idempotencyKey: key)
        return try await treasury.payInterest(borrowing, command, by: by, t)
      },
      movement("/api/deposits/{id}/returns", "預託金の返還: a deposit received back, in full (no amount) or in part.", "deposit", DepositID.self) {
        deposit, body, entry, key, by, t in
        let command = ReceiveDeposit(
          entry: entry, amount: body.amountYen.map(Yen.init), valueDate: body.valueDate.date, bankAccount: try bankAccountID(body.bankAccount),
          memo: body.memo ?? "", idempotencyKey: key)
        return try await treasury.receive(deposit, command, by: by, t)
      },
      Route(
        .post, "/api/borrowings/{id}/accruals", summary: "利息計上: accrue interest from the day after the last accrual through a day, by the borrowing's terms (積数).",
        access: makers, appendsEvents: true, parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The borrowing's id")],
        requestBody: AccrualBody.schema, responses: posted, tag: "deposits"
      ) { request, context in
        let borrowing: BorrowingID = try id(context, "借入")
        return try await write(request, context) { write, by, t in
          let body = try write.decode(AccrualBody.self)
          let command = AccrueInterest(entry: newID("e", at: now()), through: body.through.date, memo: body.memo ?? "", idempotencyKey: write.idempotency.key)
          return try await treasury.accrue(borrowing, command, by: by, t)
        }
      },
      Route(
        .post, "/api/deposits", summary: "預託: place a deposit with a handling institution, never beyond what was borrowed plus own funds; awaits approval.",
        access: makers, appendsEvents: true, requestBody: DepositBody.schema, responses: posted, tag: "deposits"
      ) { request, context in
        try await write(request, context) { write, by, t in
          let body = try write.decode(DepositBody.self)
          return try await treasury.place(try body.command(id: newID("dp", at: now()), entry: newID("e", at: now()), key: write.idempotency.key), by: by, t)
        }
      },
      Route(
        .get, "/api/entries", summary: "The journal (仕訳帳): entries in the order entered; status=pending for the approval queue.", access: readers,
        parameters: [RouteParameter("status", in: .query, schema: .string(values: ["pending", "approved", "rejected"]), "Only entries of this status")],
        responses: [RouteResponse(200, "The entries", schema: .array(object))], tag: "deposits", readsModels: true
      ) { request, _ in
        let status = try request.queryText("status", maxLength: 16)
        guard status == nil || ["pending", "approved", "rejected"].contains(status ?? "") else {
          throw Problem(.validationFailed, "status は pending、approved、rejected のいずれかです", field: "status")
        }
        return try jsonResponse(try await treasury.read { db, set in try LedgerQueries.entries(status: status, in: db, set) })
      },
      Route(
        .post, "/api/entries/{id}/approve", summary: "承認: a treasury manager other than the maker approves an entry; only approved entries count.",
        access: checkers, appendsEvents: true, parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The entry's id")],
        responses: [RouteResponse(200, "The entry, approved", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "deposits"
      ) { request, context in
        let entry: EntryID = try id(context, "仕訳")
        return try await write(request, context) { _, by, t in try await treasury.decide(entry, approve: true, reason: "", by: by, t) }
      },
      Route(
        .post, "/api/entries/{id}/reject", summary: "差戻し: a treasury manager rejects an entry with a reason; it never counts.",
        access: checkers, appendsEvents: true, parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The entry's id")],
        requestBody: RejectionBody.schema,
        responses: [RouteResponse(200, "The entry, rejected", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "deposits"
      ) { request, context in
        let entry: EntryID = try id(context, "仕訳")
        return try await write(request, context) { write, by, t in
          try await treasury.decide(entry, approve: false, reason: try write.decode(RejectionBody.self).reason, by: by, t)
        }
      },
      Route(
        .post, "/api/entries", summary: "振替伝票: a manual entry (own funds, bank charges…) that balances; awaits approval.",
        access: makers, appendsEvents: true, requestBody: ManualEntryBody.schema, responses: posted, tag: "deposits"
      ) { request, context in
        try await write(request, context) { write, by, t in
          let body = try write.decode(ManualEntryBody.self)
          return try await treasury.enter(try body.entry(id: newID("e", at: now()), key: write.idempotency.key), by: by, t)
        }
      },
      Route(
        .post, "/api/entries/{id}/reversal", summary: "訂正: a reversing entry of an approved entry (debits and credits swapped) in an open period; awaits approval.",
        access: makers, appendsEvents: true, parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The entry to reverse")],
        requestBody: ReversalBody.schema, responses: posted, tag: "deposits"
      ) { request, context in
        let original: EntryID = try id(context, "仕訳")
        return try await write(request, context) { write, by, t in
          let body = try write.decode(ReversalBody.self)
          let command = ReverseEntry(
            original: original, id: newID("e", at: now()), valueDate: body.valueDate.date, memo: body.memo ?? "", idempotencyKey: write.idempotency.key)
          return try await treasury.reverse(command, by: by, t)
        }
      },
      Route(
        .post, "/api/periods/{fy}/close", summary: "締め: close a month (month=2022-04) or the fiscal year once it has ended; refused while entries in it await approval.",
        access: checkers, appendsEvents: true, parameters: [RouteParameter("fy", in: .path, schema: .string(maxLength: 16), "The fiscal year: 2022 or FY2022")],
        requestBody: PeriodBody.schema, responses: [RouteResponse(200, "The year's periods", schema: object, headers: ["ETag", "X-KIP-Position"])],
        tag: "deposits"
      ) { request, context in
        let year = try fiscalYear(context)
        return try await write(request, context) { write, by, t in
          let body = try write.decode(PeriodBody.self)
          return try await treasury.period(year, month: try body.yearMonth(), close: true, reason: "", by: by, t)
        }
      },
      Route(
        .post, "/api/periods/{fy}/reopen", summary: "Reopen a closed month or fiscal year, with the reason recorded.",
        access: checkers, appendsEvents: true, parameters: [RouteParameter("fy", in: .path, schema: .string(maxLength: 16), "The fiscal year: 2022 or FY2022")],
        requestBody: PeriodBody.schema, responses: [RouteResponse(200, "The year's periods", schema: object, headers: ["ETag", "X-KIP-Position"])],
        tag: "deposits"
      ) { request, context in
        let year = try fiscalYear(context)
        return try await write(request, context) { write, by, t in
          let body = try write.decode(PeriodBody.self)
          guard let reason = body.reason else { throw Problem(.validationFailed, "再開の理由を入力してください", field: "reason") }
          return try await treasury.period(year, month: try body.yearMonth(), close: false, reason: reason, by: by, t)
        }
      },
      Route(
        .get, "/api/borrowings/{id}/schedule", summary: "利息計算表: the borrowing's interest month by month to maturity (projected from every entry not rejected), with the totals.",
        access: readers, parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The borrowing's id")],
        responses: jsonOrCSV("The schedule"), tag: "deposits"
      ) { request, context in
        let borrowing: BorrowingID = try id(context, "借入")
        let events = try await app.store.readAll(stream: try Borrowing.stream(borrowing))
        let record = try events.map { try Borrowing.codec.decode($0) }.reduce(Borrowing.initialState, Borrowing.evolve)
        guard let record else { throw Problem(.notFound, DepositLedgerError.unknownBorrowing(borrowing).japaneseDescription) }
        let answer = ScheduleAnswer(try Borrowing.schedule(record))
        return try csv(request) ? Response.csv(answer.table.csv(), filename: "schedule-\(borrowing).csv") : try jsonResponse(answer)
      },
      Route(
        .get, "/api/journal", summary: "仕訳帳: every entry dated in a period (all statuses) with its lines and account names; JSON or CSV.",
        access: readers,
        parameters: [
          RouteParameter("from", in: .query, schema: date, "The first value date (default: this month's first day)"),
          RouteParameter("to", in: .query, schema: date, "The last value date (default: today)"), format,
        ],
        responses: jsonOrCSV("The journal"), tag: "deposits", readsModels: true
      ) { request, _ in
        let to = try day(request, "to") ?? (try LocalDate(japanTimeOf: now()))
        let from = try day(request, "from") ?? to.firstOfMonth
        guard from <= to else { throw Problem(.validationFailed, "from（\(from)）は to（\(to)）以前の日付にしてください", field: "from") }
        let (books, names) = try await treasury.books()
        let answer = JournalAnswer(books, names: names, from: from, to: to)
        return try csv(request) ? Response.csv(answer.table.csv(), filename: "journal-\(from)-\(to).csv") : try jsonResponse(answer)
      },
      Route(
        .get, "/api/ledger", summary: "元帳: one account's approved entries of a fiscal year with the running balance from the balance brought forward; JSON or CSV.",
        access: readers,
        parameters: [
          RouteParameter("account", in: .query, required: true, schema: .string(maxLength: 140), "The account's code: bank:main, borrowings:<institution>…"),
          RouteParameter("fy", in: .query, schema: .string(maxLength: 16), "The fiscal year: 2022, FY2022 or 令和4年度 (default: this one)"), format,
        ],
        responses: jsonOrCSV("The ledger"), tag: "deposits", readsModels: true
      ) { request, _ in
        let year = try request.fiscalYear(today: try LocalDate(japanTimeOf: now()))
        guard let code = try request.queryText("account", maxLength: 140) else { throw Problem(.validationFailed, "勘定科目（account）を指定してください", field: "account") }
        let account: LedgerAccount
        do { account = try LedgerAccount(code: code) } catch { throw Problem(.validationFailed, "勘定科目「\(code)」はありません（例: bank:main、borrowings:fi-yokohama）", field: "account") }
        let (books, names) = try await treasury.books()
        let answer = try LedgerAnswer(books, names: names, account: account, year: year)
        return try csv(request) ? Response.csv(answer.table.csv(), filename: "ledger-\(code.replacingOccurrences(of: ":", with: "-"))-\(year).csv") : try jsonResponse(answer)
      },
      Route(
        .get, "/api/reports/fiscal-year", summary: "年度計: what the scheme moved in a fiscal year (borrowed, repaid, placed, returned, interest); JSON or CSV.",
        access: readers,
        parameters: [RouteParameter("fy", in: .query, schema: .string(maxLength: 16), "The fiscal year: 2022, FY2022 or 令和4年度 (default: this one)"), format],
        responses: jsonOrCSV("The totals"), tag: "deposits", readsModels: true
      ) { request, _ in
        let year = try request.fiscalYear(today: try LocalDate(japanTimeOf: now()))
        let books = try await treasury.read { db, set in try LedgerQueries.books(in: db, set) }
        let totals = YearTotalsAnswer(try books.totals(for: year))
        return try csv(request) ? Response.csv(totals.csv(), filename: "deposits-\(year).csv") : try jsonResponse(totals)
      },
      Route(
        .get, "/api/balances", summary: "Balances per account as of a business date (approved entries dated on or before it); JSON or CSV.",
        access: readers, parameters: [RouteParameter("asOf", in: .query, schema: date, "The business date (default today)"), format],
        responses: jsonOrCSV("The balances"), tag: "deposits", readsModels: true
      ) { request, _ in
        let day = try asOf(request)
        let (books, names) = try await treasury.books()
        let answer = BalancesAnswer(asOf: day, balances: try books.balances(asOf: day), names: names)
        return try csv(request) ? Response.csv(answer.csv(), filename: "balances-\(day).csv") : try jsonResponse(answer)
      },
      Route(
        .get, "/api/trial-balance", summary: "残高試算表 as of a business date: each account on its side, the two totals equal; JSON or CSV.",
        access: readers, parameters: [RouteParameter("asOf", in: .query, schema: date, "The business date (default today)"), format],
        responses: jsonOrCSV("The trial balance"), tag: "deposits", readsModels: true
      ) { request, _ in
        let day = try asOf(request)
        let (books, names) = try await treasury.books()
        let answer = TrialBalanceAnswer(try books.trialBalance(asOf: day), names: names)
        return try csv(request) ? Response.csv(answer.csv(), filename: "trial-balance-\(day).csv") : try jsonResponse(answer)
      },
    ]
  }
}

// MARK: - Answers

/// One account's totals.
struct BalanceAnswer: Codable, Sendable {
  var account: String
  var name: String
  var debitsYen: Yen
  var creditsYen: Yen
  var balanceYen: Yen
}

/// Every account's balance on a day, and per institution what is borrowed from it and placed with it.
struct BalancesAnswer: Codable, Sendable {
  /// One institution's two balances.
  struct InstitutionBalance: Codable, Sendable {
    var institution: String
    var name: String
    /// 借入金残高: owed to it as a lender.
    var borrowingsYen: Yen
    /// 預託金残高: placed with it as a handling institution.
    var depositsPlacedYen: Yen
  }
  var asOf: LocalDate
  var balances: [BalanceAnswer]
  var institutions: [InstitutionBalance]

  init(asOf: LocalDate, balances: [AccountBalance], names: AccountNames) {
    self.asOf = asOf
    self.balances = balances.map {
      BalanceAnswer(account: $0.account.code, name: names.name(of: $0.account), debitsYen: $0.debits, creditsYen: $0.credits, balanceYen: $0.balance)
    }
    var byInstitution: [InstitutionID: InstitutionBalance] = [:]
    for balance in balances {
      guard let id = balance.account.institution else { continue }
      var row = byInstitution[id] ?? InstitutionBalance(institution: id.rawValue, name: names.institutions[id] ?? id.rawValue, borrowingsYen: .zero, depositsPlacedYen: .zero)
      if case .borrowings = balance.account { row.borrowingsYen = balance.balance } else { row.depositsPlacedYen = balance.balance }
      byInstitution[id] = row
    }
    institutions = byInstitution.values.sorted { $0.institution < $1.institution }
  }
}

extension BalancesAnswer {
  func csv() -> Data {
    CSVText.render(
      [["基準日", "勘定科目コード", "勘定科目", "借方合計", "貸方合計", "残高"]]
        + balances.map { [asOf.description, $0.account, $0.name, String($0.debitsYen.amount), String($0.creditsYen.amount), String($0.balanceYen.amount)] })
  }
}

/// 残高試算表.
struct TrialBalanceAnswer: Codable, Sendable {
  struct Line: Codable, Sendable {
    var account: String
    var name: String
    var side: String
    var amountYen: Yen
  }
  var asOf: LocalDate
  var lines: [Line]
  var totalDebitYen: Yen
  var totalCreditYen: Yen

  init(_ trial: TrialBalance, names: AccountNames) {
    asOf = trial.asOf
    lines = trial.lines.map { Line(account: $0.account.code, name: names.name(of: $0.account), side: $0.side.rawValue, amountYen: $0.amount) }
    totalDebitYen = trial.totalDebit
    totalCreditYen = trial.totalCredit
  }

  func csv() -> Data {
    CSVText.render(
      [["勘定科目コード", "勘定科目", "借方残高", "貸方残高"]]
        + lines.map { [$0.account, $0.name, $0.side == "debit" ? String($0.amountYen.amount) : "", $0.side == "credit" ? String($0.amountYen.amount) : ""] }
        + [["", "合計", String(totalDebitYen.amount), String(totalCreditYen.amount)]])
  }
}

/// The interest calculator's answer.
struct QuoteAnswer: Codable, Sendable {
  var days: Int
  var interestYen: Yen
  /// 積数 (yen-days), as text: it may exceed 64 bits.
  var product: String
}

/// 利息計算表.
struct ScheduleAnswer: Codable, Sendable {
  struct Line: Codable, Sendable {
    var from: LocalDate
    var through: LocalDate
    var days: Int
    var openingBalanceYen: Yen
    var closingBalanceYen: Yen
    /// 積数, as text.
    var product: String
    var interestYen: Yen
  }
  var borrowing: String
  var ratePercent: String
  var dayCount: String
  var yearBasis: String
  var accrualUnitYen: Yen
  var lines: [Line]
  var totalDays: Int
  var totalInterestYen: Yen

  init(_ schedule: InterestSchedule) {
    borrowing = schedule.borrowing.rawValue
    ratePercent = schedule.terms.rate.description
    dayCount = schedule.terms.dayCount.rawValue
    yearBasis = schedule.terms.yearBasis.rawValue
    accrualUnitYen = schedule.terms.accrualUnit
    lines = schedule.lines.map {
      Line(
        from: $0.from, through: $0.through, days: $0.days, openingBalanceYen: $0.openingBalance, closingBalanceYen: $0.closingBalance,
        product: String($0.product), interestYen: $0.interest)
    }
    totalDays = schedule.totalDays
    totalInterestYen = schedule.totalInterest
  }
}

/// 年度計.
struct YearTotalsAnswer: Codable, Sendable {
  var fiscalYear: String
  var borrowedYen: Yen
  var repaidYen: Yen
  var placedYen: Yen
  var returnedYen: Yen
  var interestAccruedYen: Yen
  var interestPaidYen: Yen
  var bankChargesYen: Yen

  init(_ totals: FiscalYearTotals) {
    fiscalYear = totals.year.description
    borrowedYen = totals.borrowed
    repaidYen = totals.repaid
    placedYen = totals.placed
    returnedYen = totals.returned
    interestAccruedYen = totals.interestAccrued
    interestPaidYen = totals.interestPaid
    bankChargesYen = totals.bankCharges
  }

  func csv() -> Data {
    CSVText.render([
      ["年度", "借入額", "償還額", "預託額", "返還額", "支払利息（計上）", "利息支払額", "支払手数料"],
      [fiscalYear] + [borrowedYen, repaidYen, placedYen, returnedYen, interestAccruedYen, interestPaidYen, bankChargesYen].map { String($0.amount) },
    ])
  }
}
