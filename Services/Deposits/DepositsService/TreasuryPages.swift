import DepositLedger
import DepositReadModels
import Foundation
import Hummingbird
import JapaneseCalendar
import ServiceKit
import SharedKernel

/// The treasury's page, in Japanese: the fiscal year's totals, balances as of a day, the
/// month-end balances of deposits placed and borrowings as a chart, the approval queue (承認・
/// 差戻し for managers), and the month close.
enum TreasuryPages {
  static let notices = [
    "approve": "承認しました。", "reject": "差し戻しました。", "entered": "起票しました。承認をお待ちください。", "close": "締めました。", "account": "口座を登録しました。", "double": "この操作は既に受け付けています（二重送信）。",
  ]

  /// Yen as typed on a form: digits, commas and 円 allowed.
  static func yen(_ text: String?) throws(Problem) -> Int64 {
    let digits = (text ?? "").replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "円", with: "").trimmingCharacters(in: .whitespaces)
    guard let value = Int64(digits), value >= 1, value <= 1_000_000_000_000 else {
      throw Problem(.validationFailed, "金額は1円以上の数字で入力してください", field: "amountYen")
    }
    return value
  }

  /// A date as typed (ISO or 和暦).
  static func date(_ text: String?, _ field: String) throws(Problem) -> DateInput {
    guard let text, let date = try? LocalDate(typed: text) else { throw Problem(.validationFailed, "日付を 2022-04-01 か 令和4年4月1日 の形で入力してください", field: field) }
    return DateInput(date)
  }

  static func all(app: ServiceApplication, now: @escaping @Sendable () -> Date) -> [Route] {
    guard let runner = app.projections else { return [] }
    let treasury = Treasury(store: app.store, runner: runner, now: now)
    let html = [RouteResponse(200, "A page", schema: .string(), mediaType: "text/html")]
    let posted = [
      RouteResponse(303, "Done: back to the page", headers: ["Location"]),
      RouteResponse(422, "The page again, with the reason", schema: .string(), mediaType: "text/html"),
      RouteResponse(409, "The page again, saying what is in the way", schema: .string(), mediaType: "text/html"),
    ]
    let formBody = Schema.object([Form.csrfField: .string(), Form.idempotencyField: .string()], open: true)
    @Sendable func today() -> LocalDate { (try? LocalDate(japanTimeOf: now())) ?? LocalDate.earliest }

    @Sendable func page(_ request: Request, _ context: KIPRequestContext, problem: Problem? = nil) async throws -> String {
      if let position = request.uri.queryParameters["after"].flatMap({ Int64(String($0)) }) {
        _ = try? await runner.waitUntil("ledger", reached: position, timeout: .seconds(5))
      }
      let day = request.uri.queryParameters["asOf"].flatMap { try? LocalDate(typed: String($0)) } ?? today()
      let year = FiscalYear(containing: day)
      let (books, names, pending, institutions, accounts, borrowings) = try await treasury.read { db, set in
        (
          try LedgerQueries.books(in: db, set), try LedgerQueries.accountNames(in: db, set), try LedgerQueries.entries(status: "pending", in: db, set),
          try LedgerQueries.institutions(in: db, set), try LedgerQueries.bankAccounts(in: db, set), try LedgerQueries.borrowings(in: db, set)
        )
      }
      let notice = request.uri.queryParameters["notice"].flatMap { notices[String($0)] }
      let content = try TreasuryPage(
        day: day, year: year, books: books, names: names, pending: pending, institutions: institutions, accounts: accounts, borrowings: borrowings,
        user: context.user, notice: notice, problem: problem
      ).content
      return app.layout.page(title: "預託事業 \(year.warekiName)（\(year)）", user: context.user, content: content)
    }

    @Sendable func post(
      _ request: Request, _ context: KIPRequestContext, path: String, notice: String,
      _ decide: @escaping (FormBody, Principal, Transaction) async throws -> Outcome<some Encodable & Sendable>
    ) async throws -> Response {
      let fields = try await pageForm(request, context: context)
      guard let user = context.user else { throw Problem(.unauthenticated, "サインインしてください") }
      let write = WriteRequest(form: fields, context: context, service: app.configuration.serviceName, path: path, client: "treasury page")
      do {
        let submitted = try await treasury.decisions.submit(write) { t in try await decide(fields, user.principal, t) }
        return pageRedirect("/treasury", after: submitted.position, notice: submitted.replayed ? "double" : notice)
      } catch let problem as Problem {
        if problem.kind == .notFound { throw problem }
        return pageResponse(try await page(request, context, problem: problem), status: problem.kind == .conflict ? .conflict : .unprocessableContent)
      } catch let error as DepositLedgerError {
        let problem = error.problem
        if problem.kind == .notFound { throw problem }
        return pageResponse(try await page(request, context, problem: problem), status: problem.kind == .conflict ? .conflict : .unprocessableContent)
      }
    }

    return [
      Route(
        .get, "/treasury", summary: "預託事業: the year's totals, balances as of a day, the month-end chart, the approval queue and the month close.",
        access: DepositRoutes.readers,
        parameters: [RouteParameter("asOf", in: .query, schema: .string(), "The business date (ISO or 和暦; anything else is today)")],
        responses: html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in pageResponse(try await page(request, context)) },
      Route(
        .get, "/treasury/journal", summary: "仕訳帳: every entry dated in a period with its lines, status, maker and checker; prints on A4.",
        access: DepositRoutes.readers,
        parameters: [
          RouteParameter("from", in: .query, schema: .string(), "The first value date (default: the month's first day)"),
          RouteParameter("to", in: .query, schema: .string(), "The last value date (default: today)"),
        ], responses: html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        let to = request.uri.queryParameters["to"].flatMap { try? LocalDate(typed: String($0)) } ?? today()
        let from = request.uri.queryParameters["from"].flatMap { try? LocalDate(typed: String($0)) } ?? to.firstOfMonth
        let (books, names) = try await treasury.books()
        return pageResponse(
          app.layout.page(
            title: "仕訳帳 \(from)〜\(to)", user: context.user, content: [LedgerPrintouts.journal(JournalAnswer(books, names: names, from: from, to: to))]))
      },
      Route(
        .get, "/treasury/ledger", summary: "元帳: one account's approved entries of a fiscal year with the running balance; prints on A4.",
        access: DepositRoutes.readers,
        parameters: [
          RouteParameter("account", in: .query, schema: .string(), "The account's code (bank:main, borrowings:fi-yokohama…)"),
          RouteParameter("fy", in: .query, schema: .string(), "The fiscal year (2022, FY2022 or 令和4年度; anything else is this one)"),
        ], responses: html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in
        let year = (try? request.fiscalYear(today: today())) ?? FiscalYear(containing: today())
        guard let code = request.uri.queryParameters["account"].map(String.init), let account = try? LedgerAccount(code: code) else {
          throw Problem(.notFound, "その勘定科目はありません")
        }
        let (books, names) = try await treasury.books()
        let answer = try LedgerAnswer(books, names: names, account: account, year: year)
        return pageResponse(
          app.layout.page(title: "元帳 \(answer.name) \(year.warekiName)", user: context.user, content: [LedgerPrintouts.ledger(answer, year: year)]))
      },
      Route(
        .get, "/treasury/borrowings/{id}/schedule", summary: "利息計算表 of a borrowing: its interest month by month to maturity; prints on A4.",
        access: DepositRoutes.readers, parameters: [RouteParameter("id", in: .path, schema: .string(), "The borrowing")], responses: html,
        tag: "pages", isPage: true
      ) { _, context in
        let raw = try context.parameters.require("id")
        guard let id = try? BorrowingID(raw), let stream = try? Borrowing.stream(id) else { throw Problem(.notFound, "その借入はありません") }
        let record = try await app.store.readAll(stream: stream).map { try Borrowing.codec.decode($0) }.reduce(Borrowing.initialState, Borrowing.evolve)
        guard let record else { throw Problem(.notFound, "その借入はありません") }
        let schedule = ScheduleAnswer(try Borrowing.schedule(record))
        return pageResponse(
          app.layout.page(title: "利息計算表 \(record.drawn.lenderName)", user: context.user, content: [LedgerPrintouts.schedule(schedule, record: record)]))
      },
      Route(
        .get, "/treasury/entries/{id}", summary: "振替伝票: one entry as a slip (lines, maker, checker, reversal) with seal boxes; prints on A4.",
        access: DepositRoutes.readers, parameters: [RouteParameter("id", in: .path, schema: .string(), "The entry")], responses: html, tag: "pages",
        isPage: true, readsModels: true
      ) { _, context in
        let raw = try context.parameters.require("id")
        let (books, names) = try await treasury.books()
        guard let id = try? EntryID(raw), let entry = books.entry(id) else { throw Problem(.notFound, "伝票 \(raw) はありません") }
        return pageResponse(
          app.layout.page(title: "振替伝票 \(entry.id)", user: context.user, content: [LedgerPrintouts.slip(entry, books: books, names: names)]))
      },
      Route(
        .post, "/treasury/entries/{id}/{action}", summary: "承認 or 差戻し (with a reason) of an entry from the approval queue.",
        access: DepositRoutes.checkers,
        parameters: [
          RouteParameter("id", in: .path, schema: .string(), "The entry"),
          RouteParameter("action", in: .path, schema: .string(values: ["approve", "reject"]), "What to do"),
        ], requestBody: formBody, requestMediaType: "application/x-www-form-urlencoded", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let raw = try context.parameters.require("id"), action = try context.parameters.require("action")
        guard let entry = try? EntryID(raw), ["approve", "reject"].contains(action) else { throw Problem(.notFound, "その仕訳はありません") }
        return try await post(request, context, path: "/treasury/entries/\(raw)/\(action)", notice: action) { fields, by, t in
          let reason = fields["reason"] ?? ""
          if action == "reject", reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw Problem(.validationFailed, "差戻しの理由を入力してください", field: "reason")
          }
          return try await treasury.decide(entry, approve: action == "approve", reason: reason, by: by, t)
        }
      },
      Route(
        .post, "/treasury/borrowings", summary: "借入 entered from the page (as POST /api/borrowings); awaits approval.", access: DepositRoutes.makers,
        requestBody: formBody, requestMediaType: "application/x-www-form-urlencoded", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        try await post(request, context, path: "/treasury/borrowings", notice: "entered") { fields, by, t in
          let body = BorrowingBody(
            lender: fields["lender"] ?? "", amountYen: try Self.yen(fields["amountYen"]), ratePercent: fields["ratePercent"] ?? "", dayCount: nil,
            yearBasis: nil, accrualUnitYen: nil, valueDate: try Self.date(fields["valueDate"], "valueDate"), maturity: try Self.date(fields["maturity"], "maturity"),
            termMonths: nil, bankAccount: fields["bankAccount"], memo: nil)
          return try await treasury.draw(
            try body.command(id: newID("bw", at: now()), entry: newID("e", at: now()), key: fields[Form.idempotencyField] ?? UUID().uuidString), by: by, t)
        }
      },
      Route(
        .post, "/treasury/deposits", summary: "預託 entered from the page (as POST /api/deposits); awaits approval.", access: DepositRoutes.makers,
        requestBody: formBody, requestMediaType: "application/x-www-form-urlencoded", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        try await post(request, context, path: "/treasury/deposits", notice: "entered") { fields, by, t in
          let body = DepositBody(
            institution: fields["institution"] ?? "", amountYen: try Self.yen(fields["amountYen"]), valueDate: try Self.date(fields["valueDate"], "valueDate"),
            returnDate: try Self.date(fields["returnDate"], "returnDate"), programme: fields["programme"] ?? "", bankAccount: fields["bankAccount"], memo: nil)
          return try await treasury.place(
            try body.command(id: newID("dp", at: now()), entry: newID("e", at: now()), key: fields[Form.idempotencyField] ?? UUID().uuidString), by: by, t)
        }
      },
      Route(
        .post, "/treasury/bank-accounts", summary: "口座の登録 from the page (as POST /api/bank-accounts).", access: DepositRoutes.checkers,
        requestBody: formBody, requestMediaType: "application/x-www-form-urlencoded", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        try await post(request, context, path: "/treasury/bank-accounts", notice: "account") { fields, by, t in
          let body = BankAccountBody(
            id: fields["id"] ?? "", name: fields["name"] ?? "", bankName: fields["bankName"] ?? "", branchName: fields["branchName"] ?? "",
            bankCode: fields["bankCode"] ?? "", branchCode: fields["branchCode"] ?? "",
            accountType: BankAccountType(rawValue: fields["accountType"] ?? "") ?? .ordinary, accountNumber: fields["accountNumber"] ?? "",
            accountName: fields["accountName"] ?? "", requesterCode: fields["requesterCode"])
          return try await treasury.open(try body.command(), by: by, t)
        }
      },
      Route(
        .post, "/treasury/periods/close", summary: "締め of a month (month=2022-04) from the page.", access: DepositRoutes.checkers,
        requestBody: formBody, requestMediaType: "application/x-www-form-urlencoded", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        try await post(request, context, path: "/treasury/periods/close", notice: "close") { fields, by, t in
          guard let text = fields["month"], let month = try? YearMonth(iso8601: text) else {
            throw Problem(.validationFailed, "締める月を 2022-04 の形で入力してください", field: "month")
          }
          return try await treasury.period(FiscalYear(containing: month.firstDay), month: month, close: true, reason: "", by: by, t)
        }
      },
    ]
  }
}

