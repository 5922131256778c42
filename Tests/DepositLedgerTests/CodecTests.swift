import DepositLedger
import EventLog
import Foundation
import SharedKernel
import Testing

/// Events as the log stores them: stable type names, plain JSON (rates as decimal text, accounts
/// as codes), read back to the same values.
@Suite("DepositLedger: events in the log")
struct CodecTests {
  typealias W = World

  static func roundTrip<Event: Sendable & Equatable>(_ events: [Event], _ codec: EventCodec<Event>) throws -> [String] {
    var texts: [String] = []
    for (index, event) in events.enumerated() {
      let proposed = try codec.propose(event, metadata: Data("{}".utf8))
      let recorded = RecordedEvent(
        position: Int64(index + 1), stream: try StreamName("test-1"), version: Int64(index), eventID: proposed.eventID, type: proposed.type,
        schemaVersion: proposed.schemaVersion, data: proposed.data, metadata: proposed.metadata, recordedAtMilliseconds: 0, hash: Data())
      #expect(try codec.decode(recorded) == event)
      texts.append(proposed.type + " " + String(decoding: proposed.data, as: UTF8.self))
    }
    return texts
  }

  @Test("a borrowing's, a deposit's and the pool's events read back as written, in plain JSON")
  func operations() throws {
    var world = World()
    try world.register("yokohama")
    let terms = InterestTerms(rate: W.rate("0.125"), dayCount: .ryohashi, yearBasis: .actualLeap366, accrualUnit: Yen(100))
    let command = DrawBorrowing(
      id: try BorrowingID("b1"), entry: try EntryID("e-1"), lender: try InstitutionID("yokohama"), amount: Yen(1_000_000_000), terms: terms,
      valueDate: W.date("2022-04-01"), maturity: W.date("2022-07-01"), bankAccount: W.bank, idempotencyKey: "k-1")
    let drawn = try Borrowing.draw(command, nil, lender: world.institutions[try InstitutionID("yokohama")] ?? nil, accounts: world.accounts, pool: world.pool, period: world.period(W.date("2022-04-01")), world.context())
    world.apply(drawn, to: try BorrowingID("b1"))
    let approved = try Borrowing.approve(try EntryID("e-1"), world.borrowings[try BorrowingID("b1")] ?? nil, period: world.period(W.date("2022-04-01")), world.context(World.checker))
    let texts = try Self.roundTrip(drawn.events + approved.events, Borrowing.codec)
    #expect(texts[0].hasPrefix("DepositLedger.BorrowingDrawn "))
    #expect(texts[0].contains(#""terms":{"accrualUnit":100,"dayCount":"ryohashi","rate":"0.125","yearBasis":"actual-leap366"}"#))
    #expect(texts[1].contains(#"{"account":"bank:main","amount":1000000000,"side":"debit"}"#))
    #expect(texts[1].contains(#""purpose":"drawdown""#))
    #expect(texts[2].hasPrefix("DepositLedger.EntryApproved "))
    let pool = try Self.roundTrip(drawn.pool + approved.pool, FundingPool.codec)
    #expect(pool.count == 2)
    #expect(pool[0].contains(#""effect":{"borrowings":1000000000,"deposits":0,"ownFunds":0}"#))
    #expect(pool[0].contains(#""stream":"borrowing-b1""#))
    #expect(pool[1].hasPrefix("DepositLedger.FundingSettled "))
  }

