import EventLog
import Foundation
import GRDB
import PersonalDataKeys
import Projections
import SuccessionReadModels
import Synchronization
import Testing

/// The read model folds a batch at once (each case's row read and written once): the rows must
/// be exactly those of folding the same events one by one.
@Suite("kip-succession: the read model's batches")
struct ProjectionBatchTests {
  /// Every row of every table, in primary-key order, as text.
  func rows(_ db: Database, _ set: TableSet, _ projection: SuccessionProjection) throws -> [String] {
    try projection.tables.flatMap { table in
      try Row.fetchAll(db, sql: "SELECT * FROM \"\(set.table(table))\" ORDER BY 1").map { "\(table): \($0)" }
    }
  }

  @Test("one batch, batches of 7, and one event at a time give the same rows, over referrals, duplicates attached, sessions and stages")
  func sameRows() async throws {
    let captured = Mutex<[RecordedEvent]>([])
    let folder = Mutex<String>("")
    try await withCentre { fixture, client in
      folder.withLock { $0 = fixture.app.configuration.dataDirectory }
      try await fixture.referFromTwoPartners(client)
      let abc = #"{"name":"株式会社ＡＢＣ商事","corporateNumber":"7000012050002"}"#
      try await fixture.post(client, "/api/referrals", as: "ycci", referral(abc))
      let again = try await fixture.post(client, "/api/referrals", as: "kawashin", referral(abc))
      #expect(try json(again)["duplicateOf"] as? String == "2023-0004")
      try await fixture.post(client, "/api/cases/2023-0004/accept", as: "sato", #"{"side":"selling","kind":"third-party","assignee":"sato"}"#)
      #expect(try await fixture.post(client, "/api/cases/2023-0005/attach", as: "sato", #"{"to":"2023-0004"}"#).status == .ok)
      for n in 1...3 {
        try await fixture.post(client, "/api/cases/2023-0001/sessions", as: "sato", #"{"minutes":\#(30 * n),"kind":"phone"}"#)
      }
      try await fixture.post(client, "/api/cases/2023-0001/stage", as: "sato", #"{"stage":"planning"}"#)
      try await fixture.post(client, "/api/diagnoses", as: "ycci", #"{"on":"2023-04-03","companyName":"丸山商店","result":"no-successor"}"#)
      let events = try await fixture.app.store.read(after: 0, category: nil, limit: 10_000)
      captured.withLock { $0 = events }
    }
    let log = captured.withLock { $0 }
    // The service's own key store, to open the cases' personal data.
    let directory = folder.withLock { $0 }
    let vault = try KeyVault.open(dataDirectory: directory, masterKey: .configured(environment: [:], dataDirectory: directory))
    let projection = SuccessionProjection(vault: vault)
    let set = TableSet(projection: projection.name, generation: 1)
    func fold(_ chunk: Int?) throws -> [String] {
      let queue = try DatabaseQueue()
      return try queue.write { db in
        try projection.createTables(in: db, set)
        if let chunk {
          var start = log.startIndex
          while start < log.endIndex {
            let end = min(start + chunk, log.endIndex)
            try projection.apply(batch: log[start..<end], in: db, set)
            start = end
          }
        } else {
          for event in log where projection.eventTypes.contains(event.type) { try projection.apply(event, in: db, set) }
        }
        return try rows(db, set, projection)
      }
    }
    let single = try fold(nil)
    #expect(single.count > 10)
    #expect(try fold(log.count) == single)
    #expect(try fold(7) == single)
  }
}