/// The treasury page's content for one day.
struct TreasuryPage {
  let day: LocalDate
  let year: FiscalYear
  let books: Books
  let names: AccountNames
  let pending: [EntryRow]
  let institutions: [InstitutionRow]
  let accounts: [BankAccountRow]
  let borrowings: [BorrowingRow]
  let user: AuthenticatedUser?
  let notice: String?
  let problem: Problem?

  var content: [HTML] {
    get throws {
      var parts: [HTML] = []
      if let notice { parts.append(H.p(.text(notice), class: "notice")) }
      if let problem { parts.append(.element("p", ["class": "warning", "role": "alert", "id": "problem"], [.text(problem.detail)])) }
      parts.append(
        .element(
          "form", ["method": "get", "action": "/treasury", "class": "toolbar no-print"],
          [
            .element("label", ["for": "asOf"], [.text("基準日")]),
            .element("input", ["id": "asOf", "name": "asOf", "value": day.description, "size": "12"]),
            .element("button", ["type": "submit"], [.text("表示")]),
          ]))
      parts.append(
        H.div(
          [
            H.a("仕訳帳（今月）", href: "/treasury/journal?from=\(day.firstOfMonth)&to=\(day)"),
            H.a("照合・総合振込", href: "/treasury/reconciliation"),
            H.a("年度計 CSV", href: "/api/reports/fiscal-year?fy=\(year.startYear)&format=csv"),
            H.a("残高試算表 CSV", href: "/api/trial-balance?asOf=\(day)&format=csv"),
          ], class: "toolbar no-print"))
      if user?.role == .treasury { parts.append(entryForms) }
      parts += [try totals, try balances, try institutionBalances, try chart, queue, borrowingList, accountList]
      if user?.role == .treasuryManager { parts += [close, openAccount] }
      return parts
    }
  }

