import EventLog
import EventLogSQLite
import Foundation
import GRDB
import ProjectionFixtures
import Projections
import Synchronization
import Testing
import TestSupport

/// A log and a read-model file in a fresh folder.
struct Fixture {
  let folder = temporaryFolder()
  let store: SQLiteEventStore

  init() async throws {
    var configuration = SQLiteConfiguration(path: folder.appending(path: "events.sqlite").path)
    configuration.durability = .normal
    store = try await SQLiteEventStore.open(configuration)
  }

  func runner(_ projections: [any Projection], file: String = "readmodel.sqlite", batchSize: Int = 200) throws -> ProjectionRunner {
    // Rebuilds in the same small batches too, so that batch boundaries fall inside the tests' logs.
    try ProjectionRunner(
      path: folder.appending(path: file).path, store: store, projections: projections, batchSize: batchSize,
      rebuildBatchSize: batchSize)
  }
}

func count(_ runner: ProjectionRunner, _ name: String = "bookings") async throws -> Int {
  try await runner.read(name) { db, set in try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(set.table("bookings"))\"") ?? 0 }
}

/// Waits for a condition with a deadline instead of sleeping a fixed time.
func eventually(_ what: String, seconds: Double = 120, _ condition: () async throws -> Bool) async throws {
  let deadline = ContinuousClock.now + .seconds(seconds)
  while ContinuousClock.now < deadline {
    if try await condition() { return }
    try await Task.sleep(for: .milliseconds(20))
  }
  Issue.record("timed out waiting for: \(what)")
}

