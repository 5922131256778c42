import Building
import EventLog
import Foundation
import ServiceKit
import SharedKernel

/// The fields of a quote (and of a booking, which adds to them), as clients send them.
struct QuoteBody: DocumentedBody, Sendable {
  var space: SpaceID
  var date: DateInput
  var slot: String
  var use: Use?
  var admissionYen: Int64?
  var customerCategory: CustomerTier?
  var equipment: [EquipmentLine]?
  var reduction: String?
  var reductionReason: String?
  var overtimeMinutes: Int?

  /// The priced request; the tier is the body's, else `tier`.
  func request(tier: CustomerTier? = nil) throws(Problem) -> QuoteRequest {
    let slot: Slot
    do { slot = try Slot(code: self.slot) } catch { throw error.problem }
    return QuoteRequest(
      space: space, date: date.date, slot: slot, use: use ?? .general, admission: Yen(admissionYen ?? 0),
      tier: customerCategory ?? tier ?? .general, equipment: equipment ?? [], reduction: reduction?.isEmpty == true ? nil : reduction,
      reductionReason: reductionReason, overtimeMinutes: overtimeMinutes ?? 0)
  }

  static let properties: [String: Schema] = [
    "space": .string(description: "A space's id from GET /api/spaces"),
    "date": .string(description: "ISO 2023-03-31 or 和暦 令和5年3月31日"),
    "slot": .string(description: "morning, afternoon, evening, morning-afternoon, afternoon-evening, full-day, or HH:00-HH:00 where let by the hour"),
    "use": .string(values: Use.allCases.map(\.rawValue)),
    "admissionYen": .integer(minimum: 0, maximum: 10_000_000),
    "customerCategory": .string(values: CustomerTier.allCases.map(\.rawValue)),
    "equipment": .array(.object(["item": .string(), "quantity": .integer(minimum: 1, maximum: 100)], required: ["item", "quantity"]), maxItems: 20),
    "reduction": .string(description: "減免: a reduction's id from the catalogue"),
    "reductionReason": .string(maxLength: 200),
    "overtimeMinutes": .integer(minimum: 0, maximum: 180),
  ]

  static let schema = Schema.object(properties, required: ["space", "date", "slot"])
}

/// A registered customer's id, or a caller registered on the way.
enum CustomerReference: Decodable, Sendable {
  case registered(CustomerID)
  case new(name: String, nameKana: String?, phone: String?)

  private enum Keys: String, CodingKey { case name, nameKana, phone }

  init(from decoder: any Decoder) throws {
    if let id = try? decoder.singleValueContainer().decode(CustomerID.self) {
      self = .registered(id)
      return
    }
    let container = try decoder.container(keyedBy: Keys.self)
    self = .new(
      name: try container.decode(String.self, forKey: .name), nameKana: try container.decodeIfPresent(String.self, forKey: .nameKana),
      phone: try container.decodeIfPresent(String.self, forKey: .phone))
  }

  static let schema = Schema.any
}

/// A booking: the quote's fields, the customer, and whether it is a 仮予約.
struct BookingBody: DocumentedBody, Sendable {
  var quote: QuoteBody
  var customer: CustomerReference
  var provisional: Bool
  var purpose: String?
  var attendees: Int?

  private enum Keys: String, CodingKey { case customer, provisional, purpose, attendees }

  init(from decoder: any Decoder) throws {
    quote = try QuoteBody(from: decoder)
    let container = try decoder.container(keyedBy: Keys.self)
    customer = try container.decode(CustomerReference.self, forKey: .customer)
    provisional = try container.decodeIfPresent(Bool.self, forKey: .provisional) ?? false
    purpose = try container.decodeIfPresent(String.self, forKey: .purpose)
    attendees = try container.decodeIfPresent(Int.self, forKey: .attendees)
  }

  static let schema = Schema.object(
    QuoteBody.properties.merging([
      "customer": .any, "provisional": .boolean, "purpose": .string(maxLength: 200), "attendees": .integer(minimum: 1, maximum: 10_000),
    ]) { a, _ in a }, required: ["space", "date", "slot", "customer"])
}

/// A customer's registration or new details.
struct CustomerBody: DocumentedBody, Sendable {
  var name: String
  var nameKana: String
  var kind: CustomerKind?
  var customerCategory: CustomerTier?
  var phone: String?
  var email: String?
  var contactPerson: String?

  var profile: CustomerProfile {
    CustomerProfile(
      name: name, nameKana: nameKana, kind: kind ?? .company, tier: customerCategory ?? .general, phone: phone, email: email,
      contactPerson: contactPerson)
  }

  static let schema = Schema.object(
    [
      "name": .string(maxLength: 100), "nameKana": .string(maxLength: 100), "kind": .string(values: CustomerKind.allCases.map(\.rawValue)),
      "customerCategory": .string(values: CustomerTier.allCases.map(\.rawValue)), "phone": .string(maxLength: 20),
      "email": .string(maxLength: 200), "contactPerson": .string(maxLength: 100),
    ], required: ["name", "nameKana"])
}

