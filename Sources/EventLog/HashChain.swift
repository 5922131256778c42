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
  ///
  /// The preimage is laid out in one temporary buffer and hashed in a single call: a dozen small
  /// `update` calls per event cost more than the SHA-256 itself.
  public static func hash(
    previous: Data, position: Int64, stream: String, version: Int64, eventID: UUID, type: String,
    schemaVersion: Int, data: Data, metadata: Data, recordedAtMilliseconds: Int64
  ) -> Data {
    digest(
      previous: previous, position: position, stream: stream, version: version, eventID: eventID, type: type,
      schemaVersion: schemaVersion, data: data, metadata: metadata, recordedAtMilliseconds: recordedAtMilliseconds
    ) { Data($0) }
  }

  /// Computes the hash and hands its 32 bytes to `body`, without allocating: verification only
  /// compares them with the stored hash.
  static func digest<Result>(
    previous: Data, position: Int64, stream: String, version: Int64, eventID: UUID, type: String,
    schemaVersion: Int, data: Data, metadata: Data, recordedAtMilliseconds: Int64,
    _ body: (UnsafeRawBufferPointer) -> Result
  ) -> Result {
    var stream = stream
    var type = type
    return stream.withUTF8 { streamBytes in
      type.withUTF8 { typeBytes in
        previous.withUnsafeBytes { previousBytes in
          data.withUnsafeBytes { dataBytes in
            metadata.withUnsafeBytes { metadataBytes in
              digest(
                previous: previousBytes, position: position, stream: UnsafeRawBufferPointer(streamBytes), version: version,
                eventID: eventID, type: UnsafeRawBufferPointer(typeBytes), schemaVersion: schemaVersion, data: dataBytes,
                metadata: metadataBytes, recordedAtMilliseconds: recordedAtMilliseconds, body)
            }
          }
        }
      }
    }
  }

  /// The same over raw bytes (strings as UTF-8): what every other form ends in.
  static func digest<Result>(
    previous: UnsafeRawBufferPointer, position: Int64, stream: UnsafeRawBufferPointer, version: Int64, eventID: UUID,
    type: UnsafeRawBufferPointer, schemaVersion: Int, data: UnsafeRawBufferPointer, metadata: UnsafeRawBufferPointer,
    recordedAtMilliseconds: Int64, _ body: (UnsafeRawBufferPointer) -> Result
  ) -> Result {
    let size = 8 * 11 + previous.count + stream.count + 16 + type.count + data.count + metadata.count
    return withUnsafeTemporaryAllocation(byteCount: size, alignment: 8) { buffer in
      var offset = 0
      func integer(_ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { buffer.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: 8) }
        offset += 8
      }
      func bytes(_ source: UnsafeRawBufferPointer) {
        integer(Int64(source.count))
        if source.count > 0 { buffer.baseAddress!.advanced(by: offset).copyMemory(from: source.baseAddress!, byteCount: source.count) }
        offset += source.count
      }
      bytes(previous)
      integer(position)
      bytes(stream)
      integer(version)
      withUnsafeBytes(of: eventID.uuid) { bytes($0) }
      bytes(type)
      integer(Int64(schemaVersion))
      bytes(data)
      bytes(metadata)
      integer(recordedAtMilliseconds)
      return SHA256.hash(data: UnsafeRawBufferPointer(start: buffer.baseAddress, count: offset)).withUnsafeBytes(body)
    }
  }

  /// Whether `event`'s stored hash is the one it should carry after `previous`.
  public static func holds(for event: RecordedEvent, previous: Data) -> Bool {
    digest(
      previous: previous, position: event.position, stream: event.stream.rawValue, version: event.version,
      eventID: event.eventID, type: event.type, schemaVersion: event.schemaVersion, data: event.data,
      metadata: event.metadata, recordedAtMilliseconds: event.recordedAtMilliseconds
    ) { computed in
      event.hash.withUnsafeBytes { stored in stored.hasSameBytes(as: computed) }
    }
  }

  /// Whether a borrowed event's stored hash is the one it should carry after `previous`.
  public static func holds(for event: BorrowedEvent, previous: Data) -> Bool {
    previous.withUnsafeBytes { holds(for: event, previous: $0) }
  }

  /// The same with the previous hash as raw bytes.
  static func holds(for event: BorrowedEvent, previous: UnsafeRawBufferPointer) -> Bool {
    digest(
      previous: previous, position: event.position, stream: event.streamUTF8, version: event.version, eventID: event.eventID,
      type: event.typeUTF8, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata,
      recordedAtMilliseconds: event.recordedAtMilliseconds
    ) { computed in event.hash.hasSameBytes(as: computed) }
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
    guard HashChain.holds(for: event, previous: previous) else { throw .hashMismatch(position: event.position) }
    previous = event.hash
    position = event.position
    count += 1
  }

  /// Checks the next event, lent by a scan.
  ///
  /// The stored hash is copied into `previous`'s own bytes (it holds once checked, so it has the
  /// same 32 bytes as the last): no allocation per event, only when `previous` is shared.
  public mutating func check(_ event: BorrowedEvent) throws(Break) {
    guard event.position == position + 1 else { throw .gap(expected: position + 1, found: event.position) }
    guard HashChain.holds(for: event, previous: previous) else { throw .hashMismatch(position: event.position) }
    if previous.count == event.hash.count {
      let stored = event.hash
      previous.withUnsafeMutableBytes { $0.copyMemory(from: stored) }
    } else {
      previous = Data(event.hash)
    }
    position = event.position
    count += 1
  }
}
