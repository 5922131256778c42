public import Crypto
public import EventLog
public import Foundation
import GRDB
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The key store beside the log (`personal-keys.sqlite` in the data directory): one AES-256 key
/// per owner (a case), kept wrapped by the master key from configuration, and destroyed for good
/// when the owner's personal data is erased.
///
/// - Sealing is AES-GCM with the owner's name as associated data, so a box copied into another
///   owner's field does not open.
/// - Destroying deletes the wrapped key with `secure_delete` on (SQLite zeroes the freed bytes),
///   checkpoints the WAL and truncates it, and leaves a tombstone: opening the owner's data then
///   reads as erased, and sealing more under it is refused.
/// - An owner the store has no key and no tombstone for is an error (``PersonalDataError/unknownKey(owner:)``),
///   so a missing or wrong key store never passes for an erasure.
/// - The store records a check value of its master key: opening it with another is refused.
///
/// Several processes may open the file (the succession service and kipctl): it is a WAL database
/// with a busy timeout; every call is one short transaction. Live keys are cached once read (an
/// event holds several sealed fields, and decoding runs on the service's hot paths); ``destroy(_:at:)``
/// drops them from this process's cache. Only the succession service destroys keys, so no other
/// process's cache can outlive a destroy that matters: kipctl reads keys and never erases.
public final class KeyVault: PersonalDataVault, Sendable {
  /// The file name inside the data directory.
  public static let fileName = "personal-keys.sqlite"

  public let path: String
  private let pool: DatabasePool
  /// The master key's bytes (`SymmetricKey` is not `Sendable` here).
  private let masterBytes: Data
  private var master: SymmetricKey { SymmetricKey(data: masterBytes) }
  /// Each live owner's key bytes once read or made here, and the owners destroyed by this
  /// process (a read racing a destroy never puts a key back).
  private let cache = Mutex<(live: [String: Data], destroyed: Set<String>)>(([:], []))

  private init(path: String, pool: DatabasePool, master: MasterKey) {
    self.path = path
    self.pool = pool
    self.masterBytes = master.bytes
  }

  /// Opens (creating if needed) the key store in `dataDirectory`.
  public static func open(dataDirectory: String, masterKey: MasterKey) throws(PersonalDataError) -> KeyVault {
    try open(path: (dataDirectory as NSString).appendingPathComponent(fileName), masterKey: masterKey)
  }

