import Crypto
import EventLog
import Foundation
import SharedKernel
import Testing

/// A key store for tests: one AES-256 key per owner, in memory; ``destroy(_:)`` forgets an
/// owner's key as the real store does (crypto-shredding), so its fields then read as erased.
///
/// `@unchecked Sendable` is safe: the only mutable state, `keys` and `destroyed`, is read and
/// written only while holding `lock`.
final class TestVault: PersonalDataVault, @unchecked Sendable {
  private let lock = NSLock()
  private var keys: [String: SymmetricKey] = [:]
  private var destroyed: Set<String> = []

  func seal(_ plaintext: Data, owner: String) throws -> Data {
    let key: SymmetricKey = try lock.withLock {
      guard !destroyed.contains(owner) else { throw PersonalDataError.erased(owner: owner) }
      if let key = keys[owner] { return key }
      let key = SymmetricKey(size: .bits256)
      keys[owner] = key
      return key
    }
    guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: Data(owner.utf8)).combined else {
      throw PersonalDataError.keyStore("AES-GCM gave no combined box")
    }
    return combined
  }

  func open(_ sealed: Data, owner: String) throws -> Data? {
    let key: SymmetricKey? = try lock.withLock {
      if destroyed.contains(owner) { return nil }
      guard let key = keys[owner] else { throw PersonalDataError.unknownKey(owner: owner) }
      return key
    }
    guard let key else { return nil }
    do { return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(owner.utf8)) } catch {
      throw PersonalDataError.unreadable(owner: owner)
    }
  }

  /// Forgets `owner`'s key: what was sealed under it reads as erased from now on.
  func destroy(_ owner: String) {
    lock.withLock {
      keys[owner] = nil
      _ = destroyed.insert(owner)
    }
  }
}

/// An event stored and read back through a codec, as the log would.
struct StoredEvent<Event: Sendable> {
  var codec: EventCodec<Event>
  var recorded: RecordedEvent

  /// `event` encoded by `codec` for `stream`.
  init(_ event: Event, codec: EventCodec<Event>, stream: StreamName) throws {
    self.codec = codec
    let (type, version, data) = try codec.encode(event)
    recorded = RecordedEvent(
      position: 1, stream: stream, version: 0, eventID: UUIDv7.make(), type: type, schemaVersion: version, data: data, metadata: Data("{}".utf8),
      recordedAtMilliseconds: 0, hash: Data())
  }

  /// The stored bytes as text.
  var text: String { String(decoding: recorded.data, as: UTF8.self) }

  /// The event read back.
  func read() throws -> Event { try codec.decode(recorded) }
}
