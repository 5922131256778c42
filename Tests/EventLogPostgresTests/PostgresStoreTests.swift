import EventLog
import EventLogPostgres
import Foundation
import Testing
import TestSupport

@Suite("PostgreSQL store: positions, sealing, configuration, restarts")
struct PostgresStoreTests {
  @Test("a reader never sees a position before every lower one is visible, while 32 appenders race")
  func readersSeeNoGaps() async throws {
    let store = try await makeStore()
    let other = try await PostgresEventStore.open(store.configuration)
    defer { Task { await store.close(); await other.close() } }
    let reader = Task {
      var seen: Int64 = 0
      var reads = 0
      while seen < 640 {
        let page = try await store.read(after: seen, category: nil, limit: 1000)
        for event in page {
          guard event.position == seen + 1 else { throw TestFailure("read \(event.position) after \(seen)") }
          seen = event.position
        }
        reads += 1
        if page.isEmpty { _ = try await store.waitForAppends(after: seen, timeout: .seconds(1)) }
      }
      return reads
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for writer in 0..<32 {
        let handle = writer.isMultiple(of: 2) ? store : other
        group.addTask {
          for n in 0..<20 { _ = try await handle.append(Append([note(n)], to: try StreamName("w-\(writer)"))) }
        }
      }
      try await group.waitForAll()
    }
    let reads = try await reader.value
    #expect(reads > 1)
    let head = try await store.head()
    #expect(head.position == 640 && head.sealedThrough == 640)
    #expect(try await store.unsealedCount() == 0)
  }

  @Test("racing appends with one idempotency key on two handles: one writes, the rest get its answer")
  func idempotencyRace() async throws {
    let store = try await makeStore()
    let other = try await PostgresEventStore.open(store.configuration)
    defer { Task { await store.close(); await other.close() } }
    let key = IdempotencyKey(scope: "kip-building/alice", key: "k-race", requestDigest: Data("d".utf8))
    let outcomes = try await withThrowingTaskGroup(of: AppendResult.self) { group in
      for writer in 0..<12 {
        let handle = writer.isMultiple(of: 2) ? store : other
        group.addTask {
          do {
            return try await handle.append(
              Append(writes: [StreamWrite(stream: try StreamName("race-\(writer)"), events: [note(writer)])], idempotency: key))
          } catch EventLogError.alreadyRecorded(let record) {
            return record.result
          }
        }
      }
      return try await group.reduce(into: [AppendResult]()) { $0.append($1) }
    }
    #expect(Set(outcomes).count == 1, "\(outcomes)")
    #expect(try await store.head().position == 1)
  }

