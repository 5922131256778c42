import EventLog
import EventLogTesting
import Foundation
import SharedKernel
import Testing

/// The in-memory vault of EventLogTesting.
typealias TestVault = MemoryVault


/// An event stored and read back through a codec, as the log would.
struct StoredEvent<Event: Sendable> {
  var codec: EventCodec<Event>
  var recorded: RecordedEvent

  /// `event` encoded by `codec` for `stream`.
  init(_ event: Event, codec: EventCodec<Event>, stream: StreamName) throws {
    self.codec = codec
    let (type, version, data) = try codec.encode(event)
    recorded = RecordedEvent(
      position: 1, stream: stream, version: 0, eventID: UUIDv7.make(), type: type, schemaVersion: version, data: data, metadata: Data("{}".utf8),
      recordedAtMilliseconds: 0, hash: Data())
  }

  /// The stored bytes as text.
  var text: String { String(decoding: recorded.data, as: UTF8.self) }

  /// The event read back.
  func read() throws -> Event { try codec.decode(recorded) }
}
