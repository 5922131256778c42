public import Foundation

/// An event about to be appended: the stored bytes are final from here on.
///
/// `data` and `metadata` are kept exactly as given and never re-encoded: the hash chain,
/// export and migration all work on these bytes.
public struct ProposedEvent: Sendable, Hashable {
  public var eventID: UUID
  public var type: String
  public var schemaVersion: Int
  public var data: Data
  public var metadata: Data

  public init(eventID: UUID = UUIDv7.make(), type: String, schemaVersion: Int = 1, data: Data, metadata: Data = Data("{}".utf8)) {
    self.eventID = eventID
    self.type = type
    self.schemaVersion = schemaVersion
    self.data = data
    self.metadata = metadata
  }
}

/// An event as the log recorded it.
public struct RecordedEvent: Sendable, Hashable {
  /// Global position: 1, 2, 3… in commit order, without gaps a reader can see.
  public var position: Int64
  public var stream: StreamName
  /// Version within its stream, from 0.
  public var version: Int64
  public var eventID: UUID
  public var type: String
  public var schemaVersion: Int
  public var data: Data
  public var metadata: Data
  /// Record time in milliseconds since 1970 UTC; never goes backwards along positions.
  public var recordedAtMilliseconds: Int64
  /// SHA-256 over the previous hash and this event's stored fields (see ``HashChain``).
  public var hash: Data

  public init(
    position: Int64, stream: StreamName, version: Int64, eventID: UUID, type: String, schemaVersion: Int,
    data: Data, metadata: Data, recordedAtMilliseconds: Int64, hash: Data
  ) {
    self.position = position
    self.stream = stream
    self.version = version
    self.eventID = eventID
    self.type = type
    self.schemaVersion = schemaVersion
    self.data = data
    self.metadata = metadata
    self.recordedAtMilliseconds = recordedAtMilliseconds
    self.hash = hash
  }

  /// Record time as an instant (UTC).
  public var recordedAt: Date { Date(milliseconds: recordedAtMilliseconds) }
}

/// Who did something and in which request: the `metadata` of an event the platform writes.
///
/// Encoded with sorted keys so the same metadata gives the same bytes.
public struct EventMetadata: Codable, Sendable, Hashable {
  /// The user id (or `kipctl:<operator>` for an operator's repair).
  public var actor: String?
  /// The actor's role when it acted.
  public var role: String?
  /// The request id: every event written for one request shares it.
  public var correlationID: String?
  /// The event or command that caused this one.
  public var causationID: String?
  /// Where it came from: `kip-building`, `kipctl`, …
  public var source: String?
  /// The client's description (user agent, address), when known.
  public var client: String?

  public init(
    actor: String? = nil, role: String? = nil, correlationID: String? = nil, causationID: String? = nil,
    source: String? = nil, client: String? = nil
  ) {
    self.actor = actor
    self.role = role
    self.correlationID = correlationID
    self.causationID = causationID
    self.source = source
    self.client = client
  }

  /// The stored bytes of this metadata.
  public func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Encoding a struct of optional strings cannot fail.
    return (try? encoder.encode(self)) ?? Data("{}".utf8)
  }
}

extension Date {
  /// The instant `milliseconds` after 1970-01-01T00:00:00Z.
  public init(milliseconds: Int64) {
    self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
  }

  /// Milliseconds since 1970 UTC, rounded down.
  public var millisecondsSince1970: Int64 {
    Int64((timeIntervalSince1970 * 1000).rounded(.down))
  }
}
