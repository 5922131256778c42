public import SharedKernel

/// Phantom tag for ``SpaceID``.
public enum SpaceTag {}
/// A room, the hall, or a part of the hall: `room-a`, `hall`, `hall-east`.
public typealias SpaceID = ID<SpaceTag>

/// 料金表・施設台帳: the building's spaces, fees and rules, as the manager edits them in a JSON
/// file and publishes them. Every publication is an event with a version number; a booking
/// records the version it was quoted on and keeps its fee when a later version changes prices.
public struct Catalogue: Sendable, Hashable, Codable {
  /// 適格請求書発行事業者の登録番号 (`T` and 13 digits), printed on receipts and permits.
  public var registrationNumber: String
  /// Who issues permits and receipts (the foundation's name).
  public var issuer: String
  public var spaces: [Space]
  public var equipment: [Equipment]
  /// Surcharges and reductions, applied to the space's fee in this order (see ``FeeEngine``).
  public var adjustments: [Adjustment]
  /// 減免: reductions for public-interest use that the desk grants with a reason.
  public var reductions: [Reduction]
  /// Overtime: this percentage of the booked block's (adjusted) fee per started hour.
  public var overtimePercent: Int
  /// When a space has no 土日祝 column: this percentage of the weekday fee (e.g. 120).
  public var holidayPercent: Int
  /// 消費税: the standard rate in percent; fees in the table include it (税込).
  public var taxPercent: Int
  /// キャンセル料: by days before the day of use, the percentage of the facility fee charged.
  public var cancellation: [CancellationRule]
  /// 仮予約: days a provisional booking is held before it lapses (never past the day of use).
  public var provisionalHoldDays: Int
  /// How many months ahead each kind of customer may book.
  public var bookingWindowMonths: [CustomerTier: Int]
  /// The building's own closed days every year (年末年始 12/29–1/3).
  public var annualClosures: [AnnualClosure]
  /// How many months ahead a recurring booking (定期利用) may reach, whatever the tier (12 when
  /// not set): a circle books its year at once.
  public var seriesWindowMonths: Int? = nil
  /// Days a waiting customer has to take a freed slot offered to them (2 when not set).
  public var waitlistOfferDays: Int? = nil
  /// Minutes after a booking's start without a check-in before it is recorded as a no-show (30 when not set).
  public var noShowGraceMinutes: Int? = nil

  public init(
    registrationNumber: String, issuer: String, spaces: [Space], equipment: [Equipment], adjustments: [Adjustment],
    reductions: [Reduction], overtimePercent: Int, holidayPercent: Int, taxPercent: Int, cancellation: [CancellationRule],
    provisionalHoldDays: Int, bookingWindowMonths: [CustomerTier: Int], annualClosures: [AnnualClosure]
  ) {
    self.registrationNumber = registrationNumber
    self.issuer = issuer
    self.spaces = spaces
    self.equipment = equipment
    self.adjustments = adjustments
    self.reductions = reductions
    self.overtimePercent = overtimePercent
    self.holidayPercent = holidayPercent
    self.taxPercent = taxPercent
    self.cancellation = cancellation
    self.provisionalHoldDays = provisionalHoldDays
    self.bookingWindowMonths = bookingWindowMonths
    self.annualClosures = annualClosures
  }

  /// The space with this id.
  public func space(_ id: SpaceID) -> Space? { spaces.first { $0.id == id } }

  /// The equipment item with this id.
  public func equipmentItem(_ id: String) -> Equipment? { equipment.first { $0.id == id } }

  /// The annual closure that covers `date`, if any.
  public func annualClosure(on date: LocalDate) -> AnnualClosure? {
    annualClosures.first { $0.covers(date) }
  }
}

/// What a space is.
public enum SpaceKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// 会議室.
  case room
  /// 多目的ホール (全面) or a part of it.
  case hall
}

