public import EventLog
public import Foundation

/// What the conformance suite needs from a backend under test.
public protocol ConformanceBackend: Sendable {
  /// A new, empty log whose record times come from `clock`.
  func makeStore(clock: @escaping @Sendable () -> Date) async throws -> any EventStore
  /// A second, independent handle on the same log as `store`, as another instance would open it.
  func openAgain(_ store: any EventStore) async throws -> any EventStore
  /// Appends `count` events to `stream` from another operating-system process.
  func appendFromAnotherProcess(to store: any EventStore, stream: StreamName, count: Int) async throws
}

extension ConformanceBackend {
  /// A new, empty log on the system clock.
  public func makeStore() async throws -> any EventStore {
    try await makeStore(clock: { Date() })
  }
}

/// A conformance expectation that did not hold.
public struct ConformanceFailure: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// One named behaviour every `EventStore` must have.
public struct ConformanceCheck: Sendable, CustomStringConvertible {
  public let name: String
  let body: @Sendable (any ConformanceBackend) async throws -> Void

  public var description: String { name }

  /// Runs the check against `backend`; throws ``ConformanceFailure`` when the store misbehaves.
  public func run(on backend: any ConformanceBackend) async throws {
    try await body(backend)
  }
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
  guard condition else { throw ConformanceFailure(message()) }
}

/// Expects `body` to throw an `EventLogError` matching `matches`.
func requireError<T>(
  _ what: String, _ body: () async throws -> T, matches: (EventLogError) -> Bool
) async throws {
  do {
    _ = try await body()
  } catch let error as EventLogError {
    try require(matches(error), "\(what): unexpected error \(error)")
    return
  }
  throw ConformanceFailure("\(what): expected an error, but it succeeded")
}

func stream(_ name: String) -> StreamName {
  // Names in the suite are literals known to be valid.
  (try? StreamName(name)) ?? StreamName(unchecked: "invalid-name")
}

func event(_ type: String = "Test.Happened", _ json: String = "{}", id: UUID = UUIDv7.make()) -> ProposedEvent {
  ProposedEvent(eventID: id, type: type, data: Data(json.utf8), metadata: Data(#"{"actor":"test"}"#.utf8))
}

func events(_ count: Int, type: String = "Test.Happened") -> [ProposedEvent] {
  (0..<count).map { event(type, #"{"n":\#($0)}"#) }
}

/// Collects every event of a store in position order.
func everything(_ store: any EventStore) async throws -> [RecordedEvent] {
  var all: [RecordedEvent] = []
  var after: Int64 = 0
  while true {
    let page = try await store.read(after: after, category: nil, limit: 1000)
    guard let last = page.last else { return all }
    all += page
    after = last.position
  }
}
