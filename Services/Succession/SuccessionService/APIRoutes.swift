import EventLog
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import JapaneseCalendar
import Projections
import ServiceKit
import SharedKernel
import Succession
import SuccessionReadModels

/// Reads of the centre's read model.
struct CentreReads: Sendable {
  let runner: ProjectionRunner

  func read<T: Sendable>(_ body: @escaping @Sendable (Database, TableSet) throws -> T) async throws -> T {
    try await runner.read("succession", body)
  }
}

/// Who is asking, for what concerns partners: a partner user acts only for its own
/// organisation, and another partner's records do not exist for it (404, never 403: a partner
/// does not learn what others have).
enum Asker {
  /// The partner a write is for: a partner user's own (naming another is refused), else the one named.
  static func partner(_ named: PartnerID?, _ context: KIPRequestContext, field: String = "partner") throws -> PartnerID {
    if let own = try ownPartner(context) {
      if let named, named != own { throw Problem(.validationFailed, "連携機関のユーザーは自機関（\(own)）の分だけを登録できます", field: field) }
      return own
    }
    guard let named else { throw Problem(.validationFailed, "連携機関（\(field)）を指定してください", field: field) }
    return named
  }

  /// The partner whose records a read asks for: a partner user may ask only for its own.
  static func readable(_ named: PartnerID, _ context: KIPRequestContext) throws -> PartnerID {
    if let own = try ownPartner(context), own != named { throw Problem(.notFound, "その連携機関はありません") }
    return named
  }

  /// A partner user's organisation (nil for staff).
  static func ownPartner(_ context: KIPRequestContext) throws -> PartnerID? {
    guard let user = context.user, user.role == .partner else { return nil }
    guard let organisation = user.organisation, let id = try? PartnerID(organisation) else {
      throw Problem(.validationFailed, "このユーザーは連携機関に属していません：管理者にユーザーの所属機関の登録を依頼してください")
    }
    return id
  }
}

/// The JSON API of the succession centre (DESIGN.md's service conventions).
enum APIRoutes {
  static let readers: Access = .roles([.succession, .successionManager, .auditor])
  static let staff: Access = .roles([.succession, .successionManager])
  static let manager: Access = .roles([.successionManager])
  /// Partners refer and report diagnoses, for their own organisation.
  static let referrers: Access = .roles([.succession, .successionManager, .partner])
  static let partnerReaders: Access = .roles([.succession, .successionManager, .auditor, .partner])
  static let csv = ["text/csv", "application/octet-stream"]

  static func all(app: ServiceApplication, centre: Centre, reads: CentreReads) -> [ServiceKit.Route] {
    let service = app.configuration.serviceName
    let id = RouteParameter("id", in: .path, schema: .string(maxLength: 64), "The case's id, e.g. 2022-0042")
    let caseAnswer = [RouteResponse(200, "The case after the change", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])]
    let fyParameter = RouteParameter("fy", in: .query, schema: .string(maxLength: 16), "The fiscal year: 2022, FY2022 or 令和4年度 (default: this one)")

    @Sendable func write<Body: Encodable & Sendable>(
      _ request: Request, _ context: KIPRequestContext, _ decide: @escaping (WriteRequest, Transaction) async throws -> Outcome<Body>
    ) async throws -> Response {
      try await centre.decisions.respond(to: request, context: context, service: service, decide)
    }

    /// A write whose body is a file (CSV, UTF-8 or Shift_JIS), not JSON.
    @Sendable func upload<Body: Encodable & Sendable>(
      _ request: Request, _ context: KIPRequestContext, _ decide: @escaping (WriteRequest, Transaction) async throws -> Outcome<Body>
    ) async throws -> Response {
      let write = try await WriteRequest(request, context: context, service: service, limits: .files, mediaTypes: csv)
      return try await centre.decisions.respond(to: write) { t in try await decide(write, t) }
    }