  var totals: HTML {
    get throws {
      let t = try books.totals(for: year)
      let rows: [(String, Yen)] = [
        ("借入額", t.borrowed), ("償還額", t.repaid), ("預託額", t.placed), ("返還額", t.returned), ("支払利息（計上）", t.interestAccrued),
        ("利息支払額", t.interestPaid), ("支払手数料", t.bankCharges),
      ]
      return H.section(
        [
          H.h2("年度計（承認済み）"),
          .element(
            "table", ["class": "data", "id": "year-totals"],
            rows.map { .element("tr", [:], [.element("th", ["scope": "row"], [.text($0.0)]), .element("td", ["class": "num"], [.text(Formats.yen($0.1))])]) }),
        ])
    }
  }

  var balances: HTML {
    get throws {
      let trial = try books.trialBalance(asOf: day)
      let rows = trial.lines.map { line -> [HTML] in
        [
          H.a(names.name(of: line.account), href: "/treasury/ledger?account=\(line.account.code)&fy=\(year.startYear)"),
          .text(line.side == .debit ? Formats.yen(line.amount) : ""),
          .text(line.side == .credit ? Formats.yen(line.amount) : ""),
        ]
      } + [[.text("合計"), .text(Formats.yen(trial.totalDebit)), .text(Formats.yen(trial.totalCredit))]]
      return H.section(
        [
          H.h2("残高試算表（\(Formats.wareki(day))）"),
          .element("div", ["id": "trial-balance"], [Table(columns: [.init("勘定科目"), .init("借方", numeric: true), .init("貸方", numeric: true)], rows: rows).html]),
        ], class: "report")
    }
  }