  /// Opens (creating if needed) the key store at `path`; refused when it was made with another master key.
  public static func open(path: String, masterKey: MasterKey) throws(PersonalDataError) -> KeyVault {
    let folder = (path as NSString).deletingLastPathComponent
    do {
      if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
      var configuration = Configuration()
      configuration.busyMode = .timeout(10)
      configuration.label = "kip-personal-keys"
      configuration.prepareDatabase { db in
        try db.execute(sql: "PRAGMA secure_delete = ON")
        if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = FULL") }
      }
      let pool = try DatabasePool(path: path, configuration: configuration)
      let check = masterKey.checkValue
      try pool.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA synchronous = FULL")
        try db.inTransaction(.immediate) {
          try db.execute(
            sql: """
              CREATE TABLE IF NOT EXISTS vault (id INTEGER PRIMARY KEY CHECK (id = 1), master_check BLOB NOT NULL);
              CREATE TABLE IF NOT EXISTS keys (owner TEXT PRIMARY KEY, wrapped BLOB NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
              CREATE TABLE IF NOT EXISTS destroyed (owner TEXT PRIMARY KEY, destroyed_at TEXT NOT NULL) WITHOUT ROWID;
              """)
          if let recorded = try Data.fetchOne(db, sql: "SELECT master_check FROM vault WHERE id = 1") {
            guard recorded == check else {
              throw PersonalDataError.keyStore("\(path) was made with another master key (KIP_MASTER_KEY / KIP_MASTER_KEY_FILE)")
            }
          } else {
            try db.execute(sql: "INSERT INTO vault (id, master_check) VALUES (1, ?)", arguments: [check])
          }
          return .commit
        }
      }
      return KeyVault(path: path, pool: pool, master: masterKey)
    } catch let error as PersonalDataError {
      throw error
    } catch {
      throw .keyStore("\(path): \(error)")
    }
  }

  // MARK: PersonalDataVault

  public func seal(_ plaintext: Data, owner: String) throws -> Data {
    let key = try key(for: owner, creating: true)!
    do {
      guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: Data(owner.utf8)).combined else {
        throw PersonalDataError.keyStore("AES-GCM gave no combined box")
      }
      return combined
    } catch let error as PersonalDataError {
      throw error
    } catch {
      throw PersonalDataError.keyStore("sealing for \(owner): \(error)")
    }
  }

  public func open(_ sealed: Data, owner: String) throws -> Data? {
    guard let key = try key(for: owner, creating: false) else { return nil }
    do {
      return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(owner.utf8))
    } catch {
      throw PersonalDataError.unreadable(owner: owner)
    }
  }

  // MARK: Keys

  /// Where an owner's key stands.
  public enum KeyState: Sendable, Hashable {
    /// Nothing has been sealed for the owner yet.
    case none
    case live
    /// Destroyed at that instant: the owner's personal data is erased.
    case destroyed(Date)
  }

  public func state(of owner: String) throws(PersonalDataError) -> KeyState {
    do {
      return try pool.read { db in
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM keys WHERE owner = ?", arguments: [owner]) != nil { return .live }
        if let at = try String.fetchOne(db, sql: "SELECT destroyed_at FROM destroyed WHERE owner = ?", arguments: [owner]) {
          return .destroyed(ISO8601DateFormatter().date(from: at) ?? .distantPast)
        }
        return KeyState.none
      }
    } catch {
      throw .keyStore("\(path): \(error)")
    }
  }

  /// Destroys the owners' keys (those with none get a tombstone too, so nothing is sealed for them
  /// later), then checkpoints and truncates the WAL so no copy of a key is left in it. Idempotent.
  public func destroy(_ owners: [String], at now: Date = Date()) throws(PersonalDataError) {
    let stamp = ISO8601DateFormatter().string(from: now)
    do {
      try pool.write { db in
        for owner in owners {
          try db.execute(sql: "DELETE FROM keys WHERE owner = ?", arguments: [owner])
          try db.execute(sql: "INSERT OR IGNORE INTO destroyed (owner, destroyed_at) VALUES (?, ?)", arguments: [owner, stamp])
        }
      }
      cache.withLock { cache in
        for owner in owners {
          cache.live[owner] = nil
          cache.destroyed.insert(owner)
        }
      }
      try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    } catch {
      throw .keyStore("\(path): \(error)")
    }
  }

  /// Closes the file's connections.
  public func close() throws(PersonalDataError) {
    do { try pool.close() } catch { throw .keyStore("\(path): \(error)") }
  }

  private func key(for owner: String, creating: Bool) throws -> SymmetricKey? {
    let known = cache.withLock { cache -> Data?? in cache.destroyed.contains(owner) ? .some(nil) : cache.live[owner].map { .some($0) } }
    switch known {
    case .some(.some(let bytes)): return SymmetricKey(data: bytes)
    case .some(.none): if creating { throw PersonalDataError.erased(owner: owner) } else { return nil }
    case .none: break
    }
    guard let key = try storedKey(for: owner, creating: creating) else { return nil }
    let bytes = key.withUnsafeBytes { Data($0) }
    let destroyed = cache.withLock { cache in
      if cache.destroyed.contains(owner) { return true }
      cache.live[owner] = bytes
      return false
    }
    if destroyed { if creating { throw PersonalDataError.erased(owner: owner) } else { return nil } }
    return key
  }

  private func storedKey(for owner: String, creating: Bool) throws -> SymmetricKey? {
    do {
      if let wrapped = try pool.read({ db in try Data.fetchOne(db, sql: "SELECT wrapped FROM keys WHERE owner = ?", arguments: [owner]) }) {
        return try unwrap(wrapped, owner: owner)
      }
      guard creating else {
        let destroyed = try pool.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM destroyed WHERE owner = ?", arguments: [owner]) != nil }
        if destroyed { return nil }
        throw PersonalDataError.unknownKey(owner: owner)
      }
      let fresh = SymmetricKey(size: .bits256)
      let wrapped = try wrap(fresh, owner: owner)
      let stamp = ISO8601DateFormatter().string(from: Date())
      return try pool.write { db -> SymmetricKey in
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM destroyed WHERE owner = ?", arguments: [owner]) != nil {
          throw PersonalDataError.erased(owner: owner)
        }
        // Another process may have made the owner's key meanwhile: its key wins.
        if let theirs = try Data.fetchOne(db, sql: "SELECT wrapped FROM keys WHERE owner = ?", arguments: [owner]) {
          return try self.unwrap(theirs, owner: owner)
        }
        try db.execute(sql: "INSERT INTO keys (owner, wrapped, created_at) VALUES (?, ?, ?)", arguments: [owner, wrapped, stamp])
        return fresh
      }
    } catch let error as PersonalDataError {
      throw error
    } catch {
      throw PersonalDataError.keyStore("\(path): \(error)")
    }
  }

  private func wrap(_ key: SymmetricKey, owner: String) throws -> Data {
    let raw = key.withUnsafeBytes { Data($0) }
    guard let combined = try AES.GCM.seal(raw, using: master, authenticating: Data("key:\(owner)".utf8)).combined else {
      throw PersonalDataError.keyStore("AES-GCM gave no combined box")
    }
    return combined
  }

  private func unwrap(_ wrapped: Data, owner: String) throws -> SymmetricKey {
    do {
      return SymmetricKey(data: try AES.GCM.open(AES.GCM.SealedBox(combined: wrapped), using: master, authenticating: Data("key:\(owner)".utf8)))
    } catch {
      throw PersonalDataError.keyStore("the key of \(owner) does not unwrap with the master key")
    }
  }
}

