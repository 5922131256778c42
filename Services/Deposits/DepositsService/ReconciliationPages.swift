import DepositLedger
import DepositReadModels
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// 照合: the treasury's reconciliation page — a statement's lines beside the account's
/// unmatched entries, matched by ticking both sides, the tie-out of the statement's closing
/// balance with the ledger's, the statements imported, the upload of the bank's file, and the
/// day's 総合振込 batches.
enum ReconciliationPages {
  static let notices = [
    "imported": "明細を取り込みました。", "matched": "照合しました。", "undone": "照合を取り消しました。", "auto": "自動照合をやり直しました。",
    "prepared": "振込データを作成しました。責任者の承認をお待ちください。", "approve": "振込データを承認しました。", "cancel": "振込データを取り消しました。",
    "double": "この操作は既に受け付けています（二重送信）。",
  ]

  static func all(app: ServiceApplication, now: @escaping @Sendable () -> Date) -> [Route] {
    guard let runner = app.projections else { return [] }
    let treasury = Treasury(store: app.store, runner: runner, now: now)
    let reconciliation = Reconciliation(treasury: treasury)
    let service = app.configuration.serviceName
    let html = [RouteResponse(200, "A page", schema: .string(), mediaType: "text/html")]
    let posted = [
      RouteResponse(303, "Done: back to the page", headers: ["Location"]),
      RouteResponse(422, "The page again, with the reason", schema: .string(), mediaType: "text/html"),
      RouteResponse(409, "The page again, saying what is in the way", schema: .string(), mediaType: "text/html"),
    ]
    let formBody = Schema.object([Form.csrfField: .string(), Form.idempotencyField: .string()], open: true)
    let workers: Access = .roles([.treasury, .treasuryManager])
    @Sendable func today() -> LocalDate { (try? LocalDate(japanTimeOf: now())) ?? LocalDate.earliest }

    @Sendable func page(
      _ request: Request, _ context: KIPRequestContext, account chosen: String? = nil, statement wanted: String? = nil, problem: Problem? = nil
    ) async throws -> String {
      if let position = request.uri.queryParameters["after"].flatMap({ Int64(String($0)) }) {
        _ = try? await runner.waitUntil("ledger", reached: position, timeout: .seconds(5))
      }
      let accounts = try await treasury.read { db, set in try LedgerQueries.bankAccounts(in: db, set) }
      let name = chosen ?? request.uri.queryParameters["account"].map(String.init) ?? accounts.first(where: \.isDefault)?.id ?? accounts.first?.id
      guard let name, let account = try? BankAccountID(name), accounts.contains(where: { $0.id == name }) else {
        return app.layout.page(title: "照合", user: context.user, content: [H.p(.text("財団の口座が登録されていません。"))])
      }
      let state = try await reconciliation.statements(account)
      let ledger = try await reconciliation.ledger()
      let batches = try await reconciliation.transfers(account).batches
      let statementID = wanted ?? request.uri.queryParameters["statement"].map(String.init)
      let statement = statementID.flatMap { id in state.statements.first { $0.id.rawValue == id } } ?? state.statements.last
      let view = statement.map { ReconciliationAnswer(account: account, statement: $0, state: state, ledger: ledger, today: today()) }
      let movements = BankMovement.movements(through: account, in: ledger.books)
      let summaries = state.statements.reversed().map {
        StatementSummary(ReconciliationAnswer(account: account, statement: $0, state: state, ledger: ledger, today: today(), movements: movements))
      }
      let notice = request.uri.queryParameters["notice"].flatMap { notices[String($0)] }
      let content = ReconciliationPage(
        account: account, accounts: accounts, view: view, summaries: summaries, state: state, batches: batches, today: today(), user: context.user,
        notice: notice, problem: problem
      ).content
      return app.layout.page(title: "照合 \(ledger.names.name(of: .bank(account)))", user: context.user, content: content)
    }

    /// A page's post: decided as the API would, then back to the page (or the page again with the reason).
    @Sendable func post(
      _ request: Request, _ context: KIPRequestContext, path: String, notice: String, fields: FormBody, write: WriteRequest? = nil,
      back: @escaping @Sendable (Data) -> String?, _ decide: @escaping (Principal, Transaction) async throws -> Outcome<some Encodable & Sendable>
    ) async throws -> Response {
      guard let user = context.user else { throw Problem(.unauthenticated, "サインインしてください") }
      let account = fields["account"] ?? ""
      let write = write ?? WriteRequest(form: fields, context: context, service: service, path: path, client: "reconciliation page")
      do {
        let submitted = try await treasury.decisions.submit(write) { t in try await decide(user.principal, t) }
        let target = "/treasury/reconciliation?account=\(account)" + (back(submitted.answer).map { "&statement=\($0)" } ?? "")
        return pageRedirect(target, after: submitted.position, notice: submitted.replayed ? "double" : notice)
      } catch let problem as Problem {
        if problem.kind == .notFound, fields["account"] == nil { throw problem }
        return pageResponse(try await page(request, context, account: account, problem: problem), status: problem.kind == .conflict ? .conflict : .unprocessableContent)
      } catch let error as DepositLedgerError {
        let problem = error.problem
        return pageResponse(try await page(request, context, account: account, problem: problem), status: problem.kind == .conflict ? .conflict : .unprocessableContent)
      }
    }
    /// A refusal found before the decision (a field missing or malformed) is the page again
    /// with the reason, as the page's answers are documented; what is not found or not allowed
    /// stays a problem.
    @Sendable func refusing(_ request: Request, _ context: KIPRequestContext, account: String?, _ body: () async throws -> Response) async throws -> Response {
      do { return try await body() } catch let problem as Problem where problem.kind == .validationFailed || problem.kind == .conflict {
        return pageResponse(try await page(request, context, account: account, problem: problem), status: problem.kind == .conflict ? .conflict : .unprocessableContent)
      }
    }
    @Sendable func account(_ fields: FormBody) throws -> BankAccountID {
      do { return try BankAccountID(fields["account"] ?? "") } catch { throw Problem(.validationFailed, "口座を選んでください", field: "account") }
    }
    @Sendable func statementOf(_ answer: Data) -> String? {
      ((try? JSONSerialization.jsonObject(with: answer)) as? [String: Any]).flatMap { ($0["statements"] as? [[String: Any]])?.first?["statement"] as? String }
    }

    return [
      Route(
        .get, "/treasury/reconciliation", summary: "照合: a statement's lines beside the account's unmatched entries, the tie-out, the statements imported, the 総合振込 batches.",
        access: DepositRoutes.readers,
        parameters: [
          RouteParameter("account", in: .query, schema: .string(), "The foundation's bank account (default: the default account)"),
          RouteParameter("statement", in: .query, schema: .string(), "The statement (default: the latest)"),
        ], responses: html, tag: "pages", isPage: true, readsModels: true
      ) { request, context in pageResponse(try await page(request, context)) },
      Route(
        .post, "/treasury/statements", summary: "明細の取込 from the page: the bank's file (全銀 or CSV) uploaded as multipart/form-data.", access: workers,
        requestBody: formBody, requestMediaType: "multipart/form-data", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let upload = try await pageUpload(request, context: context)
        guard let file = upload.file("statement"), !file.data.isEmpty else {
          return pageResponse(
            try await page(request, context, account: upload.form["account"], problem: Problem(.validationFailed, "取り込む明細のファイルを選んでください", field: "statement")),
            status: .unprocessableContent)
        }
        let format = upload.form["format"] == "csv" ? "text/csv" : "application/vnd.zengin"
        let write = WriteRequest(upload: upload, file: file, context: context, service: service, path: "/treasury/statements", client: "reconciliation page")
        let fields = upload.form
        do {
          let (statement, kind) = try Reconciliation.parse(file.data, mediaType: format, today: today())
          return try await post(request, context, path: "/treasury/statements", notice: "imported", fields: fields, write: write, back: statementOf) { by, t in
            try await reconciliation.importFile(statement, format: kind, by: by, newID: { newID("st", at: now()) }, t)
          }
        } catch let problem as Problem {
          return pageResponse(try await page(request, context, account: fields["account"], problem: problem), status: .unprocessableContent)
        }
      },
      Route(
        .post, "/treasury/reconciliation/{action}", summary: "照合 (match the ticked lines and entries), 取消 (undo a match with a reason) or 自動照合 from the page.",
        access: workers,
        parameters: [RouteParameter("action", in: .path, schema: .string(values: ["match", "undo", "auto"]), "What to do")], requestBody: formBody,
        requestMediaType: "application/x-www-form-urlencoded", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let action = try context.parameters.require("action")
        guard ["match", "undo", "auto"].contains(action) else { throw Problem(.notFound, "その操作はありません") }
        let fields = try await pageForm(request, context: context)
        return try await refusing(request, context, account: fields["account"]) {
        let id = try account(fields)
        let statement = fields["statement"]
        return try await post(
          request, context, path: "/treasury/reconciliation/\(action)", notice: action == "match" ? "matched" : action == "undo" ? "undone" : "auto",
          fields: fields, back: { _ in statement }
        ) { by, t in
          switch action {
          case "match":
            let lines = fields.values("line").compactMap { Int($0) }
            let entries = try fields.values("entry").map { text in
              do { return try EntryID(text) } catch { throw Problem(.validationFailed, "伝票 \(text) はありません", field: "entry") }
            }
            return try await reconciliation.match(id, lines: lines, entries: entries, id: newID("m", at: now()), by: by, t)
          case "undo":
            let match: MatchID
            do { match = try MatchID(fields["match"] ?? "") } catch { throw Problem(.validationFailed, "取り消す照合を選んでください", field: "match") }
            return try await reconciliation.undo(id, match: match, reason: fields["reason"] ?? "", by: by, t)
          default:
            return try await reconciliation.autoMatch(id, by: by, t)
          }
        }
        }
      },
      Route(
        .post, "/treasury/transfers", summary: "総合振込の作成 from the page (a day's approved repayments and interest payments).", access: DepositRoutes.makers,
        requestBody: formBody, requestMediaType: "application/x-www-form-urlencoded", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let fields = try await pageForm(request, context: context)
        return try await refusing(request, context, account: fields["account"]) {
          let id = try account(fields)
          return try await post(request, context, path: "/treasury/transfers", notice: "prepared", fields: fields, back: { _ in nil }) { by, t in
            let date = try TreasuryPages.date(fields["date"], "date")
            return try await reconciliation.prepare(id, on: date.date, id: newID("tb", at: now()), by: by, t)
          }
        }
      },
      Route(
        .post, "/treasury/transfers/{batch}/{action}", summary: "承認 or 取消 (with a reason) of a 総合振込 batch from the page.", access: workers,
        parameters: [
          RouteParameter("batch", in: .path, schema: .string(), "The batch"),
          RouteParameter("action", in: .path, schema: .string(values: ["approve", "cancel"]), "What to do"),
        ], requestBody: formBody, requestMediaType: "application/x-www-form-urlencoded", responses: posted, tag: "pages", isPage: true
      ) { request, context in
        let action = try context.parameters.require("action")
        guard ["approve", "cancel"].contains(action), let batch = try? TransferBatchID(try context.parameters.require("batch")) else {
          throw Problem(.notFound, "その振込データはありません")
        }
        let fields = try await pageForm(request, context: context)
        return try await refusing(request, context, account: fields["account"]) {
          let id = try account(fields)
          return try await post(request, context, path: "/treasury/transfers/\(batch)/\(action)", notice: action, fields: fields, back: { _ in nil }) { by, t in
            action == "approve"
              ? try await reconciliation.approve(id, batch: batch, by: by, t)
              : try await reconciliation.cancel(id, batch: batch, reason: fields["reason"] ?? "", by: by, t)
          }
        }
      },
    ]
  }
}