struct PaymentBody: DocumentedBody, Sendable {
  var amountYen: Int64
  var method: PaymentMethod

  static let schema = Schema.object(
    ["amountYen": .integer(minimum: 1, maximum: 100_000_000), "method": .string(values: PaymentMethod.allCases.map(\.rawValue))],
    required: ["amountYen", "method"])
}

struct CancelBody: DocumentedBody, Sendable {
  var reason: String
  var waiver: Waiver?
  /// Pay back what is due at once, by this method.
  var refundMethod: PaymentMethod?

  static let schema = Schema.object(
    [
      "reason": .string(maxLength: 200), "waiver": .string(values: Waiver.allCases.map(\.rawValue)),
      "refundMethod": .string(values: PaymentMethod.allCases.map(\.rawValue)),
    ], required: ["reason"])
}

struct ClosureBody: DocumentedBody, Sendable {
  var from: DateInput
  var to: DateInput
  var spaces: [SpaceID]?
  var reason: String

  static let schema = Schema.object(
    ["from": .string(), "to": .string(), "spaces": .array(.string(), maxItems: 100), "reason": .string(maxLength: 200)],
    required: ["from", "to", "reason"])
}

struct CashCloseBody: DocumentedBody, Sendable {
  var date: DateInput
  var cashCountedYen: Int64?

  static let schema = Schema.object(["date": .string(), "cashCountedYen": .integer(minimum: 0, maximum: 1_000_000_000)], required: ["date"])
}

struct CatalogueBody: DocumentedBody, Sendable {
  var catalogue: Catalogue
  var note: String?

  static let schema = Schema.object(["catalogue": .object([:], open: true), "note": .string(maxLength: 500)], required: ["catalogue"])
}


/// A lottery round to open (building manager).
struct LotteryBody: DocumentedBody, Sendable {
  var id: String
  var name: String
  var month: String
  var spaces: [SpaceID]
  var opens: DateInput
  var closes: DateInput
  var drawOn: DateInput
  var maxSlotsPerApplicant: Int?
  var maxHolidaySlotsPerApplicant: Int?
  var maxBundle: Int?
  var priority: [CustomerTier]?
  var payWithinDays: Int?

  func checked() throws(Problem) -> (LotteryID, LotteryRules) {
    let id: LotteryID
    do { id = try LotteryID(self.id) } catch { throw Problem(.validationFailed, "id: \(error.description)", field: "id") }
    let month: YearMonth
    do { month = try YearMonth(iso8601: self.month) } catch { throw Problem(.validationFailed, "month: \(error.description)（例: 2027-06）", field: "month") }
    let defaults = LotteryRules(name: name, month: month, spaces: spaces, opens: opens.date, closes: closes.date, drawOn: drawOn.date)
    return (
      id,
      LotteryRules(
        name: name, month: month, spaces: spaces, opens: opens.date, closes: closes.date, drawOn: drawOn.date,
        maxSlotsPerApplicant: maxSlotsPerApplicant ?? defaults.maxSlotsPerApplicant,
        maxHolidaySlotsPerApplicant: maxHolidaySlotsPerApplicant ?? defaults.maxHolidaySlotsPerApplicant, priority: priority ?? defaults.priority,
        payWithinDays: payWithinDays ?? defaults.payWithinDays, maxBundle: maxBundle ?? defaults.maxBundle)
    )
  }

  static let schema = Schema.object(
    [
      "id": .string(maxLength: 40, description: "lower-case letters, digits and '-', e.g. 2027-06-hall"), "name": .string(maxLength: 100),
      "month": .string(description: "The month drawn, 2027-06"), "spaces": .array(.string(maxLength: 128), maxItems: 20),
      "opens": .string(description: "First day of applications"), "closes": .string(description: "Last day of applications"),
      "drawOn": .string(description: "The draw's day"), "maxSlotsPerApplicant": .integer(minimum: 1, maximum: 100),
      "maxHolidaySlotsPerApplicant": .integer(minimum: 0, maximum: 100), "maxBundle": .integer(minimum: 1, maximum: 20),
      "priority": .array(.string(values: CustomerTier.allCases.map(\.rawValue)), maxItems: 3), "payWithinDays": .integer(minimum: 1, maximum: 90),
    ], required: ["id", "name", "month", "spaces", "opens", "closes", "drawOn"])
}

/// An application to a lottery round: a registered customer and the slots that win or lose together.
struct ApplicationBody: DocumentedBody, Sendable {
  var customer: CustomerID
  var requests: [Requested]

  struct Requested: Decodable, Sendable {
    var quote: QuoteBody
    var purpose: String?
    var attendees: Int?

    private enum Keys: String, CodingKey { case purpose, attendees }

    init(from decoder: any Decoder) throws {
      quote = try QuoteBody(from: decoder)
      let container = try decoder.container(keyedBy: Keys.self)
      purpose = try container.decodeIfPresent(String.self, forKey: .purpose)
      attendees = try container.decodeIfPresent(Int.self, forKey: .attendees)
    }
  }

