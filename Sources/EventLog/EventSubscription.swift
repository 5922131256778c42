/// Events after a position, catching up in pages and then following the log live.
///
/// Pull-based: a page is read only when the consumer has taken the previous one, so a slow
/// consumer applies back-pressure instead of filling memory. Appends by other processes are
/// seen too (the store's ``EventStore/waitForAppends(after:timeout:)`` notices them).
public struct EventSubscription: AsyncSequence, Sendable {
  public typealias Element = RecordedEvent

  let store: any EventStore
  let position: Int64
  let category: String?
  let batchSize: Int

  init(store: any EventStore, after position: Int64, category: String?, batchSize: Int) {
    self.store = store
    self.position = position
    self.category = category
    self.batchSize = Swift.max(1, batchSize)
  }

  public func makeAsyncIterator() -> Iterator {
    Iterator(store: store, position: position, category: category, batchSize: batchSize)
  }

  /// Pulls pages on demand; ends (returns nil) when its task is cancelled.
  public struct Iterator: AsyncIteratorProtocol {
    let store: any EventStore
    /// The last position handed out.
    var position: Int64
    /// Every matching event up to here has been read (a category read may skip ahead).
    var scanned: Int64
    let category: String?
    let batchSize: Int
    var buffer: [RecordedEvent] = []
    var index = 0

    init(store: any EventStore, position: Int64, category: String?, batchSize: Int) {
      self.store = store
      self.position = position
      self.scanned = position
      self.category = category
      self.batchSize = batchSize
    }

    public mutating func next() async throws -> RecordedEvent? {
      while index >= buffer.count {
        if Task.isCancelled { return nil }
        // Read the head first: once a read after `position` is empty, nothing up to that head matches.
        let head = try await store.head().position
        let page = try await store.read(after: position, category: category, limit: batchSize)
        if page.isEmpty {
          scanned = Swift.max(scanned, head)
          _ = try await store.waitForAppends(after: scanned, timeout: .seconds(1))
          continue
        }
        buffer = page
        index = 0
      }
      let event = buffer[index]
      index += 1
      position = event.position
      scanned = Swift.max(scanned, position)
      if index == buffer.count {
        buffer = []
        index = 0
      }
      return event
    }
  }
}