/// The reconciliation page's content for one account and statement.
struct ReconciliationPage {
  let account: BankAccountID
  let accounts: [BankAccountRow]
  let view: ReconciliationAnswer?
  let summaries: [StatementSummary]
  let state: BankStatements.State
  let batches: [Transfers.Batch]
  let today: LocalDate
  let user: AuthenticatedUser?
  let notice: String?
  let problem: Problem?

  var worker: Bool { user?.role == .treasury || user?.role == .treasuryManager }
  var csrf: String? { user?.session?.csrfToken }

  var content: [HTML] {
    var parts: [HTML] = []
    if let notice { parts.append(H.p(.text(notice), class: "notice")) }
    if let problem { parts.append(.element("p", ["class": "warning", "role": "alert", "id": "problem"], [.text(problem.detail)])) }
    parts.append(
      H.div(
        [H.a("預託事業", href: "/treasury")] + accounts.map { H.a("\($0.bankName) \($0.branchName) \($0.accountNumber)", href: "/treasury/reconciliation?account=\($0.id)") },
        class: "toolbar no-print"))
    if worker { parts.append(upload) }
    if let view { parts += [tieOut(view), matching(view), matched(view)] } else { parts.append(H.p(.text("この口座の明細はまだ取り込まれていません。"))) }
    parts += [statements, transfers]
    return parts
  }