/// The 256-bit key that wraps every owner's key: from `KIP_MASTER_KEY` (base64), or the file
/// `KIP_MASTER_KEY_FILE` holds (base64, or 32 raw bytes).
public struct MasterKey: Sendable {
  let bytes: Data
  var key: SymmetricKey { SymmetricKey(data: bytes) }

  public init(key: SymmetricKey) throws(PersonalDataError) {
    guard key.bitCount == 256 else { throw .keyStore("the master key has \(key.bitCount) bits; it must have 256 (32 bytes)") }
    self.bytes = key.withUnsafeBytes { Data($0) }
  }

  /// A master key from its base64 text.
  public init(base64: String) throws(PersonalDataError) {
    guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      throw .keyStore("the master key is not base64 text")
    }
    try self.init(key: SymmetricKey(data: data))
  }

  /// The master key in the file at `path` (base64 text or 32 raw bytes).
  public init(contentsOf path: String) throws(PersonalDataError) {
    guard let data = FileManager.default.contents(atPath: path) else { throw .keyStore("cannot read the master key file \(path)") }
    if data.count == 32 {
      try self.init(key: SymmetricKey(data: data))
    } else {
      try self.init(base64: String(decoding: data, as: UTF8.self))
    }
  }

  /// A new random master key.
  public static func generate() -> MasterKey { MasterKey(unchecked: SymmetricKey(size: .bits256)) }

  private init(unchecked key: SymmetricKey) { self.bytes = key.withUnsafeBytes { Data($0) } }

  /// The key as base64 text, to write to a file.
  public var base64: String { bytes.base64EncodedString() }

  /// HMAC-SHA256 of a fixed label: tells a store which master key made it, without revealing it.
  var checkValue: Data { Data(HMAC<SHA256>.authenticationCode(for: Data("kip-personal-keys-check".utf8), using: key)) }

  /// The configured master key: `KIP_MASTER_KEY`, else `KIP_MASTER_KEY_FILE`, else
  /// `<dataDirectory>/master.key`, which is made (mode 0600) when missing — fine for one machine
  /// and the demo; a deployment puts the key in its secret store and names the file.
  public static func configured(environment: [String: String], dataDirectory: String) throws(PersonalDataError) -> MasterKey {
    if let text = environment["KIP_MASTER_KEY"], !text.isEmpty { return try MasterKey(base64: text) }
    if let file = environment["KIP_MASTER_KEY_FILE"], !file.isEmpty { return try MasterKey(contentsOf: file) }
    let path = (dataDirectory as NSString).appendingPathComponent("master.key")
    if FileManager.default.fileExists(atPath: path) { return try MasterKey(contentsOf: path) }
    let key = generate()
    let temporary = path + ".\(UUID().uuidString)"
    do {
      try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
      guard FileManager.default.createFile(atPath: temporary, contents: Data((key.base64 + "\n").utf8), attributes: [.posixPermissions: 0o600])
      else { throw PersonalDataError.keyStore("cannot write \(temporary)") }
    } catch let error as PersonalDataError {
      throw error
    } catch {
      throw .keyStore("cannot write \(path): \(error)")
    }
    // link(2) never replaces a file: when another process made one first, everyone uses that one.
    let linked = link(temporary, path)
    let failure = errno
    unlink(temporary)
    if linked != 0 && failure != EEXIST { throw .keyStore("cannot write \(path): \(String(cString: strerror(failure)))") }
    return try MasterKey(contentsOf: path)
  }
}
