import Building
import SharedKernel
import Testing

@Suite("Building: the fee engine prices as public halls do, to the yen")
struct FeeEngineTests {
  let catalogue = TestCatalogue.catalogue

  func quote(
    _ space: String, _ date: String, _ slot: String, use: Use = .general, admission: Int64 = 0, tier: CustomerTier = .general,
    equipment: [EquipmentLine] = [], reduction: String? = nil, reason: String? = nil, overtime: Int = 0
  ) throws -> Quote {
    try FeeEngine.quote(
      QuoteRequest(
        space: TestCatalogue.id(space), date: TestCatalogue.date(date), slot: try Slot(code: slot), use: use, admission: Yen(admission),
        tier: tier, equipment: equipment, reduction: reduction, reductionReason: reason, overtimeMinutes: overtime),
      catalogue: catalogue, version: 1)
  }

  @Test("a weekday morning is the table's fee, and the 10% tax it includes is rounded down once")
  func weekday() throws {
    let q = try quote("room-a", "2023-02-15", "morning")
    #expect(q.lines.map(\.amount) == [Yen(2_800)])
    #expect(q.total == Yen(2_800) && q.tax == Yen(254) && q.dayType == "平日")
  }

  @Test("土日祝 without a column of its own adds 20% as a line; a holiday is named")
  func holidaySurcharge() throws {
    let q = try quote("room-a", "2023-02-11", "morning")  // Saturday and 建国記念の日
    #expect(q.lines.map(\.amount) == [Yen(2_800), Yen(560)])
    #expect(q.total == Yen(3_360))
    #expect(q.dayType == "土日祝（建国記念の日）")
    let sunday = try quote("room-a", "2023-02-12", "morning")
    #expect(sunday.dayType == "土日祝（日曜日）" && sunday.total == Yen(3_360))
    let substitute = try quote("room-a", "2023-01-02", "morning")  // 振替休日 (1 Jan was a Sunday) — inside 年末年始 but priced
    #expect(substitute.dayType == "土日祝（振替休日）")
  }

  @Test("a hall with a 土日祝 column is priced from it")
  func holidayColumn() throws {
    let q = try quote("hall", "2023-03-21", "afternoon")  // 春分の日
    #expect(q.lines.map(\.amount) == [Yen(45_600)])
    #expect(q.lines[0].label.contains("土日祝料金"))
  }

  @Test("surcharges and reductions apply in the table's order, each rounded down to ¥10")
  func orderedAdjustments() throws {
    let q = try quote("room-a", "2023-02-15", "afternoon", use: .commercial, tier: .member)
    #expect(q.lines.map(\.amount) == [Yen(3_300), Yen(1_650), Yen(-990)])
    #expect(q.total == Yen(3_960))
    // 1,400 × 1.2 = 1,680; × 0.7 = 1,176 → 1,170 (10円未満切り捨て).
    let rounded = try quote("room-b", "2023-02-18", "morning", tier: .nonprofit)
    #expect(rounded.lines.map(\.amount) == [Yen(1_400), Yen(280), Yen(-510)])
    #expect(rounded.total == Yen(1_170))
  }

  @Test("admission is priced by ticket band: ¥2,999 ×1.5, ¥3,000 ×2; an admission event needs its price; none without admission use")
  func admissionBands() throws {
    #expect(try quote("hall", "2023-02-15", "full-day", use: .admission, admission: 2_999).total == Yen(150_000))
    #expect(try quote("hall", "2023-02-15", "full-day", use: .admission, admission: 3_000).total == Yen(200_000))
    #expect(try quote("hall", "2023-02-15", "full-day", use: .admission, admission: 1).total == Yen(150_000))
    #expect(throws: BuildingError.admissionPriceMissing) { try quote("hall", "2023-02-15", "full-day", use: .admission, admission: 0) }
    #expect(throws: BuildingError.admissionWithoutAdmissionUse) { try quote("hall", "2023-02-15", "full-day", admission: 500) }
  }

  @Test("a combination costs its own price, or the sum of its parts; hours cost the hourly rate")
  func combinations() throws {
    #expect(try quote("room-a", "2023-02-15", "full-day").total == Yen(10_500))
    #expect(try quote("room-a", "2023-02-15", "afternoon-evening").total == Yen(7_700))
    #expect(try quote("hall", "2023-02-15", "full-day").total == Yen(100_000))
    #expect(try quote("hall-east", "2023-02-15", "morning").total == Yen(16_500))
    #expect(try quote("room-b", "2023-02-15", "10:00-12:00").total == Yen(1_200))
    #expect(throws: BuildingError.slotNotOffered(space: TestCatalogue.id("room-a"), slot: try Slot(code: "10:00-12:00"))) {
      try quote("room-a", "2023-02-15", "10:00-12:00")
    }
  }

  @Test("overtime is charged per started hour at 20% of the block's fee")
  func overtime() throws {
    let q = try quote("room-a", "2023-02-15", "evening", overtime: 61)
    #expect(q.lines.map(\.amount) == [Yen(4_400), Yen(1_760)])
    #expect(q.total == Yen(6_160))
    #expect(try quote("room-a", "2023-02-15", "evening", overtime: 60).total == Yen(5_280))
    #expect(throws: BuildingError.overtimeOutOfRange(181)) { try quote("room-a", "2023-02-15", "evening", overtime: 181) }
  }

  @Test("equipment is priced per unit and apart from the facility fee; 減免 needs a reason")
  func equipmentAndReductions() throws {
    let q = try quote("room-a", "2023-02-15", "morning", equipment: [EquipmentLine(item: "projector", quantity: 2)])
    #expect(q.facilityFee == Yen(2_800) && q.equipmentFee == Yen(6_000) && q.total == Yen(8_800) && q.tax == Yen(800))
    let reduced = try quote("room-a", "2023-02-15", "morning", reduction: "public-half", reason: "県主催の創業セミナー")
    #expect(reduced.total == Yen(1_400))
    #expect(reduced.lines[1].label == "公益減免（5割）（県主催の創業セミナー）")
    #expect(throws: BuildingError.reductionWithoutReason) { try quote("room-a", "2023-02-15", "morning", reduction: "public-half", reason: " ") }
    #expect(throws: BuildingError.unknownEquipment("piano")) {
      try quote("room-a", "2023-02-15", "morning", equipment: [EquipmentLine(item: "piano", quantity: 1)])
    }
    #expect(throws: BuildingError.equipmentQuantity(item: "プロジェクター", asked: 3, stock: 2)) {
      try quote("room-a", "2023-02-15", "morning", equipment: [EquipmentLine(item: "projector", quantity: 3)])
    }
  }

  @Test("every line adds up to the total, whatever the combination")
  func linesAddUp() throws {
    for use in Use.allCases {
      for tier in CustomerTier.allCases {
        for date in ["2023-02-15", "2023-02-11"] {
          let q = try quote(
            "hall-east", date, "afternoon-evening", use: use, admission: use == .admission ? 1_500 : 0, tier: tier,
            equipment: [EquipmentLine(item: "mic", quantity: 3)], overtime: 30)
          #expect(try q.lines.map(\.amount).sum() == q.total)
          #expect(q.total.amount % 10 == 0)
          #expect(q.tax == Yen(q.total.amount * 10 / 110))
        }
      }
    }
  }
}
