import ArgumentParser
import Building
import EventLog
import Foundation

struct BuildingCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "building",
    abstract: "The building's catalogue of spaces, fees and rules (publish a new version, show the one in force), and lottery draws run again.",
    subcommands: [PublishCatalogue.self, ShowCatalogue.self, LotteryReplayCommand.self])
}

struct PublishCatalogue: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "publish-catalogue",
    abstract: "Publish the catalogue file (JSON, as Deploy/building/catalogue.json) as the next version, once it keeps every rule.")

  @OptionGroup var logOptions: LogOptions
  @Argument(help: "The catalogue file (JSON).") var file: String
  @Option(help: "What changed, in the manager's words (recorded with the version).") var note = ""
  @Option(help: "Who is publishing (default: $USER).") var `operator`: String?

  func run() async throws {
    try await reportingFailures {
      let catalogue = try CatalogueFile.load(file)
      // Refused before the log is opened (or created); checked again against the version in force.
      do { try CatalogueHistory.validate(catalogue, after: nil) } catch let error as BuildingError {
        throw CatalogueFile.Refusal(description: "\(file): \(error.description)")
      }
      let store = try await logOptions.open(create: true)
      let who = self.operator ?? ProcessInfo.processInfo.environment["USER"] ?? "root"
      let metadata = EventMetadata(actor: "kipctl:\(who)", role: "admin", source: "kipctl")
      let outcome: CatalogueFile.Published
      do {
        outcome = try await CatalogueFile.publish(catalogue, note: note, file: file, to: store, metadata: metadata, at: Date())
      } catch {
        await store.close()
        throw error
      }
      await store.close()
      print(outcome.appended ? "catalogue version \(outcome.version) published" : "catalogue unchanged (version \(outcome.version))")
    }
  }
}

struct ShowCatalogue: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "catalogue", abstract: "Print the catalogue version in force, then its spaces: id, name, capacity, group (tab-separated).")

  @OptionGroup var logOptions: LogOptions

  func run() async throws {
    try await reportingFailures {
      let store = try await logOptions.open()
      let history = try await CatalogueFile.history(in: store).state
      await store.close()
      guard let current = history.current else { fail("no catalogue is published yet: kipctl building publish-catalogue FILE") }
      let (version, catalogue) = current
      print("catalogue version \(version): \(catalogue.spaces.count) spaces, \(catalogue.equipment.count) equipment items")
      for space in catalogue.spaces {
        print([space.id.rawValue, space.name, String(space.capacity), space.group].joined(separator: "\t"))
      }
    }
  }
}

/// The catalogue file the manager edits, and its publication on `catalogue-building`.
enum CatalogueFile {
  /// Why a file could not become a catalogue: one line naming the file and the place in it.
  struct Refusal: Error, CustomStringConvertible {
    var description: String
  }

  /// What a publication did: the version in force afterwards, and whether it was appended now.
  struct Published {
    var version: Int
    var appended: Bool
  }

  /// Reads and decodes the file; a syntax or type error names the field (`spaces[3].fees.weekday.morning`).
  static func load(_ path: String) throws -> Catalogue {
    let data: Data
    do { data = try Data(contentsOf: URL(filePath: path)) } catch {
      throw Refusal(description: "cannot read the catalogue \(path): \((error as NSError).localizedDescription)")
    }
    do {
      return try JSONDecoder().decode(Catalogue.self, from: data)
    } catch let error as DecodingError {
      throw Refusal(description: "\(path): \(describe(error))")
    } catch {
      throw Refusal(description: "\(path): \(error)")
    }
  }

  /// Every version published so far.
  static func history(in store: any EventStore) async throws -> (state: CatalogueHistory.State, version: Int64?) {
    var state = CatalogueHistory.initialState
    var version: Int64?
    for recorded in try await store.readAll(stream: try CatalogueHistory.stream()) {
      state = CatalogueHistory.evolve(state, try CatalogueHistory.codec.decode(recorded))
      version = recorded.version
    }
    return (state, version)
  }

  /// Validates and publishes `catalogue` at the stream's version as read: if another publication
  /// lands in between, the append is refused and nothing is written.
  static func publish(
    _ catalogue: Catalogue, note: String, file: String, to store: any EventStore, metadata: EventMetadata, at: Date
  ) async throws -> Published {
    let stream = try CatalogueHistory.stream()
    let (state, version) = try await history(in: store)
    let events: [CatalogueHistory.Event]
    do { events = try CatalogueHistory.publish(catalogue, note: note, at: at, state) } catch {
      throw Refusal(description: "\(file): \(error.description)")
    }
    let after = events.reduce(state, CatalogueHistory.evolve)
    guard !events.isEmpty else { return Published(version: after.versions.count, appended: false) }
    let bytes = metadata.encoded()
    let proposed = try events.map { try CatalogueHistory.codec.propose($0, metadata: bytes) }
    do {
      _ = try await store.append(Append(proposed, to: stream, expecting: version.map { .exact($0) } ?? .noStream))
    } catch {
      guard case .wrongExpectedVersion(_, _, let actual) = error else { throw error }
      throw Refusal(
        description:
          "another catalogue was published while this one was (\(stream) is at version \(actual.map(String.init) ?? "none") now): nothing was written; look at it with `kipctl building catalogue` and publish again")
    }
    return Published(version: after.versions.count, appended: true)
  }

  /// `spaces[3].fees.weekday.morning: expected a number`, from a decoding error.
  static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      var text = ""
      for key in keys {
        if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
      }
      return text.isEmpty ? "(the top level)" : text
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "\(path(context.codingPath + [key])): missing"
    case .typeMismatch(let type, let context):
      return "\(path(context.codingPath)): expected \(expectation(type))"
    case .valueNotFound(let type, let context):
      return "\(path(context.codingPath)): expected \(expectation(type)), found null"
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty {
        let underlying = (context.underlyingError as NSError?).map { $0.userInfo[NSDebugDescriptionErrorKey] as? String ?? $0.localizedDescription }
        return "not valid JSON: \(underlying ?? context.debugDescription)"
      }
      return "\(path(context.codingPath)): \(context.debugDescription)"
    @unknown default:
      return String(describing: error)
    }
  }

  static func expectation(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type, is Int64.Type: "a whole number"
    case is String.Type: "text"
    case is Bool.Type: "true or false"
    case is [Any].Type: "a list"
    case is [String: Any].Type: "an object"
    default: "\(type)"
    }
  }
}
