// A child process for crash tests: folds the synthetic bookings of a log into a read model,
// in small batches, until it has caught up; the test kills it with SIGKILL part-way.
//
// With `rebuild` after the batch size it first builds the read model live (in one big batch
// per transaction, quickly) and then rebuilds it beside the live generation in small batches:
// the test kills it in the middle of that rebuild.
//
// `KIP_WORKER_PACE_MS` makes each small batch take at least that long inside its transaction,
// so that a kill lands mid-batch and the worker cannot finish before a busy test run gets round
// to killing it.
import EventLog
import EventLogSQLite
import Foundation
import ProjectionFixtures
import GRDB
import Projections

/// The bookings projection, pausing inside each batch's transaction.
struct Paced: Projection {
  let inner = BookingsProjection()
  let pause: TimeInterval
  var name: String { inner.name }
  var version: Int { inner.version }
  var eventTypes: Set<String> { inner.eventTypes }
  var tables: [String] { inner.tables }
  func createTables(in db: Database, _ set: TableSet) throws { try inner.createTables(in: db, set) }
  func apply(_ event: RecordedEvent, in db: Database, _ set: TableSet) throws { try inner.apply(event, in: db, set) }
  func apply(batch events: ArraySlice<RecordedEvent>, in db: Database, _ set: TableSet) throws {
    try inner.apply(batch: events, in: db, set)
    Thread.sleep(forTimeInterval: pause)
  }
}

let arguments = CommandLine.arguments
guard (4...5).contains(arguments.count), let batch = Int(arguments[3]), arguments.count == 4 || arguments[4] == "rebuild" else {
  FileHandle.standardError.write(Data("usage: projection-worker LOG-PATH READMODEL-PATH BATCH [rebuild]\n".utf8))
  exit(64)
}
do {
  var configuration = SQLiteConfiguration(path: arguments[1])
  configuration.createIfMissing = false
  let store = try await SQLiteEventStore.open(configuration)
  if arguments.count == 5 {
    let initial = try ProjectionRunner(
      path: arguments[2], store: store, projections: [BookingsProjection()], batchSize: 5000, durable: true)
    try await initial.catchUp()
    print("live")
  }
  let pace = ProcessInfo.processInfo.environment["KIP_WORKER_PACE_MS"].flatMap(Int.init) ?? 0
  let projection: any Projection = pace > 0 ? Paced(pause: Double(pace) / 1000) : BookingsProjection()
  let runner = try ProjectionRunner(
    path: arguments[2], store: store, projections: [projection], batchSize: batch, rebuildBatchSize: batch, durable: true)
  if arguments.count == 5 { try await runner.rebuild("bookings") }
  // The first checkpoint reached tells a test whether an interrupted build was resumed.
  var first: Int64?
  try await runner.catchUp { _, position, _ in
    if first == nil {
      first = position
      print("first checkpoint \(position)")
    }
  }
  print("caught up")
} catch {
  FileHandle.standardError.write(Data("projection-worker: \(error)\n".utf8))
  exit(1)
}