/// A space that can be let: a meeting room, the hall whole, or a part of the hall.
///
/// Spaces are built of `units`, the smallest floor areas a partition wall can close off. Two
/// spaces that share a unit cannot be let at the same time: the hall whole (units h1–h6) and its
/// east half (h1–h3), or rooms 5 and 6 and the joined room 5+6. Spaces that share units belong
/// to one `group`, and one stream per group and date (`slots-<group>-<yyyymmdd>`) holds them.
public struct Space: Sendable, Hashable, Codable {
  public var id: SpaceID
  /// `会議室A`, `多目的ホール（全面）`.
  public var name: String
  public var kind: SpaceKind
  public var floor: Int
  /// People seated.
  public var capacity: Int
  public var areaSquareMetres: Int
  public var units: [String]
  /// Spaces that share a unit are in one group (checked when a catalogue is published).
  public var group: String
  /// What the space has, free of charge (ホワイトボード, 演台).
  public var fixtures: [String]
  /// The named blocks it is let in.
  public var slots: [Slot]
  /// Let by the hour between these times too, when set.
  public var hourly: HourlyLetting?
  /// 準備・片付け: minutes kept free between two lettings of the space (0 for none).
  public var bufferMinutes: Int
  public var fees: FeeColumns

  public init(
    id: SpaceID, name: String, kind: SpaceKind, floor: Int, capacity: Int, areaSquareMetres: Int, units: [String], group: String,
    fixtures: [String], slots: [Slot], hourly: HourlyLetting?, bufferMinutes: Int, fees: FeeColumns
  ) {
    self.id = id
    self.name = name
    self.kind = kind
    self.floor = floor
    self.capacity = capacity
    self.areaSquareMetres = areaSquareMetres
    self.units = units
    self.group = group
    self.fixtures = fixtures
    self.slots = slots
    self.hourly = hourly
    self.bufferMinutes = bufferMinutes
    self.fees = fees
  }

  /// Whether the two spaces cannot be let at the same time (the same space, or a shared unit).
  public func excludes(_ other: Space) -> Bool {
    id == other.id || !Set(units).isDisjoint(with: other.units)
  }
}

/// Hourly letting: the hours a space can be let by the hour.
public struct HourlyLetting: Sendable, Hashable, Codable {
  /// `09:00`.
  public var from: String
  /// `21:00`.
  public var to: String

  public init(from: String, to: String) {
    self.from = from
    self.to = to
  }
}

/// A space's fees (税込, yen): the 平日 column and the 土日祝 column.
public struct FeeColumns: Sendable, Hashable, Codable {
  /// Fees by block code on weekdays: `morning`, `afternoon`, `evening`, and optionally a
  /// combination's own price (`full-day`); a combination without one costs the sum of its parts.
  public var weekday: [String: Yen]
  /// The 土日祝 column; when nil the catalogue's ``Catalogue/holidayPercent`` of the weekday fee.
  public var holiday: [String: Yen]?
  /// Per hour on weekdays, for hourly letting.
  public var hourlyWeekday: Yen?
  /// Per hour on 土日祝; when nil, the weekday rate × ``Catalogue/holidayPercent``.
  public var hourlyHoliday: Yen?

  public init(weekday: [String: Yen], holiday: [String: Yen]? = nil, hourlyWeekday: Yen? = nil, hourlyHoliday: Yen? = nil) {
    self.weekday = weekday
    self.holiday = holiday
    self.hourlyWeekday = hourlyWeekday
    self.hourlyHoliday = hourlyHoliday
  }
}

/// 付帯設備: equipment lent with a booking, for a fee per booking, from a limited stock.
public struct Equipment: Sendable, Hashable, Codable {
  /// `projector`.
  public var id: String
  /// `プロジェクター`.
  public var name: String
  /// Per unit and booking (税込).
  public var fee: Yen
  /// How many the building has: bookings that overlap in time share them.
  public var stock: Int

  public init(id: String, name: String, fee: Yen, stock: Int) {
    self.id = id
    self.name = name
    self.fee = fee
    self.stock = stock
  }
}