  /// 金融機関別残高: per institution, what is borrowed from it and placed with it, as of the day.
  var institutionBalances: HTML {
    get throws {
      let answer = BalancesAnswer(asOf: day, balances: try books.balances(asOf: day), names: names)
      let rows = answer.institutions.map { row -> [HTML] in
        [
          H.a(row.name, href: "/treasury/ledger?account=deposits:\(row.institution)&fy=\(year.startYear)"),
          .text(Formats.yen(row.borrowingsYen)), .text(Formats.yen(row.depositsPlacedYen)),
        ]
      }
      return H.section(
        [
          H.h2("金融機関別残高（\(Formats.wareki(day))）"),
          .element(
            "div", ["id": "institution-balances"],
            [Table(columns: [.init("金融機関"), .init("借入金残高", numeric: true), .init("預託金残高", numeric: true)], rows: rows).html]),
        ], class: "report")
    }
  }

  /// Month-end balances of deposits placed and of borrowings, in 百万円.
  var chart: HTML {
    get throws {
      var placed: [Chart.Point] = [], borrowed: [Chart.Point] = []
      for month in year.months where month.firstDay <= day {
        let balances = try books.balances(asOf: month.lastDay)
        func total(_ fits: (LedgerAccount) -> Bool) -> Int64 { balances.filter { fits($0.account) }.reduce(0) { $0 + $1.balance.amount } / 1_000_000 }
        placed.append(Chart.Point("\(month.month)月", total { if case .depositsPlaced = $0 { true } else { false } }))
        borrowed.append(Chart.Point("\(month.month)月", total { if case .borrowings = $0 { true } else { false } }))
      }
      return H.div(
        [
          Chart(title: "預託金残高（月末）", style: .line, points: placed, format: { "\($0)百万円" }).html,
          Chart(title: "借入金残高（月末）", style: .line, points: borrowed, format: { "\($0)百万円" }).html,
        ], id: "charts")
    }
  }

