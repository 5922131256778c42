public import Foundation

/// The shape of every context: pure `decide` and `evolve` over values, no clock, no I/O.
public protocol Decider {
  associatedtype Command: Sendable
  associatedtype Event: Sendable
  associatedtype State: Sendable
  associatedtype Failure: Error

  /// The state of a stream with no events.
  static var initialState: State { get }
  /// Every business rule: what happens if `command` meets `state`.
  static func decide(_ command: Command, _ state: State) throws(Failure) -> [Event]
  /// Folds one event into the state.
  static func evolve(_ state: State, _ event: Event) -> State
}

/// What running a command did.
public struct CommandOutcome<State: Sendable, Event: Sendable>: Sendable {
  /// The append, or nil when the decision was to record nothing.
  public var result: AppendResult?
  /// The events decided (empty for a replayed idempotent request).
  public var events: [Event]
  /// The stream's state after the command.
  public var state: State
  /// The stream's version after the command (nil: the stream still does not exist).
  public var version: Int64?
  /// Set when the idempotency key was recorded already with the same request: the first answer.
  public var replayed: IdempotencyRecord?
}

/// Loads a stream, folds it, decides, and appends with the expected version; retries a
/// concurrency conflict by reloading, unless the caller asked for an exact version (a client's
/// `If-Match`), which is never retried.
public struct CommandRunner<Event: Sendable>: Sendable {
  public let store: any EventStore
  public let codec: EventCodec<Event>
  /// Attempts on conflict before giving up with the conflict.
  public let maxAttempts: Int
  let makeEventID: @Sendable () -> UUID

  public init(
    store: any EventStore, codec: EventCodec<Event>, maxAttempts: Int = 5,
    makeEventID: @escaping @Sendable () -> UUID = { UUIDv7.make() }
  ) {
    self.store = store
    self.codec = codec
    self.maxAttempts = max(1, maxAttempts)
    self.makeEventID = makeEventID
  }

  /// Loads `stream` and folds it with `evolve` from `initial`.
  public func load<State>(
    _ stream: StreamName, initial: State, evolve: (State, Event) -> State
  ) async throws -> (state: State, version: Int64?) {
    var state = initial
    var version: Int64?
    for recorded in try await store.readAll(stream: stream) {
      state = evolve(state, try codec.decode(recorded))
      version = recorded.version
    }
    return (state, version)
  }

  /// Runs one command against one stream.
  ///
  /// - Parameters:
  ///   - expecting: nil to load the current version and retry on conflict; a value (from
  ///     `If-Match`) to require it, with a conflict thrown at once.
  ///   - conditions: other streams that must still be as expected.
  ///   - idempotency: looked up before deciding; same digest answers the first result.
  ///   - response: the answer to record with the idempotency key, from the new state and events.
  ///   - decide: the context's decision given the loaded state.
  public func run<State: Sendable>(
    stream: StreamName,
    initial: State,
    evolve: @escaping (State, Event) -> State,
    expecting: ExpectedVersion? = nil,
    conditions: [StreamCondition] = [],
    metadata: EventMetadata,
    idempotency: IdempotencyKey? = nil,
    response: (State, [Event]) -> Data = { _, _ in Data() },
    decide: (State) throws -> [Event]
  ) async throws -> CommandOutcome<State, Event> {
    if let idempotency, let recorded = try await store.idempotencyRecord(scope: idempotency.scope, key: idempotency.key) {
      guard recorded.key.requestDigest == idempotency.requestDigest else {
        throw EventLogError.idempotencyKeyReused(scope: idempotency.scope, key: idempotency.key)
      }
      let (state, version) = try await load(stream, initial: initial, evolve: evolve)
      return CommandOutcome(result: recorded.result, events: [], state: state, version: version, replayed: recorded)
    }
    let metadataBytes = metadata.encoded()
    var attempt = 0
    while true {
      attempt += 1
      let (state, version) = try await load(stream, initial: initial, evolve: evolve)
      if case .exact(let wanted)? = expecting, wanted != version {
        throw EventLogError.wrongExpectedVersion(stream: stream, expected: .exact(wanted), actual: version)
      }
      let events = try decide(state)
      let after = events.reduce(state, evolve)
      guard !events.isEmpty else {
        return CommandOutcome(result: nil, events: [], state: state, version: version, replayed: nil)
      }
      var proposed: [ProposedEvent] = []
      for event in events {
        proposed.append(try codec.propose(event, id: makeEventID(), metadata: metadataBytes))
      }
      let expected: ExpectedVersion = expecting ?? (version.map { .exact($0) } ?? .noStream)
      let append = Append(
        writes: [StreamWrite(stream: stream, expected: expected, events: proposed)],
        conditions: conditions, idempotency: idempotency, response: response(after, events))
      let result: AppendResult
      do {
        result = try await store.append(append)
      } catch {
        switch error {
        case .wrongExpectedVersion where expecting == nil && attempt < maxAttempts:
          continue
        case .alreadyRecorded(let record):
          // Another request with the same key and body won the race: answer as it was answered.
          let (state, version) = try await load(stream, initial: initial, evolve: evolve)
          return CommandOutcome(result: record.result, events: [], state: state, version: version, replayed: record)
        default:
          throw error
        }
      }
      return CommandOutcome(
        result: result, events: events, state: after, version: result.version(of: stream), replayed: nil)
    }
  }

  /// Runs a ``Decider``'s command against one stream.
  public func run<D: Decider>(
    _ decider: D.Type, _ command: D.Command, on stream: StreamName, expecting: ExpectedVersion? = nil,
    metadata: EventMetadata, idempotency: IdempotencyKey? = nil
  ) async throws -> CommandOutcome<D.State, Event> where D.Event == Event {
    try await run(
      stream: stream, initial: D.initialState, evolve: D.evolve, expecting: expecting, metadata: metadata,
      idempotency: idempotency
    ) { state in try D.decide(command, state) }
  }
}
