import EventLog
import Foundation
import Hummingbird
import Logging
import Projections
import ServiceKit
import SharedKernel
import Succession
import SuccessionReadModels

/// The answer to an erasure: which case, on which day, and the keys destroyed.
struct ErasureAnswer: Encodable, Sendable {
  var id: String
  var erasedOn: LocalDate
  var owners: [String]
}

struct ErasureBody: DocumentedBody, Sendable {
  var reason: Case.ErasureReason
  static let schema = Schema.object(
    ["reason": .string(values: Case.ErasureReason.allCases.map(\.rawValue))], required: ["reason"])
}

/// Erasing a case's personal data, in the order that loses nothing: the erasure is recorded
/// first, then the keys it names are destroyed, then the read model has cleared its rows and its
/// WAL is truncated. A crash between the first two steps leaves keys of an erased case: the
/// sweeper's first pass after a start finds and destroys them.
///
/// The sweeper also erases, once a day, every closed case (or declined referral) whose
/// retention period (`KIP_SUCCESSION_RETENTION_DAYS`) has passed.
struct Erasures: Sendable {
  let centre: Centre
  let reads: CentreReads
  let logger: Logger
  /// Days a case's personal data is kept after it ends.
  let retentionDays: Int
  var interval: Duration = .seconds(3600)

  /// After an erasure is recorded: destroy its keys and clear the read model's files.
  func finish(_ owners: [String]) async throws {
    try centre.destroyKeys(of: owners)
    let head = try await centre.store.head().position
    _ = try await reads.runner.waitUntil("succession", reached: head, timeout: .seconds(30))
    try await reads.runner.truncateWAL()
  }

  /// The route: a manager erases a closed case's personal data (on request, or as its retention ends).
  func route(app: ServiceApplication) -> ServiceKit.Route {
    let service = app.configuration.serviceName
    return ServiceKit.Route(
      .post, "/api/cases/{id}/erasure",
      summary: "Erase a closed case's personal data (its keys are destroyed; the KPI dimensions stay). Retention: only after the period has passed.",
      access: .roles([.successionManager]), appendsEvents: true,
      parameters: [RouteParameter("id", in: .path, schema: .string(maxLength: 64), "The case's id, e.g. 2022-0042")],
      requestBody: ErasureBody.schema,
      responses: [
        RouteResponse(
          200, "The case erased", schema: .object(["id": .string(), "erasedOn": .string(), "owners": .array(.string())], open: true),
          headers: ["ETag", "X-KIP-Position"])
      ],
      tag: "succession"
    ) { request, context in
      let id: CaseID
      do { id = try CaseID(try context.parameters.require("id")) } catch { throw Problem(.notFound, "その案件はありません") }
      let response = try await centre.decisions.respond(to: request, context: context, service: service) { write, t in
        try await centre.erase(id, reason: try write.decode(ErasureBody.self).reason, retentionDays: retentionDays, in: t)
      }
      if response.status == .ok, let record = try await erasedRecord(id) { try await finish(record.personalDataOwners) }
      return response
    }
  }

  /// The case as its stream tells it, when its personal data was erased.
  func erasedRecord(_ id: CaseID) async throws -> Case.Record? {
    let codec = centre.caseCodec
    let events = try await centre.store.readAll(stream: Case.stream(id)).map { try codec.decode($0) }
    guard let record = events.reduce(Case.initialState, Case.evolve), record.erasedOn != nil else { return nil }
    return record
  }

  func run() async {
    var recovering = true
    while !Task.isCancelled {
      await sweep(recovering: recovering)
      recovering = false
      try? await Task.sleep(for: interval)
    }
  }

  /// One pass: the cases whose retention has passed; at start-up (`recovering`) first the keys an
  /// erasure interrupted by a crash left (a running service destroys them itself). Answers how
  /// many cases were erased.
  @discardableResult
  func sweep(recovering: Bool) async -> Int {
    guard let today = try? LocalDate(japanTimeOf: centre.now()) else { return 0 }
    let records = (try? await reads.read { db, set in try SuccessionQueries.records(in: db, set) }) ?? []
    var leftover: [String] = []
    var due: [CaseID] = []
    for record in records {
      if record.erasedOn != nil {
        if recovering { leftover += record.personalDataOwners }
        continue
      }
      if let until = record.retentionEnds(afterDays: retentionDays), until <= today { due.append(record.id) }
    }
    if !leftover.isEmpty {
      do { try centre.destroyKeys(of: leftover) } catch { logger.error("the keys of erased cases could not be destroyed", metadata: ["error": "\(error)"]) }
    }
    let metadata = EventMetadata(actor: "system:retention", role: nil, source: SuccessionService.name, client: "retention sweeper")
    var erased = 0
    for id in due {
      do {
        let outcome = try await centre.decisions.perform(metadata: metadata) { t in
          try await centre.erase(id, reason: .retention, retentionDays: retentionDays, in: t)
        }
        try await finish(outcome.body.owners)
        erased += 1
      } catch {
        logger.warning("a case's personal data could not be erased", metadata: ["case": "\(id)", "error": "\(error)"])
      }
    }
    if erased > 0 { logger.info("personal data erased after the retention period", metadata: ["cases": "\(erased)"]) }
    return erased
  }
}
