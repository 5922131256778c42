import DepositLedger
import SharedKernel
import Testing

/// 入出金明細と照合: statements imported line by line once, matched with the ledger's entries
/// automatically where unambiguous and by hand otherwise, and tied out to the ledger's balance.
@Suite("DepositLedger: bank statements and their reconciliation")
struct BankStatementsTests {
  typealias W = World
  static let main = W.bank
  static let names = [try! InstitutionID("yokohama"): "ﾖｺﾊﾏｷﾞﾝｺｳ", try! InstitutionID("mizuho"): "ﾐｽﾞﾎｷﾞﾝｺｳ"]

  static func line(_ date: String, _ direction: StatementDirection, _ amount: Int64, _ counterparty: String = "", summary: String = "", number: String? = nil)
    -> BankLine
  {
    BankLine(
      inquiryNumber: number, postingDate: W.date(date), valueDate: W.date(date), direction: direction, amount: Yen(amount), counterparty: counterparty,
      summary: summary)
  }

  static func statement(_ id: String, from: String, to: String, opening: Int64, _ lines: [BankLine], digest: String? = nil) -> ImportStatement {
    let closing = lines.reduce(opening) { $0 + $1.signedAmount }
    return ImportStatement(
      id: try! StatementID(id), bankCode: "0138", branchCode: "100", accountNumber: "1234567", periodFrom: W.date(from), periodTo: W.date(to),
      openingBalance: Yen(opening), closingBalance: Yen(closing), lines: lines, format: "zengin", digest: digest ?? "digest-\(id)")
  }

  func importing(_ command: ImportStatement, into state: BankStatements.State, movements: [BankMovement] = [], world: World = World()) throws
    -> (BankStatements.State, [BankStatements.Event])
  {
    let events = try BankStatements.importStatement(command, into: Self.main, state, movements: movements, names: Self.names, world.context())
    return (events.reduce(state, BankStatements.evolve), events)
  }

