public import EventLog
public import Foundation
public import HTTPTypes
public import Hummingbird

/// One attempt at a decision over several streams: every stream read is remembered with its
/// version, every stream written gets that version as its expected version, and every stream
/// read but not written becomes a condition. So the append succeeds only if nothing the decision
/// looked at changed meanwhile; otherwise the whole decision is made again.
public final class Transaction {
  public let store: any EventStore
  let metadata: Data
  private var versions: [StreamName: Int64?] = [:]
  /// Each stream's state as first folded in this attempt, so a decision sees one version of it.
  private var states: [StreamName: Folded] = [:]

  /// A folded state, boxed: a `nil` state (a stream that does not exist) is remembered too.
  private struct Folded {
    var state: Any
  }
  private var writes: [(stream: StreamName, events: [ProposedEvent])] = []

  public init(store: any EventStore, metadata: Data) {
    self.store = store
    self.metadata = metadata
  }

  /// Reads and folds a stream (once per attempt; a second read answers from the first).
  public func load<Event, State>(
    _ stream: StreamName, codec: EventCodec<Event>, initial: State, evolve: (State, Event) -> State
  ) async throws -> State {
    if let known = states[stream], let state = known.state as? State { return state }
    var state = initial
    var version: Int64?
    for recorded in try await store.readAll(stream: stream) {
      state = evolve(state, try codec.decode(recorded))
      version = recorded.version
    }
    versions[stream] = .some(version)
    states[stream] = Folded(state: state)
    return state
  }

  /// The version a stream had when it was read (nil: it did not exist).
  public func version(of stream: StreamName) -> Int64? { versions[stream] ?? nil }

  /// Queues events for a stream that was read in this attempt.
  public func write<Event>(_ events: [Event], to stream: StreamName, codec: EventCodec<Event>) throws {
    guard !events.isEmpty else { return }
    precondition(versions[stream] != nil, "\(stream) is written without being read first")
    let proposed = try events.map { try codec.propose($0, metadata: metadata) }
    if let index = writes.firstIndex(where: { $0.stream == stream }) {
      writes[index].events += proposed
    } else {
      writes.append((stream, proposed))
    }
  }

  public var isEmpty: Bool { writes.isEmpty }

  /// The append: writes at the versions read (`primary` first, so a replay finds its ETag's
  /// stream first), conditions on the rest.
  func append(primary: StreamName, idempotency: IdempotencyKey?, response: Data) -> Append {
    let written = Set(writes.map(\.stream))
    let ordered = writes.filter { $0.stream == primary } + writes.filter { $0.stream != primary }
    return Append(
      writes: ordered.map { StreamWrite(stream: $0.stream, expected: Self.expected(versions[$0.stream] ?? nil), events: $0.events) },
      conditions: versions.keys.filter { !written.contains($0) }.sorted().map {
        StreamCondition(stream: $0, expected: Self.expected(versions[$0] ?? nil))
      },
      idempotency: idempotency, response: response)
  }

  static func expected(_ version: Int64?) -> ExpectedVersion { version.map { .exact($0) } ?? .noStream }
}

/// Thrown by a decision that saw two streams disagree because another decision committed
/// between its reads (a year's case number issued, yet its case already there): the reads
/// were not one moment's, so the decision is made again, as after a conflict.
public struct StaleRead: Error, Sendable {
  public var stream: StreamName
  public init(_ stream: StreamName) { self.stream = stream }
}

/// What a decision answers: the stream whose version is the ETag, the status and the body.
public struct Outcome<Body: Encodable & Sendable>: Sendable {
  public var stream: StreamName
  public var status: HTTPResponse.Status
  public var body: Body
  /// When the body holds personal data: whose key seals the answer kept in the idempotency
  /// record (``Decisions/vault``), so that erasing the owner erases the kept answer too.
  public var personalDataOwner: String?

  public init(stream: StreamName, status: HTTPResponse.Status, body: Body, personalDataOwner: String? = nil) {
    self.stream = stream
    self.status = status
    self.body = body
    self.personalDataOwner = personalDataOwner
  }
}

/// A kept answer sealed under its owner's key.
struct SealedAnswer: Codable {
  var owner: String
  var sealed: Data
}

