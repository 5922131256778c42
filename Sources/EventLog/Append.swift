public import Foundation

/// Events for one stream in an append, with what the writer expects of that stream.
public struct StreamWrite: Sendable, Hashable {
  public var stream: StreamName
  public var expected: ExpectedVersion
  public var events: [ProposedEvent]

  public init(stream: StreamName, expected: ExpectedVersion = .any, events: [ProposedEvent]) {
    self.stream = stream
    self.expected = expected
    self.events = events
  }
}

/// A condition on a stream the append does not write: "only if that stream is still at version 7".
public struct StreamCondition: Sendable, Hashable {
  public var stream: StreamName
  public var expected: ExpectedVersion

  public init(stream: StreamName, expected: ExpectedVersion) {
    self.stream = stream
    self.expected = expected
  }
}

/// What a client's `Idempotency-Key` records, written in the same transaction as the events.
public struct IdempotencyKey: Sendable, Hashable {
  /// The service and the actor: keys are only unique per client.
  public var scope: String
  /// The client's `Idempotency-Key`.
  public var key: String
  /// A hash of the request as received (not of the events, which a retry would make anew).
  public var requestDigest: Data

  public init(scope: String, key: String, requestDigest: Data) {
    self.scope = scope
    self.key = key
    self.requestDigest = requestDigest
  }
}

/// An idempotency record with the answer that was given.
public struct IdempotencyRecord: Sendable, Hashable {
  public var key: IdempotencyKey
  /// What the client was answered, as the service encoded it.
  public var response: Data
  /// The append that answer came from.
  public var result: AppendResult

  public init(key: IdempotencyKey, response: Data, result: AppendResult) {
    self.key = key
    self.response = response
    self.result = result
  }
}

/// One atomic append: events for one or more streams, conditions, and an optional idempotency record.
public struct Append: Sendable, Hashable {
  public var writes: [StreamWrite]
  public var conditions: [StreamCondition]
  /// Recorded with the events; an append whose key is already recorded writes nothing.
  public var idempotency: IdempotencyKey?
  /// The answer to store with the idempotency key.
  public var response: Data

  public init(
    writes: [StreamWrite], conditions: [StreamCondition] = [], idempotency: IdempotencyKey? = nil,
    response: Data = Data()
  ) {
    self.writes = writes
    self.conditions = conditions
    self.idempotency = idempotency
    self.response = response
  }

  /// One stream, one expectation.
  public init(_ events: [ProposedEvent], to stream: StreamName, expecting expected: ExpectedVersion = .any) {
    self.init(writes: [StreamWrite(stream: stream, expected: expected, events: events)])
  }

  /// All events of the append, in the order they get positions.
  public var allEvents: [ProposedEvent] { writes.flatMap(\.events) }
}

/// The version a stream reached in an append.
public struct StreamVersion: Sendable, Hashable, Codable {
  public var stream: StreamName
  public var version: Int64

  public init(stream: StreamName, version: Int64) {
    self.stream = stream
    self.version = version
  }
}

/// What an append did: the positions of its events, in order, and each written stream's new version.
public struct AppendResult: Sendable, Hashable, Codable {
  public var positions: [Int64]
  public var streamVersions: [StreamVersion]
  public var recordedAtMilliseconds: Int64

  public init(positions: [Int64], streamVersions: [StreamVersion], recordedAtMilliseconds: Int64) {
    self.positions = positions
    self.streamVersions = streamVersions
    self.recordedAtMilliseconds = recordedAtMilliseconds
  }

  /// The last position written, or nil for an append that wrote nothing.
  public var lastPosition: Int64? { positions.last }

  /// The version `stream` reached, if this append wrote it.
  public func version(of stream: StreamName) -> Int64? {
    streamVersions.first { $0.stream == stream }?.version
  }
}
