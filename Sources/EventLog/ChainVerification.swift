import Foundation

/// Verifies a whole log's hash chain on every core: the log is cut into `workers` consecutive
/// parts, each scanned page by page (``EventStore/scan(after:category:limit:into:_:)``, no copy of
/// the events) by a ``ChainVerifier`` of its own, the parts side by side.
///
/// A part starts from the *stored* hash of the last event of the part before it, which that part
/// checks, so every link of the chain is checked: the chain holds exactly when one sequential
/// ``ChainVerifier`` would say so, and the first bad position reported is the same.
public enum ChainVerification {
  /// Checks every event up to `sealed`; answers how many were checked, or throws the first break.
  ///
  /// `onPage` is called on the caller's task after each round of pages (one page per part) with
  /// how many events the round checked.
  public static func verify(
    _ store: any EventStore, through sealed: Int64, pageSize: Int = 5000, workers: Int = 2,
    onPage: (Int) -> Void = { _ in }
  ) async throws -> Int64 {
    guard sealed > 0 else { return 0 }
    // A part of less than a page is not worth its own reader.
    let count = Int(Swift.min(Int64(Swift.max(1, workers)), Swift.max(1, sealed / Int64(Swift.max(1, pageSize)))))
    var parts: [Part] = []
    for index in 0..<count {
      let start = sealed * Int64(index) / Int64(count)
      let end = sealed * Int64(index + 1) / Int64(count)
      // If the event at `start` is missing, the part before reports the gap there, ahead of
      // anything this part could find; genesis only keeps this one going until then.
      let joint = start == 0 ? nil : try await store.read(after: start - 1, category: nil, limit: 1).first
      let previous = joint.flatMap { $0.position == start ? $0.hash : nil } ?? HashChain.genesis
      parts.append(Part(verifier: ChainVerifier(after: start, previous: previous), end: end))
    }
    let pageSize = Swift.max(1, pageSize)
    while let firstOpen = parts.firstIndex(where: \.isOpen) {
      // A break in one part makes every later part's findings moot: only earlier ones go on.
      let lastOpen = parts.firstIndex(where: { $0.broken != nil }).map { $0 - 1 } ?? parts.count - 1
      guard firstOpen <= lastOpen else { break }
      let before = parts.reduce(0) { $0 + $1.verifier.count }
      parts = try await withThrowingTaskGroup(of: (Int, Part).self) { group in
        for index in firstOpen...lastOpen where parts[index].isOpen {
          let part = parts[index]
          group.addTask { (index, try await part.advanced(in: store, pageSize: pageSize)) }
        }
        var advanced = parts
        for try await (index, part) in group { advanced[index] = part }
        return advanced
      }
      onPage(Int(parts.reduce(0) { $0 + $1.verifier.count } - before))
    }
    if let first = parts.compactMap(\.broken).min(by: { $0.position < $1.position }) { throw first }
    return parts.reduce(0) { $0 + $1.verifier.count }
  }

  /// One stretch of the log, `(verifier.position, end]`, and how far its check got.
  struct Part: Sendable {
    var verifier: ChainVerifier
    let end: Int64
    var broken: ChainVerifier.Break?
    /// The log ended before `end` (a store whose head moved back): nothing more to read.
    var exhausted = false

    var isOpen: Bool { broken == nil && !exhausted && verifier.position < end }

    /// Checks the next page.
    func advanced(in store: any EventStore, pageSize: Int) async throws -> Part {
      var next = self
      let limit = Int(Swift.min(Int64(pageSize), end - verifier.position))
      do {
        let summary = try await store.scan(after: verifier.position, category: nil, limit: limit, into: &next.verifier) {
          verifier, event in try verifier.check(event)
        }
        if summary.count == 0 { next.exhausted = true }
      } catch let error as ChainVerifier.Break {
        next.broken = error
      }
      return next
    }
  }
}
