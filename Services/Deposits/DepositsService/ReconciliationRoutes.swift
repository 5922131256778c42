import BankFiles
import DepositLedger
import Foundation
import Hummingbird
import ServiceKit
import SharedKernel

/// The treasury's reconciliation API: statements imported from the bank's files (全銀 or CSV),
/// one statement beside the ledger, matches by hand and undone.
enum ReconciliationRoutes {
  /// A 全銀 file as `application/vnd.zengin` or any binary upload (`application/octet-stream`), or a CSV.
  static let statementTypes = ["application/vnd.zengin", "application/octet-stream", "text/csv"]

  static func all(app: ServiceApplication, now: @escaping @Sendable () -> Date) -> [Route] {
    guard let runner = app.projections else { return [] }
    let treasury = Treasury(store: app.store, runner: runner, now: now)
    let reconciliation = Reconciliation(treasury: treasury)
    let service = app.configuration.serviceName
    let object = Schema.object([:], open: true)
    @Sendable func today() -> LocalDate { (try? LocalDate(japanTimeOf: now())) ?? LocalDate.earliest }

    @Sendable func account(_ context: KIPRequestContext) throws -> BankAccountID {
      do { return try BankAccountID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "その口座はありません") }
    }
    @Sendable func write<Body: Encodable & Sendable>(
      _ request: Request, _ context: KIPRequestContext, _ decide: @escaping (WriteRequest, Principal, Transaction) async throws -> Outcome<Body>
    ) async throws -> Response {
      guard let user = context.user else { throw Problem(.unauthenticated, "サインインしてください") }
      return try await treasury.decisions.respond(to: request, context: context, service: service) { write, t in try await decide(write, user.principal, t) }
    }
    let accountParameter = RouteParameter("id", in: .path, schema: .string(maxLength: 64), "The foundation's bank account (GET /api/bank-accounts)")
    let changed = [RouteResponse(200, "What the decision matched or undid", schema: object, headers: ["ETag", "X-KIP-Position"])]