  var upload: HTML {
    H.section(
      [
        H.h2("明細の取込"),
        Form(
          action: "/treasury/statements",
          fields: [
            Form.Field("account", label: "", kind: .hidden, value: account.rawValue),
            Form.Field("statement", label: "明細ファイル", kind: .file, hint: "銀行の入出金明細（全銀協フォーマット、またはCSV）", required: true),
            Form.Field(
              "format", label: "形式", kind: .select, value: "zengin", required: true,
              options: [(value: "zengin", label: "全銀協 入出金取引明細（固定長）"), (value: "csv", label: "CSV")]),
          ], submit: "取り込む", csrfToken: csrf, idempotencyKey: UUID().uuidString
        ).html,
      ], class: "no-print")
  }

  func tieOut(_ view: ReconciliationAnswer) -> HTML {
    let tie = view.tieOut
    let rows: [(String, String)] = [
      ("明細の期間", "\(view.periodFrom) 〜 \(view.periodTo)"), ("明細の残高（\(view.periodTo)）", Formats.yen(tie.statementBalanceYen)),
      ("帳簿の残高（\(view.periodTo)）", Formats.yen(tie.ledgerBalanceYen)), ("差額", Formats.yen(tie.differenceYen)),
      ("未照合の明細（計）", Formats.yen(tie.unmatchedLinesYen)), ("未照合の伝票（計）", Formats.yen(tie.unmatchedEntriesYen)),
    ]
    return H.section(
      [
        H.h2("残高の照合（\(view.accountName)）"),
        .element(
          "div", ["id": "tie-out", "class": tie.agrees ? "notice" : "warning"],
          [
            H.p(.text(tie.agrees ? "明細の残高と帳簿の残高は一致しています。" : "明細の残高と帳簿の残高に差額 \(Formats.yen(tie.differenceYen)) があります。未照合の明細と伝票を確認してください。")),
            .element(
              "table", ["class": "data"],
              rows.map { .element("tr", [:], [.element("th", ["scope": "row"], [.text($0.0)]), .element("td", ["class": "num"], [.text($0.1)])]) }),
          ]),
      ], class: "report")
  }