  var queue: HTML {
    let manager = user?.role == .treasuryManager
    let rows = pending.map { entry -> [HTML] in
      var actions: [HTML] = []
      if manager, entry.maker != user?.id.rawValue {
        actions = [
          Form(action: "/treasury/entries/\(entry.id)/approve", fields: [], submit: "承認", csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString).html,
          Form(
            action: "/treasury/entries/\(entry.id)/reject", fields: [Form.Field("reason", label: "差戻しの理由")], submit: "差戻し",
            csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString
          ).html,
        ]
      }
      return [
        H.a(entry.valueDate.description, href: "/treasury/entries/\(entry.id)"), .text(EntryPurpose(rawValue: entry.purpose)?.japaneseName ?? entry.purpose),
        .text(entry.memo),
        .text(Formats.yen(entry.amountYen)), .text(entry.maker), HTML.join(actions),
      ]
    }
    return H.section(
      [
        H.h2("承認待ちの仕訳（\(pending.count)件）"),
        .element(
          "div", ["id": "approval-queue"],
          [
            pending.isEmpty
              ? H.p(.text("承認待ちの仕訳はありません。"))
              : Table(
                columns: [.init("起票日"), .init("種類"), .init("摘要"), .init("金額", numeric: true), .init("起票者"), .init("")], rows: rows
              ).html
          ]),
      ])
  }

