import JapaneseCalendar
public import SharedKernel

/// Equipment asked for with a booking.
public struct EquipmentLine: Sendable, Hashable, Codable {
  /// The equipment's id in the catalogue (`projector`).
  public var item: String
  public var quantity: Int

  public init(item: String, quantity: Int) {
    self.item = item
    self.quantity = quantity
  }
}

/// What a fee is asked for: a space in a block on a day, for a use, by a kind of customer.
public struct QuoteRequest: Sendable, Hashable, Codable {
  public var space: SpaceID
  public var date: LocalDate
  public var slot: Slot
  public var use: Use
  /// The ticket price when ``use`` is ``Use/admission`` (the highest price charged).
  public var admission: Yen
  public var tier: CustomerTier
  public var equipment: [EquipmentLine]
  /// 減免 granted, by the catalogue's id, and why.
  public var reduction: String?
  public var reductionReason: String?
  /// 延長: minutes past the block's end (each started hour is charged).
  public var overtimeMinutes: Int

  public init(
    space: SpaceID, date: LocalDate, slot: Slot, use: Use = .general, admission: Yen = .zero, tier: CustomerTier = .general,
    equipment: [EquipmentLine] = [], reduction: String? = nil, reductionReason: String? = nil, overtimeMinutes: Int = 0
  ) {
    self.space = space
    self.date = date
    self.slot = slot
    self.use = use
    self.admission = admission
    self.tier = tier
    self.equipment = equipment
    self.reduction = reduction
    self.reductionReason = reductionReason
    self.overtimeMinutes = overtimeMinutes
  }

  /// The minutes the booking occupies the space: the block and its overtime.
  public var occupied: TimeRange { slot.range.widened(before: 0, after: overtimeMinutes) }
}

/// One line of a quote: what it is for and its amount (税込; negative for a reduction).
public struct QuoteLine: Sendable, Hashable, Codable {
  public enum Kind: String, Sendable, Hashable, Codable {
    /// 施設使用料 and its surcharges, reductions and overtime.
    case facility
    /// 付帯設備.
    case equipment
  }

  public var label: String
  public var amount: Yen
  public var kind: Kind

  public init(label: String, amount: Yen, kind: Kind) {
    self.label = label
    self.amount = amount
    self.kind = kind
  }
}

/// A priced booking: every line in the order it was applied, the total (税込), and the tax it
/// includes, as the invoice rules ask (one rounding per rate and document).
public struct Quote: Sendable, Hashable, Codable {
  /// The catalogue version it was priced on.
  public var catalogueVersion: Int
  /// 平日 or 土日祝 (with the holiday's name when it is one).
  public var dayType: String
  public var lines: [QuoteLine]
  /// The facility lines' sum: what the cancellation schedule's percentage applies to.
  public var facilityFee: Yen
  public var equipmentFee: Yen
  /// What the customer pays, tax included.
  public var total: Yen
  /// The consumption tax included in ``total`` (10%対象), rounded down once.
  public var tax: Yen
  public var taxPercent: Int

  public init(
    catalogueVersion: Int, dayType: String, lines: [QuoteLine], facilityFee: Yen, equipmentFee: Yen, total: Yen, tax: Yen,
    taxPercent: Int
  ) {
    self.catalogueVersion = catalogueVersion
    self.dayType = dayType
    self.lines = lines
    self.facilityFee = facilityFee
    self.equipmentFee = equipmentFee
    self.total = total
    self.tax = tax
    self.taxPercent = taxPercent
  }
}

