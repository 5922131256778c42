public import Foundation

/// A recorded event seen in place during ``EventStore/scan(after:category:limit:into:_:)``: its
/// fields borrowed from the store's own buffers instead of copied into a ``RecordedEvent``.
///
/// A whole-log pass (verification, decoding, export) reads every event once and keeps none of
/// them; copying each into a `RecordedEvent` costs three `Data` and two `String` (six or more heap
/// allocations) per event, several times what SQLite takes to step to the row.
///
/// **Valid only inside the call of the scan's closure that received it.** The buffers point into
/// memory the store reuses for the next row (SQLite's column buffers), so they must never be kept,
/// returned, stored in the scan's state or sent elsewhere. The type is not `Sendable` and the
/// closure receives it `borrowing` (a copy must be spelled `copy`), so the compiler refuses the
/// usual ways of letting it escape; the unsafe buffers themselves could still be smuggled out, and
/// that would read freed memory. Copy out what must outlive the call: ``recorded()``,
/// `Data(event.data)`, ``stream``, ``type``.
public struct BorrowedEvent {
  /// Global position: 1, 2, 3… in commit order.
  public let position: Int64
  /// The stream name's UTF-8 bytes (``stream`` makes a `StreamName` of them).
  public let streamUTF8: UnsafeRawBufferPointer
  /// Version within its stream, from 0.
  public let version: Int64
  public let eventID: UUID
  /// The stored type's UTF-8 bytes (``type`` makes a `String`; ``hasType(_:)`` compares in place).
  public let typeUTF8: UnsafeRawBufferPointer
  public let schemaVersion: Int
  /// The stored JSON data, exactly as appended.
  public let data: UnsafeRawBufferPointer
  /// The stored metadata, exactly as appended.
  public let metadata: UnsafeRawBufferPointer
  /// Record time in milliseconds since 1970 UTC.
  public let recordedAtMilliseconds: Int64
  /// The stored hash (see ``HashChain``).
  public let hash: UnsafeRawBufferPointer

  /// A view of one row; the buffers must stay valid for as long as the view is used.
  package init(
    position: Int64, streamUTF8: UnsafeRawBufferPointer, version: Int64, eventID: UUID, typeUTF8: UnsafeRawBufferPointer,
    schemaVersion: Int, data: UnsafeRawBufferPointer, metadata: UnsafeRawBufferPointer, recordedAtMilliseconds: Int64,
    hash: UnsafeRawBufferPointer
  ) {
    self.position = position
    self.streamUTF8 = streamUTF8
    self.version = version
    self.eventID = eventID
    self.typeUTF8 = typeUTF8
    self.schemaVersion = schemaVersion
    self.data = data
    self.metadata = metadata
    self.recordedAtMilliseconds = recordedAtMilliseconds
    self.hash = hash
  }

  /// The stream name (a new string).
  public var stream: StreamName { StreamName(unchecked: String(decoding: streamUTF8, as: UTF8.self)) }

  /// The stored type (a new string).
  public var type: String { String(decoding: typeUTF8, as: UTF8.self) }

  /// Whether the stored type is `type`, compared by bytes without making a string.
  public func hasType(_ type: String) -> Bool {
    var type = type
    return type.withUTF8 { UnsafeRawBufferPointer($0).hasSameBytes(as: typeUTF8) }
  }

  /// A copy that owns its bytes and may outlive the scan.
  public func recorded() -> RecordedEvent {
    RecordedEvent(
      position: position, stream: stream, version: version, eventID: eventID, type: type, schemaVersion: schemaVersion,
      data: Data(data), metadata: Data(metadata), recordedAtMilliseconds: recordedAtMilliseconds, hash: Data(hash))
  }
}

/// Its buffers are valid on one thread for one call: see ``BorrowedEvent``.
@available(*, unavailable)
extension BorrowedEvent: Sendable {}

/// What one call of ``EventStore/scan(after:category:limit:into:_:)`` went through.
public struct ScanSummary: Sendable, Hashable {
  /// How many events were handed to the closure.
  public var count: Int
  /// The position of the last of them, or the scan's `after` when there were none: the `after`
  /// of the next page.
  public var through: Int64

  public init(count: Int, through: Int64) {
    self.count = count
    self.through = through
  }
}

extension RecordedEvent {
  /// Lends this event to `body` as a ``BorrowedEvent`` over its own storage.
  public func withBorrowed<Result>(_ body: (borrowing BorrowedEvent) throws -> Result) rethrows -> Result {
    var streamName = stream.rawValue
    var typeName = type
    return try streamName.withUTF8 { streamBytes in
      try typeName.withUTF8 { typeBytes in
        try data.withUnsafeBytes { dataBytes in
          try metadata.withUnsafeBytes { metadataBytes in
            try hash.withUnsafeBytes { hashBytes in
              try body(
                BorrowedEvent(
                  position: position, streamUTF8: UnsafeRawBufferPointer(streamBytes), version: version, eventID: eventID,
                  typeUTF8: UnsafeRawBufferPointer(typeBytes), schemaVersion: schemaVersion, data: dataBytes,
                  metadata: metadataBytes, recordedAtMilliseconds: recordedAtMilliseconds, hash: hashBytes))
            }
          }
        }
      }
    }
  }
}

extension EventStore {
  /// The scan every backend gets: one ``read(after:category:limit:)``, each event lent in turn.
  ///
  /// It copies as `read` does (nothing is saved), so a backend whose reads can lend their rows
  /// (SQLite) implements the requirement itself.
  public func scan<State: Sendable>(
    after position: Int64, category: String?, limit: Int, into state: inout State,
    _ body: @Sendable (inout State, borrowing BorrowedEvent) throws -> Void
  ) async throws -> ScanSummary {
    guard limit > 0 else { return ScanSummary(count: 0, through: position) }
    let page = try await read(after: position, category: category, limit: limit)
    // Changes reach `state` only when the whole page went through, as in a backend's own scan.
    var working = state
    for event in page { try event.withBorrowed { try body(&working, $0) } }
    state = working
    return ScanSummary(count: page.count, through: page.last?.position ?? position)
  }
}

extension UnsafeRawBufferPointer {
  /// Whether both hold the same bytes: one `memcmp` (the generic `elementsEqual` goes byte by
  /// byte, and showed in profiles of verification and decoding).
  @inline(__always) func hasSameBytes(as other: UnsafeRawBufferPointer) -> Bool {
    count == other.count && (count == 0 || memcmp(baseAddress!, other.baseAddress!, count) == 0)
  }
}
