public import EventLog
public import Foundation
import GRDB

/// Where an as-of copy stops.
public enum AsOf: Sendable, Hashable {
  /// Every event up to and including this position.
  case position(Int64)
  /// Every event recorded at or before this instant (record time, not a business date).
  case recordedAt(Date)
}

/// Builds one projection into a separate file that stops at a position or a record time, for
/// audits ("the ledger as recorded at 2023-03-31T23:59:59+09:00"). The file is left read-only.
///
/// An event the projection cannot fold stops the copy with ``ProjectionError/applyFailed(projection:position:type:reason:)``
/// naming it, as the runner does, and no file is left behind.
public enum AsOfCopy {
  /// Builds the copy and answers the last position it contains.
  @discardableResult
  public static func build(
    _ projection: any Projection, from store: any EventStore, into path: String, asOf stop: AsOf, batchSize: Int = 5000,
    onProgress: (Int) -> Void = { _ in }
  ) async throws -> Int64 {
    guard !FileManager.default.fileExists(atPath: path) else {
      throw ProjectionError.storage("\(path) exists already; an as-of copy is written to a new file")
    }
    let queue = try DatabaseQueue(path: path)
    try ProjectionCatalog.migrator.migrate(queue)
    let set = TableSet(projection: projection.name, generation: 1)
    try await queue.write { db in
      try projection.createTables(in: db, set)
      try GenerationRecord(
        projection: projection.name, generation: 1, version: projection.version, position: 0, state: "live",
        tables: String(decoding: try JSONEncoder().encode(projection.tables), as: UTF8.self)
      ).insert(db)
    }
    let limitMilliseconds: Int64? = if case .recordedAt(let date) = stop { date.millisecondsSince1970 } else { nil }
    let limitPosition: Int64? = if case .position(let position) = stop { position } else { nil }
    var after: Int64 = 0
    reading: while true {
      var page = try await store.read(after: after, category: nil, limit: batchSize)
      guard !page.isEmpty else { break }
      var finished = false
      if let index = page.firstIndex(where: { event in
        (limitPosition.map { event.position > $0 } ?? false) || (limitMilliseconds.map { event.recordedAtMilliseconds > $0 } ?? false)
      }) {
        page = Array(page[..<index])
        finished = true
      }
      if let last = page.last {
        let events = page
        do {
          try await queue.write { db in
            // Like the runner: a failure names the event (the batch's first when the projection cannot say).
            do { try projection.apply(batch: events[...], in: db, set) } catch let failure as ProjectionEventFailure {
              throw ProjectionError.applyFailed(
                projection: projection.name, position: failure.position, type: failure.type, reason: "\(failure.reason)")
            } catch {
              throw ProjectionError.applyFailed(projection: projection.name, position: events[0].position, type: events[0].type, reason: "\(error)")
            }
            try db.execute(sql: "UPDATE projection_generations SET position = ? WHERE projection = ?", arguments: [last.position, projection.name])
          }
        } catch {
          // The half-built file is no copy of anything: remove it, so the same command can run again.
          try? queue.close()
          for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
          throw error
        }
        after = last.position
        onProgress(events.count)
      }
      if finished { break reading }
    }
    try queue.close()
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
    return after
  }
}
