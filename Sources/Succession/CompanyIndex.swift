import Crypto
public import EventLog
import Foundation
public import SharedKernel

/// The company index: which cases each company already has, one stream per identity key.
///
/// A company is known by up to two keys: its 法人番号 (`company-7000012050002`) and its
/// compared name and address (``CompanyMatching/key(name:address:)``), under
/// `company-name-<first 128 bits of its SHA-256, hex>` (a stream name is ASCII-friendly and
/// bounded; the entries hold the full key, so two keys that shared a stream would still be
/// told apart — a collision would only make them wait for each other).
///
/// Why one stream per key, and not one for all companies or a check over a read model: a
/// referral or intake writes every key stream of its company with the version it read, in
/// the same append as the case. Two referrals of the same company at the same moment share at
/// least the key they match on, so one of them fails its expected version, is decided again,
/// and now finds the other (the day sheets do this for bookings in the building). Companies
/// that share no key do not wait for each other, and no read model's lag can let a duplicate
/// through. What cannot be caught is a company typed with no key in common (no 法人番号 on
/// either, and a different address): staff link those by hand.
public enum CompanyIndex {
  public static let category = "company"

  /// One identity of a company.
  public enum Key: Sendable, Hashable, Comparable, CustomStringConvertible {
    case number(CorporateNumber)
    /// ``CompanyMatching/key(name:address:)``.
    case name(String)

    /// The key as recorded in the index's entries.
    public var description: String {
      switch self {
      case .number(let number): number.digits
      case .name(let key): key
      }
    }

    public func stream() throws(EventLogError) -> StreamName {
      switch self {
      case .number(let number):
        return try StreamName(category: CompanyIndex.category, id: number.digits)
      case .name(let key):
        let digest = SHA256.hash(data: Data(key.utf8))
        let hex = digest.prefix(16).map { byte in
          let text = String(byte, radix: 16)
          return byte < 16 ? "0" + text : text
        }.joined()
        return try StreamName(category: CompanyIndex.category, id: "name-\(hex)")
      }
    }

    public static func < (lhs: Key, rhs: Key) -> Bool {
      switch (lhs, rhs) {
      case (.number(let a), .number(let b)): a < b
      case (.number, .name): true
      case (.name, .number): false
      case (.name(let a), .name(let b)): a < b
      }
    }
  }

  /// The company's keys, the 法人番号 first.
  public static func keys(of company: Company) -> [Key] {
    var keys: [Key] = []
    if let number = company.corporateNumber { keys.append(.number(number)) }
    if let key = CompanyMatching.key(name: company.name, address: company.address) { keys.append(.name(key)) }
    return keys
  }

  /// A case was entered under the key.
  public struct Registered: RecordableEvent, Hashable {
    public static let eventType = "Succession.CompanyRegistered"
    public static let schemaVersion = 1
    /// The key's text (13 digits, or the compared name and address: personal, sealed under the case's key).
    @Personal public var key: String
    public var caseID: CaseID
    @Personal public var companyName: String
    public var duplicateOf: CaseID?
    public var on: LocalDate
    public var at: Timestamp
  }

  /// A key stream's one event.
  public enum Event: Sendable, Hashable {
    case registered(Registered)
  }

  /// One case under a key.
  public struct Entry: Sendable, Hashable {
    public var key: String
    public var caseID: CaseID
    public var companyName: String
    public var duplicateOf: CaseID?
    public var on: LocalDate

    /// The case this company was first known as.
    public var original: CaseID { duplicateOf ?? caseID }
  }

  /// A key stream's entries, in the order registered.
  public struct State: Sendable, Hashable {
    public var entries: [Entry] = []
    public init() {}
  }

  public static let initialState = State()

  /// The key streams a decision read, by key.
  public typealias Lookup = [Key: State]

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .registered(let e):
      state.entries.append(Entry(key: e.key, caseID: e.caseID, companyName: e.companyName, duplicateOf: e.duplicateOf, on: e.on))
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Registered.self, embed: Event.registered) { if case .registered(let e) = $0 { e } else { nil } }
    return codec
  }()

  /// Every other case already under one of `keys`, earliest first (by day, then case id).
  public static func matches(_ keys: [Key], in lookup: Lookup, excluding id: CaseID) -> [Entry] {
    var found: [Entry] = []
    for key in keys.sorted() {
      for entry in lookup[key]?.entries ?? [] where entry.key == key.description && entry.caseID != id {
        if !found.contains(where: { $0.caseID == entry.caseID }) { found.append(entry) }
      }
    }
    return found.sorted { ($0.on, $0.caseID) < ($1.on, $1.caseID) }
  }

  /// The case the company was first known as, when it is known already.
  public static func original(of keys: [Key], in lookup: Lookup, excluding id: CaseID) -> CaseID? {
    matches(keys, in: lookup, excluding: id).first?.original
  }

  /// The registrations of `id` under each of `keys` it is not yet under, one stream each, in key order.
  static func register(
    _ id: CaseID, company: Company, keys: [Key], duplicateOf: CaseID?, in lookup: Lookup, on: LocalDate, at: Timestamp
  ) throws(SuccessionError) -> [StreamEvents<Event>] {
    var writes: [StreamEvents<Event>] = []
    for key in keys.sorted() {
      if lookup[key]?.entries.contains(where: { $0.caseID == id && $0.key == key.description }) == true { continue }
      let stream: StreamName
      do { stream = try key.stream() } catch { throw .invalidCompany(field: "corporateNumber", reason: error.description) }
      writes.append(
        StreamEvents(
          stream: stream,
          events: [.registered(Registered(key: key.description, caseID: id, companyName: company.name, duplicateOf: duplicateOf, on: on, at: at))]))
    }
    return writes
  }
}

extension CompanyIndex.Registered: HoldsPersonalData {
  public var personalDataOwner: String { Case.personalDataOwner(caseID) }
}