@Suite("Projections: checkpoints, live updates, rebuilds, as-of copies")
struct ProjectionsTests {
  @Test("a projection catches up from its checkpoint, follows live appends, and serves read-your-writes")
  func catchUpAndFollow() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 1000, seed: 1, to: fixture.store)
    let runner = try fixture.runner([BookingsProjection()])
    let running = Task { await runner.run() }
    defer { running.cancel() }
    let caughtUp = try await runner.waitUntil("bookings", reached: 1000, timeout: .seconds(120))
    let afterCatchUp = try await runner.status()
    #expect(caughtUp, "\(afterCatchUp)")
    try await SyntheticBookings.append(count: 50, seed: 2, to: fixture.store, firstBooking: 100_000)
    let head = try await fixture.store.head().position
    #expect(try await runner.waitUntil("bookings", reached: head, timeout: .seconds(120)))
    let status = try await runner.status()
    #expect(status.first?.position == head && status.first?.lag == 0 && status.first?.ready == true)
    // Every booking requested in the log is a row.
    let requested = try await fixture.store.read(after: 0, category: nil, limit: 5000).filter { $0.type == SyntheticBookings.requested }.count
    #expect(try await count(runner) == requested)
  }

  @Test("a failing event stops only its projection, naming the position and type")
  func failureIsolated() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 300, seed: 3, to: fixture.store)
    let failing = BookingsProjection(name: "fragile", failingBooking: 20)
    let runner = try fixture.runner([BookingsProjection(), failing])
    let running = Task { await runner.run() }
    defer { running.cancel() }
    #expect(try await runner.waitUntil("bookings", reached: 300, timeout: .seconds(120)))
    try await eventually("the fragile projection reports its failure") { try await runner.status()[1].error != nil }
    let failed = try await runner.status()[1]
    let culprit = try await fixture.store.read(after: 0, category: nil, limit: 1000).first {
      $0.type == SyntheticBookings.requested && String(decoding: $0.data, as: UTF8.self).contains(#""booking":20,"#)
    }
    #expect(failed.error == "projection fragile stopped at position \(culprit?.position ?? -1) (Test.BookingRequested): booking 20 cannot be folded")
    #expect(failed.ready == false)
    // Nothing of the failing batch was applied: its checkpoint is before the culprit.
    let rows = try await runner.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM fragile_bookings_g1") ?? -1 }
    #expect(rows < 20)
    try await SyntheticBookings.append(count: 20, seed: 4, to: fixture.store, firstBooking: 50_000)
    #expect(try await runner.waitUntil("bookings", reached: try await fixture.store.head().position, timeout: .seconds(120)))
  }

  @Test("a failing event is written to the catalog, which the file and kipctl projections status show")
  func failureRecorded() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 300, seed: 3, to: fixture.store)
    let runner = try fixture.runner([BookingsProjection(), BookingsProjection(name: "fragile", failingBooking: 20)])
    let running = Task { await runner.run() }
    defer { running.cancel() }
    try await eventually("the fragile projection reports its failure") { try await runner.status()[1].error != nil }
    let culprit = try #require(
      try await fixture.store.read(after: 0, category: nil, limit: 1000).first {
        $0.type == SyntheticBookings.requested && String(decoding: $0.data, as: UTF8.self).contains(#""booking":20,"#)
      })
    let file = try ReadModelFile(path: fixture.folder.appending(path: "readmodel.sqlite").path)
    let fragile = try #require(try file.generations().first { $0.projection == "fragile" })
    #expect(fragile.failedPosition == culprit.position && fragile.failedType == SyntheticBookings.requested)
    #expect(fragile.failedReason == "booking 20 cannot be folded")
    #expect(try file.generations().first { $0.projection == "bookings" }?.failedPosition == nil, "the healthy one records nothing")
    // A runner in another process (here: a new one on the same file) reports the failure from the catalog.
    let other = try fixture.runner([BookingsProjection(name: "fragile", failingBooking: 20)])
    #expect(try await other.status()[0].error == "projection fragile stopped at position \(culprit.position) (Test.BookingRequested): booking 20 cannot be folded")

    let log = "sqlite://\(fixture.store.configuration.path)"
    let readModel = fixture.folder.appending(path: "readmodel.sqlite").path
    let text = try run(executable("kipctl"), ["projections", "status", "--log", log, "--readmodel", readModel])
    #expect(text.status == 0, "\(text.error)")
    #expect(
      text.output.contains(
        "fragile v1 g1 building checkpoint \(fragile.position) lag \(300 - fragile.position) failed at position \(culprit.position) (Test.BookingRequested): booking 20 cannot be folded\n"),
      "\(text.output)")
    let json = try run(executable("kipctl"), ["projections", "status", "--log", log, "--readmodel", readModel, "--json"])
    let lines = json.output.split(separator: "\n").map(String.init)
    #expect(lines.first { $0.contains(#""projection":"fragile""#) }?.contains(
      #""failedPosition":\#(culprit.position),"failedReason":"booking 20 cannot be folded","failedType":"Test.BookingRequested""#) == true,
      "\(json.output)")
    #expect(lines.first { $0.contains(#""projection":"bookings""#) }?.contains("failed") == false)
  }

  @Test("a projection stopped by a failing event is rebuilt, once its code is fixed, and comes back live")
  func rebuildAfterFailure() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 300, seed: 12, to: fixture.store)
    let broken = Flag()
    let runner = try fixture.runner([BookingsProjection(), Mendable(broken: broken)])
    let running = Task { await runner.run() }
    defer { running.cancel() }
    #expect(try await runner.waitUntil("fragile", reached: 300, timeout: .seconds(120)))
    // A release with a bug: the next bookings cannot be folded.
    broken.set()
    try await SyntheticBookings.append(count: 40, seed: 13, to: fixture.store, firstBooking: 50_000)
    try await eventually("the fragile projection stops") { try await runner.status()[1].error != nil }
    #expect(try await runner.status()[1].error?.hasPrefix("projection fragile stopped at position 301 (Test.BookingRequested)") == true)
    // The fixed release: rebuild it.
    broken.clear()
    try await runner.rebuild("fragile")
    let head = try await fixture.store.head().position
    try await eventually("the rebuilt generation is live and caught up", seconds: 60) {
      let status = try await runner.status()[1]
      return status.ready && status.rebuildPosition == nil && status.position == head && status.error == nil
    }
    let generations = try await runner.database.read { db in
      try Row.fetchAll(db, sql: "SELECT generation, failed_position FROM projection_generations WHERE projection = 'fragile'")
        .map { "g\($0["generation"] as Int64) failed at \(($0["failed_position"] as Int64?).map(String.init) ?? "-")" }
    }
    #expect(generations == ["g2 failed at -"], "generation 2 is live, nothing failed, generation 1 is gone")
    // And it follows the log live again.
    try await SyntheticBookings.append(count: 10, seed: 14, to: fixture.store, firstBooking: 60_000)
    let grown = try await fixture.store.head().position
    #expect(try await runner.waitUntil("fragile", reached: grown, timeout: .seconds(60)))
    let fresh = try fixture.runner([Mendable(broken: Flag())], file: "fresh.sqlite")
    try await fresh.catchUp()
    #expect(try await runner.checksum("fragile") == fresh.checksum("fragile"))
  }

  @Test("rebuild beside and switch while a client reads and the log grows; the result equals a fresh build")
  func rebuildWhileServing() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 3000, seed: 5, to: fixture.store)
    let runner = try fixture.runner([BookingsProjection()], batchSize: 100)
    let running = Task { await runner.run() }
    defer { running.cancel() }
    let built = try await runner.waitUntil("bookings", reached: 3000, timeout: .seconds(120))
    let afterBuild = try await runner.status()
    #expect(built, "\(afterBuild)")
    let stop = Flag()
    let reader = Task {
      var reads = 0
      var lastCount = 0
      while !stop.isSet {
        // Never refused and never going backwards while the rebuild runs beside.
        let rows = try await count(runner)
        #expect(rows >= lastCount)
        lastCount = rows
        reads += 1
      }
      return reads
    }
    let writer = Task { try await SyntheticBookings.append(count: 1000, seed: 6, to: fixture.store, batch: 20, firstBooking: 200_000) }
    try await runner.rebuild("bookings")
    #expect(try await runner.status()[0].rebuildPosition != nil)
    try await writer.value
    try await eventually("the rebuild switches") { try await runner.status()[0].rebuildPosition == nil }
    let head = try await fixture.store.head().position
    #expect(try await runner.waitUntil("bookings", reached: head, timeout: .seconds(120)))
    stop.set()
    #expect(try await reader.value > 0)
    let generations = try await runner.database.read { db in try Int64.fetchAll(db, sql: "SELECT generation FROM projection_generations") }
    #expect(generations == [2], "the old generation is dropped after the switch")
    let leftovers = try await runner.database.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE 'bookings_%_g1%'") }
    #expect(leftovers.isEmpty)
    let fresh = try fixture.runner([BookingsProjection()], file: "fresh.sqlite")
    try await fresh.catchUp()
    #expect(try await runner.checksum("bookings") == fresh.checksum("bookings"))
  }

  @Test("two rebuilds give the same checksum; different contents give different ones")
  func deterministicChecksum() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 1500, seed: 7, to: fixture.store)
    let first = try fixture.runner([BookingsProjection()], file: "a.sqlite", batchSize: 97)
    let second = try fixture.runner([BookingsProjection()], file: "b.sqlite", batchSize: 1000)
    try await first.catchUp()
    try await second.catchUp()
    let checksum = try await first.checksum("bookings")
    #expect(checksum == (try await second.checksum("bookings")))
    try await SyntheticBookings.append(count: 1, seed: 8, to: fixture.store, firstBooking: 900_000)
    try await second.catchUp()
    #expect(checksum != (try await second.checksum("bookings")))
  }

  @Test("a new projection version at start-up answers not-ready until it has caught up")
  func newVersion() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 800, seed: 9, to: fixture.store)
    let old = try fixture.runner([BookingsProjection(version: 1)])
    try await old.catchUp()
    let rowsBefore = try await count(old)
    // The next release opens the same read-model file with version 2 of the projection.
    let upgraded = try fixture.runner([BookingsProjection(version: 2)], batchSize: 100)
    do {
      _ = try await count(upgraded)
      Issue.record("a new version answered before it was built")
    } catch let error as ProjectionError {
      guard case .notReady(projection: "bookings", position: _, head: 800) = error else { Issue.record("\(error)"); return }
    }
    #expect(try await upgraded.status()[0].ready == false)
    try await upgraded.catchUp()
    #expect(try await upgraded.status()[0].ready == true)
    #expect(try await count(upgraded) == rowsBefore)
    await #expect(throws: ProjectionError.self, "the old code sees the new version live and steps aside") { try await count(old) }
  }

  @Test("as-of copies stop at a position or at a record time, and are read-only files")
  func asOf() async throws {
    let times = Times()
    var configuration = SQLiteConfiguration(path: temporaryFolder().appending(path: "events.sqlite").path)
    configuration.durability = .normal
    configuration.clock = { times.next() }
    let store = try await SQLiteEventStore.open(configuration)
    try await SyntheticBookings.append(count: 1000, seed: 10, to: store, batch: 100)
    let folder = temporaryFolder()
    let byPosition = folder.appending(path: "p.sqlite").path
    let last = try await AsOfCopy.build(BookingsProjection(), from: store, into: byPosition, asOf: .position(450))
    #expect(last == 450)
    // Each append of 100 events got one record time, one second apart: the 4th append ends at 400.
    let byTime = folder.appending(path: "t.sqlite").path
    let instant = Date(milliseconds: 1_700_000_003_000)
    #expect(try await AsOfCopy.build(BookingsProjection(), from: store, into: byTime, asOf: .recordedAt(instant)) == 400)
    let expected = try await store.read(after: 0, category: nil, limit: 1000).prefix(450).filter { $0.type == SyntheticBookings.requested }.count
    let copy = try DatabaseQueue(path: byPosition, configuration: { var c = Configuration(); c.readonly = true; return c }())
    #expect(try await copy.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM bookings_bookings_g1") } == expected)
    let permissions = try FileManager.default.attributesOfItem(atPath: byPosition)[.posixPermissions] as? Int
    #expect(permissions == 0o444)
    await #expect(throws: ProjectionError.self) {
      try await AsOfCopy.build(BookingsProjection(), from: store, into: byPosition, asOf: .position(1))
    }
  }

  @Test("an as-of copy that meets an event it cannot fold names its position and type, and leaves no file")
  func asOfFailure() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 300, seed: 3, to: fixture.store)
    let culprit = try #require(
      try await fixture.store.read(after: 0, category: nil, limit: 1000).first {
        $0.type == SyntheticBookings.requested && String(decoding: $0.data, as: UTF8.self).contains(#""booking":20,"#)
      })
    let path = fixture.folder.appending(path: "copy.sqlite").path
    do {
      try await AsOfCopy.build(BookingsProjection(failingBooking: 20), from: fixture.store, into: path, asOf: .position(300), batchSize: 50)
      Issue.record("the copy folded an event that cannot be folded")
    } catch let error as ProjectionError {
      #expect(
        error == .applyFailed(projection: "bookings", position: culprit.position, type: SyntheticBookings.requested, reason: "booking 20 cannot be folded"))
    }
    #expect(!FileManager.default.fileExists(atPath: path), "a half-built copy is removed")
  }
}