    return [
      Route(
        .post, "/api/statements",
        summary: "入出金明細の取込: a 全銀 入出金取引明細 file (application/vnd.zengin or application/octet-stream) or a bank CSV (text/csv); each account's new lines recorded once, what is unambiguous matched; the same statement again changes nothing.",
        access: .roles([.treasury, .treasuryManager]), appendsEvents: true, requestBody: .string(), requestMediaType: "application/octet-stream, text/csv",
        responses: [
          RouteResponse(201, "The statements beside the ledger", schema: object, headers: ["ETag", "X-KIP-Position"]),
          RouteResponse(200, "Imported before: the same answer, nothing changed", schema: object),
        ], tag: "reconciliation"
      ) { request, context in
        guard let user = context.user else { throw Problem(.unauthenticated, "サインインしてください") }
        let write = try await WriteRequest(request, context: context, service: service, limits: .files, mediaTypes: statementTypes)
        let media = request.headers[.contentType].flatMap { $0.split(separator: ";").first }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let (statement, format) = try Reconciliation.parse(write.body, mediaType: media, today: today())
        return try await treasury.decisions.respond(to: write) { t in
          try await reconciliation.importFile(statement, format: format, by: user.principal, newID: { newID("st", at: now()) }, t)
        }
      },
      Route(
        .get, "/api/reconciliation", summary: "照合: one statement beside the ledger — its lines and their matches, the account's unmatched entries with their age, the tie-out.",
        access: DepositRoutes.readers,
        parameters: [RouteParameter("statement", in: .query, required: true, schema: .string(maxLength: 128), "The statement's id")],
        responses: [RouteResponse(200, "The reconciliation", schema: object)], tag: "reconciliation"
      ) { request, _ in
        guard let text = try request.queryText("statement", maxLength: 128) else {
          throw Problem(.validationFailed, "明細（statement）を指定してください", field: "statement")
        }
        guard let id = try? StatementID(text), let (account, state, statement) = try await reconciliation.find(id) else {
          throw Problem(.notFound, "明細 \(text) はありません")
        }
        return try jsonResponse(ReconciliationAnswer(account: account, statement: statement, state: state, ledger: try await reconciliation.ledger(), today: today()))
      },
      Route(
        .get, "/api/bank-accounts/{id}/statements", summary: "The statements imported for an account, newest first, each with its tie-out.",
        access: DepositRoutes.readers, parameters: [accountParameter], responses: [RouteResponse(200, "The statements", schema: .array(object))],
        tag: "reconciliation"
      ) { _, context in
        let id = try account(context)
        guard try await reconciliation.register().account(id) != nil else { throw Problem(.notFound, "口座 \(id) はありません") }
        let state = try await reconciliation.statements(id)
        let ledger = try await reconciliation.ledger()
        let movements = BankMovement.movements(through: id, in: ledger.books)
        return try jsonResponse(
          state.statements.reversed().map {
            StatementSummary(ReconciliationAnswer(account: id, statement: $0, state: state, ledger: ledger, today: today(), movements: movements))
          })
      },
      Route(
        .post, "/api/bank-accounts/{id}/matches", summary: "照合 by hand: statement lines and approved entries of the account whose sums agree (one line over several entries, several lines onto one).",
        access: .roles([.treasury, .treasuryManager]), appendsEvents: true, parameters: [accountParameter], requestBody: MatchBody.schema,
        responses: [RouteResponse(201, "The match", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "reconciliation"
      ) { request, context in
        let id = try account(context)
        return try await write(request, context) { write, by, t in
          let body = try write.decode(MatchBody.self)
          return try await reconciliation.match(id, lines: body.lines, entries: try body.entryIDs(), id: newID("m", at: now()), by: by, t)
        }
      },
      Route(
        .post, "/api/bank-accounts/{id}/matches/{match}/undo", summary: "Undo a match, with the reason: its lines and entries are unmatched again.",
        access: .roles([.treasury, .treasuryManager]), appendsEvents: true,
        parameters: [accountParameter, RouteParameter("match", in: .path, schema: .string(maxLength: 128), "The match")], requestBody: RejectionBody.schema,
        responses: changed, tag: "reconciliation"
      ) { request, context in
        let id = try account(context)
        let match: MatchID
        do { match = try MatchID(try context.parameters.require("match")) } catch { throw Problem(.notFound, "その照合はありません") }
        return try await write(request, context) { write, by, t in
          try await reconciliation.undo(id, match: match, reason: try write.decode(RejectionBody.self).reason, by: by, t)
        }
      },
      Route(
        .post, "/api/bank-accounts/{id}/matches/auto", summary: "Match again what has become unambiguous, e.g. entries approved since the statement came.",
        access: .roles([.treasury, .treasuryManager]), appendsEvents: true, parameters: [accountParameter], responses: changed, tag: "reconciliation"
      ) { request, context in
        let id = try account(context)
        return try await write(request, context) { _, by, t in try await reconciliation.autoMatch(id, by: by, t) }
      },
      Route(
        .get, "/api/bank-accounts/{id}/transfers", summary: "総合振込: the account's transfer batches, newest first.", access: DepositRoutes.readers,
        parameters: [accountParameter], responses: [RouteResponse(200, "The batches", schema: .array(object))], tag: "transfers"
      ) { _, context in
        let id = try account(context)
        guard try await reconciliation.register().account(id) != nil else { throw Problem(.notFound, "口座 \(id) はありません") }
        return try jsonResponse(try await reconciliation.transfers(id).batches.reversed().map(BatchAnswer.init))
      },
      Route(
        .post, "/api/bank-accounts/{id}/transfers", summary: "総合振込の作成: a batch of the approved repayments and interest payments leaving the account on a bank business day; awaits a manager's approval.",
        access: DepositRoutes.makers, appendsEvents: true, parameters: [accountParameter], requestBody: TransferBatchBody.schema,
        responses: [RouteResponse(201, "The batch", schema: object, headers: ["ETag", "X-KIP-Position"])], tag: "transfers"
      ) { request, context in
        let id = try account(context)
        return try await write(request, context) { write, by, t in
          try await reconciliation.prepare(id, on: try write.decode(TransferBatchBody.self).date.date, id: newID("tb", at: now()), by: by, t)
        }
      },
      Route(
        .post, "/api/bank-accounts/{id}/transfers/{batch}/{action}", summary: "承認 (approve) by a treasury manager other than its preparer, or 取消 (cancel, with a reason) of a transfer batch.",
        access: .roles([.treasury, .treasuryManager]), appendsEvents: true,
        parameters: [
          accountParameter, RouteParameter("batch", in: .path, schema: .string(maxLength: 128), "The batch"),
          RouteParameter("action", in: .path, schema: .string(values: ["approve", "cancel"]), "What to do"),
        ], requestBody: Schema.object(["reason": .string(maxLength: 500)]), responses: [RouteResponse(200, "The batch", schema: object, headers: ["ETag", "X-KIP-Position"])],
        tag: "transfers"
      ) { request, context in
        let id = try account(context)
        let batch: TransferBatchID
        do { batch = try TransferBatchID(try context.parameters.require("batch")) } catch { throw Problem(.notFound, "その振込データはありません") }
        let action = try context.parameters.require("action")
        guard ["approve", "cancel"].contains(action) else { throw Problem(.notFound, "その操作はありません") }
        return try await write(request, context) { write, by, t in
          if action == "approve" { return try await reconciliation.approve(id, batch: batch, by: by, t) }
          return try await reconciliation.cancel(id, batch: batch, reason: try write.decode(RejectionBody.self).reason, by: by, t)
        }
      },
      Route(
        .get, "/api/bank-accounts/{id}/transfers/{batch}/file", summary: "The 全銀 総合振込 file (種別 21, 120-byte JIS8 records) of an approved batch, to send to the bank.",
        access: DepositRoutes.readers,
        parameters: [accountParameter, RouteParameter("batch", in: .path, schema: .string(maxLength: 128), "The batch")],
        responses: [RouteResponse(200, "The file", mediaType: "application/vnd.zengin")], tag: "transfers"
      ) { _, context in
        let id = try account(context)
        let batch: TransferBatchID
        do { batch = try TransferBatchID(try context.parameters.require("batch")) } catch { throw Problem(.notFound, "その振込データはありません") }
        let bytes = try await reconciliation.file(id, batch: batch)
        var headers = HTTPFields()
        headers[.contentType] = "application/vnd.zengin"
        headers[.contentDisposition] = "attachment; filename=\"sogofurikomi-\(batch).txt\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
      },
    ]
  }
}

/// The day of a 総合振込 batch.
struct TransferBatchBody: DocumentedBody, Sendable {
  var date: DateInput

