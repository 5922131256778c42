public import EventLog
import Foundation
public import SharedKernel

/// 抽選の募集条件: one round's month, spaces, application window and rules.
public struct LotteryRules: Sendable, Hashable, Codable {
  /// `2027年6月 多目的ホール抽選`.
  public var name: String
  /// The month whose dates are drawn.
  public var month: YearMonth
  /// The spaces drawn (the hall, its halves…); spaces sharing a floor unit with them are held
  /// back from first-come booking in the month too, until the draw.
  public var spaces: [SpaceID]
  /// Applications are taken from `opens` to `closes`, both inclusive (Japan dates).
  public var opens: LocalDate
  public var closes: LocalDate
  /// The draw happens on or after this day (after `closes`).
  public var drawOn: LocalDate
  /// At most this many slots (blocks) per applicant in the round, over all its applications.
  public var maxSlotsPerApplicant: Int
  /// Of those, at most this many on 土日祝.
  public var maxHolidaySlotsPerApplicant: Int
  /// Tiers drawn first, in order (e.g. member SMEs before others); tiers not listed come last.
  public var priority: [CustomerTier]
  /// A winner's 仮予約 must be paid within this many days of the draw (never after the day of use).
  public var payWithinDays: Int
  /// At most this many slots in one bundle (an application that wins or loses whole).
  public var maxBundle: Int

  public init(
    name: String, month: YearMonth, spaces: [SpaceID], opens: LocalDate, closes: LocalDate, drawOn: LocalDate, maxSlotsPerApplicant: Int = 20,
    maxHolidaySlotsPerApplicant: Int = 5, priority: [CustomerTier] = [.member, .nonprofit, .general], payWithinDays: Int = 14, maxBundle: Int = 6
  ) {
    self.name = name
    self.month = month
    self.spaces = spaces
    self.opens = opens
    self.closes = closes
    self.drawOn = drawOn
    self.maxSlotsPerApplicant = maxSlotsPerApplicant
    self.maxHolidaySlotsPerApplicant = maxHolidaySlotsPerApplicant
    self.priority = priority
    self.payWithinDays = payWithinDays
    self.maxBundle = maxBundle
  }

  /// A tier's place in the draw (0 first).
  public func rank(of tier: CustomerTier) -> Int { priority.firstIndex(of: tier) ?? priority.count }
}

/// One slot asked for in an application.
public struct LotteryRequest: Sendable, Hashable, Codable {
  public var request: QuoteRequest
  public var purpose: String?
  public var attendees: Int?

  public init(request: QuoteRequest, purpose: String? = nil, attendees: Int? = nil) {
    self.request = request
    self.purpose = purpose
    self.attendees = attendees
  }
}

/// A lottery round and its applications, from opening to the draw: `lottery-<round>`.
///
/// The draw is a pure function of what this stream holds when it is drawn (the applications
/// and the seed fixed at the close), the catalogue and closures, and the day sheets: anyone can
/// run it again from the log and get the same winners (see ``draw(_:_:sheets:equipment:)``).
public enum Lottery {
  public static let category = "lottery"

  public static func stream(_ round: LotteryID) throws(EventLogError) -> StreamName { try StreamName(category: category, id: round.rawValue) }

  // MARK: Events

  /// The round was opened with its rules.
  public struct Opened: RecordableEvent, Hashable {
    public static let eventType = "Building.LotteryOpened"
    public static let schemaVersion = 1
    public var round: LotteryID
    public var rules: LotteryRules
    public var at: Timestamp
  }

  /// An application (申込) was taken: its number in the round, who, and its bundle.
  public struct Applied: RecordableEvent, Hashable {
    public static let eventType = "Building.LotteryApplied"
    public static let schemaVersion = 1
    public var round: LotteryID
    public var number: Int
    public var customer: CustomerID
    public var customerName: String
    public var tier: CustomerTier
    public var requests: [LotteryRequest]
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The applicant withdrew an application before the close.
  public struct Withdrawn: RecordableEvent, Hashable {
    public static let eventType = "Building.LotteryApplicationWithdrawn"
    public static let schemaVersion = 1
    public var round: LotteryID
    public var number: Int
    public var at: Timestamp
  }

  /// Applications closed; the seed is fixed: the log's hash at `sealedThrough` at that moment.
  public struct Closed: RecordableEvent, Hashable {
    public static let eventType = "Building.LotteryClosed"
    public static let schemaVersion = 1
    public var round: LotteryID
    /// Hex of the log's head hash when the round closed.
    public var seed: String
    /// The log position that hash is of.
    public var sealedThrough: Int64
    public var at: Timestamp
  }