  @Test("the register names the statement's account by its codes; an account it does not hold is refused")
  func account() throws {
    let world = World()
    #expect(try BankStatements.account(bankCode: "0138", branchCode: "100", accountNumber: "1234567", world.accounts) == Self.main)
    #expect(throws: DepositLedgerError.statementForUnknownAccount(bankCode: "0138", branchCode: "100", accountNumber: "7654321")) {
      try BankStatements.account(bankCode: "0138", branchCode: "100", accountNumber: "7654321", world.accounts)
    }
  }

  @Test("lines are numbered once: the same statement again changes nothing; a monthly statement over daily ones adds only its new lines")
  func lineByLine() throws {
    let charge = Self.line("2022-04-05", .out, 660, summary: "ﾃｽｳﾘﾖｳ")
    let daily1 = Self.statement("st-d1", from: "2022-04-05", to: "2022-04-05", opening: 1_000, [charge, charge])
    var (state, events) = try importing(daily1, into: BankStatements.initialState)
    #expect(state.lines.map(\.number) == [1, 2], "two identical charges on one day stay two")
    #expect(try importing(daily1, into: state).1.isEmpty, "the same statement again decides nothing")
    let credit = Self.line("2022-04-06", .in, 5_000, "ﾖｺﾊﾏｷﾞﾝｺｳ", number: "00012")
    (state, events) = try importing(Self.statement("st-d2", from: "2022-04-06", to: "2022-04-06", opening: -320, [credit]), into: state)
    #expect(state.lines.count == 3 && state.line(3)?.line.inquiryNumber == "00012")
    // The month: the three known lines and one new.
    let monthly = Self.statement(
      "st-m4", from: "2022-04-01", to: "2022-04-30", opening: 1_000, [charge, charge, credit, Self.line("2022-04-28", .out, 440, summary: "ﾃｽｳﾘﾖｳ")])
    (state, events) = try importing(monthly, into: state)
    guard case .imported(let imported)? = events.first else { Issue.record("nothing imported"); return }
    #expect(imported.lines.map(\.number) == [4] && imported.repeated == [1, 2, 3])
    let month = try StatementID("st-m4")
    #expect(state.lines.count == 4 && state.statement(month)?.lines == [1, 2, 3, 4])
    #expect(state.statement(month)?.closingBalance == Yen(1_000 - 660 - 660 + 5_000 - 440))
  }

  @Test("a statement whose lines do not take the opening balance to the closing one is refused, naming the three figures")
  func doesNotAdd() throws {
    var command = Self.statement("st-1", from: "2022-04-01", to: "2022-04-30", opening: 10_000, [Self.line("2022-04-05", .out, 660)])
    command.closingBalance = Yen(9_000)
    #expect(throws: DepositLedgerError.statementDoesNotAdd(opening: Yen(10_000), moved: Yen(-660), closing: Yen(9_000))) {
      try importing(command, into: BankStatements.initialState)
    }
    #expect(DepositLedgerError.statementDoesNotAdd(opening: Yen(10_000), moved: Yen(-660), closing: Yen(9_000)).description.contains("9,340"))
  }

  /// The quarter of ``BooksTests/quarter()`` as the bank saw it, with a ¥440 charge the ledger lacks.
  static func quarterStatement() -> ImportStatement {
    statement(
      "st-q1", from: "2022-04-01", to: "2022-07-01", opening: 0,
      [
        line("2022-04-01", .in, 1_000_000_000, "ヨコハマギンコウ"), line("2022-04-01", .in, 50_000_000, "ザイ)カナガワケンサンギヨウシンコウセンタ-"),
        line("2022-04-01", .out, 1_050_000_000, "カ)ミズホギンコウ"), line("2022-06-01", .in, 300_000_000, "ミズホギンコウ"),
        line("2022-06-01", .out, 300_000_000, "ヨコハマギンコウ"), line("2022-06-15", .out, 440, summary: "テスウリヨウ"),
        line("2022-07-01", .out, 281_481, summary: "ソウゴウフリコミ"),
      ])
  }

  @Test("importing matches what is unambiguous: amount and value date, a day's total on one line; a line the ledger lacks is left, and the tie-out shows it")
  func automatic() throws {
    let world = try BooksTests.quarter()
    let movements = BankMovement.movements(through: Self.main, in: world.books)
    #expect(movements.map(\.amount) == [1_000_000_000, 50_000_000, -1_050_000_000, 300_000_000, -300_000_000, -280_821, -660])
    let (state, events) = try importing(Self.quarterStatement(), into: BankStatements.initialState, movements: movements, world: world)
    let matches = events.compactMap { if case .matched(let m) = $0 { m } else { nil } }
    #expect(matches.map(\.rule) == Array(repeating: "amount-and-date", count: 5) + ["same-day-total"], "\(matches.map(\.rule))")
    #expect(matches.last?.lines == [7] && matches.last?.entries.count == 2, "the interest and the charge paid as one debit")
    #expect(state.unmatchedLines.map(\.number) == [6])
    #expect(movements.allSatisfy { state.entryMatches[$0.entry] != nil })
    let statement = try #require(state.statement(try StatementID("st-q1")))
    let ledger = try world.books.balance(of: .bank(Self.main), asOf: statement.periodTo)
    let tie = BankStatements.tieOut(statement, ledgerBalance: ledger)
    #expect(!tie.agrees && tie.difference == Yen(-440) && tie.ledgerBalance == Yen(-281_481))
  }

  @Test("a counterparty that names another bank keeps a line from matching; where two entries share amount and day, the name decides")
  func names() throws {
    var world = World()
    try world.register("yokohama", roles: [.lender])
    try world.register("mizuho", roles: [.lender])
    try world.approve(borrowing: "b1", try world.draw("b1", from: "yokohama", amount: 500_000_000, on: "2022-04-01", maturity: "2022-07-01"))
    try world.approve(borrowing: "b2", try world.draw("b2", from: "mizuho", amount: 500_000_000, on: "2022-04-01", maturity: "2022-07-01"))
    let movements = BankMovement.movements(through: Self.main, in: world.books)
    let named = Self.statement(
      "st-n", from: "2022-04-01", to: "2022-04-01", opening: 0,
      [Self.line("2022-04-01", .in, 500_000_000, "ミズホギンコウ"), Self.line("2022-04-01", .in, 500_000_000, "ヨコハマギンコウ")])
    let (state, events) = try importing(named, into: BankStatements.initialState, movements: movements, world: world)
    // The name singles out the first; the second is then the only one of its amount left.
    #expect(events.compactMap { if case .matched(let m) = $0 { m.rule } else { nil } } == ["amount-date-and-name", "amount-and-date"])
    let first = try #require(state.lineMatches[1].flatMap { state.matches[$0] })
    let second = try #require(state.lineMatches[2].flatMap { state.matches[$0] })
    #expect(first.entries == [movements[1].entry] && second.entries == [movements[0].entry], "ミズホ's line is matched with the mizuho drawdown")
    // One borrowing only, and a line from someone else: nothing is matched automatically.
    let other = Self.statement("st-o", from: "2022-04-01", to: "2022-04-01", opening: 0, [Self.line("2022-04-01", .in, 500_000_000, "ミツイスミトモギンコウ")])
    let (_, otherEvents) = try importing(other, into: BankStatements.initialState, movements: [movements[0]], world: world)
    #expect(otherEvents.count == 1, "imported, not matched")
  }

  @Test("by hand: lines and entries whose sums agree; a line or entry matched once; an undone match frees both; a reversal pairs with its entry")
  func byHand() throws {
    var world = try BooksTests.quarter()
    let movements = BankMovement.movements(through: Self.main, in: world.books)
    let command = Self.statement(
      "st-h", from: "2022-07-01", to: "2022-07-01", opening: 0,
      [Self.line("2022-07-01", .out, 280_000), Self.line("2022-07-01", .out, 821), Self.line("2022-07-01", .out, 660)])
    var (state, events) = try importing(command, into: BankStatements.initialState, movements: [], world: world)
    #expect(events.count == 1)
    let interest = try #require(movements.first { $0.purpose == .interestPayment }).entry
    let charge = try #require(movements.first { $0.purpose == .manual }).entry
    let context = world.context()
    #expect(throws: DepositLedgerError.matchUnbalanced(lines: Yen(-280_000), entries: Yen(-280_821))) {
      try BankStatements.match(lines: [1], entries: [interest], id: try MatchID("m-1"), account: Self.main, state, movements: movements, context)
    }
    let split = try BankStatements.match(lines: [1, 2], entries: [interest], id: try MatchID("m-1"), account: Self.main, state, movements: movements, context)
    state = split.reduce(state, BankStatements.evolve)
    #expect(throws: DepositLedgerError.lineAlreadyMatched(2, match: try MatchID("m-1"))) {
      try BankStatements.match(lines: [2, 3], entries: [charge], id: try MatchID("m-2"), account: Self.main, state, movements: movements, context)
    }
    #expect(throws: DepositLedgerError.entryNotOnAccount(try EntryID("e-nowhere"), account: Self.main)) {
      try BankStatements.match(lines: [3], entries: [try EntryID("e-nowhere")], id: try MatchID("m-2"), account: Self.main, state, movements: movements, context)
    }
    #expect(throws: DepositLedgerError.matchTooSmall) {
      try BankStatements.match(lines: [3], entries: [], id: try MatchID("m-2"), account: Self.main, state, movements: movements, context)
    }
    #expect(throws: DepositLedgerError.reasonRequired(action: "undoing a match")) {
      try BankStatements.undo(try MatchID("m-1"), reason: " ", account: Self.main, state, context)
    }
    state = try BankStatements.undo(try MatchID("m-1"), reason: "金額誤り", account: Self.main, state, context).reduce(state, BankStatements.evolve)
    #expect(state.unmatchedLines.count == 3 && state.entryMatches.isEmpty)
    // The charge reversed on its day: the pair offsets without a line.
    let reversal = try world.reverse(manual: charge, on: "2022-07-01")
    try world.approve(manual: reversal, in: charge)
    let after = BankMovement.movements(through: Self.main, in: world.books)
    // Lines come first: with the statement's lines unmatched, the charge would match its line;
    // with no line for it, the pair offsets.
    let auto = BankStatements.autoMatches(BankStatements.initialState, movements: after, names: Self.names, account: Self.main, world.context())
    let pairs = auto.compactMap { if case .matched(let m) = $0, m.rule == "reversal-pair" { m } else { nil } }
    #expect(pairs.count == 1 && Set(pairs[0].entries) == [charge, reversal] && pairs[0].lines.isEmpty, "\(auto)")
  }

  @Test("カナ names compare without legal forms, spaces and width")
  func kana() {
    #expect(BankStatements.namesAgree("ｶ)ﾐｽﾞﾎｷﾞﾝｺｳ", "ミズホギンコウ"))
    #expect(BankStatements.namesAgree("(ｶ) ﾖｺﾊﾏ ｷﾞﾝｺｳ", "ﾖｺﾊﾏｷﾞﾝｺｳ"))
    #expect(BankStatements.namesAgree("ﾖｺﾊﾏｼﾝﾖｳｷﾝｺ", "ﾖｺﾊﾏｼﾝﾖｳｷﾝｺ ﾎﾝﾃﾝ"), "a name cut at the field's length still matches")
    #expect(!BankStatements.namesAgree("ﾐﾂｲｽﾐﾄﾓｷﾞﾝｺｳ", "ﾖｺﾊﾏｷﾞﾝｺｳ"))
  }
}
