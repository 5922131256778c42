public import Foundation

/// Which way a stream is read.
public enum ReadDirection: Sendable, Hashable {
  case forwards, backwards
}

/// The end of the log: the last position, its hash, and how far the hash chain is sealed.
public struct LogHead: Sendable, Hashable, Codable {
  /// The last committed position (0 for an empty log).
  public var position: Int64
  /// The hash of the last sealed event (32 zero bytes for an empty log).
  public var hash: Data
  /// The last position whose hash is computed. On SQLite it always equals `position`; on
  /// PostgreSQL a sealer chains events after commit, so it may lag.
  public var sealedThrough: Int64

  public init(position: Int64, hash: Data, sealedThrough: Int64) {
    self.position = position
    self.hash = hash
    self.sealedThrough = sealedThrough
  }

  /// The head of an empty log.
  public static let empty = LogHead(position: 0, hash: HashChain.genesis, sealedThrough: 0)
}

/// What a backend can and cannot do, so the conformance suite can ask instead of guessing.
public struct StoreCapabilities: Sendable, Hashable {
  /// Hashes are computed inside the write transaction (true) or by a sealer after commit (false).
  public var sealsAtAppend: Bool
  /// Several processes can open the same log.
  public var sharedAcrossProcesses: Bool

  public init(sealsAtAppend: Bool, sharedAcrossProcesses: Bool) {
    self.sealsAtAppend = sealsAtAppend
    self.sharedAcrossProcesses = sharedAcrossProcesses
  }
}

/// The append-only event log. Backends: SQLite (the embedded default) and PostgreSQL.
///
/// Appends are atomic across streams and durable when they return. Reads are paged: a read
/// never holds a transaction open longer than one page.
public protocol EventStore: Sendable {
  /// What this backend does.
  var capabilities: StoreCapabilities { get }

  /// Appends atomically, checking every expectation and condition, or writes nothing.
  ///
  /// Throws ``EventLogError/alreadyRecorded(_:)`` when the idempotency key is recorded for the
  /// same digest, and ``EventLogError/idempotencyKeyReused(scope:key:)`` for another digest.
  /// Re-appending event ids that are all recorded already (an import) writes nothing and
  /// answers with their recorded positions.
  func append(_ append: Append) async throws(EventLogError) -> AppendResult

  /// Up to `limit` events of `stream` from `version` (inclusive) in `direction`; for backwards
  /// reads `version` nil means from the end.
  func read(
    stream: StreamName, from version: Int64?, direction: ReadDirection, limit: Int
  ) async throws(EventLogError) -> [RecordedEvent]

  /// Up to `limit` events after `position` (exclusive), in position order; all categories when
  /// `category` is nil.
  func read(after position: Int64, category: String?, limit: Int) async throws(EventLogError) -> [RecordedEvent]

  /// The events `read(after:category:limit:)` would answer, handed to `body` one at a time in
  /// position order as ``BorrowedEvent``s: lent in place, not copied, for passes over the whole
  /// log that keep nothing (verification, decoding, export).
  ///
  /// One call is one bounded read (one transaction, as one `read` page); a caller pages on from
  /// the answer's ``ScanSummary/through``. `body` runs on the store's reader thread while the
  /// read is open, so it should be quick (no I/O); what it learns goes into `state`, which is
  /// handed back changed only when the whole page went through. The event must not outlive the
  /// call of `body` that received it (see ``BorrowedEvent``).
  ///
  /// Throws what `body` threw, unchanged, or an ``EventLogError``. Every store has this (see the
  /// extension built on `read`); SQLite lends its column buffers.
  func scan<State: Sendable>(
    after position: Int64, category: String?, limit: Int, into state: inout State,
    _ body: @Sendable (inout State, borrowing BorrowedEvent) throws -> Void
  ) async throws -> ScanSummary

  /// The stream's current version, or nil when it has no events.
  func version(of stream: StreamName) async throws(EventLogError) -> Int64?

  /// The end of the log.
  func head() async throws(EventLogError) -> LogHead

  /// The recorded idempotency record for this scope and key, if any.
  func idempotencyRecord(scope: String, key: String) async throws(EventLogError) -> IdempotencyRecord?

  /// Returns once the log's head is past `position`, or after `timeout`, whichever is first;
  /// notices other processes' appends too. Answers the head it saw.
  func waitForAppends(after position: Int64, timeout: Duration) async throws(EventLogError) -> Int64

  /// Records events exactly as another log recorded them (positions, times, hashes): for import,
  /// restore and migration. Refused, writing nothing, unless they continue this log: the next
  /// position, each stream's next version, and a hash chain that links from this log's head.
  func importRecorded(_ events: [RecordedEvent]) async throws(EventLogError)

  /// Releases connections and background work.
  func close() async
}

extension EventStore {
  /// Every event after `position` as a sequence that catches up and then follows the log live.
  public func subscribe(after position: Int64 = 0, category: String? = nil, batchSize: Int = 500) -> EventSubscription {
    EventSubscription(store: self, after: position, category: category, batchSize: batchSize)
  }

  /// Reads a whole stream forwards.
  public func readAll(stream: StreamName) async throws(EventLogError) -> [RecordedEvent] {
    var events: [RecordedEvent] = []
    var next: Int64 = 0
    while true {
      let page = try await read(stream: stream, from: next, direction: .forwards, limit: 1000)
      events += page
      guard let last = page.last, page.count == 1000 else { return events }
      next = last.version + 1
    }
  }
}