  /// The draw: every application's key, place and outcome, and the winners' bookings.
  public struct Drawn: RecordableEvent, Hashable {
    public static let eventType = "Building.LotteryDrawn"
    public static let schemaVersion = 1
    public var round: LotteryID
    public var seed: String
    public var catalogueVersion: Int
    public var results: [LotteryResult]
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The round was called off before the draw.
  public struct CalledOff: RecordableEvent, Hashable {
    public static let eventType = "Building.LotteryRoundCalledOff"
    public static let schemaVersion = 1
    public var round: LotteryID
    public var reason: String
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case opened(Opened)
    case applied(Applied)
    case withdrawn(Withdrawn)
    case closed(Closed)
    case drawn(Drawn)
    case calledOff(CalledOff)
  }

  // MARK: State

  /// Where a round is.
  public enum Phase: String, Sendable, Hashable, Codable {
    /// Taking applications (within its window).
    case open
    /// Closed, seed fixed, not drawn yet.
    case closed
    case drawn
    case calledOff = "called-off"

    public var japaneseName: String {
      switch self {
      case .open: "受付中"
      case .closed: "締切（抽選前）"
      case .drawn: "抽選済"
      case .calledOff: "中止"
      }
    }
  }

  /// An application as the round holds it.
  public struct Application: Sendable, Hashable {
    public var number: Int
    public var customer: CustomerID
    public var customerName: String
    public var tier: CustomerTier
    public var requests: [LotteryRequest]
    public var withdrawn: Bool
  }

  /// A round as its stream tells it.
  public struct Round: Sendable, Hashable {
    public var id: LotteryID
    public var rules: LotteryRules
    public var phase: Phase
    /// By number (1, 2, …).
    public var applications: [Application]
    public var seed: String?
    public var sealedThrough: Int64?
    public var drawn: Drawn?

    /// The applications that take part in the draw.
    public var standing: [Application] { applications.filter { !$0.withdrawn } }

    /// The result of application `number`, once drawn.
    public func result(_ number: Int) -> LotteryResult? { drawn?.results.first { $0.number == number } }

    /// Whether the round is due to be closed on `today`: open, its last day of applications past.
    public func closeDue(on today: LocalDate) -> Bool { phase == .open && today > rules.closes }

    /// Whether the round is due to be drawn on `today` (closing it first if need be): neither
    /// drawn nor called off, its window past and its draw day come.
    public func drawDue(on today: LocalDate) -> Bool {
      phase != .drawn && phase != .calledOff && today > rules.closes && today >= rules.drawOn
    }
  }

  public typealias State = Round?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    if case .opened(let e) = event {
      return Round(id: e.round, rules: e.rules, phase: .open, applications: [], seed: nil, sealedThrough: nil, drawn: nil)
    }
    guard var round = state else { return state }
    switch event {
    case .opened: break
    case .applied(let e):
      round.applications.append(
        Application(number: e.number, customer: e.customer, customerName: e.customerName, tier: e.tier, requests: e.requests, withdrawn: false))
    case .withdrawn(let e):
      if let index = round.applications.firstIndex(where: { $0.number == e.number }) { round.applications[index].withdrawn = true }
    case .closed(let e):
      round.phase = .closed
      round.seed = e.seed
      round.sealedThrough = e.sealedThrough
    case .drawn(let e):
      round.phase = .drawn
      round.drawn = e
    case .calledOff:
      round.phase = .calledOff
    }
    return round
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Opened.self, embed: Event.opened) { if case .opened(let e) = $0 { e } else { nil } }
    codec.register(Applied.self, embed: Event.applied) { if case .applied(let e) = $0 { e } else { nil } }
    codec.register(Withdrawn.self, embed: Event.withdrawn) { if case .withdrawn(let e) = $0 { e } else { nil } }
    codec.register(Closed.self, embed: Event.closed) { if case .closed(let e) = $0 { e } else { nil } }
    codec.register(Drawn.self, embed: Event.drawn) { if case .drawn(let e) = $0 { e } else { nil } }
    codec.register(CalledOff.self, embed: Event.calledOff) { if case .calledOff(let e) = $0 { e } else { nil } }
    return codec
  }()
}

/// How one application fared in the draw.
public struct LotteryResult: Sendable, Hashable, Codable {
  public enum Outcome: String, Sendable, Hashable, Codable {
    case won, lost

    public var japaneseName: String { self == .won ? "当選" : "落選" }
  }

  public var number: Int
  /// Its draw key: the first 16 hex digits of SHA-256("<seed>:<number>").
  public var key: String
  /// Its place in the draw (1 first): by tier, then key, then number.
  public var place: Int
  public var outcome: Outcome
  /// Why it lost, in words a desk can read out.
  public var reason: String?
  /// The winner's 仮予約, one per slot.
  public var bookings: [BookingID]

  public init(number: Int, key: String, place: Int, outcome: Outcome, reason: String?, bookings: [BookingID]) {
    self.number = number
    self.key = key
    self.place = place
    self.outcome = outcome
    self.reason = reason
    self.bookings = bookings
  }
}
