import DepositLedger
import Foundation
import PropertyBased
import SharedKernel
import Testing

/// 利息計算: rates held exactly, the Japanese day counts and year bases, 付利単位, 積数, one truncation.
@Suite("DepositLedger: interest")
struct InterestTests {
  static func date(_ text: String) -> LocalDate { try! LocalDate(iso8601: text) }
  static func rate(_ text: String) -> InterestRate { try! InterestRate(percent: text) }

  // MARK: Rates

  @Test("a rate is held exactly as millionths of a percent and written back as the shortest decimal")
  func ratesParse() throws {
    #expect(try InterestRate(percent: "0.125").millionthsOfPercent == 125_000)
    #expect(try InterestRate(percent: "1").millionthsOfPercent == 1_000_000)
    #expect(try InterestRate(percent: "0.000001").millionthsOfPercent == 1)
    #expect(try InterestRate(percent: "100").millionthsOfPercent == 100_000_000)
    #expect(try InterestRate(percent: "0").millionthsOfPercent == 0)
    #expect(try InterestRate(percent: "007.5").millionthsOfPercent == 7_500_000)
    #expect(try InterestRate(percent: "0.500000").description == "0.5")
    #expect(try InterestRate(percent: "2.000").description == "2")
    #expect(try InterestRate(percent: "0.000001").description == "0.000001")
    #expect(try InterestRate(percent: "0.125").description == "0.125")
  }

  @Test(
    "negative, over-precise, junk and absurd rates are refused with the reason",
    arguments: [
      ("-0.1", InterestRate.Problem.negative), ("−1", .negative), ("0.1234567", .tooManyDecimalPlaces(7)), ("", .empty),
      ("abc", .malformed), ("1.2.3", .malformed), ("1.", .malformed), (".5", .malformed), ("0.125%", .malformed),
      (" 0.125", .malformed), ("１", .malformed), ("1e-3", .malformed), ("+1", .malformed), ("100.000001", .tooLarge),
      ("1000", .tooLarge), ("99999999999999999999", .tooLarge),
    ])
  func ratesRefused(text: String, problem: InterestRate.Problem) {
    #expect(throws: DepositLedgerError.invalidRate(text, problem)) { try InterestRate(percent: text) }
  }

