import DepositLedger
import SharedKernel
import Testing

/// 財団の口座: the register of the foundation's own bank accounts, and postings that name them.
@Suite("DepositLedger: the register of the foundation's bank accounts")
struct BankAccountsTests {
  static func command(_ id: String, number: String = "7654321", type: BankAccountType = .current) -> OpenBankAccount {
    OpenBankAccount(
      id: try! BankAccountID(id), name: "預託事業用 当座預金", bankName: "横浜銀行", branchName: "本店営業部", bankCode: "0138", branchCode: "100",
      accountType: type, accountNumber: number, accountName: "ｻﾞｲ)ｶﾅｶﾞﾜｹﾝｻﾝｷﾞﾖｳｼﾝｺｳｾﾝﾀ-")
  }

  @Test("a treasury manager opens an account; ids and bank–branch–number are unique; the first open account is the default")
  func opens() throws {
    let world = World()
    #expect(throws: DepositLedgerError.forbidden(action: "open a bank account in the register", allowed: [.treasuryManager], actual: .treasury)) {
      try BankAccounts.open(Self.command("current"), world.accounts, world.context())
    }
    let events = try BankAccounts.open(Self.command("current"), world.accounts, world.context(World.checker))
    let state = events.reduce(world.accounts, BankAccounts.evolve)
    #expect(state.accounts.map(\.id.rawValue) == ["main", "current"])
    #expect(state.defaultAccount?.id.rawValue == "main")
    #expect(state.account(bankCode: "0138", branchCode: "100", accountNumber: "7654321")?.id.rawValue == "current")
    #expect(BankAccounts.Opened.eventType == "DepositLedger.BankAccountOpened")
    #expect(try BankAccounts.stream().rawValue == "register-bank-accounts")
    #expect(throws: DepositLedgerError.bankAccountExists(try BankAccountID("current"))) {
      try BankAccounts.open(Self.command("current", number: "1111111"), state, world.context(World.checker))
    }
    #expect(throws: DepositLedgerError.bankAccountCodesTaken(try BankAccountID("main"), label: "横浜銀行 本店 普通 1234567")) {
      try BankAccounts.open(Self.command("again", number: "1234567"), state, world.context(World.checker))
    }
    #expect(throws: DepositLedgerError.invalidInstitution(field: "accountNumber", reason: #"the account number (口座番号) must be exactly 7 ASCII digits, leading zeros kept (got "123456")"#)) {
      try BankAccounts.open(Self.command("short", number: "123456"), state, world.context(World.checker))
    }
  }

  @Test("closing an account needs a reason; the default moves to the next open account; a closed account takes no postings")
  func closes() throws {
    var world = World()
    world.accounts = try BankAccounts.open(Self.command("current"), world.accounts, world.context(World.checker)).reduce(world.accounts, BankAccounts.evolve)
    let main = try BankAccountID("main")
    #expect(throws: DepositLedgerError.reasonRequired(action: "closing a bank account")) {
      try BankAccounts.close(main, reason: "  ", world.accounts, world.context(World.checker))
    }
    world.accounts = try BankAccounts.close(main, reason: "店舗統合", world.accounts, world.context(World.checker)).reduce(world.accounts, BankAccounts.evolve)
    #expect(world.accounts.defaultAccount?.id.rawValue == "current")
    #expect(throws: DepositLedgerError.bankAccountClosed(main, label: "横浜銀行 本店 普通 1234567")) {
      try BankAccounts.usable(main, world.accounts)
    }
    #expect(throws: DepositLedgerError.unknownBankAccount(try BankAccountID("nowhere"))) { try BankAccounts.usable(try BankAccountID("nowhere"), world.accounts) }
    // A manual entry to the closed account is refused; to the open one it is entered.
    #expect(throws: DepositLedgerError.bankAccountClosed(main, label: "横浜銀行 本店 普通 1234567")) {
      try world.enter([.debit(.bankCharges, Yen(660)), .credit(.bank(main), Yen(660))], on: "2022-04-01")
    }
    try world.enter([.debit(.bankCharges, Yen(660)), .credit(.bank(try BankAccountID("current")), Yen(660))], on: "2022-04-01")
  }

  @Test("a drawdown without an account goes to the default; an empty register refuses every posting")
  func defaults() throws {
    var world = World()
    try world.register("yokohama")
    try world.draw("b1", amount: 1_000_000, on: "2022-04-01", maturity: "2022-07-01")
    #expect(world.borrowing("b1").drawn.bankAccount.rawValue == "main")
    world.accounts = BankAccounts.initialState
    #expect(throws: DepositLedgerError.noBankAccount) { try world.draw("b2", amount: 1_000_000, on: "2022-04-01", maturity: "2022-07-01") }
    #expect(DepositLedgerError.noBankAccount.kind == .conflict && DepositLedgerError.noBankAccount.field == "bankAccount")
  }

  @Test("account names show the institution's name and the bank account's bank, branch and number")
  func names() throws {
    let names = AccountNames(
      institutions: [try InstitutionID("fi-yokohama"): "横浜銀行"],
      bankAccounts: [try BankAccountID("main"): AccountNames.Bank(bankName: "横浜銀行", branchName: "本店営業部", accountType: .current, accountNumber: "0012345")])
    #expect(names.name(of: .borrowings(try InstitutionID("fi-yokohama"))) == "借入金（横浜銀行）")
    #expect(names.name(of: .depositsPlaced(try InstitutionID("fi-other"))) == "預託金（fi-other）")
    #expect(names.name(of: .bank(try BankAccountID("main"))) == "当座預金（横浜銀行 本店営業部 0012345）")
    #expect(names.name(of: .interestPayable) == "未払利息")
  }
}
