import ArgumentParser
import EventLog
import Foundation

struct EventsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "events", abstract: "Read and append events.",
    subcommands: [ReadEvents.self, TailEvents.self, EventStats.self, AppendEvent.self])
}

/// Event types owned by a context: only the context's own rules may write them.
let contextOwnedPrefixes = ["Building.", "Succession.", "Deposits.", "DepositLedger.", "Users.", "Accounts.", "Audit."]

struct AppendEvent: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "append",
    abstract: "Append one event (an operator's repair tool; it bypasses the services' rules).")

  @OptionGroup var logOptions: LogOptions
  @Option(help: "The stream, category-id.") var stream: String
  @Option(help: "The event type, e.g. Ops.Note.") var type: String
  @Option(help: "The event data as JSON; stored byte for byte.") var data: String
  // `.unconditional`: `--expected-version -1` is a value here, not another option.
  @Option(parsing: .unconditional, help: "Append only if the stream is at this version (-1: the stream must not exist).")
  var expectedVersion: Int64?
  @Option(help: "Schema version of the data (1 or more).") var schemaVersion = 1
  @Option(help: "Who is appending (default: $USER).") var `operator`: String?
  @Flag(help: "Allow a type that a context owns (Building.*, Succession.*, …).") var force = false

  func validate() throws {
    do { _ = try StreamName(stream) } catch { throw ValidationError(error.description) }
    guard !type.isEmpty else { throw ValidationError("--type is empty") }
    if let expectedVersion, expectedVersion < -1 {
      throw ValidationError("--expected-version \(expectedVersion) is no version: give 0 or more, or -1 for a stream that must not exist")
    }
    guard schemaVersion >= 1 else { throw ValidationError("--schema-version \(schemaVersion) is no schema version: give 1 or more") }
    guard (try? JSONSerialization.jsonObject(with: Data(data.utf8), options: [.fragmentsAllowed])) != nil else {
      throw ValidationError("--data is not valid JSON: \(data.prefix(60))")
    }
    if !force, let owner = contextOwnedPrefixes.first(where: { type.hasPrefix($0) }) {
      throw ValidationError("type \(type) is owned by the \(owner.dropLast()) context; its rules are bypassed here, so add --force if you mean it")
    }
  }

  func run() async throws {
    try await reportingFailures {
      let store = try await logOptions.open(create: true)
      let who = self.operator ?? ProcessInfo.processInfo.environment["USER"] ?? "root"
      let metadata = EventMetadata(actor: "kipctl:\(who)", role: "admin", source: "kipctl").encoded()
      let expected: ExpectedVersion =
        switch expectedVersion {
        case nil: .any
        case .some(-1): .noStream
        case .some(let version): .exact(version)
        }
      let event = ProposedEvent(type: type, schemaVersion: schemaVersion, data: Data(data.utf8), metadata: metadata)
      let result = try await store.append(Append([event], to: try StreamName(stream), expecting: expected))
      await store.close()
      print("appended position \(result.positions[0]) version \(result.version(of: try StreamName(stream)) ?? 0)")
    }
  }
}

struct ReadEvents: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "read", abstract: "Print events in position order.",
    discussion: """
      --from is always a global position, and inclusive: --from 5 prints event 5 and later ones, \
      also with --stream or --category (then only that stream's or category's events at position \
      5 or later). To page through the log, pass the last position printed plus one.
      """)

  @OptionGroup var logOptions: LogOptions
  @Option(help: "Only this stream.") var stream: String?
  @Option(help: "Only this category.") var category: String?
  @Option(help: "Start at this position (inclusive; a global position also with --stream or --category).") var from: Int64 = 1
  @Option(help: "At most this many events.") var limit: Int = 100
  @Flag(help: "One JSON object per line with every recorded field.") var json = false

  func validate() throws {
    if stream != nil && category != nil { throw ValidationError("give --stream or --category, not both") }
    if let stream { do { _ = try StreamName(stream) } catch { throw ValidationError(error.description) } }
    if let category { do { try validateCategory(category) } catch { throw ValidationError(error.description) } }
    guard limit > 0 else { throw ValidationError("--limit must be positive") }
    guard from >= 0 else { throw ValidationError("--from is a position (1, 2, 3…), not \(from)") }
  }

  func run() async throws {
    try await reportingFailures {
      let store = try await logOptions.open()
      defer { Task { await store.close() } }
      var remaining = limit
      // Positions start at 1; --from 0 reads from the start too.
      var after = Swift.max(from, 1) - 1
      var nextVersion: Int64 = 0
      while remaining > 0 {
        let page: [RecordedEvent]
        let wanted: [RecordedEvent]
        let size = Swift.min(remaining, 1000)
        if let stream {
          // A stream is read by version; events before --from are skipped.
          page = try await store.read(stream: try StreamName(stream), from: nextVersion, direction: .forwards, limit: size)
          nextVersion = (page.last?.version ?? nextVersion) + 1
          wanted = page.filter { $0.position > after }
        } else {
          page = try await store.read(after: after, category: category, limit: size)
          after = page.last?.position ?? after
          wanted = page
        }
        for event in wanted.prefix(remaining) { print(json ? ExportLine(event).jsonLine() : event.summaryLine) }
        remaining -= wanted.count
        if page.count < size { break }
      }
    }
  }
}

