public import EventLog
import Foundation
public import SharedKernel

/// A bank account of the foundation's to open in the register, as the treasury manager types it.
public struct OpenBankAccount: Sendable, Hashable {
  /// Short and stable, e.g. `main` or `yokohama-current`: postings name the account by it.
  public var id: BankAccountID
  /// What the account is for, e.g. 預託事業用 普通預金.
  public var name: String
  /// 金融機関名 and 支店名, as the bank's statement heads them.
  public var bankName: String
  public var branchName: String
  /// 金融機関コード (4 digits) and 支店コード (3 digits).
  public var bankCode: String
  public var branchCode: String
  public var accountType: BankAccountType
  /// 口座番号: 7 digits, leading zeros kept.
  public var accountNumber: String
  /// 口座名義 in 全銀 half-width カナ (see ``ZenginText``).
  public var accountName: String
  /// 振込依頼人コード: the 10 digits the bank assigned for 総合振込 from this account, if any.
  public var requesterCode: String?

  public init(
    id: BankAccountID, name: String, bankName: String, branchName: String, bankCode: String, branchCode: String, accountType: BankAccountType,
    accountNumber: String, accountName: String, requesterCode: String? = nil
  ) {
    self.requesterCode = requesterCode
    self.id = id
    self.name = name
    self.bankName = bankName
    self.branchName = branchName
    self.bankCode = bankCode
    self.branchCode = branchCode
    self.accountType = accountType
    self.accountNumber = accountNumber
    self.accountName = accountName
  }
}

/// The register of the foundation's own bank accounts (普通預金・当座預金) the scheme's money
/// moves through, one stream `register-bank-accounts`, so that one append holds its invariants:
/// ids and (bank, branch, account number) are unique, and the first account opened is the
/// default for postings that name none.
///
/// Every posting to a `bank:` account names an open account of the register: the account a
/// statement line is matched against is then always known by its codes.
public enum BankAccounts {
  public static let category = "register"