  /// One form around both tables: tick lines and entries whose sums agree, then 照合.
  func matching(_ view: ReconciliationAnswer) -> HTML {
    let lines = view.lines.map { line -> HTML in
      let box: HTML = line.match == nil && worker
        ? .element("input", ["type": "checkbox", "name": "line", "value": String(line.number), "aria-label": "明細 \(line.number)"])
        : .empty
      let state: String
      if line.match != nil {
        state = line.automatic == true ? "照合済（自動）" : "照合済"
      } else {
        state = "未照合（\(line.ageDays ?? 0)日）"
      }
      return .element(
        "tr", ["id": "line-\(line.number)", "class": line.match == nil ? "unmatched" : nil],
        [
          .element("td", [:], [box]), .element("td", ["class": "num"], [.text(String(line.number))]), .element("td", [:], [.text(line.valueDate.description)]),
          .element("td", [:], [.text(line.direction == "in" ? "入金" : "出金")]), .element("td", ["class": "num"], [.text(Formats.yen(line.amountYen))]),
          .element("td", [:], [.text(line.counterparty)]), .element("td", [:], [.text(line.summary)]), .element("td", [:], [.text(state)]),
        ])
    }
    let entries = view.unmatchedEntries.map { entry -> HTML in
      let box: HTML = worker ? .element("input", ["type": "checkbox", "name": "entry", "value": entry.entry, "aria-label": "伝票 \(entry.entry)"]) : .empty
      return .element(
        "tr", ["id": "entry-\(entry.entry)"],
        [
          .element("td", [:], [box]), .element("td", [:], [H.a(entry.valueDate.description, href: "/treasury/entries/\(entry.entry)")]),
          .element("td", [:], [.text(EntryPurpose(rawValue: entry.purpose)?.japaneseName ?? entry.purpose)]), .element("td", [:], [.text(entry.memo)]),
          .element("td", ["class": "num"], [.text(Formats.yen(entry.amountYen))]), .element("td", ["class": "num"], [.text("\(entry.ageDays)日")]),
        ])
    }
    func table(_ id: String, _ heads: [String], _ rows: [HTML]) -> HTML {
      .element(
        "table", ["class": "data", "id": id],
        [.element("thead", [:], [.element("tr", [:], heads.map { .element("th", ["scope": "col"], [.text($0)]) })]), .element("tbody", [:], rows)])
    }
    var children: [HTML] = [
      .element("input", ["type": "hidden", "name": "account", "value": account.rawValue]),
      .element("input", ["type": "hidden", "name": "statement", "value": view.statement]),
      .element("input", ["type": "hidden", "name": Form.idempotencyField, "value": UUID().uuidString]),
    ]
    if let csrf { children.append(.element("input", ["type": "hidden", "name": Form.csrfField, "value": csrf])) }
    children += [
      .element(
        "div", ["class": "columns"],
        [
          H.section([H.h2("明細（\(view.lines.count)行）"), table("statement-lines", ["", "No.", "起算日", "入出金", "金額", "相手", "摘要", "状態"], lines)]),
          H.section([
            H.h2("未照合の伝票（\(view.unmatchedEntries.count)件）"),
            table("unmatched-entries", ["", "起票日", "種類", "摘要", "金額（入金＋）", "経過"], entries),
          ]),
        ]),
    ]
    if worker {
      children.append(.element("button", ["type": "submit"], [.text("選んだ明細と伝票を照合")]))
    }
    var sections: [HTML] = [.element("form", ["method": "post", "action": "/treasury/reconciliation/match", "id": "match-form"], children)]
    if worker {
      sections.append(
        Form(
          action: "/treasury/reconciliation/auto",
          fields: [Form.Field("account", label: "", kind: .hidden, value: account.rawValue), Form.Field("statement", label: "", kind: .hidden, value: view.statement)],
          submit: "自動照合をやり直す", csrfToken: csrf, idempotencyKey: UUID().uuidString
        ).html)
    }
    return H.section(sections)
  }

