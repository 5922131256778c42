import EventLog
import Foundation

/// The events of many demo decisions gathered stream by stream into one atomic append: each
/// stream of a batch is written at the version the seeder knows it at (`noStream` for a new
/// one), and the streams the decisions only read are conditions at the version they were read,
/// so a log that changed underneath refuses the batch whole.
struct DemoBatch {
  /// The version each stream has reached, what is queued included.
  private var versions: [StreamName: Int64] = [:]
  private var pending: [StreamWrite] = []
  private var pendingIndex: [StreamName: Int] = [:]
  private let metadata: Data
  private(set) var appends = 0
  private(set) var eventsAppended = 0

  init(metadata: EventMetadata) { self.metadata = metadata.encoded() }

  /// How many streams the next append writes.
  var pendingStreams: Int { pending.count }

  /// A stream's version as read from the log, for the streams the seeder holds a condition on without writing.
  mutating func read(_ stream: StreamName, at version: Int64) { versions[stream] = version }

  /// Queues `events` on `stream`.
  mutating func write<Event>(_ events: [Event], to stream: StreamName, codec: EventCodec<Event>) throws {
    guard !events.isEmpty else { return }
    let proposed = try events.map { try codec.propose($0, metadata: metadata) }
    if let index = pendingIndex[stream] {
      pending[index].events += proposed
    } else {
      pendingIndex[stream] = pending.count
      pending.append(StreamWrite(stream: stream, expected: versions[stream].map { .exact($0) } ?? .noStream, events: proposed))
    }
    versions[stream] = (versions[stream] ?? -1) + Int64(proposed.count)
  }

  /// Appends what is queued in one atomic append, on each of `held` that this batch does not
  /// write, at the version it was read or last written at.
  mutating func flush(to store: any EventStore, holding held: [StreamName]) async throws {
    guard !pending.isEmpty else { return }
    let conditions = held.compactMap { stream -> StreamCondition? in
      guard pendingIndex[stream] == nil, let version = versions[stream] else { return nil }
      return StreamCondition(stream: stream, expected: .exact(version))
    }
    let append = Append(writes: pending, conditions: conditions)
    _ = try await store.append(append)
    appends += 1
    eventsAppended += append.allEvents.count
    pending = []
    pendingIndex = [:]
  }
}
