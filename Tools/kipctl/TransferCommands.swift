import ArgumentParser
import EventLog
import EventLogSQLite
import Foundation

struct ExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write every event as JSON Lines: every recorded field, stored bytes exact (base64).")

  @OptionGroup var logOptions: LogOptions
  @Argument(help: "The file to write (must not exist), or - for standard output.") var file: String

  func validate() throws {
    if file != "-" && FileManager.default.fileExists(atPath: file) {
      throw ValidationError("\(file) exists already; export writes a new file")
    }
  }

  func run() async throws {
    try await reportingFailures {
      let store = try await logOptions.open()
      let head = try await store.head()
      let output: FileHandle
      if file == "-" {
        output = FileHandle.standardOutput
      } else {
        guard FileManager.default.createFile(atPath: file, contents: nil), let handle = FileHandle(forWritingAtPath: file) else {
          throw ValidationError("cannot create \(file)")
        }
        output = handle
      }
      var progress = Progress("export", total: head.position)
      var after: Int64 = 0
      while after < head.position {
        let page = try await store.read(after: after, category: nil, limit: 5000)
        guard let last = page.last else { break }
        var chunk = Data()
        for event in page where event.position <= head.position {
          chunk.append(contentsOf: ExportLine(event).jsonLine().utf8)
          chunk.append(UInt8(ascii: "\n"))
        }
        try output.write(contentsOf: chunk)
        progress.advance(by: page.count)
        after = last.position
      }
      progress.finish()
      if file != "-" { try output.close() }
      await store.close()
      if file != "-" { print("exported \(head.position) events to \(file)") }
    }
  }
}

struct ImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Record the events of an export file exactly; refused unless they continue the log's chain.",
    discussion: """
      The whole file is checked first, in one pass that never holds it in memory: every line \
      parses, positions follow the log's head, each stream's versions follow on, record times \
      never go backwards, event ids are not repeated, and the hash chain continues from the \
      log's head. Only then is the log opened (or created) and written, so a bad file changes \
      nothing and creates no file.
      """)

  @OptionGroup var logOptions: LogOptions
  @Argument(help: "A file written by kipctl export.") var file: String

  /// Events per write transaction.
  static let batchSize = 5000

  func run() async throws {
    try await reportingFailures {
      guard let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int64,
        FileHandle(forReadingAtPath: file) != nil
      else { throw ValidationError("cannot read \(file)") }

      // 1. Check the whole file against the log as it is, without creating it. (A PostgreSQL
      // database gets the log's empty tables when opened, as for every command.)
      let location = try LogLocation(parsing: logOptions.locationText)
      let existing: (any EventStore)?
      if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
        existing = nil
      } else {
        existing = try await logOptions.open()
      }
      var check = try await ImportCheck(continuing: existing)
      var progress = Progress("import check", total: size, unit: .bytes)
      do {
        try await forEachEvent { event, consumed in
          try await check.check(event)
          progress.advance(to: consumed)
        }
      } catch {
        await existing?.close()
        throw error
      }
      progress.advance(to: size)
      progress.finish()
      await existing?.close()

      // 2. Write it, in batches, to a log that the whole file is known to continue.
      let store = try await logOptions.open(create: true)
      progress = Progress("import write", total: size, unit: .bytes)
      var imported: Int64 = 0
      var batch: [RecordedEvent] = []
      do {
        try await forEachEvent { event, consumed in
          batch.append(event)
          if batch.count == Self.batchSize {
            try await store.importRecorded(batch)
            imported += Int64(batch.count)
            progress.advance(to: consumed)
            batch = []
          }
        }
        if !batch.isEmpty {
          try await store.importRecorded(batch)
          imported += Int64(batch.count)
        }
        progress.advance(to: size)
      } catch {
        // Only a change made meanwhile (another writer, the file edited, a full disk) gets here.
        await store.close()
        throw error
      }
      progress.finish()
      let head = try await store.head()
      await store.close()
      print("imported \(imported) events; head \(PublishedHead(position: head.position, hash: head.hash).line)")
    }
  }

  /// Reads the file's events in order, with how many of its bytes are read so far.
  func forEachEvent(_ body: (RecordedEvent, Int64) async throws -> Void) async throws {
    guard let input = FileHandle(forReadingAtPath: file) else { throw ValidationError("cannot read \(file)") }
    defer { try? input.close() }
    var lines = LineReader(handle: input).makeAsyncIterator()
    var lineNumber = 0
    let decoder = JSONDecoder()
    while let line = try await lines.next() {
      lineNumber += 1
      guard !line.isEmpty else { continue }
      let event: RecordedEvent
      do {
        event = try decoder.decode(ExportLine.self, from: line).recordedEvent()
      } catch {
        throw ValidationError("\(file) line \(lineNumber) is not an exported event: \(describe(error))")
      }
      try await body(event, lines.consumed)
    }
  }
}

/// What an import must hold before anything is written: the checks the store makes inside its
/// transaction (``EventStore/importRecorded(_:)``), made over the whole file first, with the
/// store's own messages.
struct ImportCheck {
  let store: (any EventStore)?
  var position: Int64
  var previous: Data
  var lastRecorded: Int64
  var versions: [StreamName: Int64] = [:]
  var eventIDs = Set<UUID>()

  /// Starts at `store`'s head (an empty log's when there is no store yet).
  init(continuing store: (any EventStore)?) async throws {
    self.store = store
    let head = try await store?.head() ?? .empty
    position = head.position
    previous = head.hash
    lastRecorded = 0
    if position > 0, let store {
      lastRecorded = try await store.read(after: position - 1, category: nil, limit: 1).first?.recordedAtMilliseconds ?? 0
    }
  }