  /// The slots, priced at the customer's category.
  func requests(tier: CustomerTier) throws(Problem) -> [LotteryRequest] {
    var slots: [LotteryRequest] = []
    for asked in requests {
      slots.append(LotteryRequest(request: try asked.quote.request(tier: tier), purpose: asked.purpose, attendees: asked.attendees))
    }
    return slots
  }

  static let schema = Schema.object(
    [
      "customer": .string(maxLength: 128, description: "A registered customer's id"),
      "requests": .array(
        .object(
          QuoteBody.properties.merging(["purpose": .string(maxLength: 200), "attendees": .integer(minimum: 1, maximum: 10_000)]) { a, _ in a },
          required: ["space", "date", "slot"]), maxItems: 20),
    ], required: ["customer", "requests"])
}

/// Why a round is called off.
struct CallOffBody: DocumentedBody, Sendable {
  var reason: String

  static let schema = Schema.object(["reason": .string(maxLength: 200)], required: ["reason"])
}

/// A recurring booking: a space and block on every date of a weekly or monthly pattern.
struct SeriesBody: DocumentedBody, Sendable {
  var customer: CustomerID
  var space: SpaceID
  var slot: String
  var from: DateInput
  var until: DateInput
  var weekday: String
  var interval: Int?
  var ordinal: Int?
  var use: Use?
  var equipment: [EquipmentLine]?
  var skipHolidays: Bool?
  var provisional: Bool?
  var purpose: String?
  var attendees: Int?

  static let weekdays: [String: Weekday] = [
    "sunday": .sunday, "monday": .monday, "tuesday": .tuesday, "wednesday": .wednesday, "thursday": .thursday, "friday": .friday,
    "saturday": .saturday, "日": .sunday, "月": .monday, "火": .tuesday, "水": .wednesday, "木": .thursday, "金": .friday, "土": .saturday,
  ]

  func request() throws(Problem) -> SeriesRequest {
    let slot: Slot
    do { slot = try Slot(code: self.slot) } catch { throw error.problem }
    guard let day = Self.weekdays[weekday.lowercased()] else { throw Problem(.validationFailed, "weekday: monday…sunday, or 月…日", field: "weekday") }
    let recurrence: Recurrence = ordinal.map { .monthly(ordinal: $0, weekday: day) } ?? .weekly(weekday: day, interval: interval ?? 1)
    return SeriesRequest(
      request: QuoteRequest(space: space, date: from.date, slot: slot, use: use ?? .general, equipment: equipment ?? []), recurrence: recurrence,
      from: from.date, until: until.date, skipHolidays: skipHolidays ?? false, purpose: purpose, attendees: attendees, provisional: provisional ?? false)
  }

  static let schema = Schema.object(
    [
      "customer": .string(maxLength: 128, description: "A registered customer's id"), "space": .string(maxLength: 128),
      "slot": QuoteBody.properties["slot"] ?? .string(), "from": .string(description: "The first day (ISO or 和暦)"),
      "until": .string(description: "The last day, at most a year on"),
      "weekday": .string(values: ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "日", "月", "火", "水", "木", "金", "土"]),
      "interval": .integer(minimum: 1, maximum: 4, description: "Every n weeks (default 1)"),
      "ordinal": .integer(minimum: -1, maximum: 5, description: "Monthly: the nth weekday of the month (1–5, −1 the last)"),
      "use": .string(values: Use.allCases.map(\.rawValue)), "equipment": QuoteBody.properties["equipment"] ?? .any,
      "skipHolidays": .boolean, "provisional": .boolean, "purpose": .string(maxLength: 200), "attendees": .integer(minimum: 1, maximum: 10_000),
    ], required: ["customer", "space", "slot", "from", "until", "weekday"])
}

/// Where and why a series ends.
struct EndSeriesBody: DocumentedBody, Sendable {
  var from: DateInput
  var reason: String

  static let schema = Schema.object(["from": .string(description: "The first day no longer booked"), "reason": .string(maxLength: 200)], required: ["from", "reason"])
}

/// A place on the waiting list of a taken time.
struct WaitlistBody: DocumentedBody, Sendable {
  var customer: CustomerID
  var space: SpaceID
  var date: DateInput
  var slot: String
  var use: Use?
  var purpose: String?
  var attendees: Int?

  func request() throws(Problem) -> QuoteRequest {
    let slot: Slot
    do { slot = try Slot(code: self.slot) } catch { throw error.problem }
    return QuoteRequest(space: space, date: date.date, slot: slot, use: use ?? .general)
  }

  static let schema = Schema.object(
    [
      "customer": .string(maxLength: 128, description: "A registered customer's id"), "space": .string(maxLength: 128),
      "date": QuoteBody.properties["date"] ?? .string(), "slot": QuoteBody.properties["slot"] ?? .string(),
      "use": .string(values: Use.allCases.map(\.rawValue)), "purpose": .string(maxLength: 200), "attendees": .integer(minimum: 1, maximum: 10_000),
    ], required: ["customer", "space", "date", "slot"])
}

/// Why a customer leaves the waiting list.
struct LeaveWaitlistBody: DocumentedBody, Sendable {
  var reason: String?

  static let schema = Schema.object(["reason": .string(maxLength: 200)])
}
