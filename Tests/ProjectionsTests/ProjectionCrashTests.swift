import EventLog
import EventLogSQLite
import Foundation
import GRDB
import ProjectionFixtures
import Projections
import TestSupport
import Testing

@Suite("Projections: crash safety", .serialized)
struct ProjectionCrashTests {
  @Test("a worker killed with SIGKILL mid-batch resumes from its checkpoint with an exact result")
  func sigkillAndResume() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 30_000, seed: 11, to: fixture.store, batch: 1000)
    let head = try await fixture.store.head().position
    let readModel = fixture.folder.appending(path: "worker.sqlite").path
    let worker = ChildProcess()
    worker.executableURL = executable("projection-worker")
    worker.arguments = [fixture.store.configuration.path, readModel, "7"]
    worker.environment = ProcessInfo.processInfo.environment.merging(["KIP_WORKER_PACE_MS": "3"]) { $1 }
    let exit = try ChildExit.start(worker)
    // Watch the checkpoint from outside; kill once it is well under way and not finished.
    var seen: Int64 = 0
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline, !exit.hasEnded {
      if FileManager.default.fileExists(atPath: readModel),
        let queue = try? DatabaseQueue(path: readModel, configuration: { var c = Configuration(); c.readonly = true; return c }()),
        let position = try? await queue.read({ db in try Int64.fetchOne(db, sql: "SELECT max(position) FROM projection_generations") })
      {
        seen = position
        try? queue.close()
        if seen > 2_000 { break }
      }
      try await Task.sleep(for: .milliseconds(5))
    }
    kill(worker.processIdentifier, SIGKILL)
    await exit.wait()
    #expect(exit.wasSignalled, "the worker finished before it could be killed")
    #expect(seen > 0 && seen < head, "killed at checkpoint \(seen) of \(head)")
    let resumed = try await runOffThePool(executable("projection-worker"), [fixture.store.configuration.path, readModel, "500"])
    #expect(resumed.status == 0, "\(resumed.error)")
    let afterCrash = try fixture.runner([BookingsProjection()], file: "worker.sqlite")
    let fresh = try fixture.runner([BookingsProjection()], file: "fresh.sqlite")
    try await fresh.catchUp()
    #expect(try await afterCrash.status()[0].position == head)
    // Applying an event twice would double a room's seats; skipping one would lose a booking.
    #expect(try await afterCrash.checksum("bookings") == fresh.checksum("bookings"))
    // kipctl reads the same status and checksum from the file alone, without the projection's code.
    let checksum = try await fresh.checksum("bookings")
    let fromFile = try run(executable("kipctl"), ["projections", "checksum", "--readmodel", readModel])
    #expect(fromFile.output == "bookings \(checksum)\n", "\(fromFile.error)")
    let status = try run(executable("kipctl"), ["projections", "status", "--readmodel", readModel, "--log", "sqlite://\(fixture.store.configuration.path)"])
    #expect(status.output == "bookings v1 g1 live checkpoint \(head) lag 0\n", "\(status.error)")
    let missing = try run(executable("kipctl"), ["projections", "checksum", "--readmodel", fixture.folder.appending(path: "none.sqlite").path])
    #expect(missing.status == 1 && missing.error.contains("does not exist"))
  }

  @Test("a worker killed with SIGKILL mid-rebuild leaves the live generation intact and readable; a restart resumes and switches")
  func sigkillMidRebuild() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 30_000, seed: 15, to: fixture.store, batch: 1000)
    let head = try await fixture.store.head().position
    let readModel = fixture.folder.appending(path: "worker.sqlite").path
    let worker = ChildProcess()
    worker.executableURL = executable("projection-worker")
    worker.arguments = [fixture.store.configuration.path, readModel, "7", "rebuild"]
    worker.environment = ProcessInfo.processInfo.environment.merging(["KIP_WORKER_PACE_MS": "3"]) { $1 }
    worker.standardOutput = FileHandle.nullDevice
    let exit = try ChildExit.start(worker)
    // Generation 1 goes live first; kill once generation 2 is well under way beside it.
    var rebuilt: Int64 = 0
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline, !exit.hasEnded {
      if FileManager.default.fileExists(atPath: readModel),
        let queue = try? DatabaseQueue(path: readModel, configuration: { var c = Configuration(); c.readonly = true; return c }()),
        let position = try? await queue.read({ db in
          try Int64.fetchOne(db, sql: "SELECT position FROM projection_generations WHERE generation = 2 AND state = 'building'")
        })
      {
        rebuilt = position
        try? queue.close()
        if rebuilt > 2_000 { break }
      }
      try await Task.sleep(for: .milliseconds(5))
    }
    kill(worker.processIdentifier, SIGKILL)
    await exit.wait()
    #expect(exit.wasSignalled, "the worker finished before it could be killed")
    #expect(rebuilt > 0 && rebuilt < head, "killed at rebuild checkpoint \(rebuilt) of \(head)")

    // The live set is intact: still generation 1 at the head, readable, with the rows of a fresh build.
    let fresh = try fixture.runner([BookingsProjection()], file: "fresh.sqlite")
    try await fresh.catchUp()
    let freshChecksum = try await fresh.checksum("bookings")
    let afterKill = try fixture.runner([BookingsProjection()], file: "worker.sqlite")
    #expect(try await afterKill.checksum("bookings") == freshChecksum)
    #expect(try await count(afterKill) == count(fresh))
    let status = try #require(try await afterKill.status().first)
    #expect(status.ready && status.position == head && status.rebuildPosition.map { $0 > 0 && $0 < head } == true, "\(status)")
    let killed = try ReadModelFile(path: readModel)
    #expect(try killed.generations().map { "\($0.generation) \($0.state)" } == ["1 live", "2 building"])
    let interrupted = try killed.generations().last?.position ?? -1
    #expect(try killed.checksums().map(\.checksum) == [freshChecksum])

    // The log grows meanwhile; a restart resumes generation 2 (no third is started) and switches to it.
    try await SyntheticBookings.append(count: 500, seed: 16, to: fixture.store, firstBooking: 700_000)
    let grown = try await fixture.store.head().position
    let resumed = try await runOffThePool(executable("projection-worker"), [fixture.store.configuration.path, readModel, "500"])
    #expect(resumed.status == 0, "\(resumed.error)")
    let first = resumed.output.firstMatch(of: /first checkpoint (\d+)/).flatMap { Int64($0.1) } ?? 0
    #expect(first == interrupted + 500, "the restart went on from the killed build's checkpoint \(interrupted): \(resumed.output)")
    let switched = try ReadModelFile(path: readModel).generations()
    #expect(switched.map { "\($0.generation) \($0.state) \($0.position)" } == ["2 live \(grown)"])
    try await fresh.catchUp()
    #expect(try ReadModelFile(path: readModel).checksums().map(\.checksum) == [try await fresh.checksum("bookings")])
  }
}