  /// The matches of the statement's lines, each with its undo.
  func matched(_ view: ReconciliationAnswer) -> HTML {
    var seen: Set<String> = []
    let rows = view.lines.compactMap { line -> [HTML]? in
      guard let match = line.match, seen.insert(match).inserted, let record = state.matches.values.first(where: { $0.match.rawValue == match }) else {
        return nil
      }
      let undo: HTML = worker
        ? Form(
          action: "/treasury/reconciliation/undo",
          fields: [
            Form.Field("account", label: "", kind: .hidden, value: account.rawValue), Form.Field("statement", label: "", kind: .hidden, value: view.statement),
            Form.Field("match", label: "", kind: .hidden, value: match), Form.Field("reason", label: "取消の理由"),
          ], submit: "取消", csrfToken: csrf, idempotencyKey: UUID().uuidString
        ).html : .empty
      return [
        .text(record.lines.map(String.init).joined(separator: ", ")), .text(record.entries.map(\.rawValue).joined(separator: ", ")),
        .text(record.automatic ? "自動（\(Self.ruleName(record.rule))）" : "手作業"), undo,
      ]
    }
    return H.section(
      [
        H.h2("照合済み（\(rows.count)件）"),
        .element("div", ["id": "matches"], [Table(columns: [.init("明細"), .init("伝票"), .init("方法"), .init("")], rows: rows).html]),
      ])
  }