  mutating func check(_ event: RecordedEvent) async throws {
    func refuse(_ reason: String) -> EventLogError { .importMismatch(position: event.position, reason: reason) }
    guard event.position == position + 1 else { throw refuse("the log's next position is \(position + 1)") }
    guard event.recordedAtMilliseconds >= lastRecorded else { throw refuse("its record time goes backwards") }
    let current: Int64
    if let known = versions[event.stream] {
      current = known
    } else {
      current = try await store?.version(of: event.stream) ?? -1
    }
    guard event.version == current + 1 else {
      throw refuse("stream \(event.stream) is at version \(current), the event claims \(event.version)")
    }
    guard HashChain.holds(for: event, previous: previous) else { throw refuse("its hash does not continue the chain") }
    guard eventIDs.insert(event.eventID).inserted else { throw refuse("event id \(event.eventID) is in the file twice") }
    versions[event.stream] = event.version
    position = event.position
    previous = event.hash
    lastRecorded = event.recordedAtMilliseconds
  }
}

/// A decoding error in a few words: which field, and what was wrong.
func describe(_ error: any Error) -> String {
  func path(_ context: DecodingError.Context) -> String {
    context.codingPath.isEmpty ? "" : " at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
  }
  switch error as? DecodingError {
  case .dataCorrupted(let context)?: return "\(context.debugDescription)\(path(context))"
  case .keyNotFound(let key, _)?: return "field \(key.stringValue) is missing"
  case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?: return "\(context.debugDescription)\(path(context))"
  default: return String(describing: error)
  }
}

struct BackupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup", abstract: "Write a consistent online copy of a SQLite log (services may keep writing), then verify it.")

  @OptionGroup var logOptions: LogOptions
  @Argument(help: "The backup file to write (must not exist).") var file: String

  func run() async throws {
    try await reportingFailures {
      let folder = (file as NSString).deletingLastPathComponent
      var isFolder: ObjCBool = false
      guard folder.isEmpty || (FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) else {
        throw ValidationError("cannot write the backup \(file): the folder \(folder) does not exist")
      }
      guard let store = try await logOptions.open() as? SQLiteEventStore else {
        throw ValidationError("backup copies SQLite logs; for PostgreSQL use pg_dump or kipctl export")
      }
      try await store.backup(to: file)
      await store.close()
      let count: Int64
      let head: PublishedHead
      do { (count, head) = try await verifyCopy(at: file) } catch {
        // A copy that does not verify must not pass for a backup: it is kept aside, for looking into.
        let aside = file + ".unverified"
        try? FileManager.default.moveItem(atPath: file, toPath: aside)
        throw ValidationError("the copy did not verify (\(error)); it is kept as \(aside), not as a backup")
      }
      print("backup \(file): ok \(count) events, head \(head.line)")
    }
  }
}

struct RestoreCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore", abstract: "Verify a backup file and restore it into an empty location (--log).")

  @OptionGroup var logOptions: LogOptions
  @Argument(help: "A file written by kipctl backup.") var file: String

  func run() async throws {
    try await reportingFailures {
      guard case .sqlite(let target) = try LogLocation(parsing: logOptions.locationText) else {
        throw ValidationError("restore writes SQLite logs; for PostgreSQL use kipctl import")
      }
      guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("backup \(file) does not exist") }
      guard !FileManager.default.fileExists(atPath: target) else {
        throw ValidationError("\(target) exists already; restore only into an empty location")
      }
      let (count, head) = try await verifyCopy(at: file)
      let folder = (target as NSString).deletingLastPathComponent
      if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
      try FileManager.default.copyItem(atPath: file, toPath: target)
      print("restored \(count) events into \(target); head \(head.line)")
    }
  }
}

/// Opens a copy read-only and recomputes its whole chain.
func verifyCopy(at path: String) async throws -> (Int64, PublishedHead) {
  var configuration = SQLiteConfiguration(path: path)
  configuration.readOnly = true
  configuration.createIfMissing = false
  let copy = try await SQLiteEventStore.open(configuration)
  let head = try await copy.head()
  var progress = Progress("verify", total: head.position)
  let count = try await ChainVerification.verify(copy, through: head.position) { progress.advance(by: $0) }
  progress.finish()
  if let mismatch = try await copy.firstCategoryMismatch(through: head.position) {
    await copy.close()
    throw mismatch
  }
  await copy.close()
  return (count, PublishedHead(position: head.position, hash: head.hash))
}

/// Lines of a file, read in chunks so a large export never sits whole in memory.
struct LineReader: AsyncSequence {
  typealias Element = Data
  let handle: FileHandle

  struct AsyncIterator: AsyncIteratorProtocol {
    let handle: FileHandle
    /// The chunk being read, and where its unread part starts: lines are copied out of it, never
    /// the rest of the chunk after each line.
    var buffer = Data()
    var start = 0
    var finished = false
    /// Bytes of the file returned so far, newlines included.
    var consumed: Int64 = 0

    init(handle: FileHandle) {
      self.handle = handle
      start = buffer.startIndex
    }

    mutating func next() async throws -> Data? {
      while true {
        if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
          let line = buffer.subdata(in: start..<newline)
          start = newline + 1
          consumed += Int64(line.count + 1)
          return line
        }
        if finished {
          guard start < buffer.endIndex else { return nil }
          let rest = buffer.subdata(in: start..<buffer.endIndex)
          start = buffer.endIndex
          consumed += Int64(rest.count)
          return rest
        }
        let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
        if chunk.isEmpty {
          finished = true
        } else {
          var next = buffer.subdata(in: start..<buffer.endIndex)
          next.append(chunk)
          buffer = next
          start = buffer.startIndex
        }
      }
    }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(handle: handle) }
}
