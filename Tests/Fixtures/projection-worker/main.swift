// A child process for crash tests: folds the synthetic bookings of a log into a read model,
// in small batches, until it has caught up; the test kills it with SIGKILL part-way.
//
// With `rebuild` after the batch size it first builds the read model live (in one big batch
// per transaction, quickly) and then rebuilds it beside the live generation in small batches:
// the test kills it in the middle of that rebuild.
import EventLog
import EventLogSQLite
import Foundation
import ProjectionFixtures
import Projections

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
  let runner = try ProjectionRunner(
    path: arguments[2], store: store, projections: [BookingsProjection()], batchSize: batch, rebuildBatchSize: batch, durable: true)
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
