public import EventLog
public import Foundation
public import SharedKernel

/// The building's closures for works and other reasons (a water-tank replacement closing floors
/// for days), on one stream, `closures-building`. Every booking holds a condition on this stream,
/// so a closure declared while a booking is decided makes that booking decide again.
public enum Closures {
  public static let category = "closures"

  public static func stream() throws(EventLogError) -> StreamName { try StreamName(category: category, id: "building") }

  /// A closure: dates, and the spaces it closes (every space when empty). Declared for some
  /// spaces, it closes every space that shares a floor unit with one of them too.
  public struct Closure: Sendable, Hashable, Codable {
    public var id: String
    public var from: LocalDate
    public var to: LocalDate
    public var spaces: [SpaceID]
    public var reason: String

    public init(id: String, from: LocalDate, to: LocalDate, spaces: [SpaceID], reason: String) {
      self.id = id
      self.from = from
      self.to = to
      self.spaces = spaces
      self.reason = reason
    }

    /// Whether it closes `space` on `date`.
    public func closes(_ space: SpaceID, on date: LocalDate) -> Bool {
      from <= date && date <= to && (spaces.isEmpty || spaces.contains(space))
    }
  }

  /// A closure was declared.
  public struct Declared: RecordableEvent, Hashable {
    public static let eventType = "Building.ClosureDeclared"
    public static let schemaVersion = 1
    public var closure: Closure
    public var at: Timestamp
  }

  /// A closure was lifted: its dates can be booked again.
  public struct Lifted: RecordableEvent, Hashable {
    public static let eventType = "Building.ClosureLifted"
    public static let schemaVersion = 1
    public var closure: String
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case declared(Declared)
    case lifted(Lifted)
  }

  public enum Command: Sendable, Hashable {
    case declare(Closure, catalogue: Catalogue, at: Date)
    case lift(String, at: Date)
  }

  /// The closures in force, in the order declared.
  public struct State: Sendable, Hashable {
    public var closures: [Closure] = []
    public init() {}

    /// The closure that closes `space` on `date`, if any.
    public func closure(of space: SpaceID, on date: LocalDate) -> Closure? {
      closures.first { $0.closes(space, on: date) }
    }
  }

  public static let initialState = State()

  public static func decide(_ command: Command, _ state: State) throws(BuildingError) -> [Event] {
    switch command {
    case .declare(var closure, let catalogue, let at):
      closure.reason = closure.reason.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !closure.reason.isEmpty else { throw .invalidClosure("閉館・休室の理由を入力してください") }
      guard closure.from <= closure.to else { throw .invalidClosure("終了日 \(closure.to) が開始日 \(closure.from) より前です") }
      guard closure.from.days(to: closure.to) < 366 else { throw .invalidClosure("一度に登録できる期間は1年以内です") }
      for space in closure.spaces where catalogue.space(space) == nil { throw .unknownSpace(space) }
      // Closing a room closes what shares its floor: the joined room it is part of, the hall
      // whole when a part is closed. The closure records every space it closes, in catalogue order.
      if !closure.spaces.isEmpty {
        let named = closure.spaces.compactMap(catalogue.space)
        closure.spaces = catalogue.spaces.filter { space in named.contains { $0.excludes(space) } }.map(\.id)
      }
      guard !state.closures.contains(where: { $0.id == closure.id }) else { throw .invalidClosure("closure \(closure.id) exists") }
      return [.declared(Declared(closure: closure, at: Timestamp(at)))]
    case .lift(let id, let at):
      guard state.closures.contains(where: { $0.id == id }) else { throw .unknownClosure(id) }
      return [.lifted(Lifted(closure: id, at: Timestamp(at)))]
    }
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .declared(let e): state.closures.append(e.closure)
    case .lifted(let e): state.closures.removeAll { $0.id == e.closure }
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Declared.self, embed: Event.declared) { if case .declared(let e) = $0 { e } else { nil } }
    codec.register(Lifted.self, embed: Event.lifted) { if case .lifted(let e) = $0 { e } else { nil } }
    return codec
  }()
}

/// Numbers that must be unique and without gaps within a fiscal year: use permits (利用許可書)
/// and receipts (領収書), one stream per kind and year (`permits-FY2023`, `receipts-FY2023`).
/// The next number is the stream's next version, so two desks can never issue the same one.
public enum Numbering {
  public enum Kind: String, Sendable, Hashable, Codable {
    case permits
    case receipts

    /// 許可 / 領収, in the printed number.
    var prefix: String { self == .permits ? "P" : "R" }
  }

  public static func stream(_ kind: Kind, year: FiscalYear) throws(EventLogError) -> StreamName {
    try StreamName(category: kind.rawValue, id: "FY\(year.startYear)")
  }

  /// A number was issued for a booking.
  public struct Issued: RecordableEvent, Hashable {
    public static let eventType = "Building.NumberIssued"
    public static let schemaVersion = 1
    public var kind: Kind
    public var number: String
    public var booking: BookingID
  }

  public enum Event: Sendable, Hashable {
    case issued(Issued)
  }

  /// How many were issued this year.
  public typealias State = Int
  public static let initialState: State = 0

