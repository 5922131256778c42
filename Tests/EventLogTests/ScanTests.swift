import EventLog
import Foundation
import Testing

/// A log held in memory, any way a test wants it (tampered, with gaps): reads only, so every
/// scan of it is the default one built on `read`.
struct MemoryLog: EventStore {
  let events: [RecordedEvent]

  var capabilities: StoreCapabilities { StoreCapabilities(sealsAtAppend: true, sharedAcrossProcesses: false) }

  func append(_ append: Append) async throws(EventLogError) -> AppendResult { throw .readOnly("a memory log") }

  func read(stream: StreamName, from version: Int64?, direction: ReadDirection, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
    let mine = events.filter { $0.stream == stream }
    switch direction {
    case .forwards: return Array(mine.filter { $0.version >= version ?? 0 }.prefix(limit))
    case .backwards: return Array(mine.reversed().filter { $0.version <= version ?? .max }.prefix(limit))
    }
  }

  func read(after position: Int64, category: String?, limit: Int) async throws(EventLogError) -> [RecordedEvent] {
    Array(events.filter { $0.position > position && (category == nil || $0.stream.category == category) }.prefix(Swift.max(0, limit)))
  }

  func version(of stream: StreamName) async throws(EventLogError) -> Int64? { events.last { $0.stream == stream }?.version }

  func head() async throws(EventLogError) -> LogHead {
    guard let last = events.last else { return .empty }
    return LogHead(position: last.position, hash: last.hash, sealedThrough: last.position)
  }

  func idempotencyRecord(scope: String, key: String) async throws(EventLogError) -> IdempotencyRecord? { nil }
  func waitForAppends(after position: Int64, timeout: Duration) async throws(EventLogError) -> Int64 { events.last?.position ?? 0 }
  func importRecorded(_ events: [RecordedEvent]) async throws(EventLogError) { throw .readOnly("a memory log") }
  func close() async {}
}

