public import EventLog
import Crypto
public import Foundation
import Synchronization

/// A ``PersonalDataVault`` in memory for tests of contexts and codecs: one AES-256 key per owner,
/// ``destroy(_:)`` forgets it (then the owner's data reads as erased).
public final class MemoryVault: PersonalDataVault, Sendable {
  private let keys = Mutex<[String: Data]>([:])
  private let destroyed = Mutex<Set<String>>([])

  public init() {}

  public func seal(_ plaintext: Data, owner: String) throws -> Data {
    if destroyed.withLock({ $0.contains(owner) }) { throw PersonalDataError.erased(owner: owner) }
    let raw = keys.withLock { keys in
      if let known = keys[owner] { return known }
      let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
      keys[owner] = fresh
      return fresh
    }
    return try AES.GCM.seal(plaintext, using: SymmetricKey(data: raw), authenticating: Data(owner.utf8)).combined!
  }

  public func open(_ sealed: Data, owner: String) throws -> Data? {
    if destroyed.withLock({ $0.contains(owner) }) { return nil }
    guard let raw = keys.withLock({ $0[owner] }) else { throw PersonalDataError.unknownKey(owner: owner) }
    do {
      return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: SymmetricKey(data: raw), authenticating: Data(owner.utf8))
    } catch {
      throw PersonalDataError.unreadable(owner: owner)
    }
  }

  /// Destroys the owner's key.
  public func destroy(_ owner: String) {
    _ = keys.withLock { $0.removeValue(forKey: owner) }
    _ = destroyed.withLock { $0.insert(owner) }
  }

  public func destroy(_ owners: [String], at now: Date) throws {
    for owner in owners { destroy(owner) }
  }
}