/// Runs decisions over several streams by the services' conventions: the idempotency key is
/// looked up before deciding (a retry gets the first answer; the same key with another body is
/// refused), `If-Match` must equal the main stream's version (412, never retried), and any
/// other conflict makes the decision again, a few times.
public struct Decisions: Sendable {
  public let store: any EventStore
  /// A conflict makes the decision again, after a short random pause that grows with each
  /// attempt, until this many attempts or ``retryBudget`` has passed: a stream every decision
  /// of a kind writes (a year's case numbers) sees one winner per round, so twenty at once
  /// need twenty rounds.
  let attempts = 64
  let retryBudget: Duration = .seconds(10)

  /// Seals the kept answers of outcomes that name a ``Outcome/personalDataOwner``.
  public let vault: (any PersonalDataVault)?

  public init(store: any EventStore, vault: (any PersonalDataVault)? = nil) {
    self.store = store
    self.vault = vault
  }

  /// The bytes kept in the idempotency record: the answer, sealed when it holds personal data.
  func kept(_ answer: WriteAnswer, owner: String?) throws -> Data {
    guard let owner else { return answer.recorded() }
    guard let vault else { throw Problem(.internalError, "an answer with personal data needs the key store, and this service has none") }
    do {
      return try JSONEncoder().encode(SealedAnswer(owner: owner, sealed: try vault.seal(answer.recorded(), owner: owner)))
    } catch let error as PersonalDataError {
      throw Problem(.ruleViolated, error.description)
    }
  }

  /// The first answer from its kept bytes; refused with 410 when its personal data was erased since.
  func firstAnswer(_ kept: Data) throws -> WriteAnswer {
    if let answer = try? JSONDecoder().decode(WriteAnswer.self, from: kept) { return answer }
    let sealed = try JSONDecoder().decode(SealedAnswer.self, from: kept)
    guard let vault else { throw Problem(.internalError, "a kept answer is sealed, and this service has no key store") }
    guard let plain = try vault.open(sealed.sealed, owner: sealed.owner) else {
      throw Problem(.erased, "この要求への最初の応答は個人情報を含んでいたため、消去とともに破棄されました（記録は残っています）")
    }
    return try JSONDecoder().decode(WriteAnswer.self, from: plain)
  }

  /// What an attempt ended with.
  enum Appended {
    case appended(AppendResult)
    /// Another request with the same key and body won the race: answer as it was answered.
    case replayed(IdempotencyRecord)
    /// The decision was to record nothing (the main stream's version, for the ETag).
    case nothing(Int64?)
  }

  /// Decides and appends for a request; `decide` reads what it needs from the transaction,
  /// queues its events and answers the outcome.
  public func respond<Body: Encodable & Sendable>(
    to write: WriteRequest, _ decide: (Transaction) async throws -> Outcome<Body>
  ) async throws -> Response {
    if let recorded = try await store.idempotencyRecord(scope: write.idempotency.scope, key: write.idempotency.key) {
      return try replay(recorded, of: write)
    }
    let (outcome, appended) = try await run(metadata: write.metadata, idempotency: write.idempotency, expected: write.expectedVersion, decide)
    let answer = WriteAnswer(status: outcome.status, body: outcome.body)
    switch appended {
    case .replayed(let record): return try replay(record, of: write)
    case .appended(let result): return answer.response(stream: outcome.stream, result: result, version: nil, replayed: false)
    case .nothing(let version): return answer.response(stream: outcome.stream, result: nil, version: version, replayed: false)
    }
  }

  /// An API write: reads the conventions' headers and the body, then decides and appends as
  /// ``respond(to:_:)`` does; `decide` gets the write (to decode its body) and the transaction.
  public func respond<Body: Encodable & Sendable>(
    to request: Request, context: KIPRequestContext, service: String, _ decide: (WriteRequest, Transaction) async throws -> Outcome<Body>
  ) async throws -> Response {
    let write = try await WriteRequest(request, context: context, service: service)
    return try await respond(to: write) { t in try await decide(write, t) }
  }

  /// What a page's form post did: the answer's JSON, the position written (to wait for before
  /// showing the next page), and whether it was a double submit answered from the first.
  public struct Submitted: Sendable {
    public var answer: Data
    public var position: Int64?
    public var replayed: Bool
  }