  @Test("institutions, periods, deposits and manual entries read back as written")
  func others() throws {
    var world = World()
    let registered = try Institution.register(
      RegisterInstitution(
        id: try InstitutionID("mizuho"), name: "みずほ銀行", bankCode: "0001", branchCode: "001", accountType: .current, accountNumber: "0000001",
        accountName: "ｻﾞｲ)ｶﾅｶﾞﾜ", roles: [.handling]), nil, world.context())
    _ = try Self.roundTrip(registered, Institution.codec)
    world.institutions[try InstitutionID("mizuho")] = registered.reduce(nil, Institution.evolve)
    world.today = W.date("2022-05-10")
    let closed = try Period.close(try YearMonth(iso8601: "2022-04"), pending: [], Period.initialState(try FiscalYear(2022)), world.context(World.checker))
    let periodTexts = try Self.roundTrip(closed, Period.codec)
    #expect(periodTexts[0].contains(#""month":"2022-04""#) && periodTexts[0].contains(#""year":"FY2022""#))
    try world.contributeOwnFunds(10_000_000, on: "2022-05-10")
    let placed = try Deposit.place(
      PlaceDeposit(
        id: try DepositID("d1"), entry: try EntryID("e-d1"), institution: try InstitutionID("mizuho"), amount: Yen(10_000_000),
        programme: "事業活性化資金", valueDate: W.date("2022-05-10"), returnDate: W.date("2022-11-10"), bankAccount: W.bank, idempotencyKey: "k-d1"),
      nil, institution: world.institutions[try InstitutionID("mizuho")] ?? nil, accounts: world.accounts, pool: world.pool, period: world.period(W.date("2022-05-10")),
      world.context())
    _ = try Self.roundTrip(placed.events, Deposit.codec)
    _ = try Self.roundTrip(placed.pool, FundingPool.codec)
    let manual = world.manual.values.flatMap(\.entries).map { Journal.Event.entered($0.entered) }
    _ = try Self.roundTrip(manual, ManualEntry.codec)
  }

  @Test("every refusal maps to one of validation, conflict, not found and forbidden, with a message in both languages")
  func errorKinds() throws {
    let id = try EntryID("e-1")
    let cases: [(DepositLedgerError, DepositLedgerError.Kind)] = [
      (.invalidRate("x", .malformed), .validation), (.unbalanced(debits: Yen(1), credits: Yen(2)), .validation),
      (.notBusinessDay(field: "valueDate", W.date("2022-04-29"), closure: "a holiday (昭和の日)", next: W.date("2022-05-02")), .validation),
      (.exceedsHeadroom(amount: Yen(1), headroom: .zero, on: W.date("2022-04-01"), valueDate: W.date("2022-04-01")), .conflict),
      (.alreadyReversed(id, by: id), .conflict), (.periodClosed(period: "FY2022", date: W.date("2022-04-01")), .conflict),
      (.unknownEntry(id), .notFound), (.unknownBorrowing(nil), .notFound), (.makerCannotCheck(id, user: try UserID("u-1")), .forbidden),
      (.forbidden(action: "approve", allowed: [.treasuryManager], actual: .treasury), .forbidden),
    ]
    for (error, kind) in cases {
      #expect(error.kind == kind, "\(error)")
      #expect(!error.description.isEmpty && !error.japaneseDescription.isEmpty)
      #expect(error.errorDescription == error.description)
    }
    #expect(DepositLedgerError.notBusinessDay(field: "valueDate", W.date("2022-04-29"), closure: "", next: W.date("2022-05-02")).japaneseDescription.contains("翌営業日は 2022-05-02"))
  }

  @Test("own funds are never taken out beyond what was put in, counting withdrawals awaiting approval")
  func ownFundsCovered() throws {
    var world = World()
    try world.register("yokohama")
    try world.approve(borrowing: "b1", try world.draw("b1", amount: 1_000_000_000, on: "2022-04-01", maturity: "2023-03-31"))
    try world.contributeOwnFunds(5_000, on: "2022-04-01")
    try world.enter([.debit(.ownFunds, Yen(3_000)), .credit(.bank(W.bank), Yen(3_000))], on: "2022-04-04")
    #expect(throws: DepositLedgerError.exceedsOutstanding(what: "own funds", amount: Yen(3_000), outstanding: Yen(2_000), on: W.date("2022-04-04"))) {
      try world.enter([.debit(.ownFunds, Yen(3_000)), .credit(.bank(W.bank), Yen(3_000))], on: "2022-04-04")
    }
  }
}