/// What a booking is used for.
public enum Use: String, Sendable, Hashable, Codable, CaseIterable {
  /// 一般利用.
  case general
  /// 営利利用 without admission (sales, product presentations).
  case commercial
  /// An event charging admission (入場料), priced by the ticket's band.
  case admission

  public var japaneseName: String {
    switch self {
    case .general: "一般"
    case .commercial: "営利"
    case .admission: "入場料徴収"
    }
  }
}

/// 利用者区分: how a customer is priced and how far ahead they may book.
public enum CustomerTier: String, Sendable, Hashable, Codable, CaseIterable, CodingKeyRepresentable {
  /// 一般.
  case general
  /// 会員 (registered member SMEs of the prefecture).
  case member
  /// 非営利団体・サークル.
  case nonprofit

  public var japaneseName: String {
    switch self {
    case .general: "一般"
    case .member: "会員企業"
    case .nonprofit: "非営利団体"
    }
  }
}

/// A surcharge or reduction on the space's fee: `percent` of the running fee when it applies.
public struct Adjustment: Sendable, Hashable, Codable {
  public var id: String
  /// As printed on the quote: `営利利用（×1.5）`.
  public var label: String
  /// 150 for ×1.5, 80 for 20% off.
  public var percent: Int
  /// Applies to bookings of this use (any when nil).
  public var use: Use?
  /// Applies when the admission charged lies in this band (yen, inclusive).
  public var admissionFrom: Yen?
  public var admissionTo: Yen?
  /// Applies to customers of this tier (any when nil).
  public var tier: CustomerTier?

  public init(
    id: String, label: String, percent: Int, use: Use? = nil, admissionFrom: Yen? = nil, admissionTo: Yen? = nil,
    tier: CustomerTier? = nil
  ) {
    self.id = id
    self.label = label
    self.percent = percent
    self.use = use
    self.admissionFrom = admissionFrom
    self.admissionTo = admissionTo
    self.tier = tier
  }

  /// Whether it applies to a booking of `use`, charging `admission`, by a customer of `tier`.
  public func applies(use: Use, admission: Yen, tier: CustomerTier) -> Bool {
    if let wanted = self.use, wanted != use { return false }
    if let wanted = self.tier, wanted != tier { return false }
    if let from = admissionFrom, admission < from { return false }
    if let to = admissionTo, admission > to { return false }
    return true
  }
}

/// 減免: a reduction granted for public-interest use, with the reason recorded on the booking.
public struct Reduction: Sendable, Hashable, Codable {
  public var id: String
  /// `公益減免（5割）`.
  public var label: String
  /// The percentage of the fee still charged: 50 for half, 0 for 全額免除.
  public var percent: Int

  public init(id: String, label: String, percent: Int) {
    self.id = id
    self.label = label
    self.percent = percent
  }
}

/// One row of the cancellation schedule: cancelled at least `daysBefore` days before the day of
/// use, `percent` of the facility fee is charged.
public struct CancellationRule: Sendable, Hashable, Codable {
  public var daysBefore: Int
  public var percent: Int

  public init(daysBefore: Int, percent: Int) {
    self.daysBefore = daysBefore
    self.percent = percent
  }
}

/// A closure every year, e.g. 年末年始 12-29 … 01-03 (it may run over the new year).
public struct AnnualClosure: Sendable, Hashable, Codable {
  /// `12-29`.
  public var from: String
  /// `01-03`.
  public var to: String
  /// `年末年始`.
  public var label: String

  public init(from: String, to: String, label: String) {
    self.from = from
    self.to = to
    self.label = label
  }

  static func monthDay(_ text: String) -> Int? {
    let parts = text.split(separator: "-")
    guard parts.count == 2, let month = Int(parts[0]), let day = Int(parts[1]), (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    return month * 100 + day
  }

  /// Whether `date` falls in it.
  public func covers(_ date: LocalDate) -> Bool {
    guard let from = Self.monthDay(from), let to = Self.monthDay(to) else { return false }
    let day = date.month * 100 + date.day
    return from <= to ? (from...to).contains(day) : (day >= from || day <= to)
  }
}