  @Test("a condition held on a stream is not invalidated by a concurrent writer of that stream")
  func conditionRace() async throws {
    let store = try await makeStore()
    let other = try await PostgresEventStore.open(store.configuration)
    defer { Task { await store.close(); await other.close() } }
    let slots = try StreamName("slots-hall-1")
    _ = try await store.append(Append([note(0)], to: slots, expecting: .noStream))
    // Many bookings hold "slots at version 0" while a writer moves slots on: every booking that
    // committed must have committed before the slots write, i.e. at a lower position.
    let results = try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
      group.addTask {
        let moved = try await other.append(Append([note(1)], to: slots, expecting: .exact(0)))
        return (moved.positions[0], true)
      }
      for n in 0..<20 {
        let handle = n.isMultiple(of: 2) ? store : other
        group.addTask {
          do {
            let booked = try await handle.append(
              Append(writes: [StreamWrite(stream: try StreamName("booking-\(n)"), events: [note(n)])],
                conditions: [StreamCondition(stream: slots, expected: .exact(0))]))
            return (booked.positions[0], false)
          } catch EventLogError.wrongExpectedVersion(_, _, let actual) where actual == 1 {
            return (Int64.max, false)
          }
        }
      }
      return try await group.reduce(into: [(Int64, Bool)]()) { $0.append($1) }
    }
    let moved = results.first { $0.1 }?.0 ?? 0
    for (position, isSlots) in results where !isSlots && position != Int64.max {
      #expect(position < moved, "a booking at \(position) committed after the slots moved at \(moved)")
    }
  }

  @Test("events committed by an appender that never sealed them are sealed by the next append")
  func leftoversSealed() async throws {
    let store = try await makeStore()
    _ = try await store.append(Append([note(0)], to: try StreamName("left-1")))
    let url = TestPostgres.replacingDatabase(in: try TestPostgres.serverURL(), with: store.configuration.database)
    // What a crashed appender leaves: an event and its unsealed row, committed, without a chain row.
    try TestPostgres.sql(
      url,
      """
      WITH e AS (INSERT INTO events (stream, version, event_id, type, schema_version, data, metadata)
        VALUES ('left-1', 1, gen_random_uuid(), 'Test.Note', 1, '\\x7b7d', '\\x7b7d') RETURNING id)
      INSERT INTO unsealed (events, proposed_at) SELECT array[id], 0 FROM e
      """)
    #expect(try await store.unsealedCount() == 1)
    #expect(try await store.head().position == 1)
    let again = try await PostgresEventStore.open(store.configuration)
    let next = try await again.append(Append([note(2)], to: try StreamName("left-2")))
    #expect(next.positions == [3])
    #expect(try await store.head().position == 3)
    #expect(try await store.unsealedCount() == 0)
    var verifier = ChainVerifier()
    for event in try await store.read(after: 0, category: nil, limit: 10) { try verifier.check(event) }
    #expect(verifier.count == 3)
    await again.close()
    await store.close()
  }

  @Test("stored bytes are bytea and rows are append-only in the schema")
  func schema() async throws {
    let store = try await makeStore()
    defer { Task { await store.close() } }
    _ = try await store.append(Append([note(1)], to: try StreamName("schema-1")))
    let url = TestPostgres.replacingDatabase(in: try TestPostgres.serverURL(), with: store.configuration.database)
    let types = try TestPostgres.sql(
      url, "SELECT column_name || ':' || data_type FROM information_schema.columns WHERE table_name = 'events' AND column_name IN ('data', 'metadata') ORDER BY 1")
    #expect(types == "data:bytea\nmetadata:bytea\n")
    for statement in ["UPDATE events SET type = 'x'", "DELETE FROM chain", "UPDATE chain SET recorded_at = 0", "TRUNCATE events CASCADE"] {
      #expect(throws: TestFailure.self, "\(statement)") { try TestPostgres.sql(url, statement) }
    }
  }

  @Test("locations: sslmode, timeouts and pool size are read from the URL; bad ones are refused")
  func locations() throws {
    let configuration = try PostgresConfiguration(
      url: "postgres://kip:p%40ss@db.example:6543/events?sslmode=require&statement_timeout=5s&pool=8")
    #expect(configuration.host == "db.example" && configuration.port == 6543 && configuration.database == "events")
    #expect(configuration.username == "kip" && configuration.password == "p@ss")
    #expect(configuration.tls == .require && configuration.statementTimeout == .seconds(5) && configuration.maximumConnections == 8)
    #expect(try PostgresConfiguration(url: "postgresql://localhost").tls == .prefer)
    #expect(try PostgresConfiguration(url: "postgres://u@h/d?sslmode=disable").tls == .disable)
    #expect(throws: EventLogError.self) { try PostgresConfiguration(url: "postgres://u@h/d?sslmode=sometimes") }
    #expect(throws: EventLogError.self) { try PostgresConfiguration(url: "postgres://u@h/d?statement_timeout=soon") }
    #expect(throws: EventLogError.self) { try PostgresConfiguration(url: "postgres://u@h/d?colour=blue") }
  }

  @Test("sslmode=require against a server without TLS fails with a clear error; disable and prefer connect")
  func tlsModes() async throws {
    let url = try TestPostgres.newDatabase()
    do {
      let store = try await PostgresEventStore.open(try PostgresConfiguration(url: url + "?sslmode=require&connect_timeout=3"))
      await store.close()
      Issue.record("sslmode=require connected to a server without TLS")
    } catch {
      #expect(error.description.contains("TLS") || error.description.contains("reach"), "\(error)")
    }
    for mode in ["disable", "prefer"] {
      let store = try await PostgresEventStore.open(try PostgresConfiguration(url: url + "?sslmode=\(mode)"))
      #expect(try await store.head() == .empty)
      await store.close()
    }
  }

  @Test("a statement running past statement_timeout fails as busy, and the store goes on")
  func statementTimeout() async throws {
    // The schema is made without the short timeout (a loaded machine may take longer than
    // 300 ms to create it); the store under test then opens the same database with it.
    let setup = try await makeStore()
    var configuration = setup.configuration
    await setup.close()
    configuration.statementTimeout = .milliseconds(300)
    let store = try await PostgresEventStore.open(configuration)
    defer { Task { await store.close() } }
    let url = TestPostgres.replacingDatabase(in: try TestPostgres.serverURL(), with: store.configuration.database)
    // Another session holds the stream lock; the append waits on it past the timeout.
    _ = try await store.append(Append([note(0)], to: try StreamName("slow-1")))
    // It sleeps far longer than the test needs and is ended once the append has timed out, so a
    // slow machine cannot let the lock go before the append tries it.
    let holder = Task.detached {
      try TestPostgres.sql(url, "BEGIN; SELECT * FROM streams WHERE stream = 'slow-1' FOR UPDATE; SELECT pg_sleep(120); COMMIT;")
    }
    let sleeping = "FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database() AND pid <> pg_backend_pid()"
    let deadline = ContinuousClock.now + .seconds(60)
    var holding = false
    while !holding, ContinuousClock.now < deadline {
      holding = try TestPostgres.sql(url, "SELECT count(*) \(sleeping)").trimmingCharacters(in: .whitespacesAndNewlines) == "1"
      if !holding { try await Task.sleep(for: .milliseconds(20)) }
    }
    try #require(holding, "the other session never took the lock")
    await #expect(throws: EventLogError.self) { try await store.append(Append([note(1)], to: try StreamName("slow-1"))) }
    _ = try TestPostgres.sql(url, "SELECT pg_terminate_backend(pid) \(sleeping)")
    _ = try? await holder.value
    #expect(try await store.append(Append([note(2)], to: try StreamName("slow-1"))).positions == [2])
  }

  @Test("another instance's append wakes a waiter through LISTEN/NOTIFY, long before its poll would")
  func notificationWakesWaiter() async throws {
    let writer = try await makeStore()
    defer { Task { await writer.close() } }
    var configuration = writer.configuration
    configuration.pollInterval = .seconds(120)  // polling alone would not answer within the test's bound
    let waiter = try await PostgresEventStore.open(configuration)
    defer { Task { await waiter.close() } }
    _ = try await writer.append(Append([note(0)], to: try StreamName("wake-1")))
    // The first wait opens the listening connection; once it listens, a fresh wait is registered.
    #expect(try await waiter.waitForAppends(after: 0, timeout: .seconds(5)) == 1)
    #expect(try await eventually(seconds: 30) { waiter.waiting.listening })
    let woken = Task { try await waiter.waitForAppends(after: 1, timeout: .seconds(60)) }
    #expect(try await eventually(seconds: 30) { waiter.waiting.waiters == 1 })
    let started = ContinuousClock.now
    _ = try await writer.append(Append([note(1)], to: try StreamName("wake-1")))
    #expect(try await woken.value == 2)
    // The poll comes every 120 s and checks the timeout then: only the notification wakes the
    // waiter sooner (it takes milliseconds; the bound is far from any machine's speed).
    let waited = ContinuousClock.now - started
    #expect(waited < .seconds(60), "woken after \(waited): by the poll, not by the notification")
  }

  @Test("after the server restarts, the store works again: appends, reads and live waits")
  func reconnects() async throws {
    let server = try PrivatePostgres()
    defer { server.stop() }
    var configuration = try PostgresConfiguration(url: server.url)
    configuration.pollInterval = .milliseconds(200)
    configuration.connectTimeout = .seconds(3)
    let store = try await PostgresEventStore.open(configuration)
    _ = try await store.append(Append([note(0)], to: try StreamName("restart-1")))
    let waiting = Task { try await store.waitForAppends(after: 1, timeout: .seconds(30)) }
    try server.restart()
    // A retry re-sends the same event: if a lost answer hid a commit, it answers its position.
    let retried = note(1)
    let recovered = try await eventually(seconds: 20) {
      (try? await store.append(Append([retried], to: try StreamName("restart-1")))) != nil
    }
    #expect(recovered)
    #expect(try await waiting.value >= 2)
    #expect(try await store.readAll(stream: try StreamName("restart-1")).count == 2)
    await store.close()
  }
}
