import EventLog
import EventLogSQLite
import Foundation
import ProjectionFixtures
import Projections
import TestSupport
import Testing

@Suite("kipctl projections rebuild, as a real process")
struct KipCtlProjectionTests {
  @Test("rebuild in place switches to a new generation with the same checksum as a fresh build")
  func rebuildInPlace() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 3000, seed: 21, to: fixture.store, batch: 500)
    let log = "sqlite://\(fixture.store.configuration.path)"
    let readModel = fixture.folder.appending(path: "kipctl.sqlite").path
    let built = try run(executable("kipctl"), ["projections", "rebuild", "--log", log, "--readmodel", readModel, "--projection", "bookings"])
    #expect(built.status == 0, "\(built.error)")
    #expect(built.output == "bookings v1 rebuilt to position 3000\n")
    let fresh = try fixture.runner([BookingsProjection()], file: "fresh.sqlite")
    try await fresh.catchUp()
    let checksum = try await fresh.checksum("bookings")
    #expect(try run(executable("kipctl"), ["projections", "checksum", "--readmodel", readModel]).output == "bookings \(checksum)\n")

    try await SyntheticBookings.append(count: 100, seed: 22, to: fixture.store, firstBooking: 500_000)
    let again = try run(executable("kipctl"), ["projections", "rebuild", "--log", log, "--readmodel", readModel, "--projection", "bookings"])
    #expect(again.status == 0, "\(again.error)")
    let status = try run(executable("kipctl"), ["projections", "status", "--log", log, "--readmodel", readModel])
    #expect(status.output == "bookings v1 g2 live checkpoint 3100 lag 0\n", "the second rebuild is generation 2, and g1 is gone")
    try await fresh.catchUp()
    #expect(try run(executable("kipctl"), ["projections", "checksum", "--readmodel", readModel]).output == "bookings \(try await fresh.checksum("bookings"))\n")
  }

  @Test("an as-of copy by position and by record time with an offset is a new read-only file")
  func asOfCopies() async throws {
    let fixture = try await Fixture()
    try await SyntheticBookings.append(count: 1000, seed: 23, to: fixture.store, batch: 100)
    let log = "sqlite://\(fixture.store.configuration.path)"
    let events = try await fixture.store.read(after: 0, category: nil, limit: 1000)
    let byPosition = fixture.folder.appending(path: "p.sqlite").path
    let copy = try run(executable("kipctl"), ["projections", "rebuild", "--log", log, "--to-position", "450", "--out", byPosition, "--projection", "bookings"])
    #expect(copy.status == 0, "\(copy.error)")
    #expect(copy.output == "bookings v1 built to position 450 in \(byPosition) (read-only)\n")
    let reference = fixture.folder.appending(path: "reference.sqlite").path
    try await AsOfCopy.build(BookingsProjection(), from: fixture.store, into: reference, asOf: .position(450))
    #expect(try ReadModelFile(path: byPosition).checksums().map(\.checksum) == ReadModelFile(path: reference).checksums().map(\.checksum))

    // The time of event 600, written in Japan time: the copy holds every event recorded up to then.
    let instant = Date(milliseconds: events[599].recordedAtMilliseconds)
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(secondsFromGMT: 9 * 3600)
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    let expected = events.last { $0.recordedAtMilliseconds <= events[599].recordedAtMilliseconds }?.position ?? 0
    let byTime = fixture.folder.appending(path: "t.sqlite").path
    let timed = try run(executable("kipctl"), ["projections", "rebuild", "--log", log, "--as-of", formatter.string(from: instant), "--out", byTime, "--projection", "bookings"])
    #expect(timed.status == 0, "\(timed.error)")
    #expect(timed.output.hasPrefix("bookings v1 built to position \(expected) "), "\(timed.output)")
  }

  @Test("bad options are one clear line and write nothing",
    arguments: [
      (["--to-position", "5"], "give --out FILE"),
      (["--as-of", "2023-03-31 23:59", "--out", "OUT"], "is not a time with an offset"),
      (["--as-of", "2023-03-31T23:59:59+09:00", "--to-position", "3", "--out", "OUT"], "not both"),
      (["--projection", "ledger", "--readmodel", "RM"], "no projection named 'ledger'"),
      ([], "give --service URL, --readmodel FILE"),
    ])
  func badOptions(arguments: [String], message: String) async throws {
    let fixture = try await Fixture()
    let out = fixture.folder.appending(path: "out.sqlite").path
    let readModel = fixture.folder.appending(path: "rm.sqlite").path
    let substituted = arguments.map { $0 == "OUT" ? out : $0 == "RM" ? readModel : $0 }
    let outcome = try run(
      executable("kipctl"), ["projections", "rebuild", "--log", "sqlite://\(fixture.store.configuration.path)"] + substituted)
    #expect(outcome.status == 64)
    #expect(outcome.error.contains(message), "\(outcome.error)")
    #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: readModel))
  }
}
