import ArgumentParser
import EventLog
import EventLogBackends
import Foundation

struct MigrateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Copy a log to another backend exactly: positions, event ids, stored bytes, record times, hashes.",
    discussion: """
      Copies in pages with importRecorded, so the target refuses anything that does not continue its chain.
      An interrupted migration resumes: run it again and it continues after the target's head.
      Example: kipctl migrate --from sqlite:///var/lib/kip/events.sqlite --to postgres://kip@db/kip
      """)

  @Option(help: "The log to copy from (sqlite:///… or postgres://…).") var from: String
  @Option(help: "The log to copy into; empty, or a copy of the source's first events.") var to: String
  @Option(help: "Events per imported transaction.") var pageSize = 5000

  func validate() throws {
    for text in [from, to] {
      do { _ = try LogLocation(parsing: text) } catch { throw ValidationError(error.description) }
    }
    guard pageSize > 0 else { throw ValidationError("--page-size must be positive") }
    guard try LogLocation(parsing: from) != LogLocation(parsing: to) else {
      throw ValidationError("--from and --to name the same log")
    }
  }

  func run() async throws {
    try await reportingFailures {
      let source = try await openEventStore(try LogLocation(parsing: from), options: EventStoreOptions(createIfMissing: false))
      let target = try await openEventStore(try LogLocation(parsing: to), options: EventStoreOptions(createIfMissing: true))
      let sourceHead = try await source.head()
      let targetHead = try await target.head()
      var after = targetHead.position
      if after > 0 {
        // Resuming: the target must be a prefix of the source.
        let same = try await source.read(after: after - 1, category: nil, limit: 1).first
        guard same?.hash == targetHead.hash else {
          throw EventLogError.importMismatch(position: after, reason: "the target is not a copy of the source's first \(after) events")
        }
      }
      let through = sourceHead.sealedThrough
      var progress = Progress("migrate", total: through - after)
      var copied: Int64 = 0
      while after < through {
        let page = try await source.read(after: after, category: nil, limit: pageSize).filter { $0.position <= through }
        guard let last = page.last else { break }
        try await target.importRecorded(page)
        copied += Int64(page.count)
        progress.advance(by: page.count)
        after = last.position
      }
      progress.finish()
      let head = try await target.head()
      await source.close()
      await target.close()
      print("migrated \(copied) events; head \(PublishedHead(position: head.position, hash: head.hash).line)")
    }
  }
}
