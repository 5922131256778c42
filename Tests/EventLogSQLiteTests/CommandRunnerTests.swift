import EventLog
import EventLogSQLite
import Foundation
import TestSupport
import Testing

/// A tiny decider: a counter that refuses to pass its limit.
enum Counter: Decider {
  struct Incremented: RecordableEvent, Equatable {
    static let eventType = "Test.Incremented"
    static let schemaVersion = 2
    var by: Int
  }

  enum Event: Sendable, Equatable { case incremented(Incremented) }
  enum Failure: Error, Equatable { case limitReached(Int) }
  struct Command: Sendable { var by: Int; var limit: Int }

  static let initialState = 0

  static func decide(_ command: Command, _ state: Int) throws(Failure) -> [Event] {
    guard state + command.by <= command.limit else { throw .limitReached(command.limit) }
    return [.incremented(Incremented(by: command.by))]
  }

  static func evolve(_ state: Int, _ event: Event) -> Int {
    switch event { case .incremented(let e): state + e.by }
  }

  static var codec: EventCodec<Event> {
    var codec = EventCodec<Event>()
    codec.register(Incremented.self, embed: Event.incremented) { if case .incremented(let e) = $0 { e } else { nil } }
    // Version 1 stored the amount as "amount".
    codec.upcast(Incremented.eventType, from: 1) { data in
      let old = try JSONDecoder().decode([String: Int].self, from: data)
      return try JSONEncoder().encode(["by": old["amount"] ?? 0])
    }
    return codec
  }
}

func fastStore() async throws -> SQLiteEventStore {
  var configuration = SQLiteConfiguration(path: temporaryFolder().appending(path: "events.sqlite").path)
  configuration.durability = .normal
  return try await SQLiteEventStore.open(configuration)
}

@Suite("Command runner: load, decide, append, retry")
struct CommandRunnerTests {
  let metadata = EventMetadata(actor: "u-1", role: "desk", correlationID: "req-1", source: "test")

  @Test("racing commands are retried on conflict and the rule holds: the counter stops exactly at its limit")
  func retriesKeepTheRule() async throws {
    let store = try await fastStore()
    let runner = CommandRunner(store: store, codec: Counter.codec, maxAttempts: 50)
    let stream = try StreamName("counter-1")
    let outcomes = await withTaskGroup(of: Bool.self) { group in
      for _ in 0..<20 {
        group.addTask {
          do {
            _ = try await runner.run(Counter.self, .init(by: 1, limit: 10), on: stream, metadata: metadata)
            return true
          } catch { return false }
        }
      }
      return await group.reduce(into: [Bool]()) { $0.append($1) }
    }
    #expect(outcomes.filter { $0 }.count == 10)
    let (state, version) = try await runner.load(stream, initial: 0, evolve: Counter.evolve)
    #expect(state == 10)
    #expect(version == 9)
    await store.close()
  }

  @Test("a command with an exact expected version (If-Match) is not retried on conflict")
  func exactIsNotRetried() async throws {
    let store = try await fastStore()
    let runner = CommandRunner(store: store, codec: Counter.codec)
    let stream = try StreamName("counter-2")
    _ = try await runner.run(Counter.self, .init(by: 1, limit: 10), on: stream, metadata: metadata)
    _ = try await runner.run(Counter.self, .init(by: 1, limit: 10), on: stream, metadata: metadata)
    await #expect(throws: EventLogError.wrongExpectedVersion(stream: stream, expected: .exact(0), actual: 1)) {
      try await runner.run(Counter.self, .init(by: 1, limit: 10), on: stream, expecting: .exact(0), metadata: metadata)
    }
    #expect(try await store.version(of: stream) == 1)
    await store.close()
  }

  @Test("a rule's refusal reaches the caller as the context's typed error and writes nothing")
  func refusal() async throws {
    let store = try await fastStore()
    let runner = CommandRunner(store: store, codec: Counter.codec)
    await #expect(throws: Counter.Failure.limitReached(3)) {
      try await runner.run(Counter.self, .init(by: 5, limit: 3), on: try StreamName("counter-3"), metadata: metadata)
    }
    #expect(try await store.head().position == 0)
    await store.close()
  }

  @Test("an idempotent retry answers the first result; a changed body with the same key is refused")
  func idempotentRetry() async throws {
    let store = try await fastStore()
    let runner = CommandRunner(store: store, codec: Counter.codec)
    let stream = try StreamName("counter-4")
    let key = IdempotencyKey(scope: "test/u-1", key: "abc", requestDigest: Data("body-1".utf8))
    let first = try await runner.run(Counter.self, .init(by: 2, limit: 10), on: stream, metadata: metadata, idempotency: key)
    let retry = try await runner.run(Counter.self, .init(by: 2, limit: 10), on: stream, metadata: metadata, idempotency: key)
    #expect(retry.replayed?.result == first.result)
    #expect(retry.state == 2)
    var changed = key
    changed.requestDigest = Data("body-2".utf8)
    await #expect(throws: EventLogError.idempotencyKeyReused(scope: key.scope, key: key.key)) {
      try await runner.run(Counter.self, .init(by: 3, limit: 10), on: stream, metadata: metadata, idempotency: changed)
    }
    #expect(try await store.head().position == 1)
    await store.close()
  }

  @Test("events are stored under their stable type and version with the actor's metadata, and old versions are upcast")
  func storedShape() async throws {
    let store = try await fastStore()
    let runner = CommandRunner(store: store, codec: Counter.codec)
    let stream = try StreamName("counter-5")
    _ = try await store.append(Append([ProposedEvent(type: "Test.Incremented", schemaVersion: 1, data: Data(#"{"amount":4}"#.utf8))], to: stream))
    _ = try await runner.run(Counter.self, .init(by: 1, limit: 10), on: stream, metadata: metadata)
    let recorded = try await store.readAll(stream: stream)
    #expect(recorded[1].type == "Test.Incremented" && recorded[1].schemaVersion == 2)
    #expect(String(decoding: recorded[1].data, as: UTF8.self) == #"{"by":1}"#)
    let decodedMetadata = try JSONDecoder().decode(EventMetadata.self, from: recorded[1].metadata)
    #expect(decodedMetadata == metadata)
    let (state, _) = try await runner.load(stream, initial: 0, evolve: Counter.evolve)
    #expect(state == 5)
    await store.close()
  }
}