  static func prefixed(_ form: Form, _ prefix: String) -> Form {
    var form = form
    form.prefix = prefix
    return form
  }

  /// 起票: a borrowing and a deposit, for the treasury (each awaits a manager's approval).
  var entryForms: HTML {
    func options(_ role: String) -> [(value: String, label: String)] {
      institutions.filter { $0.roles.contains(role) }.map { ($0.id, "\($0.name)（\($0.bankCode)）") }
    }
    let csrf = user?.session?.csrfToken
    let bankAccounts = accounts.filter(\.open).map { (value: $0.id, label: "\($0.bankName) \($0.branchName) \($0.accountNumber)（\($0.name)）") }
    return H.section(
      [
        H.h2("起票"),
        H.div(
          [
            Self.prefixed(Form(
              action: "/treasury/borrowings",
              fields: [
                Form.Field("lender", label: "借入先", kind: .select, required: true, options: options("lender")),
                Form.Field("amountYen", label: "借入額（円）", kind: .number, required: true),
                Form.Field("ratePercent", label: "利率（%）", value: "0.125", hint: "小数点以下6桁まで", required: true),
                Form.Field("valueDate", label: "借入日", value: day.description, hint: "銀行営業日", required: true),
                Form.Field("maturity", label: "償還期日", required: true),
                Form.Field("bankAccount", label: "入金口座", kind: .select, required: true, options: bankAccounts),
              ], submit: "借入を起票", csrfToken: csrf, idempotencyKey: UUID().uuidString
            ), "borrowing").html,
            Self.prefixed(Form(
              action: "/treasury/deposits",
              fields: [
                Form.Field("institution", label: "預託先", kind: .select, required: true, options: options("handling")),
                Form.Field("amountYen", label: "預託額（円）", kind: .number, required: true),
                Form.Field("programme", label: "融資制度", value: "中小企業振興資金", required: true),
                Form.Field("valueDate", label: "預託日", value: day.description, hint: "銀行営業日", required: true),
                Form.Field("returnDate", label: "返還予定日", required: true),
                Form.Field("bankAccount", label: "出金口座", kind: .select, required: true, options: bankAccounts),
              ], submit: "預託を起票", csrfToken: csrf, idempotencyKey: UUID().uuidString
            ), "deposit").html,
          ], id: "entry-forms"),
      ], class: "no-print")
  }

  /// The borrowings, each linked to its 利息計算表.
  var borrowingList: HTML {
    let rows = borrowings.map { b -> [HTML] in
      [
        H.a(b.id, href: "/treasury/borrowings/\(b.id)/schedule"), .text(b.lenderName), .text(Formats.yen(b.amountYen)), .text("\(b.ratePercent)%"),
        .text(b.valueDate.description), .text(b.maturity.description),
      ]
    }
    return H.section(
      [
        H.h2("借入一覧（\(borrowings.count)件）"),
        .element(
          "div", ["id": "borrowings"],
          [
            Table(
              columns: [.init("借入"), .init("借入先"), .init("借入額", numeric: true), .init("利率"), .init("借入日"), .init("償還期日")], rows: rows
            ).html
          ]),
      ])
  }

  /// 財団の口座: the register, the default first.
  var accountList: HTML {
    let rows = accounts.map { a -> [HTML] in
      [
        .text(a.id), .text(a.name), .text("\(a.bankName)（\(a.bankCode)）"), .text("\(a.branchName)（\(a.branchCode)）"),
        .text(a.accountType == "current" ? "当座" : "普通"), .text(a.accountNumber), .text(a.accountName),
        .text(a.open ? (a.isDefault ? "使用中（既定）" : "使用中") : "解約済"),
      ]
    }
    return H.section(
      [
        H.h2("財団の口座（\(accounts.count)口座）"),
        .element(
          "div", ["id": "bank-accounts"],
          [
            accounts.isEmpty
              ? H.p(.text("口座が登録されていません。責任者が口座を登録するまで記帳できません。"))
              : Table(
                columns: [.init("識別子"), .init("用途"), .init("金融機関"), .init("支店"), .init("種目"), .init("口座番号"), .init("口座名義"), .init("状態")], rows: rows
              ).html
          ]),
      ])
  }

