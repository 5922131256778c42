// A child process for crash tests: folds the synthetic bookings of a log into a read model,
// in small batches, until it has caught up; the test kills it with SIGKILL part-way.
import EventLog
import EventLogSQLite
import Foundation
import ProjectionFixtures
import Projections

let arguments = CommandLine.arguments
guard arguments.count == 4, let batch = Int(arguments[3]) else {
  FileHandle.standardError.write(Data("usage: projection-worker LOG-PATH READMODEL-PATH BATCH\n".utf8))
  exit(64)
}
do {
  var configuration = SQLiteConfiguration(path: arguments[1])
  configuration.createIfMissing = false
  let store = try await SQLiteEventStore.open(configuration)
  let runner = try ProjectionRunner(
    path: arguments[2], store: store, projections: [BookingsProjection()], batchSize: batch, rebuildBatchSize: batch, durable: true)
  try await runner.catchUp()
  print("caught up")
} catch {
  FileHandle.standardError.write(Data("projection-worker: \(error)\n".utf8))
  exit(1)
}
