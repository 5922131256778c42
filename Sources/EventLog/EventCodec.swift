public import Foundation

/// A typed event the log can record: a stable type name and its current schema version.
///
/// The type name never changes once recorded and does not depend on the Swift type's name.
public protocol RecordableEvent: Codable, Sendable {
  /// The stored type, e.g. `Building.BookingConfirmed`.
  static var eventType: String { get }
  /// The current shape's version; older shapes are upcast on read.
  static var schemaVersion: Int { get }
}

/// Why an event could not be encoded or decoded.
public enum EventCodecError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The log holds a type this codec does not know.
  case unknownType(String, position: Int64)
  /// The log holds a schema version newer than this code, or one with no upcaster.
  case unsupportedSchemaVersion(type: String, version: Int, position: Int64)
  /// The stored bytes do not decode as the registered type.
  case malformed(type: String, position: Int64, reason: String)
  /// The event value is of no registered case.
  case unregistered(String)
  /// The event value could not be encoded.
  case unencodable(type: String, reason: String)
  /// The event's personal data could not be opened (no key store, a wrong one, tampered bytes).
  case personalData(type: String, position: Int64, PersonalDataError)

  public var description: String {
    switch self {
    case .unknownType(let type, let position):
      "event at position \(position) has unknown type '\(type)'"
    case .unsupportedSchemaVersion(let type, let version, let position):
      "event at position \(position) of type '\(type)' has schema version \(version), which this code cannot read"
    case .malformed(let type, let position, let reason):
      "event at position \(position) of type '\(type)' is malformed: \(reason)"
    case .unregistered(let value):
      "no event type is registered for \(value)"
    case .unencodable(let type, let reason):
      "event of type '\(type)' cannot be encoded: \(reason)"
    case .personalData(let type, let position, let error):
      "event at position \(position) of type '\(type)': \(error.description)"
    }
  }
}

/// Maps a context's event enum to stored `(type, schemaVersion, data)` and back, with upcasters
/// for old shapes.
///
/// ```swift
/// var codec = EventCodec<Booking.Event>()
/// codec.register(Booking.Requested.self, embed: Booking.Event.requested) {
///   if case .requested(let e) = $0 { e } else { nil }
/// }
/// codec.upcast("Building.BookingRequested", from: 1) { oldJSON in newJSON }
/// ```
public struct EventCodec<Event: Sendable>: Sendable {
  struct Entry: Sendable {
    var type: String
    var schemaVersion: Int
    var decode: @Sendable (Data, EventJSONDecoder) throws -> Event
    /// The same from bytes the caller owns (a scan's borrowed data).
    var decodeBytes: @Sendable (UnsafeRawBufferPointer, EventJSONDecoder) throws -> Event
    var encode: @Sendable (Event, (any PersonalDataVault)?) throws -> Data?
    /// `type`'s UTF-8, to find a borrowed event's entry without making a string.
    var typeUTF8: [UInt8]
  }

  struct UpcastKey: Hashable, Sendable {
    var type: String
    var version: Int
  }

  private var entries: [Entry] = []
  private var indexByType: [String: Int] = [:]
  private var upcasters: [UpcastKey: @Sendable (Data) throws -> Data] = [:]
  /// Seals and opens the events' ``Personal`` fields; without one, an event that holds any is
  /// refused both ways (``PersonalDataError/noVault(field:)``).
  public private(set) var vault: (any PersonalDataVault)?

  public init() {}

  /// This codec, sealing and opening personal fields with `vault`.
  public func sealing(with vault: any PersonalDataVault) -> EventCodec {
    var codec = self
    codec.vault = vault
    return codec
  }

  private var decoder: EventJSONDecoder {
    guard let vault else { return EventJSONDecoder() }
    return EventJSONDecoder(userInfo: [.personalDataVault: vault])
  }

  /// The stored type names this codec reads, in registration order.
  public var types: [String] { entries.map(\.type) }

  /// Registers an event type: `embed` wraps it into the context's enum, `extract` unwraps it.
  public mutating func register<E: RecordableEvent>(
    _ type: E.Type, embed: @escaping @Sendable (E) -> Event, extract: @escaping @Sendable (Event) -> E?
  ) {
    precondition(indexByType[E.eventType] == nil, "event type \(E.eventType) registered twice")
    indexByType[E.eventType] = entries.count
    entries.append(
      Entry(
        type: E.eventType, schemaVersion: E.schemaVersion,
        decode: { data, decoder in embed(try decoder.decode(E.self, from: data)) },
        decodeBytes: { bytes, decoder in embed(try decoder.decode(E.self, fromBytes: bytes)) },
        encode: { event, vault in try extract(event).map { try EventCodec.encoder(for: $0, vault: vault).encode($0) } },
        typeUTF8: Array(E.eventType.utf8)))
  }

