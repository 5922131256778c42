import EventLog
import EventLogSQLite
import Foundation
import GRDB
import TestSupport

/// Runs the built kipctl to its end.
@discardableResult
func kipctl(_ arguments: String..., environment: [String: String] = [:]) throws -> Outcome {
  try kipctl(arguments, environment: environment)
}

func kipctl(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> Outcome {
  try run(executable("kipctl"), arguments, environment: environment, removing: ["KIP_EVENT_LOG"], in: directory)
}

/// A new log in a fresh folder, with `count` events appended through kipctl itself.
func seededLog(_ count: Int) throws -> (folder: URL, log: String) {
  let folder = temporaryFolder()
  let log = "sqlite://\(folder.appending(path: "events.sqlite").path)"
  for n in 0..<count {
    let outcome = try kipctl("events", "append", "--log", log, "--stream", "note-\(n % 3)", "--type", "Ops.Note", "--data", #"{"n":\#(n),"text":"鍵 \#(n)"}"#)
    guard outcome.status == 0 else { throw TestFailure(outcome.error) }
  }
  return (folder, log)
}


/// Polls `condition` until it holds; fails after `timeout` saying what did not happen.
func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () throws -> Bool) async throws {
  let deadline = ContinuousClock.now + timeout
  while try !condition() {
    guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting until \(what)") }
    try await Task.sleep(for: .milliseconds(20))
  }
}

/// The last position of the SQLite log at `path`, read without writing to it.
func lastPosition(_ path: String) throws -> Int64 {
  var configuration = Configuration()
  configuration.readonly = true
  let queue = try DatabaseQueue(path: path, configuration: configuration)
  defer { try? queue.close() }
  return try queue.read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(position), 0) FROM events") ?? 0 }
}

/// Every event of the SQLite log at `path`, in position order.
func allEvents(_ path: String) async throws -> [RecordedEvent] {
  var configuration = SQLiteConfiguration(path: path)
  configuration.readOnly = true
  configuration.createIfMissing = false
  let store = try await SQLiteEventStore.open(configuration)
  var events: [RecordedEvent] = []
  while true {
    let page = try await store.read(after: events.last?.position ?? 0, category: nil, limit: 5000)
    if page.isEmpty { break }
    events += page
  }
  await store.close()
  return events
}

/// `2,345`, as kipctl prints counts.
func grouped(_ number: Int) -> String {
  let digits = Array(String(number))
  var text = ""
  for (index, digit) in digits.enumerated() {
    if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
    text.append(digit)
  }
  return text
}