/// Record times one second apart per append.
final class Times: Sendable {
  private let counter = Mutex(Int64(0))
  func next() -> Date {
    Date(milliseconds: 1_700_000_000_000 + counter.withLock { value in
      defer { value += 1000 }
      return value
    })
  }
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
  private let value = Atomic<Bool>(false)
  var isSet: Bool { value.load(ordering: .acquiring) }
  func set() { value.store(true, ordering: .releasing) }
  func clear() { value.store(false, ordering: .releasing) }
}

/// The bookings projection as `fragile`, with a bug that a flag switches on and off: while
/// `broken` is set, bookings from 50,000 on cannot be folded (a release with a bug, then the fix).
struct Mendable: Projection {
  let broken: Flag
  let inner = BookingsProjection(name: "fragile")
  var name: String { inner.name }
  var version: Int { inner.version }
  var eventTypes: Set<String> { inner.eventTypes }
  var tables: [String] { inner.tables }

  struct Bug: Error, CustomStringConvertible {
    let booking: Int
    var description: String { "booking \(booking) hit the bug" }
  }

  func createTables(in db: Database, _ set: TableSet) throws { try inner.createTables(in: db, set) }

  func apply(_ event: RecordedEvent, in db: Database, _ set: TableSet) throws {
    if broken.isSet, event.type == SyntheticBookings.requested,
      let body = try? JSONDecoder().decode(SyntheticBookings.Requested.self, from: event.data), body.booking >= 50_000
    {
      throw Bug(booking: body.booking)
    }
    try inner.apply(event, in: db, set)
  }
}