  /// A page's write: the same decision, answered as data for the page to show.
  public func submit<Body: Encodable & Sendable>(_ write: WriteRequest, _ decide: (Transaction) async throws -> Outcome<Body>) async throws -> Submitted {
    func first(_ record: IdempotencyRecord) throws -> Submitted {
      guard record.key.requestDigest == write.idempotency.requestDigest else {
        throw Problem(logError: .idempotencyKeyReused(scope: write.idempotency.scope, key: write.idempotency.key))
      }
      let answer = try firstAnswer(record.response)
      return Submitted(answer: answer.body, position: record.result.lastPosition, replayed: true)
    }
    if let recorded = try await store.idempotencyRecord(scope: write.idempotency.scope, key: write.idempotency.key) { return try first(recorded) }
    let (outcome, appended) = try await run(metadata: write.metadata, idempotency: write.idempotency, expected: write.expectedVersion, decide)
    let body = WriteAnswer(status: outcome.status, body: outcome.body).body
    switch appended {
    case .replayed(let record): return try first(record)
    case .appended(let result): return Submitted(answer: body, position: result.lastPosition, replayed: false)
    case .nothing: return Submitted(answer: body, position: nil, replayed: false)
    }
  }

  /// The same without an HTTP request (the lapse sweeper, the demo seed): retries conflicts.
  @discardableResult
  public func perform<Body: Encodable & Sendable>(
    metadata: EventMetadata, _ decide: (Transaction) async throws -> Outcome<Body>
  ) async throws -> Outcome<Body> {
    try await run(metadata: metadata, idempotency: nil, expected: nil, decide).0
  }

  private func run<Body: Encodable & Sendable>(
    metadata: EventMetadata, idempotency: IdempotencyKey?, expected: Int64?, _ decide: (Transaction) async throws -> Outcome<Body>
  ) async throws -> (Outcome<Body>, Appended) {
    let bytes = metadata.encoded()
    var attempt = 0
    let started = ContinuousClock.now
    while true {
      attempt += 1
      let transaction = Transaction(store: store, metadata: bytes)
      let outcome: Outcome<Body>
      do { outcome = try await decide(transaction) } catch let stale as StaleRead {
        guard attempt < attempts && ContinuousClock.now - started < retryBudget else {
          throw Problem(.conflict, "\(stale.stream) kept changing while this request was decided: send it again")
        }
        try? await Task.sleep(for: .microseconds(Int.random(in: 0...(500 * min(attempt, 20)))))
        continue
      } catch let error as any ProblemConvertible { throw error.problem } catch let error as EventLogError {
        // A stream name made from what the client sent (an id in the path) that cannot be one.
        if case .invalidStreamName = error { throw Problem(.notFound, "there is nothing at that id: \(error.description)") }
        throw Problem(logError: error)
      }
      let current = transaction.version(of: outcome.stream)
      if let expected, current != expected {
        throw Problem(
          .preconditionFailed, "\(outcome.stream) is at version \(current.map(String.init) ?? "none") now, not \(expected): reload and decide again",
          field: "If-Match", headers: current.map { [.eTag: ETag.make($0)] } ?? [:])
      }
      if transaction.isEmpty { return (outcome, .nothing(current)) }
      let answer = try kept(WriteAnswer(status: outcome.status, body: outcome.body), owner: outcome.personalDataOwner)
      do {
        return (outcome, .appended(try await store.append(transaction.append(primary: outcome.stream, idempotency: idempotency, response: answer))))
      } catch {
        switch error {
        case .wrongExpectedVersion where expected == nil && attempt < attempts && ContinuousClock.now - started < retryBudget:
          try? await Task.sleep(for: .microseconds(Int.random(in: 0...(500 * min(attempt, 20)))))
          continue
        case .wrongExpectedVersion(let stream, _, _) where expected != nil:
          throw Problem(.preconditionFailed, "\(stream) changed while this request was decided: reload and decide again", field: "If-Match")
        case .alreadyRecorded(let record):
          return (outcome, .replayed(record))
        default:
          throw Problem(logError: error)
        }
      }
    }
  }

  func replay(_ recorded: IdempotencyRecord, of write: WriteRequest) throws -> Response {
    guard recorded.key.requestDigest == write.idempotency.requestDigest else {
      throw Problem(logError: .idempotencyKeyReused(scope: write.idempotency.scope, key: write.idempotency.key))
    }
    let answer = try firstAnswer(recorded.response)
    guard let stream = recorded.result.streamVersions.first?.stream else {
      return answer.response(stream: try StreamName("replayed-answer"), result: recorded.result, version: nil, replayed: true)
    }
    return answer.response(stream: stream, result: recorded.result, version: nil, replayed: true)
  }
}