  /// 口座の登録, for the treasury manager.
  var openAccount: HTML {
    H.section(
      [
        H.h2("口座の登録"),
        Self.prefixed(Form(
          action: "/treasury/bank-accounts",
          fields: [
            Form.Field("id", label: "識別子", hint: "英小文字・数字・ハイフン（例: yokohama-current）", required: true),
            Form.Field("name", label: "用途", value: "預託事業用 当座預金", required: true),
            Form.Field("bankName", label: "金融機関名", required: true), Form.Field("bankCode", label: "金融機関コード", hint: "4桁", required: true),
            Form.Field("branchName", label: "支店名", required: true), Form.Field("branchCode", label: "支店コード", hint: "3桁", required: true),
            Form.Field(
              "accountType", label: "預金種目", kind: .select, required: true, options: [(value: "ordinary", label: "普通"), (value: "current", label: "当座")]),
            Form.Field("accountNumber", label: "口座番号", hint: "7桁", required: true),
            Form.Field("accountName", label: "口座名義（半角カナ）", required: true),
            Form.Field("requesterCode", label: "振込依頼人コード", hint: "総合振込に使う10桁（銀行との契約で決まります）"),
          ], submit: "登録", csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString
        ), "account").html,
      ], class: "no-print")
  }

  var close: HTML {
    let last = (try? day.firstOfMonth.adding(days: -1))?.yearMonth.description ?? ""
    return H.section(
      [
        H.h2("月次締め"),
        Form(
          action: "/treasury/periods/close", fields: [Form.Field("month", label: "締める月", value: last, hint: "2022-04 の形。承認待ちの仕訳がある月は締められません")],
          submit: "締める", csrfToken: user?.session?.csrfToken, idempotencyKey: UUID().uuidString
        ).html,
      ], class: "no-print")
  }
}

/// The books' printouts on A4: the journal (仕訳帳), an account's ledger (元帳), a borrowing's
/// interest schedule (利息計算表) and one entry's slip (振替伝票). Each table is the one its CSV
/// download writes (``ReportTable``).
enum LedgerPrintouts {
  static func journal(_ answer: JournalAnswer) -> HTML {
    let table = answer.table
    return H.section(
      [
        H.p(.text("起票日 \(answer.from) 〜 \(answer.to)、\(answer.entries.count)件"), class: "hint"),
        H.div([H.a("CSV", href: "/api/journal?from=\(answer.from)&to=\(answer.to)&format=csv")], class: "toolbar no-print"),
        .element("div", ["id": "journal"], [table.html { row, column in column == 1 ? entryLink(table.rows[row][1]) : nil }]),
      ], class: "report wide-print")
  }

  static func entryLink(_ cell: ReportTable.Cell) -> String? {
    if case .text(let id) = cell { "/treasury/entries/\(id)" } else { nil }
  }

  static func schedule(_ answer: ScheduleAnswer, record: Borrowing.Record) -> HTML {
    let terms = record.drawn.terms
    return H.section(
      [
        H.p(
          .text(
            "\(record.drawn.lenderName)　借入額 \(Formats.yen(record.drawn.amount))　利率 \(terms.rate)%　\(terms.dayCount == .katahashi ? "片端" : "両端")・"
              + "\(terms.yearBasis == .fixed365 ? "365日" : "閏年366日")・付利単位 \(Formats.yen(terms.accrualUnit))　\(record.drawn.valueDate)〜\(record.drawn.maturity)"),
          class: "hint"),
        H.div([H.a("CSV", href: "/api/borrowings/\(record.id)/schedule?format=csv")], class: "toolbar no-print"),
        .element("div", ["id": "schedule"], [answer.table.html()]),
      ], class: "report wide-print")
  }