  static func ruleName(_ rule: String) -> String {
    switch rule {
    case "amount-and-date": "金額・日付"
    case "amount-date-and-name": "金額・日付・名義"
    case "same-day-total": "同日合計"
    case "reversal-pair": "取消伝票と相殺"
    case "transfer-batch": "総合振込"
    default: rule
    }
  }

  var statements: HTML {
    let rows = summaries.map { s -> [HTML] in
      [
        H.a("\(s.periodFrom)〜\(s.periodTo)", href: "/treasury/reconciliation?account=\(account)&statement=\(s.statement)"), .text(s.format == "zengin" ? "全銀" : "CSV"),
        .text("\(s.lineCount)行（未照合 \(s.unmatchedLines)）"), .text(Formats.yen(s.tieOut.statementBalanceYen)), .text(Formats.yen(s.tieOut.ledgerBalanceYen)),
        .text(s.tieOut.agrees ? "一致" : Formats.yen(s.tieOut.differenceYen)),
      ]
    }
    return H.section(
      [
        H.h2("取り込んだ明細（\(summaries.count)件）"),
        .element(
          "div", ["id": "statements"],
          [
            Table(
              columns: [.init("期間"), .init("形式"), .init("明細"), .init("明細残高", numeric: true), .init("帳簿残高", numeric: true), .init("差額", numeric: true)],
              rows: rows
            ).html
          ]),
      ])
  }

  var transfers: HTML {
    let rows = batches.reversed().map { batch -> [HTML] in
      var actions: [HTML] = []
      if batch.status == .approved { actions.append(H.a("ファイル", href: "/api/bank-accounts/\(account)/transfers/\(batch.id)/file")) }
      if user?.role == .treasuryManager, batch.status == .prepared, batch.prepared.by != user?.id {
        actions.append(
          Form(
            action: "/treasury/transfers/\(batch.id)/approve", fields: [Form.Field("account", label: "", kind: .hidden, value: account.rawValue)], submit: "承認",
            csrfToken: csrf, idempotencyKey: UUID().uuidString
          ).html)
      }
      if worker, batch.status != .cancelled, batch.prepared.date >= today {
        actions.append(
          Form(
            action: "/treasury/transfers/\(batch.id)/cancel",
            fields: [Form.Field("account", label: "", kind: .hidden, value: account.rawValue), Form.Field("reason", label: "取消の理由")], submit: "取消",
            csrfToken: csrf, idempotencyKey: UUID().uuidString
          ).html)
      }
      return [
        .text(batch.prepared.date.description), .text("\(batch.prepared.transfers.count)件"), .text(Formats.yen(batch.prepared.total)),
        .text(batch.status.japaneseName), HTML.join(actions),
      ]
    }
    var parts: [HTML] = [
      H.h2("総合振込（\(batches.count)件）"),
      .element(
        "div", ["id": "transfers"],
        [Table(columns: [.init("振込日"), .init("件数"), .init("合計", numeric: true), .init("状態"), .init("")], rows: rows).html]),
    ]
    if user?.role == .treasury {
      parts.append(
        Form(
          action: "/treasury/transfers",
          fields: [
            Form.Field("account", label: "", kind: .hidden, value: account.rawValue),
            Form.Field("date", label: "振込日", value: today.description, hint: "その日の承認済の償還・利息支払をまとめます", required: true),
          ], submit: "振込データを作成", csrfToken: csrf, idempotencyKey: UUID().uuidString
        ).html)
    }
    return H.section(parts)
  }
}
