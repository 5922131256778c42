public import Foundation

/// Seals and opens personal data with one key per owner (a case), so that destroying an owner's
/// key erases its personal data from the log without rewriting an event (crypto-shredding).
///
/// The log only ever holds what ``seal(_:owner:)`` made; a vault that has destroyed the owner's key
/// answers `nil` from ``open(_:owner:)``, and the field reads as erased.
public protocol PersonalDataVault: Sendable {
  /// `plaintext` sealed under `owner`'s key (made on first use); refused once the key is destroyed.
  func seal(_ plaintext: Data, owner: String) throws -> Data
  /// The plaintext of `sealed`; nil when `owner`'s key was destroyed. An owner this vault never
  /// had a key for is an error, never "erased": a wrong key store must not look like an erasure.
  func open(_ sealed: Data, owner: String) throws -> Data?
  /// Destroys the owners' keys for good (idempotent): their data reads as erased from then on.
  func destroy(_ owners: [String], at now: Date) throws
}

/// An event that holds ``Personal`` fields: whose key seals them.
public protocol HoldsPersonalData {
  /// The owner of the key, e.g. the case's id.
  var personalDataOwner: String { get }
}

/// Why personal data could not be sealed or opened.
public enum PersonalDataError: Error, Sendable, Hashable, CustomStringConvertible {
  /// An event with personal data was encoded or decoded by a codec that has no vault.
  case noVault(field: String)
  /// An event type holds personal data but does not say whose (``HoldsPersonalData``).
  case noOwner(field: String)
  /// The owner's key was destroyed: nothing more may be sealed under it.
  case erased(owner: String)
  /// The vault has never had a key for the owner (a wrong or missing key store).
  case unknownKey(owner: String)
  /// The sealed bytes do not open with the owner's key (tampered with, or sealed for another owner).
  case unreadable(owner: String)
  /// The key store failed.
  case keyStore(String)

  public var description: String {
    switch self {
    case .noVault(let field): "the personal field '\(field)' needs the key store to be sealed or opened, and none is configured"
    case .noOwner(let field): "the personal field '\(field)' is in an event that does not name the owner of its key"
    case .erased(let owner): "the personal data of \(owner) has been erased; nothing more can be recorded under it"
    case .unknownKey(let owner): "the key store has no key for \(owner): it is not the key store this log was written with"
    case .unreadable(let owner): "personal data sealed for \(owner) does not open with its key (tampered with, or sealed for another owner)"
    case .keyStore(let reason): "the key store failed: \(reason)"
    }
  }
}

/// A value that a field reads as once its key is destroyed.
public protocol PersonalValue: Codable, Sendable, Hashable {
  /// The value an erased field reads as (`""`, `nil`).
  static var erased: Self { get }
}

extension String: PersonalValue {
  public static var erased: String { "" }
}

extension Optional: PersonalValue where Wrapped: PersonalValue {
  public static var erased: Wrapped? { nil }
}

extension CodingUserInfoKey {
  /// The ``PersonalDataVault`` an event codec seals and opens with.
  public static let personalDataVault = CodingUserInfoKey(rawValue: "kip.personalDataVault")!
  /// The owner (``HoldsPersonalData``) of the event being encoded.
  public static let personalDataOwner = CodingUserInfoKey(rawValue: "kip.personalDataOwner")!
  /// Set while an event is encoded for the log: a ``Personal`` field must then be sealed.
  public static let encodingEvent = CodingUserInfoKey(rawValue: "kip.encodingEvent")!
}

/// A field of personal data (a name, an address, a phone number, free text about a person).
///
/// In memory and in read models it is the plain value. In an event it is stored sealed, as
/// `{"owner": "<owner>", "sealed": "<base64 AES-GCM box>"}`, under the key of the event's
/// ``HoldsPersonalData/personalDataOwner``; reading it back opens it with the codec's vault, and a
/// destroyed key makes it read as ``PersonalValue/erased``. A plain value where a sealed one is
/// expected (an event written before the field was protected) still reads as that value.
@propertyWrapper
public struct Personal<Value: PersonalValue>: Sendable, Hashable, Codable {
  public var wrappedValue: Value

  public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }

  private enum SealedKeys: String, CodingKey { case owner, sealed }

  public init(from decoder: any Decoder) throws {
    if let sealed = try? decoder.container(keyedBy: SealedKeys.self), sealed.contains(.sealed), sealed.contains(.owner) {
      let owner = try sealed.decode(String.self, forKey: .owner)
      let box = try sealed.decode(Data.self, forKey: .sealed)
      guard let vault = decoder.userInfo[.personalDataVault] as? any PersonalDataVault else {
        throw PersonalDataError.noVault(field: Self.field(decoder.codingPath))
      }
      guard let plaintext = try vault.open(box, owner: owner) else {
        wrappedValue = .erased
        return
      }
      wrappedValue = try EventJSONDecoder().decode(Value.self, from: plaintext)
    } else {
      wrappedValue = try Value(from: decoder)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    guard encoder.userInfo[.encodingEvent] as? Bool == true else {
      try wrappedValue.encode(to: encoder)
      return
    }
    let field = Self.field(encoder.codingPath)
    guard let vault = encoder.userInfo[.personalDataVault] as? any PersonalDataVault else { throw PersonalDataError.noVault(field: field) }
    guard let owner = encoder.userInfo[.personalDataOwner] as? String else { throw PersonalDataError.noOwner(field: field) }
    let json = JSONEncoder()
    json.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let plaintext = try json.encode(wrappedValue)
    var container = encoder.container(keyedBy: SealedKeys.self)
    try container.encode(owner, forKey: .owner)
    try container.encode(try vault.seal(plaintext, owner: owner), forKey: .sealed)
  }

  private static func field(_ path: [any CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
}

extension KeyedDecodingContainer {
  /// An optional personal field may be absent.
  public func decode<Wrapped: PersonalValue>(_ type: Personal<Wrapped?>.Type, forKey key: Key) throws -> Personal<Wrapped?> {
    try decodeIfPresent(type, forKey: key) ?? Personal(wrappedValue: nil)
  }
}

extension KeyedEncodingContainer {
  /// An optional personal field that is nil is left out (nothing is sealed for it).
  public mutating func encode<Wrapped: PersonalValue>(_ value: Personal<Wrapped?>, forKey key: Key) throws {
    guard value.wrappedValue != nil else { return }
    try encodeIfPresent(value, forKey: key)
  }
}
