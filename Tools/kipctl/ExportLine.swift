import ArgumentParser
import EventLog
import Foundation
import SharedKernel

/// One event as a JSON Lines record with every recorded field; stored bytes go as base64 so
/// they come back exact, whatever they hold.
struct ExportLine: Codable {
  var position: Int64
  var stream: String
  var version: Int64
  var eventID: UUID
  var type: String
  var schemaVersion: Int
  var data: Data
  var metadata: Data
  var recordedAt: Int64
  var hash: String

  init(_ event: RecordedEvent) {
    position = event.position
    stream = event.stream.rawValue
    version = event.version
    eventID = event.eventID
    type = event.type
    schemaVersion = event.schemaVersion
    data = event.data
    metadata = event.metadata
    recordedAt = event.recordedAtMilliseconds
    hash = event.hash.hexadecimal
  }

  /// The event as recorded; a malformed stream name or hash is an error, not a guess.
  func recordedEvent() throws -> RecordedEvent {
    guard let hashBytes = Data(hex: hash), hashBytes.count == 32 else {
      throw ValidationError("position \(position): hash is not 64 hex digits")
    }
    return RecordedEvent(
      position: position, stream: try StreamName(stream), version: version, eventID: eventID, type: type,
      schemaVersion: schemaVersion, data: data, metadata: metadata, recordedAtMilliseconds: recordedAt, hash: hashBytes)
  }

  func jsonLine() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
  }
}
