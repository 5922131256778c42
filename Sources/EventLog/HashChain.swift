public import Foundation
import Crypto

/// Tamper evidence: each event's hash covers the previous hash and the event's stored fields.
///
/// `hash = SHA-256(previous ‖ position ‖ stream ‖ version ‖ eventID ‖ type ‖ schemaVersion ‖
/// data ‖ metadata ‖ recordedAt)`, every field length-prefixed (8-byte big-endian length, then
/// the bytes; integers as 8-byte big-endian), so no two different events hash the same input.
public enum HashChain {
  /// The "previous hash" of the first event.
  public static let genesis = Data(repeating: 0, count: 32)

  /// The hash of an event given the previous one.
  public static func hash(
    previous: Data, position: Int64, stream: String, version: Int64, eventID: UUID, type: String,
    schemaVersion: Int, data: Data, metadata: Data, recordedAtMilliseconds: Int64
  ) -> Data {
    var hasher = SHA256()
    func integer(_ value: Int64) {
      withUnsafeBytes(of: value.bigEndian) { hasher.update(bufferPointer: $0) }
    }
    func field(_ bytes: some DataProtocol) {
      integer(Int64(bytes.count))
      hasher.update(data: bytes)
    }
    field(previous)
    integer(position)
    field(Array(stream.utf8))
    integer(version)
    withUnsafeBytes(of: eventID.uuid) { raw in
      integer(16)
      hasher.update(bufferPointer: raw)
    }
    field(Array(type.utf8))
    integer(Int64(schemaVersion))
    field(data)
    field(metadata)
    integer(recordedAtMilliseconds)
    return Data(hasher.finalize())
  }

  /// The hash `event` should carry after `previous`.
  public static func hash(of event: RecordedEvent, previous: Data) -> Data {
    hash(
      previous: previous, position: event.position, stream: event.stream.rawValue, version: event.version,
      eventID: event.eventID, type: event.type, schemaVersion: event.schemaVersion, data: event.data,
      metadata: event.metadata, recordedAtMilliseconds: event.recordedAtMilliseconds)
  }
}

/// Recomputes the chain over events fed in position order and reports the first break.
public struct ChainVerifier: Sendable {
  /// The hash of the last event checked.
  public private(set) var previous: Data
  /// The last position checked.
  public private(set) var position: Int64
  /// How many events were checked.
  public private(set) var count: Int64 = 0

  /// Starts after `position` whose hash was `previous` (the genesis for a whole log).
  public init(after position: Int64 = 0, previous: Data = HashChain.genesis) {
    self.previous = previous
    self.position = position
  }

  /// Why a chain is broken.
  public enum Break: Error, Sendable, Hashable, CustomStringConvertible {
    /// An event's stored hash does not match its fields and the previous hash.
    case hashMismatch(position: Int64)
    /// Positions are not consecutive.
    case gap(expected: Int64, found: Int64)

    public var position: Int64 {
      switch self {
      case .hashMismatch(let position): position
      case .gap(let expected, _): expected
      }
    }

    public var description: String {
      switch self {
      case .hashMismatch(let position): "hash chain broken at position \(position)"
      case .gap(let expected, let found): "hash chain broken at position \(expected): next event found is \(found)"
      }
    }
  }

  /// Checks the next event.
  public mutating func check(_ event: RecordedEvent) throws(Break) {
    guard event.position == position + 1 else { throw .gap(expected: position + 1, found: event.position) }
    let expected = HashChain.hash(of: event, previous: previous)
    guard expected == event.hash else { throw .hashMismatch(position: event.position) }
    previous = expected
    position = event.position
    count += 1
  }
}
