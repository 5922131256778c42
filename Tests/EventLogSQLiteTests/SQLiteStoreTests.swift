import EventLog
import EventLogSQLite
import Foundation
import TestSupport
import GRDB
import Testing

func note(_ n: Int = 0) -> ProposedEvent {
  ProposedEvent(type: "Test.Note", data: Data(#"{"n":\#(n)}"#.utf8))
}

func name(_ text: String) throws -> StreamName { try StreamName(text) }

@Suite("SQLite log: storage behaviour")
struct SQLiteStoreTests {
  @Test("a durable log writes with synchronous=FULL and keeps what it acknowledged across reopen")
  func durableReopen() async throws {
    let path = temporaryFolder(onDisk: true).appending(path: "events.sqlite").path
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    #expect(try await store.synchronousSetting() == 2)
    let result = try await store.append(Append([note(1), note(2)], to: try name("keep-1"), expecting: .noStream))
    await store.close()
    let again = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    let events = try await again.readAll(stream: try name("keep-1"))
    #expect(events.map(\.position) == result.positions)
    #expect(events.map(\.data) == [note(1).data, note(2).data])
    await again.close()
  }

  @Test("the fast path uses synchronous=NORMAL only when asked")
  func normalDurability() async throws {
    var configuration = SQLiteConfiguration(path: temporaryFolder().appending(path: "e.sqlite").path)
    configuration.durability = .normal
    let store = try await SQLiteEventStore.open(configuration)
    #expect(try await store.synchronousSetting() == 1)
    await store.close()
  }

  @Test("concurrent appenders share transactions (group commit)")
  func groupCommitShares() async throws {
    let path = temporaryFolder(onDisk: true).appending(path: "events.sqlite").path
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    try await withThrowingTaskGroup(of: Void.self) { group in
      for writer in 0..<64 {
        group.addTask { _ = try await store.append(Append([note(writer)], to: try name("gc-\(writer)"), expecting: .noStream)) }
      }
      try await group.waitForAll()
    }
    #expect(try await store.head().position == 64)
    #expect(store.transactionCount < 64, "64 appends took \(store.transactionCount) transactions")
    await store.close()
  }

  @Test("a missing file is not created by a reader, and says so")
  func missingFile() async throws {
    var configuration = SQLiteConfiguration(path: temporaryFolder().appending(path: "absent/events.sqlite").path)
    configuration.createIfMissing = false
    await #expect(throws: EventLogError.self) { try await SQLiteEventStore.open(configuration) }
    #expect(!FileManager.default.fileExists(atPath: configuration.path))
  }

  @Test("a file that is not a database is reported as damaged, not crashed on")
  func notADatabase() async throws {
    let path = temporaryFolder().appending(path: "junk.sqlite").path
    try Data(repeating: 0x41, count: 8192).write(to: URL(filePath: path))
    do {
      _ = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
      Issue.record("opened a junk file")
    } catch {
      guard case .corrupt = error else { Issue.record("expected corrupt, got \(error)"); return }
    }
  }

  @Test("a SQLite database without the log's tables is refused read-only")
  func foreignDatabase() async throws {
    let path = temporaryFolder().appending(path: "other.sqlite").path
    let queue = try DatabaseQueue(path: path)
    try await queue.write { db in try db.execute(sql: "CREATE TABLE t (x)") }
    try queue.close()
    var configuration = SQLiteConfiguration(path: path)
    configuration.readOnly = true
    await #expect(throws: EventLogError.corrupt("\(path) is a SQLite database but not an event log")) {
      try await SQLiteEventStore.open(configuration)
    }
  }

  @Test("a read-only log refuses appends and changes nothing")
  func readOnly() async throws {
    let path = temporaryFolder().appending(path: "events.sqlite").path
    let writer = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    _ = try await writer.append(Append([note()], to: try name("ro-1")))
    var configuration = SQLiteConfiguration(path: path)
    configuration.readOnly = true
    let reader = try await SQLiteEventStore.open(configuration)
    await #expect(throws: EventLogError.readOnly("\(path) was opened read-only")) {
      try await reader.append(Append([note()], to: try name("ro-1")))
    }
    #expect(try await reader.head().position == 1)
    await reader.close()
    await writer.close()
  }

  @Test("a writer locked out by another connection gets a typed busy error, then succeeds")
  func busy() async throws {
    let path = temporaryFolder().appending(path: "events.sqlite").path
    var configuration = SQLiteConfiguration(path: path)
    configuration.busyTimeout = .milliseconds(200)
    let store = try await SQLiteEventStore.open(configuration)
    var unsafe = Configuration()
    unsafe.allowsUnsafeTransactions = true
    let blocker = try DatabaseQueue(path: path, configuration: unsafe)
    try await blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
    do {
      _ = try await store.append(Append([note()], to: try name("busy-1")))
      Issue.record("appended while another connection held the write lock")
    } catch let error as EventLogError {
      guard case .busy = error else { Issue.record("expected busy, got \(error)"); return }
    }
    try await blocker.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
    try blocker.close()
    let result = try await store.append(Append([note()], to: try name("busy-1")))
    #expect(result.positions == [1])
    await store.close()
  }

  @Test("a full disk fails the append with a typed error and leaves no partial write")
  func storageFull() async throws {
    var configuration = SQLiteConfiguration(path: temporaryFolder().appending(path: "events.sqlite").path)
    configuration.durability = .normal
    configuration.maximumPageCount = 40
    let store = try await SQLiteEventStore.open(configuration)
    let big = Data(#"{"pad":"\#(String(repeating: "x", count: 3000))"}"#.utf8)
    var acknowledged = 0
    var failure: EventLogError?
    for n in 0..<200 {
      do {
        _ = try await store.append(Append([ProposedEvent(type: "Test.Big", data: big), note(n)], to: try name("full-1")))
        acknowledged += 2
      } catch let error as EventLogError {
        failure = error
        break
      }
    }
    guard case .storageFull = failure else { Issue.record("expected storageFull, got \(String(describing: failure))"); return }
    #expect(try await store.head().position == Int64(acknowledged))
    let all = try await store.read(after: 0, category: nil, limit: 1000)
    var verifier = ChainVerifier()
    for event in all { try verifier.check(event) }
    #expect(verifier.count == Int64(acknowledged))
    await store.close()
  }

  @Test("updates and deletes of recorded events are refused by the schema")
  func appendOnly() async throws {
    let path = temporaryFolder().appending(path: "events.sqlite").path
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    _ = try await store.append(Append([note()], to: try name("fixed-1")))
    let queue = try DatabaseQueue(path: path)
    await #expect(throws: DatabaseError.self) { try await queue.write { db in try db.execute(sql: "UPDATE events SET type = 'x'") } }
    await #expect(throws: DatabaseError.self) { try await queue.write { db in try db.execute(sql: "DELETE FROM events") } }
    try queue.close()
    await store.close()
  }
}

@Suite("SQLite log: crash safety", .serialized)
struct CrashSafetyTests {
  @Test("a writer killed with SIGKILL mid-stream loses nothing it acknowledged, and the chain holds")
  func sigkill() async throws {
    let path = temporaryFolder(onDisk: true).appending(path: "events.sqlite").path
    let process = ChildProcess()
    process.executableURL = executable("kip-bench")
    process.arguments = ["writer", "--log", "sqlite://\(path)", "--writers", "8"]
    let out = Pipe()
    process.standardOutput = out
    let exit = try ChildExit.start(process)
    let printed = await read(out.fileHandleForReading, timeout: 60) { $0.split(separator: "\n").count > 300 }
    // Whole lines only: the last piece is empty or a line still being written.
    let lines = printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    let acknowledged = lines.compactMap { $0.hasPrefix("ack ") ? Int64($0.dropFirst(4)) : nil }
    kill(process.processIdentifier, SIGKILL)
    await exit.wait()
    #expect(acknowledged.count >= 300, "the writer acknowledged only \(acknowledged.count) appends")
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: path))
    let head = try await store.head()
    var recorded = Set<Int64>()
    var verifier = ChainVerifier()
    var after: Int64 = 0
    while true {
      let page = try await store.read(after: after, category: nil, limit: 1000)
      guard let last = page.last else { break }
      for event in page {
        try verifier.check(event)
        recorded.insert(event.position)
      }
      after = last.position
    }
    #expect(verifier.count == head.position)
    let lost = acknowledged.filter { !recorded.contains($0) }
    #expect(lost.isEmpty, "acknowledged but lost: \(lost.prefix(10))")
    await store.close()
  }
}
