import BuildingReadModels
import ArgumentParser
import EventLog
import Foundation
import KIPClient
import ProjectionFixtures
import Projections
import SuccessionReadModels

/// The projections kipctl can build into a file without a service: the services' own and the sample.
/// The succession projection opens the cases' personal data with the key store.
func knownProjections(vault: any PersonalDataVault) -> [any Projection] {
  [BuildingProjection(), LettingProjection(), SuccessionProjection(vault: vault), BookingsProjection()]
}

/// Their names, for help and validation.
let knownProjectionNames = ["building", "letting", "succession", "bookings"]

struct ProjectionRebuildCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rebuild",
    abstract: "Rebuild projections from the log into a read-model file, or build an as-of copy into a new file.",
    discussion: """
      Without --out, a new generation of each projection's tables is built beside the live one in \
      --readmodel and the file switches to it in one transaction once it has caught up (readers of \
      the file keep seeing the old tables until then). With --out, the projection is built into a \
      new read-only file that stops at --as-of (a record time with its offset, e.g. \
      2023-03-31T23:59:59+09:00) or --to-position, for audits.
      """)

  @OptionGroup var logOptions: LogOptions
  @Option(help: "The read-model database file to rebuild in place (created when missing), when no service runs.")
  var readmodel: String?
  @Option(help: "A running service's address (e.g. http://127.0.0.1:8081): it rebuilds beside its live tables.")
  var service: String?
  @Option(help: "An admin's API token for --service (default: $KIP_TOKEN).") var token: String?
  @Option(help: "Only this projection (default: every one). Known: \(knownProjectionNames.joined(separator: ", ")).")
  var projection: String?
  @Option(help: "Stop at this record time, ISO 8601 with offset (e.g. 2023-03-31T23:59:59+09:00); needs --out.") var asOf: String?
  @Option(help: "Stop at this position (inclusive); needs --out.") var toPosition: Int64?
  @Option(help: "Build into this new file (must not exist), left read-only.") var out: String?

  func validate() throws {
    if let projection, !knownProjectionNames.contains(projection) {
      throw ValidationError("no projection named '\(projection)'; known: \(knownProjectionNames.joined(separator: ", "))")
    }
    if asOf != nil && toPosition != nil { throw ValidationError("give --as-of or --to-position, not both") }
    if let asOf, recordTime(asOf) == nil {
      throw ValidationError("--as-of '\(asOf)' is not a time with an offset, e.g. 2023-03-31T23:59:59+09:00")
    }
    if let toPosition, toPosition < 0 { throw ValidationError("--to-position must be 0 or more") }
    if let service {
      guard readmodel == nil, out == nil else { throw ValidationError("--service rebuilds in the running service: no --readmodel or --out") }
      guard URL(string: service)?.host != nil else { throw ValidationError("--service '\(service)' is not an http:// or https:// address") }
      if asOf != nil || toPosition != nil { throw ValidationError("--as-of and --to-position build a copy: give --out FILE") }
    } else if out == nil {
      if asOf != nil || toPosition != nil { throw ValidationError("--as-of and --to-position build a copy: give --out FILE") }
      if readmodel == nil { throw ValidationError("give --service URL, --readmodel FILE to rebuild in place, or --out FILE for a copy") }
    } else {
      if readmodel != nil { throw ValidationError("give --readmodel or --out, not both") }
      if projection == nil && knownProjectionNames.count > 1 { throw ValidationError("an --out copy holds one projection: give --projection") }
      if let out, FileManager.default.fileExists(atPath: out) { throw ValidationError("\(out) exists already; --out writes a new file") }
    }
  }

  func run() async throws {
    try await reportingFailures {
      if let service, let url = URL(string: service) {
        try await rebuildInService(KIPClient(baseURL: url, token: token ?? ProcessInfo.processInfo.environment["KIP_TOKEN"]))
        return
      }
      let store = try await logOptions.open()
      let head = try await store.head().position
      let knownProjections = knownProjections(vault: try logOptions.personalDataVault())
      if let out {
        let chosen = knownProjections.first { $0.name == projection } ?? knownProjections[0]
        let stop: AsOf =
          if let asOf, let time = recordTime(asOf) { .recordedAt(time) } else { .position(toPosition ?? head) }
        var progress = Progress("rebuild \(chosen.name)", total: toPosition.map { Swift.min($0, head) } ?? head)
        let last = try await AsOfCopy.build(chosen, from: store, into: out, asOf: stop) { progress.advance(by: $0) }
        progress.finish()
        print("\(chosen.name) v\(chosen.version) built to position \(last) in \(out) (read-only)")
      } else if let readmodel {
        let chosen = projection.map { name in knownProjections.filter { $0.name == name } } ?? knownProjections
        let runner = try ProjectionRunner(path: readmodel, store: store, projections: chosen, batchSize: 5000, secureDelete: true)
        for projection in chosen {
          try await runner.rebuild(projection.name)
          var progress = Progress("rebuild \(projection.name)", total: head)
          var reached: Int64 = 0
          try await runner.catchUp(projection.name) { _, position, _ in
            progress.advance(by: Int(position - reached))
            reached = position
          }
          progress.finish()
        }
        for status in try await runner.status() {
          print("\(status.name) v\(status.version) rebuilt to position \(status.position)")
        }
      }
      await store.close()
    }
  }
}

extension ProjectionRebuildCommand {
  /// Asks the service to rebuild, then follows its progress until the new generation is live.
  func rebuildInService(_ client: KIPClient) async throws {
    var names = projection.map { [$0] } ?? []
    if names.isEmpty { names = try await client.projections().map(\.name) }
    for name in names {
      var status = try await client.rebuild(name)
      var progress = Progress("rebuild \(name)", total: status.head)
      var reached: Int64 = 0
      while let position = status.rebuildPosition {
        progress.advance(by: Int(position - reached))
        reached = position
        try await Task.sleep(for: .milliseconds(200))
        guard let next = try await client.projections().first(where: { $0.name == name }) else { break }
        if let error = next.error { throw ValidationError("projection \(name) stopped: \(error)") }
        status = next
      }
      progress.finish()
      print("\(name) v\(status.version) rebuilt to position \(status.position)")
    }
  }
}

/// An ISO 8601 time with an offset (`2023-03-31T23:59:59+09:00`, fractions allowed).
func recordTime(_ text: String) -> Date? {
  let formatter = ISO8601DateFormatter()
  formatter.formatOptions = [.withInternetDateTime]
  if let date = formatter.date(from: text) { return date }
  formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
  return formatter.date(from: text)
}
