import EventLog
import Foundation
import Hummingbird
import HummingbirdTesting
import ProjectionFixtures
import Projections
import ServiceKit
import SharedKernel
import TestSupport
import Testing

/// Waits for a condition with a deadline instead of sleeping a fixed time.
func eventually(_ what: String, seconds: Double = 120, _ condition: () async throws -> Bool) async throws {
  let deadline = ContinuousClock.now + .seconds(seconds)
  while ContinuousClock.now < deadline {
    if try await condition() { return }
    try await Task.sleep(for: .milliseconds(20))
  }
  Issue.record("timed out waiting for: \(what)")
}

@Suite("ServiceKit: the projections' admin API and read-your-writes over HTTP")
struct ProjectionAdminTests {
  @Test("POST /admin/projections/{name}/rebuild builds beside the live generation and switches; GET …/checksum equals a fresh build")
  func rebuildAndChecksum() async throws {
    let folder = temporaryFolder()
    let app = try await sampleApplication(folder: folder)
    try await SyntheticBookings.append(count: 2000, seed: 41, to: app.store, batch: 500)
    let runner = try #require(app.projections)
    let following = Task { await runner.run() }
    defer { following.cancel() }
    #expect(try await runner.waitUntil("bookings", reached: 2000, timeout: .seconds(120)))
    try await Application(router: app.makeRouter()).test(.router) { client in
      let started = try await client.execute(uri: "/admin/projections/bookings/rebuild", method: .post, headers: headers(role: .admin))
      #expect(started.status == .accepted, "\(String(buffer: started.body))")
      let accepted = try JSONDecoder().decode(ProjectionStatus.self, from: Data(buffer: started.body))
      #expect(accepted.name == "bookings" && accepted.ready && accepted.rebuildPosition != nil, "the live one answers while the new one builds")
      try await eventually("the rebuild switches") {
        let listed = try await client.execute(uri: "/admin/projections", method: .get, headers: headers(role: .admin))
        let statuses = try JSONDecoder().decode([ProjectionStatus].self, from: Data(buffer: listed.body))
        return statuses.first?.rebuildPosition == nil && statuses.first?.position == 2000
      }
      let generations = try await runner.database.read { db in try Int64.fetchAll(db, sql: "SELECT generation FROM projection_generations") }
      #expect(generations == [2], "generation 2 is live and generation 1 is gone")

      let fresh = try ProjectionRunner(
        path: folder.appending(path: "fresh.sqlite").path, store: app.store, projections: [BookingsProjection()])
      try await fresh.catchUp()
      let expected = try await fresh.checksum("bookings")
      for role in [Role.admin, .auditor] {
        let answer = try await client.execute(uri: "/admin/projections/bookings/checksum", method: .get, headers: headers(role: role))
        #expect(answer.status == .ok)
        #expect(String(buffer: answer.body) == #"{"checksum":"\#(expected)","projection":"bookings"}"#)
      }
      let unknown = try await client.execute(uri: "/admin/projections/ledger/checksum", method: .get, headers: headers(role: .admin))
      #expect(try unknown.status == .notFound && problem(unknown).type == "urn:kip:problem:not-found")
      let refused = try await client.execute(uri: "/admin/projections/bookings/rebuild", method: .post, headers: headers(role: .auditor))
      #expect(refused.status == .forbidden)
    }
  }

  @Test("a read with X-KIP-Min-Position the read model has not reached waits only its bound, then answers 503 with Retry-After; beyond the head it is 422 at once")
  func readYourWritesBound() async throws {
    let app = try await sampleApplication(readYourWritesTimeout: .milliseconds(300))
    try await SyntheticBookings.append(count: 100, seed: 42, to: app.store)
    let runner = try #require(app.projections)
    try await Application(router: app.makeRouter()).test(.router) { client in
      let head = try await app.store.head().position
      // Nothing follows the log yet: the read model stays behind the head.
      let started = ContinuousClock.now
      let waited = try await client.execute(uri: "/bookings/count", method: .get, headers: headers(role: .desk, [.kipMinPosition: String(head)]))
      let elapsed = ContinuousClock.now - started
      #expect(waited.status == .serviceUnavailable)
      #expect(waited.headers[.retryAfter] == "1")
      let body = try problem(waited)
      #expect(body.type == "urn:kip:problem:not-ready" && body.field == "X-KIP-Min-Position", "\(body)")
      #expect(body.detail.contains("has not reached position \(head)"), "\(body.detail)")
      // It waited for its bound (no upper bound is asserted: a loaded machine may take longer).
      #expect(elapsed >= .milliseconds(300), "waited \(elapsed)")
      // A position no write has answered with yet is the client's mistake, told at once.
      let beyond = try await client.execute(uri: "/bookings/count", method: .get, headers: headers(role: .desk, [.kipMinPosition: String(head + 50)]))
      #expect(beyond.status == .unprocessableContent)
      #expect(try problem(beyond).detail.contains("beyond the log's head \(head)"))
      let following = Task { await runner.run() }
      defer { following.cancel() }
      #expect(try await runner.waitUntil("bookings", reached: head, timeout: .seconds(120)))
      let reached = try await client.execute(uri: "/bookings/count", method: .get, headers: headers(role: .desk, [.kipMinPosition: String(head)]))
      #expect(reached.status == .ok)
    }
  }
}