  /// `register-bank-accounts`.
  public static func stream() throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: "bank-accounts")
  }

  /// A bank account was opened in the register.
  public struct Opened: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.BankAccountOpened"
    public static let schemaVersion = 1
    public var account: BankAccountID
    public var name: String
    public var bankName: String
    public var branchName: String
    public var bankCode: String
    public var branchCode: String
    public var accountType: BankAccountType
    public var accountNumber: String
    public var accountName: String
    /// 振込依頼人コード (absent in accounts opened without one).
    public var requesterCode: String?
    public var by: UserID
    public var at: Timestamp
  }

  /// A bank account was closed: it takes no further postings; its entries stay.
  public struct Closed: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.BankAccountClosed"
    public static let schemaVersion = 1
    public var account: BankAccountID
    public var reason: String
    public var by: UserID
    public var at: Timestamp
  }

  /// The register's events.
  public enum Event: Sendable, Hashable {
    case opened(Opened)
    case closed(Closed)
  }

  /// One account as the register tells it.
  public struct Record: Sendable, Hashable {
    public var opened: Opened
    /// When it was closed, and why; nil while open.
    public var closed: Closed?

    public var id: BankAccountID { opened.account }
    public var isOpen: Bool { closed == nil }
    /// e.g. 横浜銀行 本店 普通 1234567.
    public var label: String { "\(opened.bankName) \(opened.branchName) \(opened.accountType.japaneseName) \(opened.accountNumber)" }
  }

  /// The accounts in the order opened.
  public struct State: Sendable, Hashable {
    public var accounts: [Record] = []

    public init() {}

    public func account(_ id: BankAccountID) -> Record? { accounts.first { $0.id == id } }

    /// The first account opened that is still open: where a posting that names no account goes.
    public var defaultAccount: Record? { accounts.first(where: \.isOpen) }

    /// The account with these codes, as a statement names it.
    public func account(bankCode: String, branchCode: String, accountNumber: String) -> Record? {
      accounts.first { $0.opened.bankCode == bankCode && $0.opened.branchCode == branchCode && $0.opened.accountNumber == accountNumber }
    }
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    switch event {
    case .opened(let e): state.accounts.append(Record(opened: e, closed: nil))
    case .closed(let e):
      if let index = state.accounts.firstIndex(where: { $0.id == e.account }) { state.accounts[index].closed = e }
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Opened.self, embed: Event.opened) { if case .opened(let e) = $0 { e } else { nil } }
    codec.register(Closed.self, embed: Event.closed) { if case .closed(let e) = $0 { e } else { nil } }
    return codec
  }()

  /// Opens an account (treasury manager): codes of the right length, the 口座名義 in 全銀 カナ,
  /// an id and codes no other account of the register has.
  public static func open(_ command: OpenBankAccount, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError) -> [Event] {
    let user = try context.user(in: [.treasuryManager], to: "open a bank account in the register")
    if state.account(command.id) != nil { throw .bankAccountExists(command.id) }
    guard let name = Text.required(command.name, limit: 100) else {
      throw .invalidBankAccount(field: "name", reason: "what the account is for (e.g. 預託事業用 普通預金) must have 1 to 100 characters")
    }
    guard let bankName = Text.required(command.bankName, limit: 60) else {
      throw .invalidBankAccount(field: "bankName", reason: "the bank's name (金融機関名) must have 1 to 60 characters")
    }
    guard let branchName = Text.required(command.branchName, limit: 60) else {
      throw .invalidBankAccount(field: "branchName", reason: "the branch's name (支店名) must have 1 to 60 characters")
    }
    try Institution.digits(command.bankCode, count: 4, field: "bankCode", what: "bank code (金融機関コード)")
    try Institution.digits(command.branchCode, count: 3, field: "branchCode", what: "branch code (支店コード)")
    try Institution.digits(command.accountNumber, count: 7, field: "accountNumber", what: "account number (口座番号)")
    try ZenginText.validate(command.accountName, field: "accountName")
    let requesterCode = Text.optional(command.requesterCode)
    if let code = requesterCode { try Institution.digits(code, count: 10, field: "requesterCode", what: "requester code (振込依頼人コード)") }
    if let other = state.account(bankCode: command.bankCode, branchCode: command.branchCode, accountNumber: command.accountNumber) {
      throw .bankAccountCodesTaken(other.id, label: other.label)
    }
    return [
      .opened(
        Opened(
          account: command.id, name: name, bankName: bankName, branchName: branchName, bankCode: command.bankCode, branchCode: command.branchCode,
          accountType: command.accountType, accountNumber: command.accountNumber, accountName: command.accountName, requesterCode: requesterCode, by: user,
          at: context.timestamp))
    ]
  }

  /// Closes an open account (treasury manager), with the reason recorded.
  public static func close(_ id: BankAccountID, reason: String, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError) -> [Event] {
    let user = try context.user(in: [.treasuryManager], to: "close a bank account of the register")
    guard let record = state.account(id) else { throw .unknownBankAccount(id) }
    guard record.isOpen else { throw .bankAccountClosed(id, label: record.label) }
    guard let reason = Text.required(reason, limit: 500) else { throw .reasonRequired(action: "closing a bank account") }
    return [.closed(Closed(account: id, reason: reason, by: user, at: context.timestamp))]
  }

  /// The open account `id`, or the register's default when `id` is nil; the error that says
  /// why a posting cannot use it otherwise.
  public static func usable(_ id: BankAccountID?, _ state: State) throws(DepositLedgerError) -> BankAccountID {
    guard let id else {
      guard let account = state.defaultAccount else { throw .noBankAccount }
      return account.id
    }
    guard let record = state.account(id) else { throw .unknownBankAccount(id) }
    guard record.isOpen else { throw .bankAccountClosed(id, label: record.label) }
    return id
  }

  /// Refuses lines that post to a bank account the register does not hold open.
  static func requireUsable(_ lines: [JournalLine], _ state: State) throws(DepositLedgerError) {
    for line in lines {
      if case .bank(let id) = line.account { _ = try usable(id, state) }
    }
  }
}