    @Sendable func caseID(_ context: KIPRequestContext) throws -> CaseID {
      do { return try CaseID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "その案件はありません") }
    }

    @Sendable func today() -> LocalDate { (try? LocalDate(japanTimeOf: centre.now())) ?? LocalDate.earliest }

    @Sendable func query(_ request: Request, _ name: String, _ maximum: Int = 64) throws -> String? {
      try request.queryText(name, maxLength: maximum)
    }

    @Sendable func fiscalYear(_ request: Request) throws -> FiscalYear { try request.fiscalYear(today: today()) }

    @Sendable func on(_ date: DateInput?) -> LocalDate { date?.date ?? today() }

    @Sendable func me(_ context: KIPRequestContext) throws -> UserID {
      guard let user = context.user else { throw Problem(.unauthenticated, "サインインしてください") }
      return user.id
    }

    @Sendable func caseWrite(_ path: String, _ summary: String, body: Schema?, _ decide: @escaping @Sendable (CaseID, WriteRequest, KIPRequestContext, Transaction) async throws -> Outcome<CaseAnswer>) -> ServiceKit.Route {
      ServiceKit.Route(
        .post, "/api/cases/{id}/\(path)", summary: summary, access: staff, appendsEvents: true, parameters: [id], requestBody: body,
        responses: caseAnswer, tag: "succession"
      ) { request, context in
        let id = try caseID(context)
        return try await write(request, context) { write, t in try await decide(id, write, context, t) }
      }
    }

    return [
      // MARK: Partners
      ServiceKit.Route(
        .get, "/api/partners", summary: "The network's partner organisations with their referrals and diagnoses of a fiscal year.",
        access: readers,
        parameters: [fyParameter, RouteParameter("includeLeft", in: .query, schema: .string(values: ["true", "false"]), "Partners that left too")],
        responses: [RouteResponse(200, "The partners", schema: .array(.object([:], open: true)))], tag: "succession", readsModels: true
      ) { request, _ in
        let year = try fiscalYear(request)
        let includeLeft = try request.queryFlag("includeLeft")
        return try jsonResponse(try await reads.read { db, set in try SuccessionQueries.partnerTable(year, includeLeft: includeLeft, in: db, set) })
      },
      ServiceKit.Route(
        .post, "/api/partners", summary: "A partner organisation joins the network.", access: staff, appendsEvents: true,
        requestBody: PartnerBody.schema, responses: [RouteResponse(200, "The registry's size after it", schema: .object([:], open: true))],
        tag: "succession"
      ) { request, context in
        try await write(request, context) { write, t in
          let body = try write.decode(PartnerBody.self)
          return try await centre.partnerCommand(
            .join(PartnerProfile(id: body.id, name: body.name, type: body.type, region: body.region, contact: body.contact ?? PartnerContact())), in: t)
        }
      },
      ServiceKit.Route(
        .post, "/api/partners/import",
        summary: "Import the partner list (連携支援機関名簿) as CSV, UTF-8 or Shift_JIS: each partner brought to what its row says; all or nothing.",
        access: staff, appendsEvents: true, requestMediaType: "text/csv",
        responses: [RouteResponse(200, "How many changes were recorded", schema: .object([:], open: true))], tag: "succession"
      ) { request, context in
        try await upload(request, context) { write, t in try await centre.partnerCommand(try PartnerFile.read(write.body), in: t) }
      },
      partnerWrite(
        "rename", "A partner's new name.", RenameBody.schema, centre: centre, write: write,
        { id, write in .rename(id, to: try write.decode(RenameBody.self).name) }),
      partnerWrite(
        "contact", "A partner's new contact.", ContactBody.schema, centre: centre, write: write,
        { id, write in .changeContact(id, try write.decode(ContactBody.self).contact) }),
      partnerWrite(
        "classification", "A partner's type and region, corrected.", ReclassifyBody.schema, centre: centre, write: write,
        { id, write in
          let body = try write.decode(ReclassifyBody.self)
          return .reclassify(id, type: body.type, region: body.region)
        }),
      partnerWrite(
        "leave", "A partner leaves the network (its referrals and diagnoses stay).", ReasonBody.schema, centre: centre, write: write,
        { id, write in .leave(id, reason: try write.decode(ReasonBody.self).reason) }),
      ServiceKit.Route(
        .get, "/api/partners/{id}/referrals",
        summary: "A partner's referrals as the partner sees them: the shareable milestones only, and only with the company's consent.",
        access: partnerReaders, parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 64), "The partner's id")],
        responses: [RouteResponse(200, "The referrals, newest first", schema: .array(.object([:], open: true)))], tag: "succession",
        readsModels: true
      ) { _, context in
        let named: PartnerID
        do { named = try PartnerID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "その連携機関はありません") }
        let partner = try Asker.readable(named, context)
        let views = try await reads.read { db, set in
          guard try SuccessionQueries.partner(partner.rawValue, in: db, set) != nil else { throw SuccessionError.unknownPartner(partner).problem }
          return try SuccessionQueries.partnerView(of: partner, in: db, set)
        }
        return try jsonResponse(views)
      },

      // MARK: Referrals and cases
      ServiceKit.Route(
        .post, "/api/referrals",
        summary: "A partner refers a company; 201 with the case, flagged with duplicateOf when the company is already known (never doubled silently).",
        access: referrers, appendsEvents: true, requestBody: ReferralBody.schema,
        responses: [RouteResponse(201, "The referral, waiting to be accepted", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])],
        tag: "succession"
      ) { request, context in
        try await write(request, context) { write, t in
          let body = try write.decode(ReferralBody.self)
          return try await centre.refer(body, partner: try Asker.partner(body.partner, context), in: t)
        }
      },
      ServiceKit.Route(
        .post, "/api/cases", summary: "Open a direct consultation (web, phone, walk-in) as a case at intake.", access: staff, appendsEvents: true,
        requestBody: IntakeBody.schema,
        responses: [RouteResponse(201, "The case", schema: .object([:], open: true), headers: ["ETag", "X-KIP-Position"])], tag: "succession"
      ) { request, context in
        try await write(request, context) { write, t in try await centre.open(try write.decode(IntakeBody.self), in: t) }
      },
      ServiceKit.Route(
        .get, "/api/cases", summary: "Cases by staff member, stage, phase, partner or name; overdue=true lists open cases whose next action is past due.",
        access: readers,
        parameters: [
          RouteParameter("assignedTo", in: .query, schema: .string(maxLength: 64), "A staff member's id, me, or none"),
          RouteParameter("stage", in: .query, schema: .string(values: Stage.allCases.map(\.rawValue)), "Only cases in this stage"),
          RouteParameter("phase", in: .query, schema: .string(values: ["referred", "declined", "attached", "open", "closed"]), "Only this phase"),
          RouteParameter("overdue", in: .query, schema: .string(values: ["true", "false"]), "Only overdue next actions"),
          RouteParameter("partner", in: .query, schema: .string(maxLength: 64), "Only cases holding this partner's referrals"),
          RouteParameter("q", in: .query, schema: .string(maxLength: 100), "Part of the company's name or reading, or its 法人番号"),
          RouteParameter("limit", in: .query, schema: .integer(minimum: 1, maximum: 500), "At most this many (default 100)"),
          RouteParameter("offset", in: .query, schema: .integer(minimum: 0, maximum: 1_000_000), "Skip this many"),
        ],
        responses: [RouteResponse(200, "The cases and how many match", schema: .object(["total": .integer(), "cases": .array(.object([:], open: true))], open: true))],
        tag: "succession", readsModels: true
      ) { request, context in
        var filter = CaseFilter()
        switch try query(request, "assignedTo") {
        case nil: break
        case "none": filter.assignee = .unassigned
        case "me": filter.assignee = .staff(try me(context))
        case let text?:
          guard let user = try? UserID(text) else { throw Problem(.validationFailed, "assignedTo: \(text) は担当者のIDではありません", field: "assignedTo") }
          filter.assignee = .staff(user)
        }
        if let text = try query(request, "stage") {
          guard let stage = Stage(rawValue: text) ?? Stage(typed: text) else { throw Problem(.validationFailed, "stage: \(text) は段階ではありません", field: "stage") }
          filter.stage = stage
        }
        if let text = try query(request, "phase") {
          guard let phase = Case.Phase(rawValue: text) else { throw Problem(.validationFailed, "phase: \(text) は状態ではありません", field: "phase") }
          filter.phase = phase
        }
        if try request.queryFlag("overdue") { filter.overdueOn = today() }
        if let text = try query(request, "partner") {
          guard let partner = try? PartnerID(text) else { throw Problem(.validationFailed, "partner: \(text) は機関コードではありません", field: "partner") }
          filter.partner = partner
        }
        filter.text = try query(request, "q", 100)
        filter.limit = try request.queryNumber("limit", in: 1...500) ?? 100
        filter.offset = try request.queryNumber("offset", in: 0...1_000_000) ?? 0
        let chosen = filter
        let (total, cases) = try await reads.read { db, set in try SuccessionQueries.cases(chosen, in: db, set) }
        return try jsonResponse(CaseList(total: total, cases: cases))
      },
      ServiceKit.Route(
        .get, "/api/overdue", summary: "Overdue next actions per staff member, most overdue first.", access: readers,
        responses: [RouteResponse(200, "Each staff member's overdue actions", schema: .array(.object([:], open: true)))], tag: "succession",
        readsModels: true
      ) { _, _ in
        let day = today()
        let records = try await reads.read { db, set in
          var filter = CaseFilter()
          filter.overdueOn = day
          return try SuccessionQueries.records(filter, in: db, set)
        }
        return try jsonResponse(Caseload.overdue(records, on: day).map(OverdueView.init))
      },
      ServiceKit.Route(
        .get, "/api/cases/{id}", summary: "One case: the company, its referrals, every stage, session, expert, note and the next action.",
        access: readers, parameters: [id], responses: [RouteResponse(200, "The case", schema: .object([:], open: true), headers: ["ETag"])],
        tag: "succession", readsModels: true
      ) { _, context in
        let id = try caseID(context)
        guard let record = try await reads.read({ db, set in try SuccessionQueries.record(id.rawValue, in: db, set) }) else {
          throw SuccessionError.unknownCase(id).problem
        }
        let version = try await app.store.version(of: Case.stream(id))
        return try jsonResponse(CaseView(record), headers: version.map { [.eTag: ETag.make($0)] } ?? [:])
      },
      caseWrite("accept", "Accept a referral as a case at intake (a flagged duplicate of an open case needs separateFrom).", body: AcceptBody.schema) {
        id, write, _, t in try await centre.accept(id, try write.decode(AcceptBody.self), in: t)
      },
      caseWrite("decline", "Decline a referral, with the reason.", body: ReasonBody.schema) { id, write, _, t in
        try await centre.decline(id, reason: try write.decode(ReasonBody.self).reason, in: t)
      },
      caseWrite("attach", "Attach a waiting referral to the open case of the same company.", body: AttachBody.schema) { id, write, _, t in
        try await centre.attach(id, to: try write.decode(AttachBody.self).to, in: t)
      },
      caseWrite("stage", "Move the case to a stage (checked against the stage table; closing or going back needs a reason).", body: StageBody.schema) {
        id, write, _, t in try await centre.move(id, try write.decode(StageBody.self), in: t)
      },
      caseWrite("sessions", "Record a consultation session (the national KPI counts sessions).", body: SessionBody.schema) { id, write, context, t in
        try await centre.recordSession(id, try write.decode(SessionBody.self), me: try me(context), in: t)
      },
      caseWrite("experts", "Record an expert dispatched (専門家派遣).", body: ExpertBody.schema) { id, write, _, t in
        let body = try write.decode(ExpertBody.self)
        return try await centre.decide(id, in: t) { record, context in
          try Case.dispatchExpert(body.expert, field: body.field, purpose: body.purpose, on: on(body.on), record, context)
        }
      },
      caseWrite("notes", "Add a dated note.", body: NoteBody.schema) { id, write, context, t in
        try await centre.addNote(id, try write.decode(NoteBody.self), by: try me(context), in: t)
      },
      caseWrite("next-action", "Set the next action and its due date (replacing the one before).", body: NextActionBody.schema) { id, write, _, t in
        try await centre.setNextAction(id, try write.decode(NextActionBody.self), in: t)
      },
      caseWrite("next-action/done", "Mark the next action done.", body: nil) { id, _, _, t in try await centre.completeNextAction(id, in: t) },
      caseWrite("assignee", "Give the case to a staff member (null: nobody).", body: AssignBody.schema) { id, write, _, t in
        try await centre.assign(id, to: try write.decode(AssignBody.self).assignee, in: t)
      },
      caseWrite("classification", "Correct the side (譲渡・譲受) and the kind of succession.", body: ClassifyBody.schema) { id, write, _, t in
        let body = try write.decode(ClassifyBody.self)
        return try await centre.decide(id, in: t) { record, context in try Case.classify(side: body.side, kind: body.kind, record, context) }
      },
      caseWrite("company", "Correct the company's details (a 法人番号 added may flag it as a duplicate).", body: CompanyBody.schema) { id, write, _, t in
        try await centre.updateCompany(id, try write.decode(CompanyBody.self), in: t)
      },
      caseWrite("consent", "Record that a company gave or withdrew its consent to tell the referring partner how its case goes.", body: ConsentBody.schema) {
        id, write, _, t in
        let body = try write.decode(ConsentBody.self)
        return try await centre.decide(id, in: t) { record, context in try Case.changeConsent(of: body.referral, to: body.consent, record, context) }
      },
      caseWrite("duplicate/clear", "Staff found a flagged duplicate to be another company after all.", body: ReasonBody.schema) { id, write, _, t in
        let reason = try write.decode(ReasonBody.self).reason
        return try await centre.decide(id, in: t) { record, context in try Case.clearDuplicate(reason, record, context) }
      },
      ServiceKit.Route(
        .post, "/api/rotations", summary: "Staff rotation (1 April): every open case of each `from` goes to its `to`, in one append.",
        access: manager, appendsEvents: true, requestBody: RotationBody.schema,
        responses: [RouteResponse(200, "The cases reassigned", schema: .object(["reassigned": .array(.string())]))], tag: "succession"
      ) { request, context in
        try await write(request, context) { write, t in
          let rotations = try write.decode(RotationBody.self).rotations
          let ids = try await reads.read { db, set in
            try rotations.flatMap { rotation in
              var filter = CaseFilter()
              filter.assignee = .staff(rotation.from)
              return try SuccessionQueries.records(filter, in: db, set).map(\.id)
            }
          }
          return try await centre.reassign(rotations, cases: ids, in: t)
        }
      },

      // MARK: Diagnoses
      ServiceKit.Route(
        .post, "/api/diagnoses", summary: "A partner reports a 事業承継診断 it carried out (a partner user for its own organisation).",
        access: referrers, appendsEvents: true, requestBody: DiagnosisBody.schema,
        responses: [RouteResponse(201, "The diagnosis recorded", schema: .object([:], open: true))], tag: "succession"
      ) { request, context in
        try await write(request, context) { write, t in
          let body = try write.decode(DiagnosisBody.self)
          return try await centre.report([try body.row(partner: try Asker.partner(body.partner, context))], in: t)
        }
      },
      ServiceKit.Route(
        .post, "/api/diagnoses/import", summary: "Diagnoses as CSV (UTF-8 or Shift_JIS); every row's problem is listed, nothing is recorded unless all are good.",
        access: referrers, appendsEvents: true,
        parameters: [RouteParameter("partner", in: .query, schema: .string(maxLength: 64), "The reporting partner when the file has no 機関コード column")],
        requestMediaType: "text/csv", responses: [RouteResponse(201, "The diagnoses recorded", schema: .object([:], open: true))], tag: "succession"
      ) { request, context in
        let named = try query(request, "partner").map { text in
          guard let id = try? PartnerID(text) else { throw Problem(.validationFailed, "partner: \(text) は機関コードではありません", field: "partner") }
          return id
        }
        let own = try Asker.ownPartner(context)
        if let own, let named, own != named { throw Problem(.validationFailed, "連携機関のユーザーは自機関（\(own)）の分だけを報告できます", field: "partner") }
        return try await upload(request, context) { write, t in
          let rows = try DiagnosisFile.read(write.body, partner: own ?? named)
          if let own, let other = rows.first(where: { $0.partner != own }) {
            throw Problem(.validationFailed, "\(other.line.map { "\($0)行目: " } ?? "")連携機関のユーザーは自機関（\(own)）の診断だけを報告できます", field: "file")
          }
          return try await centre.report(rows, in: t)
        }
      },
      ServiceKit.Route(
        .get, "/api/diagnoses", summary: "The diagnoses of a fiscal year (a partner user sees its own).", access: partnerReaders,
        parameters: [fyParameter, RouteParameter("partner", in: .query, schema: .string(maxLength: 64), "Only this partner's")],
        responses: [RouteResponse(200, "The diagnoses", schema: .array(.object([:], open: true)))], tag: "succession", readsModels: true
      ) { request, context in
        let year = try fiscalYear(request)
        let named = try query(request, "partner").map { text in
          guard let id = try? PartnerID(text) else { throw Problem(.validationFailed, "partner: \(text) は機関コードではありません", field: "partner") }
          return id
        }
        let partner = try Asker.ownPartner(context).map { own in try named.map { try Asker.readable($0, context) } ?? own } ?? named
        return try jsonResponse(
          try await reads.read { db, set in try SuccessionQueries.diagnoses(from: year.firstDay, to: year.lastDay, partner: partner, in: db, set) })
      },
      diagnosisWrite("link", "Link a diagnosis to the case its company became.", LinkBody.schema, centre: centre, write: write) { id, write, t in
        try await centre.link(id, to: try write.decode(LinkBody.self).case, in: t)
      },
      diagnosisWrite("unlink", "Undo a wrong link, with the reason.", ReasonBody.schema, centre: centre, write: write) { id, write, t in
        try await centre.unlink(id, reason: try write.decode(ReasonBody.self).reason, in: t)
      },

      // MARK: KPIs
      ServiceKit.Route(
        .get, "/api/kpis",
        summary: "The programme's KPIs of a fiscal year, per month and for the year: JSON, or CSV (UTF-8 with BOM) of the summary, the partners or the stages.",
        access: readers,
        parameters: [
          fyParameter, RouteParameter("format", in: .query, schema: .string(values: ["json", "csv"]), "json (default) or csv"),
          RouteParameter("table", in: .query, schema: .string(values: ["summary", "partners", "stages"]), "Which CSV table (default summary)"),
        ],
        responses: [
          RouteResponse(200, "The report", schema: .object([:], open: true)),
          RouteResponse(200, "The report as CSV", mediaType: "text/csv"),
        ], tag: "succession", readsModels: true
      ) { request, _ in
        let year = try fiscalYear(request)
        let format = try query(request, "format") ?? "json"
        let table = try query(request, "table") ?? "summary"
        guard ["json", "csv"].contains(format) else { throw Problem(.validationFailed, "format は json か csv です", field: "format") }
        guard ["summary", "partners", "stages"].contains(table) else { throw Problem(.validationFailed, "table は summary, partners, stages のどれかです", field: "table") }
        let report = try await reads.read { db, set in try SuccessionQueries.kpis(year, in: db, set) }
        guard format == "csv" else { return try jsonResponse(KPIView(report)) }
        let data = table == "partners" ? report.partnerCSV() : table == "stages" ? report.stageCSV() : report.csv()
        return Response.csv(data, filename: "kpi-\(year)-\(table).csv")
      },
      ServiceKit.Route(
        .post, "/api/targets", summary: "Set a fiscal year's 成約 target (the KPI page shows progress against it).", access: manager,
        appendsEvents: true, requestBody: TargetBody.schema, responses: [RouteResponse(200, "The target", schema: .object([:], open: true))],
        tag: "succession"
      ) { request, context in
        try await write(request, context) { write, t in
          let body = try write.decode(TargetBody.self)
          let year: FiscalYear
          do { year = try FiscalYear(typed: body.fy) } catch { throw Problem(.validationFailed, "fy: \(error)", field: "fy") }
          return try await centre.setTarget(year, succeeded: body.succeeded, in: t)
        }
      },
    ]
  }

  typealias Write = @Sendable (Request, KIPRequestContext, @escaping (WriteRequest, Transaction) async throws -> Outcome<PartnersAnswer>) async throws -> Response

  static func partnerWrite(
    _ path: String, _ summary: String, _ body: Schema, centre: Centre, write: @escaping Write,
    _ command: @escaping @Sendable (PartnerID, WriteRequest) throws -> Partners.Command
  ) -> ServiceKit.Route {
    ServiceKit.Route(
      .post, "/api/partners/{id}/\(path)", summary: summary, access: staff, appendsEvents: true,
      parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 64), "The partner's id")], requestBody: body,
      responses: [RouteResponse(200, "The registry's size after it", schema: .object([:], open: true))], tag: "succession"
    ) { request, context in
      let id: PartnerID
      do { id = try PartnerID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "その連携機関はありません") }
      return try await write(request, context) { write, t in try await centre.partnerCommand(try command(id, write), in: t) }
    }
  }

  static func diagnosisWrite(
    _ path: String, _ summary: String, _ body: Schema, centre: Centre,
    write: @escaping @Sendable (Request, KIPRequestContext, @escaping (WriteRequest, Transaction) async throws -> Outcome<DiagnosisAnswer>) async throws -> Response,
    _ decide: @escaping @Sendable (DiagnosisID, WriteRequest, Transaction) async throws -> Outcome<DiagnosisAnswer>
  ) -> ServiceKit.Route {
    ServiceKit.Route(
      .post, "/api/diagnoses/{id}/\(path)", summary: summary, access: staff, appendsEvents: true,
      parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 128), "The diagnosis's id")], requestBody: body,
      responses: [RouteResponse(200, "The diagnosis after it", schema: .object([:], open: true))], tag: "succession"
    ) { request, context in
      let id: DiagnosisID
      do { id = try DiagnosisID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "その事業承継診断はありません") }
      return try await write(request, context) { write, t in try await decide(id, write, t) }
    }
  }
}

/// A page of cases and how many match in all.
struct CaseList: Encodable, Sendable {
  var total: Int
  var cases: [CaseSummary]
}

/// One staff member's overdue actions.
struct OverdueView: Encodable, Sendable {
  var staff: UserID?
  var actions: [Action]

  struct Action: Encodable, Sendable {
    var caseID: CaseID
    var companyName: String
    var action: NextAction
    var daysOverdue: Int
  }

  init(_ overdue: Caseload.StaffOverdue) {
    staff = overdue.staff
    actions = overdue.actions.map { Action(caseID: $0.caseID, companyName: $0.companyName, action: $0.action, daysOverdue: $0.daysOverdue) }
  }
}