  static let schema = Schema.object(["date": dateSchema], required: ["date"])
}

/// Lines (by number) and entries (by id) to match by hand.
struct MatchBody: DocumentedBody, Sendable {
  var lines: [Int]
  var entries: [String]

  func entryIDs() throws -> [EntryID] {
    try entries.enumerated().map { index, text in
      do { return try EntryID(text) } catch { throw Problem(.notFound, "伝票 \(text) はありません", field: "entries[\(index)]") }
    }
  }

  static let schema = Schema.object(
    ["lines": .array(.integer(minimum: 1, maximum: 10_000_000), maxItems: 200), "entries": .array(.string(maxLength: 128), maxItems: 200)],
    required: ["lines", "entries"])
}

/// A statement in the account's list: its period, balances and tie-out.
struct StatementSummary: Codable, Sendable {
  var statement: String
  var format: String
  var periodFrom: LocalDate
  var periodTo: LocalDate
  var lineCount: Int
  var unmatchedLines: Int
  var tieOut: ReconciliationAnswer.TieOut

  init(_ answer: ReconciliationAnswer) {
    statement = answer.statement
    format = answer.format
    periodFrom = answer.periodFrom
    periodTo = answer.periodTo
    lineCount = answer.lines.count
    unmatchedLines = answer.lines.filter { $0.match == nil }.count
    tieOut = answer.tieOut
  }
}
