import Foundation

/// Verifies a whole log's hash chain on every core, reading the next page while checking this one.
///
/// Each event is checked against its predecessor's *stored* hash, so the events of a page can be
/// checked in parallel; with every link checked, the chain holds exactly when a sequential
/// ``ChainVerifier`` would say so, and the first bad position reported is the same.
public enum ChainVerification {
  /// Checks every event up to `sealed`; answers how many were checked, or throws the first break.
  public static func verify(
    _ store: any EventStore, through sealed: Int64, pageSize: Int = 5000, workers: Int = 2,
    onPage: (Int) -> Void = { _ in }
  ) async throws -> Int64 {
    var carried = HashChain.genesis
    var expected: Int64 = 1
    var page = try await store.read(after: 0, category: nil, limit: pageSize).filter { $0.position <= sealed }
    var checked: Int64 = 0
    while !page.isEmpty {
      let last = page[page.count - 1].position
      async let next = last < sealed ? store.read(after: last, category: nil, limit: pageSize) : []
      try await check(page, after: carried, expecting: expected, workers: workers)
      checked += Int64(page.count)
      onPage(page.count)
      carried = page[page.count - 1].hash
      expected = last + 1
      page = try await next.filter { $0.position <= sealed }
    }
    return checked
  }

  /// Checks one page given the hash before it, splitting it among `workers`.
  static func check(_ page: [RecordedEvent], after previous: Data, expecting first: Int64, workers: Int) async throws {
    let chunk = (page.count + workers - 1) / Swift.max(1, workers)
    let breaks = await withTaskGroup(of: ChainVerifier.Break?.self) { group in
      for start in stride(from: 0, to: page.count, by: Swift.max(1, chunk)) {
        let end = Swift.min(start + chunk, page.count)
        let before = start == 0 ? previous : page[start - 1].hash
        let position = start == 0 ? first - 1 : page[start - 1].position
        group.addTask {
          var verifier = ChainVerifier(after: position, previous: before)
          for event in page[start..<end] {
            do throws(ChainVerifier.Break) { try verifier.check(event) } catch { return error }
          }
          return nil
        }
      }
      var found: [ChainVerifier.Break] = []
      for await result in group { if let result { found.append(result) } }
      return found
    }
    if let first = breaks.min(by: { $0.position < $1.position }) { throw first }
  }
}