/// A chained log of `count` events over a few streams.
func chainedLog(_ count: Int) -> [RecordedEvent] {
  var previous = HashChain.genesis
  var versions: [String: Int64] = [:]
  return (1...count).map { n in
    let stream = StreamName(unchecked: ["room-1", "case-2", "会議室-3"][n % 3])
    let version = versions[stream.rawValue, default: 0]
    versions[stream.rawValue] = version + 1
    var event = RecordedEvent(
      position: Int64(n), stream: stream, version: version, eventID: UUIDv7.make(), type: "Test.Chained", schemaVersion: 1,
      data: Data(#"{"n":\#(n)}"#.utf8), metadata: Data(#"{"actor":"t"}"#.utf8), recordedAtMilliseconds: 1_700_000_000_000 + Int64(n),
      hash: Data())
    event.hash = HashChain.hash(of: event, previous: previous)
    previous = event.hash
    return event
  }
}

@Suite("Scanning and verifying the chain in parts")
struct ScanTests {
  /// Ways to break a log at one position.
  enum Tampering: CaseIterable {
    case data, hash, shortHash, removed
  }

  static func tampered(_ log: [RecordedEvent], at index: Int, _ tampering: Tampering) -> [RecordedEvent] {
    var log = log
    switch tampering {
    case .data: log[index].data = Data(#"{"n":-1}"#.utf8)
    case .hash: log[index].hash[5] ^= 0x01
    case .shortHash: log[index].hash = log[index].hash.prefix(31)
    case .removed: log.remove(at: index)
    }
    return log
  }

  /// What one sequential verifier says of the events up to `sealed`.
  static func sequential(_ log: [RecordedEvent], through sealed: Int64) -> Result<Int64, ChainVerifier.Break> {
    var verifier = ChainVerifier()
    for event in log where event.position <= sealed {
      do throws(ChainVerifier.Break) { try verifier.check(event) } catch { return .failure(error) }
    }
    return .success(verifier.count)
  }

  @Test(
    "verification in parts reports what one verifier does, wherever and however the log is broken",
    arguments: Tampering.allCases)
  func partsAgreeWithOneVerifier(_ tampering: Tampering) async throws {
    let log = chainedLog(30)
    for index in log.indices {
      let broken = Self.tampered(log, at: index, tampering)
      let store = MemoryLog(events: broken)
      let sealed = try await store.head().sealedThrough
      let expected = Self.sequential(broken, through: sealed)
      for workers in [1, 2, 3, 5] {
        for pageSize in [1, 4, 7, 30] {
          var pages = 0
          let got: Result<Int64, ChainVerifier.Break>
          do {
            got = .success(try await ChainVerification.verify(store, through: sealed, pageSize: pageSize, workers: workers) { pages += $0 })
          } catch let error as ChainVerifier.Break {
            got = .failure(error)
          }
          #expect(got == expected, "\(tampering) at \(index + 1), \(workers) workers, pages of \(pageSize)")
          if case .success(let count) = got { #expect(Int64(pages) == count, "progress adds up to \(pages), not \(count)") }
        }
      }
    }
  }

  @Test("an intact log verifies in parts through any sealed position, and an empty one at once")
  func intact() async throws {
    let store = MemoryLog(events: chainedLog(50))
    for sealed in [0, 1, 2, 9, 10, 11, 49, 50] as [Int64] {
      for workers in [1, 2, 4] {
        let count = try await ChainVerification.verify(store, through: sealed, pageSize: 3, workers: workers)
        #expect(count == sealed, "through \(sealed) with \(workers) workers")
      }
    }
    #expect(try await ChainVerification.verify(MemoryLog(events: []), through: 0) == 0)
  }

  @Test("a borrowed event is its recorded event: the same fields, hash check and decoding")
  func borrowedIsRecorded() throws {
    let log = chainedLog(6)
    var previous = HashChain.genesis
    for event in log {
      let before = previous
      try event.withBorrowed { lent throws in
        // A copy of the view (not of its bytes), so that the expectations' closures may use it.
        let borrowed = copy lent
        #expect(borrowed.recorded() == event)
        #expect(borrowed.stream == event.stream && borrowed.type == event.type)
        #expect(borrowed.hasType("Test.Chained") && !borrowed.hasType("Test.Chaine") && !borrowed.hasType("Test.Chained!"))
        #expect(HashChain.holds(for: borrowed, previous: before))
        #expect(!HashChain.holds(for: borrowed, previous: Data(repeating: 1, count: 32)))
        #expect(try Counter.codec.decode(borrowed) == (try Counter.codec.decode(event)))
      }
      previous = event.hash
    }
    var verifier = ChainVerifier()
    for event in log { try event.withBorrowed { try verifier.check($0) } }
    #expect(verifier.count == 6 && verifier.previous == log[5].hash)
  }

  @Test("a borrowed event of an old schema version is upcast, and unknown or malformed ones fail as their copies do")
  func borrowedDecodingFailures() throws {
    func recorded(type: String, version: Int, data: String) -> RecordedEvent {
      RecordedEvent(
        position: 9, stream: StreamName(unchecked: "room-1"), version: 0, eventID: UUIDv7.make(), type: type, schemaVersion: version,
        data: Data(data.utf8), metadata: Data(), recordedAtMilliseconds: 0, hash: Data())
    }
    let old = recorded(type: "Test.Chained", version: 0, data: #"{"count":4}"#)
    #expect(try old.withBorrowed { try Counter.codec.decode($0) } == Counter(n: 4))
    for event in [
      recorded(type: "Test.Unknown", version: 1, data: "{}"), recorded(type: "Test.Chained", version: 1, data: #"{"n":"x"}"#),
      recorded(type: "Test.Chained", version: 2, data: #"{"n":1}"#), recorded(type: "Test.Chained", version: -1, data: #"{"n":1}"#),
    ] {
      var copied: EventCodecError?
      var lent: EventCodecError?
      do throws(EventCodecError) { _ = try Counter.codec.decode(event) } catch { copied = error }
      event.withBorrowed { borrowed in
        do throws(EventCodecError) { _ = try Counter.codec.decode(borrowed) } catch { lent = error }
      }
      #expect(copied != nil && lent == copied, "\(event.type) v\(event.schemaVersion): \(String(describing: lent))")
    }
  }
}

/// The chained log's events, typed.
struct Counter: RecordableEvent, Equatable {
  static let eventType = "Test.Chained"
  static let schemaVersion = 1
  var n: Int

  static let codec: EventCodec<Counter> = {
    var codec = EventCodec<Counter>()
    codec.register(Counter.self, embed: { $0 }, extract: { $0 })
    codec.upcast("Test.Chained", from: 0) { data in
      let old = try JSONDecoder().decode([String: Int].self, from: data)
      return try JSONEncoder().encode(["n": old["count"] ?? 0])
    }
    return codec
  }()
}