  @Test("a rate travels as decimal text, never as a JSON number")
  func rateJSON() throws {
    let rate = try JSONDecoder().decode(InterestRate.self, from: Data(#""0.125""#.utf8))
    #expect(rate.millionthsOfPercent == 125_000)
    #expect(String(decoding: try JSONEncoder().encode(rate), as: UTF8.self) == #""0.125""#)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(InterestRate.self, from: Data("0.125".utf8)) }
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(InterestRate.self, from: Data(#""0.1234567""#.utf8)) }
  }

  @Test("the error message names the rate and what is allowed")
  func rateMessages() {
    #expect(DepositLedgerError.invalidRate("0.1234567", .tooManyDecimalPlaces(7)).description.contains("at most 6"))
    #expect(DepositLedgerError.invalidRate("150", .tooLarge).description.contains("above 100 percent"))
    #expect(DepositLedgerError.invalidRate("-1", .negative).kind == .validation)
  }

  // MARK: Hand-computed quotes

  @Test("¥1,000,000,000 at 0.125% for 92 days 片端 on 365 is ¥315,068 (1,250,000 × 92 ÷ 365 = 315,068.49…)")
  func oneBillionFor92Days() throws {
    let quote = try Interest.quote(principal: Yen(1_000_000_000), rate: Self.rate("0.125"), from: Self.date("2022-04-01"), to: Self.date("2022-07-02"))
    #expect(quote.days == 92)
    #expect(quote.interest == Yen(315_068))
    #expect(quote.product == 92_000_000_000)
  }

  @Test("2023-12-15 → 2024-01-15 on actual-leap366 is 17/365 + 14/366 of the year, summed exactly")
  func acrossNewYearIntoLeapYear() throws {
    let from = Self.date("2023-12-15")
    let to = Self.date("2024-01-15")
    let leap = try Interest.quote(principal: Yen(1_000_000_000), rate: Self.rate("0.125"), from: from, to: to, yearBasis: .actualLeap366)
    // 1,250,000 × (17 × 366 + 14 × 365) ÷ (365 × 366) = 14,165,000,000 ÷ 133,590 = 106,033.38…
    #expect(leap.days == 31)
    #expect(leap.interest == Yen(106_033))
    #expect(leap.numerator * 133_590 == leap.denominator * 1_250_000 * 11_332)
    let fixed = try Interest.quote(principal: Yen(1_000_000_000), rate: Self.rate("0.125"), from: from, to: to)
    // 1,250,000 × 31 ÷ 365 = 106,164.38…
    #expect(fixed.interest == Yen(106_164))
  }

  @Test("on 365, 29 February 2024 is a day like any other: 29 days over 365, not 366")
  func overLeapDayOn365() throws {
    let feb2024 = try Interest.quote(principal: Yen(1_000_000_000), rate: Self.rate("0.125"), from: Self.date("2024-02-01"), to: Self.date("2024-03-01"))
    #expect(feb2024.days == 29)
    #expect(feb2024.interest == Yen(99_315))  // 36,250,000 ÷ 365 = 99,315.06…
    let sameDaysNoLeap = try Interest.quote(principal: Yen(1_000_000_000), rate: Self.rate("0.125"), from: Self.date("2023-02-01"), to: Self.date("2023-03-02"))
    #expect(sameDaysNoLeap.interest == feb2024.interest)
    let leap = try Interest.quote(
      principal: Yen(1_000_000_000), rate: Self.rate("0.125"), from: Self.date("2024-02-01"), to: Self.date("2024-03-01"), yearBasis: .actualLeap366)
    #expect(leap.interest == Yen(99_043))  // 36,250,000 ÷ 366 = 99,043.71…
  }

  @Test("両端 counts one day more than 片端: the difference is one day's interest")
  func bothEndsVersusOneEnd() throws {
    // ¥365,000,000 at 1% earns exactly ¥10,000 a day on 365.
    let from = Self.date("2022-04-01")
    let to = Self.date("2022-04-11")
    let one = try Interest.quote(principal: Yen(365_000_000), rate: Self.rate("1"), from: from, to: to, dayCount: .katahashi)
    let both = try Interest.quote(principal: Yen(365_000_000), rate: Self.rate("1"), from: from, to: to, dayCount: .ryohashi)
    #expect(one.days == 10)
    #expect(both.days == 11)
    #expect(one.interest == Yen(100_000))
    #expect(both.interest == Yen(110_000))
    // Borrowed and repaid the same day: nothing 片端, one day 両端.
    #expect(try Interest.quote(principal: Yen(365_000_000), rate: Self.rate("1"), from: from, to: from).interest == .zero)
    #expect(try Interest.quote(principal: Yen(365_000_000), rate: Self.rate("1"), from: from, to: from, dayCount: .ryohashi).interest == Yen(10_000))
  }

  @Test("an accrual unit of ¥100 takes the principal in whole hundreds: ¥1,000,099 earns as ¥1,000,000")
  func accrualUnitDropsOdd99() throws {
    // 36.5% for 100 days on 365 is exactly a tenth of the principal.
    let from = Self.date("2022-04-01")
    let to = Self.date("2022-07-10")
    let everyYen = try Interest.quote(principal: Yen(1_000_099), rate: Self.rate("36.5"), from: from, to: to)
    let hundreds = try Interest.quote(principal: Yen(1_000_099), rate: Self.rate("36.5"), from: from, to: to, accrualUnit: Yen(100))
    #expect(everyYen.days == 100)
    #expect(everyYen.interest == Yen(100_009))  // 100,009.9 truncated
    #expect(hundreds.interest == Yen(100_000))
    #expect(hundreds.product == 100_000_000)
    #expect(throws: DepositLedgerError.invalidAccrualUnit(.zero)) {
      try Interest.quote(principal: Yen(1), rate: Self.rate("1"), from: from, to: to, accrualUnit: .zero)
    }
  }

  @Test("積数: a balance changing within the period is summed as balance × days before dividing")
  func productAcrossPartRepayment() throws {
    let segments: [(from: LocalDate, balance: Yen)] = [(Self.date("2022-04-01"), Yen(1_000_000)), (Self.date("2022-04-11"), Yen(600_000))]
    let one = try Interest.quote(segments: segments, to: Self.date("2022-04-21"), rate: Self.rate("1"))
    #expect(one.days == 20)
    #expect(one.product == 16_000_000)  // 1,000,000 × 10 + 600,000 × 10
    #expect(one.interest == Yen(438))  // 160,000 ÷ 365 = 438.35…
    // 両端: the repayment day bears interest on the ¥400,000 repaid, and the last day on the rest.
    let both = try Interest.quote(segments: segments, to: Self.date("2022-04-21"), rate: Self.rate("1"), dayCount: .ryohashi)
    #expect(both.product == 17_000_000)
    #expect(both.days == 21)
  }

  @Test("interest is truncated once at the end, not per segment: here that is one yen more")
  func truncationOnce() throws {
    // 36.5% on 365: each day earns balance ÷ 1000. 1,600 → 1.6 and 2,600 → 2.6.
    let d1 = Self.date("2022-04-01")
    let d2 = Self.date("2022-04-02")
    let d3 = Self.date("2022-04-03")
    let whole = try Interest.quote(segments: [(d1, Yen(1_600)), (d2, Yen(2_600))], to: d3, rate: Self.rate("36.5"))
    let first = try Interest.quote(principal: Yen(1_600), rate: Self.rate("36.5"), from: d1, to: d2)
    let second = try Interest.quote(principal: Yen(2_600), rate: Self.rate("36.5"), from: d2, to: d3)
    #expect(whole.interest == Yen(4))  // 4.2
    #expect(first.interest.amount + second.interest.amount == 3)  // 1 + 2
  }

  @Test("segments must be in order, with no negative balance, inside the period")
  func segmentsChecked() {
    let d1 = Self.date("2022-04-01")
    let d2 = Self.date("2022-04-02")
    #expect(throws: DepositLedgerError.noSegments) { try Interest.quote(segments: [], to: d2, rate: Self.rate("1")) }
    #expect(throws: DepositLedgerError.segmentsOutOfOrder(d1, after: d2)) {
      try Interest.quote(segments: [(d2, Yen(1)), (d1, Yen(2))], to: d2, rate: Self.rate("1"))
    }
    #expect(throws: DepositLedgerError.invalidAmount(field: "balance", Yen(-1))) {
      try Interest.quote(segments: [(d1, Yen(-1))], to: d2, rate: Self.rate("1"))
    }
    #expect(throws: DepositLedgerError.interestPeriodReversed(from: d2, to: d1)) {
      try Interest.quote(principal: Yen(1), rate: Self.rate("1"), from: d2, to: d1)
    }
  }