/// Prices a booking as public halls do (`../shared/domain-building.md` §3.2–3.3), in a fixed
/// order that the quote shows line by line:
///
/// 1. the base fee of the space and block, from the 平日 or the 土日祝 column (a combination
///    without a price of its own costs the sum of its parts; hours cost the hourly rate); without
///    a 土日祝 column, 土日祝 adds the catalogue's holiday percentage as its own line;
/// 2. the catalogue's adjustments that apply (営利, 入場料 bands, 会員, 非営利), in their order,
///    each a percentage of the running fee;
/// 3. 減免, when granted;
/// 4. overtime: per started hour, the overtime percentage of the fee reached so far;
/// 5. equipment, per unit and booking.
///
/// Every step is rounded down to ¥10 (10円未満切り捨て). Fees are 税込; the tax they include is
/// `total × rate ÷ (100 + rate)`, rounded down once for the document.
public enum FeeEngine {
  public static func quote(_ request: QuoteRequest, catalogue: Catalogue, version: Int) throws(BuildingError) -> Quote {
    guard let space = catalogue.space(request.space) else { throw .unknownSpace(request.space) }
    try checkSlot(request.slot, of: space)
    guard (0...180).contains(request.overtimeMinutes) else { throw .overtimeOutOfRange(request.overtimeMinutes) }
    guard request.use == .admission || request.admission == .zero else { throw .admissionWithoutAdmissionUse }
    guard request.admission >= .zero else { throw .negativeAdmission(request.admission) }
    guard request.use != .admission || request.admission > .zero else { throw .admissionPriceMissing }
    let holiday = try dayType(of: request.date)
    var lines: [QuoteLine] = []
    let columnName = holiday == nil ? "平日" : "土日祝"
    var fee: Yen
    let hasHolidayColumn = request.slot.isHourly ? space.fees.hourlyHoliday != nil : space.fees.holiday != nil
    if let _ = holiday, hasHolidayColumn {
      fee = try baseFee(space, request.slot, holiday: true)
      lines.append(QuoteLine(label: "\(space.name) \(request.slot.japaneseName)（土日祝料金）", amount: fee, kind: .facility))
    } else {
      fee = try baseFee(space, request.slot, holiday: false)
      lines.append(QuoteLine(label: "\(space.name) \(request.slot.japaneseName)（平日料金）", amount: fee, kind: .facility))
      if holiday != nil {
        let next = try percent(fee, catalogue.holidayPercent)
        lines.append(QuoteLine(label: "土日祝加算（\(factor(catalogue.holidayPercent))）", amount: try next.minus(fee), kind: .facility))
        fee = next
      }
    }
    for adjustment in catalogue.adjustments where adjustment.applies(use: request.use, admission: request.admission, tier: request.tier) {
      let next = try percent(fee, adjustment.percent)
      lines.append(QuoteLine(label: adjustment.label, amount: try next.minus(fee), kind: .facility))
      fee = next
    }
    if let id = request.reduction {
      guard let reduction = catalogue.reductions.first(where: { $0.id == id }) else { throw .unknownReduction(id) }
      let reason = request.reductionReason?.trimmingCharacters(in: .whitespaces) ?? ""
      guard !reason.isEmpty else { throw .reductionWithoutReason }
      let next = try percent(fee, reduction.percent)
      lines.append(QuoteLine(label: "\(reduction.label)（\(reason)）", amount: try next.minus(fee), kind: .facility))
      fee = next
    }
    if request.overtimeMinutes > 0 {
      let hours = Int64((request.overtimeMinutes + 59) / 60)
      let perHour = try percent(fee, catalogue.overtimePercent)
      let overtime = try perHour.times(hours)
      lines.append(QuoteLine(label: "延長 \(hours)時間（\(catalogue.overtimePercent)%×\(hours)）", amount: overtime, kind: .facility))
      fee = try fee.plus(overtime)
    }
    var equipmentFee = Yen.zero
    for line in request.equipment {
      guard let item = catalogue.equipmentItem(line.item) else { throw .unknownEquipment(line.item) }
      guard line.quantity >= 1, line.quantity <= item.stock else {
        throw .equipmentQuantity(item: item.name, asked: line.quantity, stock: item.stock)
      }
      let amount = try item.fee.times(Int64(line.quantity))
      lines.append(QuoteLine(label: "\(item.name) ×\(line.quantity)", amount: amount, kind: .equipment))
      equipmentFee = try equipmentFee.plus(amount)
    }
    let total = try fee.plus(equipmentFee)
    let tax = Yen(try total.times(Int64(catalogue.taxPercent)).amount / Int64(100 + catalogue.taxPercent))
    return Quote(
      catalogueVersion: version, dayType: holiday.map { "土日祝（\($0)）" } ?? columnName, lines: lines, facilityFee: fee,
      equipmentFee: equipmentFee, total: total, tax: tax, taxPercent: catalogue.taxPercent)
  }