  static func ledger(_ answer: LedgerAnswer, year: FiscalYear) -> HTML {
    let table = answer.table
    let side = answer.balanceSide == "debit" ? "借方" : "貸方"
    return H.section(
      [
        H.p(.text("\(answer.name)（\(answer.account)）\(year.warekiName)、残高は\(side)残"), class: "hint"),
        H.div([H.a("CSV", href: "/api/ledger?account=\(answer.account)&fy=\(year.startYear)&format=csv")], class: "toolbar no-print"),
        .element("div", ["id": "ledger"], [table.html { row, column in column == 1 ? entryLink(table.rows[row][1]) : nil }]),
      ], class: "report wide-print")
  }

  /// 振替伝票: one entry as a slip to file, with its lines, who entered and who approved it,
  /// and what it reverses or is reversed by.
  static func slip(_ entry: Journal.Entry, books: Books, names: AccountNames) -> HTML {
    let e = entry.entered
    let debits = e.lines.filter { $0.side == .debit }, credits = e.lines.filter { $0.side == .credit }
    var rows: [[HTML]] = []
    for index in 0..<max(debits.count, credits.count) {
      let debit = index < debits.count ? debits[index] : nil, credit = index < credits.count ? credits[index] : nil
      rows.append([
        .text(debit.map { names.name(of: $0.account) } ?? ""), .text(debit.map { Formats.yen($0.amount) } ?? ""),
        .text(credit.map { names.name(of: $0.account) } ?? ""), .text(credit.map { Formats.yen($0.amount) } ?? ""),
      ])
    }
    rows.append([.text("合計"), .text(Formats.yen(e.amount)), .text("合計"), .text(Formats.yen(e.amount))])
    let reversedBy = books.entries.first { $0.entered.reverses == entry.id && $0.status != .rejected }
    func row(_ title: String, _ value: HTML) -> HTML { .element("tr", [:], [.element("th", ["scope": "row"], [.text(title)]), .element("td", [:], [value])]) }
    var facts: [HTML] = [
      row("伝票番号", .text(entry.id.rawValue)),
      row("起票日（勘定日）", .text("\(e.valueDate)（\(Formats.wareki(e.valueDate))）")),
      row("種類", .text(e.purpose.japaneseName)),
      row("摘要", .text(e.memo)),
      row("状態", .text(LedgerReports.statusName(entry.status) + (entry.rejectionReason.map { "（\($0)）" } ?? ""))),
      row("起票者", .text("\(e.by)　\(Formats.instant(e.at.date))")),
      row(entry.status == .rejected ? "差戻し" : "承認者", .text(entry.decidedBy.map { "\($0)　\(entry.decidedAt.map { Formats.instant($0.date) } ?? "")" } ?? "—")),
    ]
    if let original = e.reverses { facts.append(row("取消元", H.a(original.rawValue, href: "/treasury/entries/\(original)"))) }
    if let reversal = reversedBy { facts.append(row("取消伝票", H.a(reversal.id.rawValue, href: "/treasury/entries/\(reversal.id)"))) }
    if let period = e.period { facts.append(row("利息計算期間", .text("\(period.from)〜\(period.through)（\(period.days)日、積数 \(period.product)）"))) }
    return H.section(
      [
        .element("table", ["class": "data", "id": "slip-facts"], facts),
        .element(
          "div", ["id": "slip-lines"],
          [Table(columns: [.init("借方科目"), .init("借方金額", numeric: true), .init("貸方科目"), .init("貸方金額", numeric: true)], rows: rows).html]),
        .element(
          "table", ["class": "data stamps", "aria-label": "押印欄"],
          [
            .element("tr", [:], ["起票", "承認", "記帳"].map { .element("th", ["scope": "col"], [.text($0)]) }),
            .element("tr", [:], (0..<3).map { _ in .element("td", ["class": "seal"], [.text(" ")]) }),
          ]),
      ], class: "report slip")
  }
}
