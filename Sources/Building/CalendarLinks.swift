public import EventLog
public import Foundation
public import SharedKernel

/// The secret links of subscribable calendars (iCalendar feeds), on `calendarlinks-building`:
/// one per space or per customer, each found by the SHA-256 of its token. The token itself is
/// shown once, when the link is issued, and never recorded.
public enum CalendarLinks {
  public static let category = "calendarlinks"

  public static func stream() throws(EventLogError) -> StreamName { try StreamName(category: category, id: "building") }

  /// What a feed shows.
  public enum Target: Sendable, Hashable, Codable {
    case space(SpaceID)
    case customer(CustomerID)
  }

  /// A link was issued.
  public struct Issued: RecordableEvent, Hashable {
    public static let eventType = "Building.CalendarLinkIssued"
    public static let schemaVersion = 1
    public var link: String
    public var target: Target
    /// Hex of SHA-256(token).
    public var tokenHash: String
    public var at: Timestamp
  }

  /// A link was revoked: its feed answers 404 from now on.
  public struct Revoked: RecordableEvent, Hashable {
    public static let eventType = "Building.CalendarLinkRevoked"
    public static let schemaVersion = 1
    public var link: String
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case issued(Issued)
    case revoked(Revoked)
  }

  public struct Link: Sendable, Hashable {
    public var id: String
    public var target: Target
    public var tokenHash: String
    public var issuedAt: Timestamp
    public var revoked: Bool
  }

  /// Every link, in the order issued.
  public struct State: Sendable, Hashable {
    public var links: [Link] = []
    public init() {}

    /// The live link whose token hashes to `hash`.
    public func link(hash: String) -> Link? { links.first { $0.tokenHash == hash && !$0.revoked } }
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .issued(let e): state.links.append(Link(id: e.link, target: e.target, tokenHash: e.tokenHash, issuedAt: e.at, revoked: false))
    case .revoked(let e):
      if let index = state.links.firstIndex(where: { $0.id == e.link }) { state.links[index].revoked = true }
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Issued.self, embed: Event.issued) { if case .issued(let e) = $0 { e } else { nil } }
    codec.register(Revoked.self, embed: Event.revoked) { if case .revoked(let e) = $0 { e } else { nil } }
    return codec
  }()

  /// Issues a link for a space of the catalogue or a registered customer (`exists` says whether
  /// the customer is registered); the hash must be 64 hex digits.
  public static func issue(
    _ link: String, for target: Target, tokenHash: String, catalogue: Catalogue, customerExists: Bool, at: Date, _ state: State
  ) throws(BuildingError) -> [Event] {
    switch target {
    case .space(let space): guard catalogue.space(space) != nil else { throw .unknownSpace(space) }
    case .customer(let customer): guard customerExists else { throw .unknownCustomer(customer) }
    }
    guard tokenHash.count == 64, tokenHash.allSatisfy(\.isHexDigit), state.links.allSatisfy({ $0.tokenHash != tokenHash && $0.id != link }) else {
      throw .invalidCalendarLink("a new link needs a new token")
    }
    return [.issued(Issued(link: link, target: target, tokenHash: tokenHash, at: Timestamp(at)))]
  }

  /// Revokes a link (again: nothing).
  public static func revoke(_ link: String, at: Date, _ state: State) throws(BuildingError) -> [Event] {
    guard let found = state.links.first(where: { $0.id == link }) else { throw .invalidCalendarLink("カレンダーのリンク \(link) はありません") }
    return found.revoked ? [] : [.revoked(Revoked(link: link, at: Timestamp(at)))]
  }
}