  /// The next number, `P2023-00042`.
  public static func next(_ kind: Kind, year: FiscalYear, for booking: BookingID, _ state: State) -> Issued {
    Issued(kind: kind, number: formatted(prefix: kind.prefix, year: year, sequence: state + 1), booking: booking)
  }

  /// `P2023-00042`: the prefix, the fiscal year and the sequence in five digits.
  static func formatted(prefix: String, year: FiscalYear, sequence: Int) -> String {
    let digits = String(sequence)
    return "\(prefix)\(year.startYear)-" + String(repeating: "0", count: Swift.max(0, 5 - digits.count)) + digits
  }

  public static func evolve(_ state: State, _ event: Event) -> State { state + 1 }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Issued.self, embed: Event.issued) { if case .issued(let e) = $0 { e } else { nil } }
    return codec
  }()
}

/// 日計表: the desk's cash book of one day, `cashbook-<yyyymmdd>`. Every payment and refund the
/// desk records is entered here in the same append as the booking's event, and the manager's
/// close is the book's last entry: the figures signed are exactly the entries before it, and
/// nothing can be entered after it (the book's version moves with every entry).
public enum CashBook {
  public static let category = "cashbook"

  public static func stream(date: LocalDate) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: date.compactISO)
  }

  /// What the desk took in or paid out by one method on the day.
  public struct Totals: Sendable, Hashable, Codable {
    public var method: PaymentMethod
    public var received: Yen
    public var refunded: Yen
    public var payments: Int
    public var refunds: Int

    public init(method: PaymentMethod, received: Yen, refunded: Yen, payments: Int, refunds: Int) {
      self.method = method
      self.received = received
      self.refunded = refunded
      self.payments = payments
      self.refunds = refunds
    }
  }

  /// Money received (a payment) or paid out (a refund) for a booking.
  public struct Entered: RecordableEvent, Hashable {
    public static let eventType = "Building.CashEntered"
    public static let schemaVersion = 1
    public var date: LocalDate
    public var booking: BookingID
    public var refund: Bool
    public var amount: Yen
    public var method: PaymentMethod
    public var receiptNumber: String?

    public init(date: LocalDate, booking: BookingID, refund: Bool, amount: Yen, method: PaymentMethod, receiptNumber: String?) {
      self.date = date
      self.booking = booking
      self.refund = refund
      self.amount = amount
      self.method = method
      self.receiptNumber = receiptNumber
    }
  }

  /// The day was closed with these figures.
  public struct Closed: RecordableEvent, Hashable {
    public static let eventType = "Building.CashClosed"
    public static let schemaVersion = 1
    public var date: LocalDate
    public var totals: [Totals]
    /// Cash counted in the drawer, when the manager entered it.
    public var cashCounted: Yen?
    /// Counted less the book's net cash (received − refunded), when counted.
    public var difference: Yen?
    public var signedBy: String
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case entered(Entered)
    case closed(Closed)
  }

  public struct State: Sendable, Hashable {
    public var entries: [Entered] = []
    public var closed: Closed?
    public init() {}

    /// The day's figures, for every method.
    public var totals: [Totals] {
      PaymentMethod.allCases.map { method in
        let mine = entries.filter { $0.method == method }
        let received = mine.filter { !$0.refund }, refunded = mine.filter(\.refund)
        return Totals(
          method: method, received: Yen(received.reduce(0) { $0 + $1.amount.amount }), refunded: Yen(refunded.reduce(0) { $0 + $1.amount.amount }),
          payments: received.count, refunds: refunded.count)
      }
    }
  }

  public static let initialState = State()

  /// An entry, refused once the day is closed.
  public static func enter(_ entry: Entered, _ state: State) throws(BuildingError) -> [Event] {
    if let closed = state.closed { throw .dayAlreadyClosed(entry.date, by: closed.signedBy) }
    return [.entered(entry)]
  }

  /// Closes `date` with the book's own figures; a day is closed once, and not before it has begun.
  public static func close(
    _ date: LocalDate, cashCounted: Yen?, signedBy: String, today: LocalDate, at: Date, _ state: State
  ) throws(BuildingError) -> [Event] {
    if let closed = state.closed { throw .dayAlreadyClosed(date, by: closed.signedBy) }
    guard date <= today else { throw .cashCloseInFuture(date) }
    let totals = state.totals
    let cash = totals.first { $0.method == .cash }
    let difference = cashCounted.map { Yen($0.amount - ((cash?.received.amount ?? 0) - (cash?.refunded.amount ?? 0))) }
    return [.closed(Closed(date: date, totals: totals, cashCounted: cashCounted, difference: difference, signedBy: signedBy, at: Timestamp(at)))]
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .entered(let e): state.entries.append(e)
    case .closed(let e): state.closed = e
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Entered.self, embed: Event.entered) { if case .entered(let e) = $0 { e } else { nil } }
    codec.register(Closed.self, embed: Event.closed) { if case .closed(let e) = $0 { e } else { nil } }
    return codec
  }()
}

/// How money changed hands.
public enum PaymentMethod: String, Sendable, Hashable, Codable, CaseIterable {
  /// 現金.
  case cash
  /// 振込.
  case transfer

  public var japaneseName: String { self == .cash ? "現金" : "振込" }
}
