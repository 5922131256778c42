import ArgumentParser
import EventLog
import Foundation
import KIPClient
import Projections

struct ProjectionsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "projections", abstract: "Read models: status, rebuilds, as-of copies and checksums of a read-model file.",
    subcommands: [ProjectionStatusCommand.self, ProjectionRebuildCommand.self, ProjectionChecksumCommand.self])
}

/// Where the projections are: a running service (through its admin API) or a read-model file.
struct ReadModelOption: ParsableArguments {
  @Option(help: "The read-model database file (e.g. var/kip-building.readmodel.sqlite), when no service runs.")
  var readmodel: String?
  @Option(help: "A running service's address (e.g. http://127.0.0.1:8081): ask it through its admin API.")
  var service: String?
  @Option(help: "An admin's API token for --service (default: $KIP_TOKEN).") var token: String?

  func validate() throws {
    switch (readmodel, service) {
    case (nil, nil): throw ValidationError("give --service URL (a running service) or --readmodel FILE")
    case (.some, .some): throw ValidationError("give --service or --readmodel, not both")
    case (nil, .some(let service)):
      guard let url = URL(string: service), url.scheme == "http" || url.scheme == "https", url.host != nil else {
        throw ValidationError("--service '\(service)' is not an http:// or https:// address")
      }
    default: break
    }
  }

  /// The client for `--service`, or nil for a file.
  var client: KIPClient? {
    guard let service, let url = URL(string: service) else { return nil }
    return KIPClient(baseURL: url, token: token ?? ProcessInfo.processInfo.environment["KIP_TOKEN"])
  }
}

extension ProjectionStatus {
  /// One line of `kipctl projections status --service`.
  var line: String {
    "\(name) v\(version) \(ready ? "live" : "building") checkpoint \(position) lag \(lag)"
      + (rebuildPosition.map { " rebuilding at \($0)" } ?? "") + (error.map { " error: \($0)" } ?? "")
  }
}

struct ProjectionStatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Name, version, checkpoint, lag behind the log's head, rebuilds in progress, and the event a projection stopped on.")

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var readModel: ReadModelOption
  @Flag(help: "One JSON object per generation.") var json = false

  func run() async throws {
    try await reportingFailures {
      if let client = readModel.client {
        for status in try await client.projections() {
          print(json ? try jsonLine(status) : status.line)
        }
        return
      }
      let file = try ReadModelFile(path: readModel.readmodel ?? "")
      let store = try await logOptions.open()
      let head = try await store.head().position
      await store.close()
      for generation in try file.generations() {
        if json {
          print(try jsonLine(ProjectionStatusLine(generation: generation, head: head)))
        } else {
          print(
            "\(generation.projection) v\(generation.version) g\(generation.generation) \(generation.state) "
              + "checkpoint \(generation.position) lag \(head - generation.position)" + generation.failureText)
        }
      }
    }
  }
}

struct ProjectionStatusLine: Encodable {
  var projection: String
  var version: Int
  var generation: Int64
  var state: String
  var checkpoint: Int64
  var head: Int64
  var lag: Int64
  /// The event the generation stopped on, when it did (absent otherwise).
  var failedPosition: Int64?
  var failedType: String?
  var failedReason: String?

  init(generation: ReadModelFile.Generation, head: Int64) {
    projection = generation.projection
    version = generation.version
    self.generation = generation.generation
    state = generation.state
    checkpoint = generation.position
    self.head = head
    lag = head - generation.position
    failedPosition = generation.failedPosition
    failedType = generation.failedType
    failedReason = generation.failedReason
  }
}

extension ReadModelFile.Generation {
  /// ` failed at position N (TYPE): REASON` for a generation that stopped on an event, else nothing.
  var failureText: String {
    guard let failedPosition else { return "" }
    return " failed at position \(failedPosition) (\(failedType ?? "?")): \(failedReason ?? "")"
  }
}

struct ProjectionChecksumCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "checksum", abstract: "NAME SHA256 of each live projection, over its rows in primary-key order.")

  @OptionGroup var readModel: ReadModelOption

  func run() async throws {
    try await reportingFailures {
      if let client = readModel.client {
        for status in try await client.projections() {
          print("\(status.name) \(try await client.checksum(status.name))")
        }
        return
      }
      for (projection, checksum) in try ReadModelFile(path: readModel.readmodel ?? "").checksums() {
        print("\(projection) \(checksum)")
      }
    }
  }
}

func jsonLine(_ value: some Encodable) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  return String(decoding: try encoder.encode(value), as: UTF8.self)
}
