import Building
import Foundation
import SharedKernel

/// The building of the tests, shaped on the domain notes' proposed demo set (§3.8): two rooms,
/// two rooms joined by a partition wall, and the hall whole, in halves and in thirds.
enum TestCatalogue {
  static func id(_ text: String) -> SpaceID { try! SpaceID(text) }
  static func date(_ text: String) -> LocalDate { try! LocalDate(iso8601: text) }

  static let basicSlots = Slot.named

  static func room(_ id: String, _ name: String, capacity: Int, area: Int, units: [String]? = nil, group: String? = nil, fees: [Int64], buffer: Int = 0, hourly: Yen? = nil) -> Space {
    Space(
      id: Self.id(id), name: name, kind: .room, floor: 3, capacity: capacity, areaSquareMetres: area, units: units ?? [id],
      group: group ?? id.replacingOccurrences(of: "-", with: ""), fixtures: ["ホワイトボード"], slots: basicSlots,
      hourly: hourly == nil ? nil : HourlyLetting(from: "09:00", to: "21:00"), bufferMinutes: buffer,
      fees: FeeColumns(
        weekday: ["morning": Yen(fees[0]), "afternoon": Yen(fees[1]), "evening": Yen(fees[2])], hourlyWeekday: hourly))
  }

  static func hall(_ id: String, _ name: String, units: [String], share: Int64) -> Space {
    func fee(_ whole: Int64) -> Yen { Yen(whole * share / 100 / 10 * 10) }
    return Space(
      id: Self.id(id), name: name, kind: .hall, floor: 1, capacity: Int(200 * share / 100), areaSquareMetres: Int(300 * share / 100),
      units: units, group: "hall", fixtures: ["演台", "音響設備"], slots: basicSlots, hourly: nil, bufferMinutes: 30,
      fees: FeeColumns(
        weekday: ["morning": fee(30_000), "afternoon": fee(38_000), "evening": fee(40_000), "full-day": fee(100_000)],
        holiday: ["morning": fee(36_000), "afternoon": fee(45_600), "evening": fee(48_000), "full-day": fee(120_000)]))
  }

  static let catalogue = Catalogue(
    registrationNumber: "T1234567890123", issuer: "公益財団法人神奈川産業振興センター",
    spaces: [
      room("room-a", "会議室A", capacity: 24, area: 60, fees: [2_800, 3_300, 4_400]),
      room("room-b", "会議室B", capacity: 12, area: 40, fees: [1_400, 1_700, 2_200], hourly: Yen(600)),
      room("room-5", "会議室5", capacity: 18, area: 45, units: ["r5"], group: "rooms56", fees: [2_000, 2_400, 3_000], buffer: 30),
      room("room-6", "会議室6", capacity: 18, area: 45, units: ["r6"], group: "rooms56", fees: [2_000, 2_400, 3_000], buffer: 30),
      room("room-56", "会議室5・6（連結）", capacity: 40, area: 90, units: ["r5", "r6"], group: "rooms56", fees: [3_800, 4_600, 5_700], buffer: 30),
      hall("hall", "多目的ホール（全面）", units: ["h1", "h2", "h3", "h4", "h5", "h6"], share: 100),
      hall("hall-east", "多目的ホール（1/2 東）", units: ["h1", "h2", "h3"], share: 55),
      hall("hall-west", "多目的ホール（1/2 西）", units: ["h4", "h5", "h6"], share: 55),
      hall("hall-a", "多目的ホール（1/3 A）", units: ["h1", "h2"], share: 38),
      hall("hall-b", "多目的ホール（1/3 B）", units: ["h3", "h4"], share: 38),
      hall("hall-c", "多目的ホール（1/3 C）", units: ["h5", "h6"], share: 38),
    ],
    equipment: [
      Equipment(id: "projector", name: "プロジェクター", fee: Yen(3_000), stock: 2),
      Equipment(id: "mic", name: "ワイヤレスマイク", fee: Yen(1_000), stock: 4),
    ],
    adjustments: [
      Adjustment(id: "commercial", label: "営利利用（×1.5）", percent: 150, use: .commercial),
      Adjustment(id: "admission-low", label: "入場料 1〜2,999円（×1.5）", percent: 150, use: .admission, admissionFrom: Yen(1), admissionTo: Yen(2_999)),
      Adjustment(id: "admission-high", label: "入場料 3,000円以上（×2）", percent: 200, use: .admission, admissionFrom: Yen(3_000)),
      Adjustment(id: "member", label: "会員企業割引（2割引）", percent: 80, tier: .member),
      Adjustment(id: "nonprofit", label: "非営利団体割引（3割引）", percent: 70, tier: .nonprofit),
    ],
    reductions: [
      Reduction(id: "public-half", label: "公益減免（5割）", percent: 50),
      Reduction(id: "public-full", label: "公益減免（全額）", percent: 0),
    ],
    overtimePercent: 20, holidayPercent: 120, taxPercent: 10,
    cancellation: [CancellationRule(daysBefore: 30, percent: 0), CancellationRule(daysBefore: 7, percent: 50), CancellationRule(daysBefore: 0, percent: 100)],
    provisionalHoldDays: 7, bookingWindowMonths: [.member: 6, .general: 3, .nonprofit: 3],
    annualClosures: [AnnualClosure(from: "12-29", to: "01-03", label: "年末年始")])

  static let history: CatalogueHistory.State = {
    var state = CatalogueHistory.State()
    state.versions = [catalogue]
    return state
  }()

  static func context(today: String, closures: Closures.State = Closures.State()) -> DeskContext {
    DeskContext(catalogue: history, closures: closures, today: date(today), at: date(today).startInJapan.addingTimeInterval(3600 * 10))
  }

  static func customer(_ tier: CustomerTier = .general, name: String = "株式会社みなとみらい製作所") -> Customer.Record {
    Customer.Record(id: try! CustomerID("c-test-\(tier.rawValue)"), profile: CustomerProfile(name: name, nameKana: "ミナトミライセイサクショ", kind: .company, tier: tier))
  }
}
