import ArgumentParser
import EventLog
import Foundation
import Projections

struct ProjectionsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "projections", abstract: "Read models: status, rebuilds, as-of copies and checksums of a read-model file.",
    subcommands: [ProjectionStatusCommand.self, ProjectionRebuildCommand.self, ProjectionChecksumCommand.self])
}

struct ReadModelOption: ParsableArguments {
  @Option(help: "The read-model database file (e.g. var/kip-building.readmodel.sqlite).") var readmodel: String
}

struct ProjectionStatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "Name, version, checkpoint, lag behind the log's head, and rebuilds in progress.")

  @OptionGroup var logOptions: LogOptions
  @OptionGroup var readModel: ReadModelOption
  @Flag(help: "One JSON object per generation.") var json = false

  func run() async throws {
    try await reportingFailures {
      let file = try ReadModelFile(path: readModel.readmodel)
      let store = try await logOptions.open()
      let head = try await store.head().position
      await store.close()
      for generation in try file.generations() {
        if json {
          let line = ProjectionStatusLine(generation: generation, head: head)
          let encoder = JSONEncoder()
          encoder.outputFormatting = [.sortedKeys]
          print(String(decoding: try encoder.encode(line), as: UTF8.self))
        } else {
          print(
            "\(generation.projection) v\(generation.version) g\(generation.generation) \(generation.state) "
              + "checkpoint \(generation.position) lag \(head - generation.position)")
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

  init(generation: ReadModelFile.Generation, head: Int64) {
    projection = generation.projection
    version = generation.version
    self.generation = generation.generation
    state = generation.state
    checkpoint = generation.position
    self.head = head
    lag = head - generation.position
  }
}

struct ProjectionChecksumCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "checksum", abstract: "NAME SHA256 of each live projection, over its rows in primary-key order.")

  @OptionGroup var readModel: ReadModelOption

  func run() async throws {
    try await reportingFailures {
      for (projection, checksum) in try ReadModelFile(path: readModel.readmodel).checksums() {
        print("\(projection) \(checksum)")
      }
    }
  }
}