  /// Whether `date` is priced as 土日祝: the day's name (土曜日, 日曜日, or the holiday's), nil on weekdays.
  public static func dayType(of date: LocalDate) throws(BuildingError) -> String? {
    let holiday: Holiday?
    do { holiday = try NationalHolidays.holiday(on: date) } catch { throw .dateOutOfRange(date) }
    if let holiday { return holiday.name }
    switch date.weekday {
    case .saturday: return "土曜日"
    case .sunday: return "日曜日"
    default: return nil
    }
  }

  /// The block must be one the space is let in, and hours must lie in its hourly letting.
  static func checkSlot(_ slot: Slot, of space: Space) throws(BuildingError) {
    if case .hours(let range) = slot {
      guard let hourly = space.hourly, let from = TimeRange.minutes(of: hourly.from), let to = TimeRange.minutes(of: hourly.to),
        range.start >= from, range.end <= to
      else { throw .slotNotOffered(space: space.id, slot: slot) }
      return
    }
    guard space.slots.contains(slot) else { throw .slotNotOffered(space: space.id, slot: slot) }
  }

  static func baseFee(_ space: Space, _ slot: Slot, holiday: Bool) throws(BuildingError) -> Yen {
    if case .hours(let range) = slot {
      guard let rate = holiday ? space.fees.hourlyHoliday : space.fees.hourlyWeekday else {
        throw .missingFee(space: space.id, slot: slot)
      }
      return try Yen.guarded { () throws(YenError) in try rate.multiplied(by: Int64(range.minutes / 60)) }
    }
    let column = (holiday ? space.fees.holiday : nil) ?? space.fees.weekday
    if let fee = column[slot.code] { return fee }
    var total = Yen.zero
    for part in slot.parts {
      guard let fee = column[part.code] else { throw .missingFee(space: space.id, slot: slot) }
      total = try Yen.guarded { () throws(YenError) in try total.adding(fee) }
    }
    guard !slot.parts.isEmpty else { throw .missingFee(space: space.id, slot: slot) }
    return total
  }

  /// `percent`% of `amount`, rounded down to ¥10.
  public static func percent(_ amount: Yen, _ percent: Int) throws(BuildingError) -> Yen {
    let scaled = try Yen.guarded { () throws(YenError) in try amount.multiplied(by: Int64(percent)) }
    return roundDownToTen(Yen(scaled.amount / 100))
  }

  /// 10円未満切り捨て (toward zero).
  public static func roundDownToTen(_ amount: Yen) -> Yen { Yen(amount.amount / 10 * 10) }

  static func factor(_ percent: Int) -> String {
    let whole = percent / 100, rest = percent % 100
    if rest == 0 { return "×\(whole)" }
    return rest % 10 == 0 ? "×\(whole).\(rest / 10)" : "×\(whole).\(rest < 10 ? "0" : "")\(rest)"
  }
}

extension Slot {
  /// Whether it is let by the hour.
  public var isHourly: Bool {
    if case .hours = self { return true }
    return false
  }
}

extension Yen {
  /// Runs a calculation and turns an overflow into the building's error.
  static func guarded(_ body: () throws(YenError) -> Yen) throws(BuildingError) -> Yen {
    do { return try body() } catch { throw .amountTooLarge(error.description) }
  }

  func plus(_ other: Yen) throws(BuildingError) -> Yen { try Yen.guarded { () throws(YenError) in try self.adding(other) } }
  func minus(_ other: Yen) throws(BuildingError) -> Yen { try Yen.guarded { () throws(YenError) in try self.subtracting(other) } }
  func times(_ factor: Int64) throws(BuildingError) -> Yen {
    try Yen.guarded { () throws(YenError) in try self.multiplied(by: factor) }
  }
}
