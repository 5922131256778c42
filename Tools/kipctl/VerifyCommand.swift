import ArgumentParser
import DepositLedger
import EventLog
import EventLogBackends
import EventLogSQLite
import Foundation
import SharedKernel

struct VerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify", abstract: "Recompute the hash chain; exit 1 at the first bad position.",
    discussion: """
      On SQLite it also checks each event's stored category (kept beside the stream name for \
      reads by category, and not covered by the chain) against the category its stream name gives.
      """)

  @OptionGroup var logOptions: LogOptions
  @Option(help: "A head file published earlier (`POSITION HASH`): the chain must still pass through it.")
  var head: String?
  @Flag(help: "Also check every invariant of the deposit ledger from its events (balanced entries, maker–checker, reversals, closed periods, deposits within borrowings and own funds).")
  var ledger = false

  func run() async throws {
    try await reportingFailures {
      let published = try head.map(PublishedHead.read)
      let store = try await logOptions.open()
      let sealed = try await store.head().sealedThrough
      var progress = Progress("verify", total: sealed)
      let chain: Result<Int64, ChainVerifier.Break>
      do {
        chain = .success(try await ChainVerification.verify(store, through: sealed) { progress.advance(by: $0) })
      } catch let error as ChainVerifier.Break {
        chain = .failure(error)
      }
      progress.finish()
      // The first bad position wins, whichever check found it.
      if let sqlite = store as? SQLiteEventStore {
        var before = sealed
        if case .failure(let broken) = chain { before = broken.position - 1 }
        if let mismatch = try await sqlite.firstCategoryMismatch(through: before) { fail(mismatch.description) }
      }
      let count = try chain.get()
      if let published {
        guard published.position <= sealed else {
          fail("the log ends at \(sealed), before the published head at position \(published.position)")
        }
        let event = try await store.read(after: published.position - 1, category: nil, limit: 1).first
        guard event?.hash == published.hash else {
          fail("the chain does not match the published head at position \(published.position)")
        }
      }
      // On PostgreSQL committed events wait briefly for the sealer: they are not checked yet.
      let unsealed = try await unsealedEventCount(store)
      let audit = ledger ? try await Self.audit(store) : nil
      await store.close()
      print(unsealed == 0 ? "ok \(count) events" : "ok \(count) events; \(unsealed) not sealed yet")
      if let audit {
        var audit = audit
        let findings = audit.finish()
        guard findings.isEmpty else {
          fail("the deposit ledger breaks \(findings.count) invariant(s):\n" + findings.prefix(20).map { "  \($0)" }.joined(separator: "\n"))
        }
        print("ledger ok: \(audit.entries) entries, \(audit.approvals) approved")
      }
    }
  }
}

extension VerifyCommand {
  /// The deposit ledger's events in position order, through ``LedgerAudit``.
  static func audit(_ store: any EventStore) async throws -> LedgerAudit {
    var audit = LedgerAudit()
    var after: Int64 = 0
    while true {
      let page = try await store.read(after: after, category: nil, limit: 5_000)
      for event in page {
        switch event.stream.category {
        case Borrowing.category:
          if let journal = try Borrowing.codec.decode(event).journalEvent { audit.apply(journal, stream: event.stream, position: event.position) }
        case Deposit.category:
          if let journal = try Deposit.codec.decode(event).journalEvent { audit.apply(journal, stream: event.stream, position: event.position) }
        case ManualEntry.category: audit.apply(try ManualEntry.codec.decode(event), stream: event.stream, position: event.position)
        case Period.category: audit.apply(try Period.codec.decode(event))
        case BankAccounts.category where BankAccounts.codec.reads(event.type): audit.apply(try BankAccounts.codec.decode(event))
        case BankStatements.category: audit.apply(try BankStatements.codec.decode(event), account: try BankAccountID(event.stream.id), position: event.position)
        default: break
        }
      }
      guard let last = page.last, page.count == 5_000 else { break }
      after = last.position
    }
    return audit
  }
}

struct HeadCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "head", abstract: "Print the head (position and hash) for publishing outside the database.")

  @OptionGroup var logOptions: LogOptions

  func run() async throws {
    try await reportingFailures {
      let store = try await logOptions.open()
      let head = try await store.head()
      await store.close()
      print(PublishedHead(position: head.sealedThrough, hash: head.hash).line)
    }
  }
}

/// A head published outside the database: `POSITION HEXHASH`.
struct PublishedHead {
  var position: Int64
  var hash: Data

  var line: String { "\(position) \(hash.hexadecimal)" }

  static func read(_ path: String) throws -> PublishedHead {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw ValidationError("cannot read head file \(path)")
    }
    let parts = text.split(whereSeparator: \.isWhitespace)
    guard parts.count == 2, let position = Int64(parts[0]), let hash = Data(hex: String(parts[1])), hash.count == 32 else {
      throw ValidationError("head file \(path) is not `POSITION HASH`")
    }
    return PublishedHead(position: position, hash: hash)
  }
}

extension Data {
  init?(hex: String) {
    guard hex.count.isMultiple(of: 2) else { return nil }
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
      bytes.append(byte)
      index = next
    }
    self.init(bytes)
  }
}
