import ArgumentParser
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
      await store.close()
      print(unsealed == 0 ? "ok \(count) events" : "ok \(count) events; \(unsealed) not sealed yet")
    }
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