extension RecordedEvent {
  /// `position stream@version type recordedAt data`, for people.
  var summaryLine: String {
    let time = ISO8601DateFormatter.withMilliseconds.string(from: recordedAt)
    return "\(position) \(stream)@\(version) \(type) \(time) \(String(decoding: data.prefix(200), as: UTF8.self))"
  }
}

extension ISO8601DateFormatter {
  nonisolated(unsafe) static let withMilliseconds: ISO8601DateFormatter = {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter
  }()
}

struct TailEvents: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tail", abstract: "Follow new events live, also those other processes append (Ctrl-C stops).")

  @OptionGroup var logOptions: LogOptions
  @Option(help: "Only this category.") var category: String?
  @Option(help: "Start at this position (inclusive, as for events read; default: only events appended from now on).")
  var from: Int64?
  @Flag(help: "One JSON object per line.") var json = false

  func validate() throws {
    if let category { do { try validateCategory(category) } catch { throw ValidationError(error.description) } }
    if let from, from < 0 { throw ValidationError("--from is a position (1, 2, 3…), not \(from)") }
  }

  func run() async throws {
    try await reportingFailures {
      let store = try await logOptions.open()
      let start: Int64
      if let from { start = Swift.max(from, 1) - 1 } else { start = try await store.head().position }
      for try await event in store.subscribe(after: start, category: category) {
        FileHandle.standardOutput.write(Data(((json ? ExportLine(event).jsonLine() : event.summaryLine) + "\n").utf8))
      }
    }
  }
}

struct EventStats: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats", abstract: "Count events, streams, categories and types.")

  @OptionGroup var logOptions: LogOptions

  func run() async throws {
    try await reportingFailures {
      let store = try await logOptions.open()
      let head = try await store.head()
      var progress = Progress("stats", total: head.position)
      var categories: [String: Int] = [:]
      var types: [String: Int] = [:]
      var streams = Set<String>()
      var first: Date?
      var last: Date?
      var bytes = 0
      var after: Int64 = 0
      while after < head.position {
        let page = try await store.read(after: after, category: nil, limit: 5000)
        guard let end = page.last else { break }
        for event in page {
          categories[event.stream.category, default: 0] += 1
          types[event.type, default: 0] += 1
          streams.insert(event.stream.rawValue)
          bytes += event.data.count + event.metadata.count
          first = first ?? event.recordedAt
          last = event.recordedAt
        }
        progress.advance(by: page.count)
        after = end.position
      }
      progress.finish()
      await store.close()
      print("events \(head.position)")
      print("sealed-through \(head.sealedThrough)")
      print("streams \(streams.count)")
      print("payload-bytes \(bytes)")
      if let first, let last {
        print("first-recorded \(ISO8601DateFormatter.withMilliseconds.string(from: first))")
        print("last-recorded \(ISO8601DateFormatter.withMilliseconds.string(from: last))")
      }
      for (category, count) in categories.sorted(by: { $0.key < $1.key }) { print("category \(category) \(count)") }
      for (type, count) in types.sorted(by: { $0.key < $1.key }) { print("type \(type) \(count)") }
    }
  }
}