  @Test("a result beyond what a Yen holds throws instead of trapping")
  func overflowThrows() {
    #expect(throws: DepositLedgerError.self) {
      try Interest.quote(principal: .max, rate: Self.rate("100"), from: Self.date("1900-01-01"), to: Self.date("9999-12-31"))
    }
    // The largest principal for a year still fits: only the yen result is bounded.
    #expect(throws: Never.self) {
      try Interest.quote(principal: .max, rate: Self.rate("0.000001"), from: Self.date("2022-04-01"), to: Self.date("2023-04-01"))
    }
  }

  @Test("a history period counts the days that bore a balance, and its ends are both included")
  func historyPeriod() throws {
    let history = try BalanceHistory([
      BalanceMovement(date: Self.date("2022-04-11"), amount: Yen(365_000_000)),
      BalanceMovement(date: Self.date("2022-04-21"), amount: Yen(-365_000_000)),
    ])
    let terms = InterestTerms(rate: Self.rate("1"))
    let april = try Interest.quote(history: history, from: Self.date("2022-04-01"), through: Self.date("2022-04-30"), terms: terms)
    #expect(april.days == 10)
    #expect(april.interest == Yen(100_000))
    var both = terms
    both.dayCount = .ryohashi
    #expect(try Interest.quote(history: history, from: Self.date("2022-04-01"), through: Self.date("2022-04-30"), terms: both).days == 11)
    #expect(throws: DepositLedgerError.negativeBalance(on: Self.date("2022-04-01"), balance: Yen(-1))) {
      try BalanceHistory([BalanceMovement(date: Self.date("2022-04-01"), amount: Yen(-1))])
    }
  }

  // MARK: Properties

  static let principals = Gen.int64(in: 0...10_000_000_000_000)
  static let rates = Gen.int64(in: 0...10_000_000)
  static let offsets = Gen.int(in: 0...3_000)
  static let dayCounts = Gen.element(of: DayCount.allCases).compactMap { $0 }
  static let bases = Gen.element(of: YearBasis.allCases).compactMap { $0 }
  static let units = Gen.element(of: [Int64(1), 100, 1_000, 10_000]).compactMap { $0 }
  static let start = date("2021-06-15")

  @Test("interest never decreases with the principal, and is never negative")
  func monotoneInPrincipal() async {
    await propertyCheck(count: 300, input: Self.principals, Self.principals, Self.rates, Self.offsets, Self.dayCounts, Self.bases) {
      a, b, millionths, days, dayCount, basis in
      let rate = try InterestRate(millionthsOfPercent: millionths)
      let to = try Self.start.adding(days: days)
      let low = try Interest.quote(principal: Yen(min(a, b)), rate: rate, from: Self.start, to: to, dayCount: dayCount, yearBasis: basis)
      let high = try Interest.quote(principal: Yen(max(a, b)), rate: rate, from: Self.start, to: to, dayCount: dayCount, yearBasis: basis)
      #expect(low.interest <= high.interest)
      #expect(low.interest >= .zero)
      #expect(low.numerator >= 0)
    }
  }

  @Test("interest never decreases with the days")
  func monotoneInDays() async {
    await propertyCheck(count: 300, input: Self.principals, Self.rates, Self.offsets, Self.offsets, Self.dayCounts, Self.bases) {
      principal, millionths, a, b, dayCount, basis in
      let rate = try InterestRate(millionthsOfPercent: millionths)
      let shorter = try Interest.quote(
        principal: Yen(principal), rate: rate, from: Self.start, to: try Self.start.adding(days: min(a, b)), dayCount: dayCount, yearBasis: basis)
      let longer = try Interest.quote(
        principal: Yen(principal), rate: rate, from: Self.start, to: try Self.start.adding(days: max(a, b)), dayCount: dayCount, yearBasis: basis)
      #expect(shorter.interest <= longer.interest)
      #expect(shorter.days <= longer.days)
    }
  }

  @Test("the yen are the exact interest truncated once: interest ≤ exact < interest + 1")
  func truncatedOnce() async {
    await propertyCheck(count: 300, input: Self.principals, Self.rates, Self.offsets, Self.dayCounts, Self.bases, Self.units) {
      principal, millionths, days, dayCount, basis, unit in
      let quote = try Interest.quote(
        principal: Yen(principal), rate: try InterestRate(millionthsOfPercent: millionths), from: Self.start,
        to: try Self.start.adding(days: days), dayCount: dayCount, yearBasis: basis, accrualUnit: Yen(unit))
      let interest = Int128(quote.interest.amount)
      #expect(interest * quote.denominator <= quote.numerator)
      #expect(quote.numerator < (interest + 1) * quote.denominator)
      #expect(quote.product == Int128(principal / unit * unit) * Int128(quote.days))
    }
  }

  /// Movements of a random balance history: draws and repayments never beyond what is outstanding.
  static let histories = zip(Gen.int(in: 0...900), Gen.int64(in: -5_000_000_000...10_000_000_000)).array(of: 1...8)

  static func history(_ raw: [(Int, Int64)]) throws -> BalanceHistory {
    var running: Int64 = 0
    var movements: [BalanceMovement] = []
    for (offset, amount) in raw.sorted(by: { $0.0 < $1.0 }) {
      let change = max(amount, -running)
      running += change
      movements.append(BalanceMovement(date: try start.adding(days: offset), amount: Yen(change)))
    }
    return try BalanceHistory(movements)
  }

  @Test("splitting a period in two adds up to the whole exactly, before truncation (積数 is additive)")
  func splittingAddsUp() async {
    await propertyCheck(count: 300, input: Self.histories, Self.rates, Self.offsets, Self.offsets, Self.dayCounts, Self.bases, Self.units) {
      raw, millionths, a, b, dayCount, basis, unit in
      let history = try Self.history(raw)
      let terms = InterestTerms(rate: try InterestRate(millionthsOfPercent: millionths), dayCount: dayCount, yearBasis: basis, accrualUnit: Yen(unit))
      let from = Self.start
      let middle = try from.adding(days: min(a, b))
      let through = try from.adding(days: max(a, b) + 1)
      let whole = try Interest.quote(history: history, from: from, through: through, terms: terms)
      let first = try Interest.quote(history: history, from: from, through: middle, terms: terms)
      let second = try Interest.quote(history: history, from: try middle.adding(days: 1), through: through, terms: terms)
      #expect(first.numerator + second.numerator == whole.numerator)
      #expect(first.product + second.product == whole.product)
      #expect(first.days + second.days == whole.days)
      #expect(first.interest.amount + second.interest.amount <= whole.interest.amount)
      #expect(whole.interest.amount - first.interest.amount - second.interest.amount <= 1)
    }
  }

  @Test("片端: a loan period split at any day adds up to the whole loan, before truncation")
  func loanPeriodSplits() async {
    await propertyCheck(count: 300, input: Self.principals, Self.rates, Self.offsets, Self.offsets, Self.bases) { principal, millionths, a, b, basis in
      let rate = try InterestRate(millionthsOfPercent: millionths)
      let middle = try Self.start.adding(days: min(a, b))
      let end = try Self.start.adding(days: max(a, b))
      let whole = try Interest.quote(principal: Yen(principal), rate: rate, from: Self.start, to: end, yearBasis: basis)
      let first = try Interest.quote(principal: Yen(principal), rate: rate, from: Self.start, to: middle, yearBasis: basis)
      let second = try Interest.quote(principal: Yen(principal), rate: rate, from: middle, to: end, yearBasis: basis)
      #expect(first.numerator + second.numerator == whole.numerator)
      // The segment form gives the same as the principal form.
      let segments = try Interest.quote(segments: [(Self.start, Yen(principal))], to: end, rate: rate, yearBasis: basis)
      #expect(segments.numerator == whole.numerator)
    }
  }

  @Test("両端 earns exactly one more day than 片端 on the same loan")
  func bothEndsIsOneMoreDay() async {
    await propertyCheck(count: 200, input: Self.principals, Self.rates, Self.offsets) { principal, millionths, days in
      let rate = try InterestRate(millionthsOfPercent: millionths)
      let to = try Self.start.adding(days: days)
      let one = try Interest.quote(principal: Yen(principal), rate: rate, from: Self.start, to: to)
      let both = try Interest.quote(principal: Yen(principal), rate: rate, from: Self.start, to: to, dayCount: .ryohashi)
      #expect(both.days == one.days + 1)
      #expect(both.product - one.product == Int128(principal))
    }
  }
}
