import Foundation
import SharedKernel
import Testing

@Suite("Yen")
struct YenTests {
  @Test("adding past Int64.max throws instead of wrapping or trapping")
  func additionOverflow() {
    #expect(throws: YenError.additionOverflow(.max, Yen(1))) { try Yen.max.adding(Yen(1)) }
    #expect(throws: YenError.subtractionOverflow(.min, Yen(1))) { try Yen.min.subtracting(Yen(1)) }
    #expect(throws: YenError.multiplicationOverflow(Yen(Int64.max / 2 + 1), 2)) {
      try Yen(Int64.max / 2 + 1).multiplied(by: 2)
    }
    #expect(throws: YenError.self) { try Yen.min.negated() }
  }

  @Test("arithmetic inside the range is exact")
  func arithmetic() throws {
    #expect(try Yen(1_000).adding(Yen(234)) == Yen(1_234))
    #expect(try Yen(1_000).subtracting(Yen(1_234)) == Yen(-234))
    #expect(try Yen(1_234).multiplied(by: -3) == Yen(-3_702))
    #expect(try Yen.max.subtracting(.max) == .zero)
    #expect(try Yen(-5).negated() == Yen(5))
  }

  @Test("a sum throws at the first addition that overflows, and totals otherwise")
  func sum() throws {
    #expect(try [Yen(1), Yen(2), Yen(3)].sum() == Yen(6))
    #expect(try [Yen]().sum() == .zero)
    #expect(throws: YenError.additionOverflow(.max, Yen(1))) { try [Yen.max, Yen(1), Yen(-1)].sum() }
  }

  @Test("the overflow message names the operation and the limits")
  func overflowMessage() {
    let message = YenError.additionOverflow(.max, Yen(1)).description
    #expect(message == "¥9,223,372,036,854,775,807 + ¥1 is too large to hold: amounts must lie between -¥9,223,372,036,854,775,808 and ¥9,223,372,036,854,775,807")
  }

  @Test("amounts are written as ¥1,234,567, 1,234,567円 and 千円 truncated", arguments: [
    (Int64(1_234_567), "¥1,234,567", "1,234,567円", "1,234千円"),
    (0, "¥0", "0円", "0千円"),
    (999, "¥999", "999円", "0千円"),
    (1_000, "¥1,000", "1,000円", "1千円"),
    (76_391_774_999, "¥76,391,774,999", "76,391,774,999円", "76,391,774千円"),
    (-1_234, "-¥1,234", "-1,234円", "-1千円"),
    (-1_999, "-¥1,999", "-1,999円", "-1千円"),
    (-999, "-¥999", "-999円", "0千円"),
    (Int64.min, "-¥9,223,372,036,854,775,808", "-9,223,372,036,854,775,808円", "-9,223,372,036,854,775千円"),
  ])
  func formatting(amount: Int64, sign: String, suffix: String, thousands: String) {
    let yen = Yen(amount)
    #expect(yen.formatted(.yenSign) == sign)
    #expect(yen.formatted(.yenSuffix) == suffix)
    #expect(yen.formatted(.thousandYen) == thousands)
    #expect(yen.description == sign)
  }

  @Test("JSON is a plain integer both ways")
  func codable() throws {
    let data = try JSONEncoder().encode([Yen(1_234_567), Yen(-5)])
    #expect(String(decoding: data, as: UTF8.self) == "[1234567,-5]")
    #expect(try JSONDecoder().decode([Yen].self, from: Data("[42]".utf8)) == [Yen(42)])
    #expect(throws: DecodingError.self) { try JSONDecoder().decode([Yen].self, from: Data("[\"42\"]".utf8)) }
    #expect(throws: DecodingError.self) { try JSONDecoder().decode([Yen].self, from: Data("[1.5]".utf8)) }
  }

  @Test("amounts compare by value")
  func comparison() {
    #expect(Yen(-1) < .zero)
    #expect([Yen(3), Yen(-2), Yen(10)].sorted() == [Yen(-2), Yen(3), Yen(10)])
    #expect(Yen(5) == Yen(5))
  }
}