  /// Registers a transformation of `type`'s stored JSON from schema `version` to `version + 1`.
  public mutating func upcast(_ type: String, from version: Int, _ transform: @escaping @Sendable (Data) throws -> Data) {
    upcasters[UpcastKey(type: type, version: version)] = transform
  }

  /// Whether this codec reads events of `type`.
  public func reads(_ type: String) -> Bool { indexByType[type] != nil }

  /// Decodes a recorded event, upcasting old schema versions first.
  public func decode(_ event: RecordedEvent) throws(EventCodecError) -> Event {
    guard let index = indexByType[event.type] else { throw .unknownType(event.type, position: event.position) }
    let entry = entries[index]
    var data = event.data
    var version = event.schemaVersion
    while version < entry.schemaVersion {
      guard let upcast = upcasters[UpcastKey(type: event.type, version: version)] else {
        throw .unsupportedSchemaVersion(type: event.type, version: event.schemaVersion, position: event.position)
      }
      do { data = try upcast(data) } catch {
        throw .malformed(type: event.type, position: event.position, reason: "upcast from \(version): \(error)")
      }
      version += 1
    }
    guard version == entry.schemaVersion else {
      throw .unsupportedSchemaVersion(type: event.type, version: event.schemaVersion, position: event.position)
    }
    do { return try entry.decode(data, decoder) } catch {
      if let error = error as? PersonalDataError { throw .personalData(type: event.type, position: event.position, error) }
      throw .malformed(type: event.type, position: event.position, reason: Self.describe(error))
    }
  }

  /// Decodes an event lent by a scan, straight from its borrowed bytes; an old schema version is
  /// copied out and upcast, as for a `RecordedEvent`.
  public func decode(_ event: BorrowedEvent) throws(EventCodecError) -> Event {
    // A codec has a few dozen types at most: comparing bytes beats making a string to hash.
    let typeBytes = event.typeUTF8
    var found: Entry?
    for entry in entries where entry.typeUTF8.count == typeBytes.count {
      if entry.typeUTF8.withUnsafeBytes({ $0.hasSameBytes(as: typeBytes) }) {
        found = entry
        break
      }
    }
    guard let entry = found else { throw .unknownType(event.type, position: event.position) }
    guard event.schemaVersion == entry.schemaVersion else { return try decode(event.recorded()) }
    do { return try entry.decodeBytes(event.data, decoder) } catch {
      if let error = error as? PersonalDataError { throw .personalData(type: entry.type, position: event.position, error) }
      throw .malformed(type: entry.type, position: event.position, reason: Self.describe(error))
    }
  }

  /// Encodes an event value into its stored type, version and bytes.
  public func encode(_ event: Event) throws(EventCodecError) -> (type: String, schemaVersion: Int, data: Data) {
    for entry in entries {
      let data: Data?
      do { data = try entry.encode(event, vault) } catch {
        throw .unencodable(type: entry.type, reason: String(describing: error))
      }
      if let data { return (entry.type, entry.schemaVersion, data) }
    }
    throw .unregistered(String(describing: event))
  }

  /// An event ready to append.
  public func propose(_ event: Event, id: UUID = UUIDv7.make(), metadata: Data) throws(EventCodecError) -> ProposedEvent {
    let (type, version, data) = try encode(event)
    return ProposedEvent(eventID: id, type: type, schemaVersion: version, data: data, metadata: metadata)
  }

  /// The encoder for event data: sorted keys, so the same value gives the same bytes.
  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  /// The encoder for `event`: its ``Personal`` fields are sealed with `vault` under its owner.
  static func encoder(for event: some Encodable, vault: (any PersonalDataVault)?) -> JSONEncoder {
    let encoder = encoder()
    encoder.userInfo[.encodingEvent] = true
    if let vault { encoder.userInfo[.personalDataVault] = vault }
    if let owner = (event as? any HoldsPersonalData)?.personalDataOwner { encoder.userInfo[.personalDataOwner] = owner }
    return encoder
  }

  static func describe(_ error: any Error) -> String {
    switch error as? DecodingError {
    case .keyNotFound(let key, _): "missing field '\(key.stringValue)'"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
    case .dataCorrupted(let context): context.debugDescription
    default: String(describing: error)
    }
  }
}
