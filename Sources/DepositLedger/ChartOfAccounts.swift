public import SharedKernel

/// Phantom tag for ``BankAccountID``.
public enum BankAccountTag {}
/// One of the foundation's own bank accounts the scheme's money moves through (e.g. `main`,
/// `yokohama-current`), opened in the register (``BankAccounts``).
public typealias BankAccountID = ID<BankAccountTag>

/// An account of the deposit scheme's chart of accounts (勘定科目).
///
/// Stored and sent as a code: `bank:main`, `own-funds`, `borrowings:<institution>`,
/// `deposits:<institution>`, `interest-payable`, `interest-expense`, `bank-charges`. Accounts
/// order as the chart lists them (assets, liabilities, net assets, expenses), then by id.
public enum LedgerAccount: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// 普通預金・当座預金: one of the foundation's bank accounts.
  case bank(BankAccountID)
  /// 預託金: deposits placed with one handling institution (取扱金融機関).
  case depositsPlaced(InstitutionID)
  /// 借入金: deposit principal (預託原資) borrowed from one lender.
  case borrowings(InstitutionID)
  /// 未払利息: interest accrued on the borrowings and not yet paid.
  case interestPayable
  /// 自己資金: the foundation's own funds committed to the scheme.
  case ownFunds
  /// 支払利息: interest on the borrowings.
  case interestExpense
  /// 支払手数料: bank charges (振込手数料 and the like).
  case bankCharges

  /// Where an account stands in the balance sheet or the statement of activities.
  public enum Nature: String, Sendable, Hashable, Codable, CaseIterable {
    /// 資産.
    case asset
    /// 負債.
    case liability
    /// 正味財産: own funds.
    case netAssets = "net-assets"
    /// 費用.
    case expense
  }

  public var nature: Nature {
    switch self {
    case .bank, .depositsPlaced: .asset
    case .borrowings, .interestPayable: .liability
    case .ownFunds: .netAssets
    case .interestExpense, .bankCharges: .expense
    }
  }

  /// The side on which the account's balance normally stands: debit for assets and expenses,
  /// credit for liabilities and own funds.
  public var normalSide: JournalLine.Side {
    switch nature {
    case .asset, .expense: .debit
    case .liability, .netAssets: .credit
    }
  }

  /// The institution a per-institution account belongs to.
  public var institution: InstitutionID? {
    switch self {
    case .depositsPlaced(let id), .borrowings(let id): id
    default: nil
    }
  }

  /// The stored code, e.g. `borrowings:mizuho`.
  public var code: String {
    switch self {
    case .bank(let id): "bank:\(id)"
    case .depositsPlaced(let id): "deposits:\(id)"
    case .borrowings(let id): "borrowings:\(id)"
    case .interestPayable: "interest-payable"
    case .ownFunds: "own-funds"
    case .interestExpense: "interest-expense"
    case .bankCharges: "bank-charges"
    }
  }

  /// The account of `code`; throws for a code that names none.
  public init(code: String) throws(DepositLedgerError) {
    switch code {
    case "interest-payable": self = .interestPayable
    case "own-funds": self = .ownFunds
    case "interest-expense": self = .interestExpense
    case "bank-charges": self = .bankCharges
    default:
      guard let colon = code.firstIndex(of: ":") else { throw .unknownAccount(code) }
      let prefix = code[..<colon]
      let rest = String(code[code.index(after: colon)...])
      do {
        switch prefix {
        case "bank": self = .bank(try BankAccountID(rest))
        case "deposits": self = .depositsPlaced(try InstitutionID(rest))
        case "borrowings": self = .borrowings(try InstitutionID(rest))
        default: throw DepositLedgerError.unknownAccount(code)
        }
      } catch {
        throw .unknownAccount(code)
      }
    }
  }

  /// 勘定科目名, e.g. `借入金（mizuho）`.
  public var japaneseName: String {
    switch self {
    case .bank(let id): "普通預金（\(id)）"
    case .depositsPlaced(let id): "預託金（\(id)）"
    case .borrowings(let id): "借入金（\(id)）"
    case .interestPayable: "未払利息"
    case .ownFunds: "自己資金"
    case .interestExpense: "支払利息"
    case .bankCharges: "支払手数料"
    }
  }

  /// The code.
  public var description: String { code }

  private var chartOrder: Int {
    switch self {
    case .bank: 0
    case .depositsPlaced: 1
    case .borrowings: 2
    case .interestPayable: 3
    case .ownFunds: 4
    case .interestExpense: 5
    case .bankCharges: 6
    }
  }

  public static func < (lhs: LedgerAccount, rhs: LedgerAccount) -> Bool {
    if lhs.chartOrder != rhs.chartOrder { return lhs.chartOrder < rhs.chartOrder }
    return lhs.code.utf8.lexicographicallyPrecedes(rhs.code.utf8)
  }

  /// Decodes the code.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let code = try container.decode(String.self)
    do { try self.init(code: code) } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  /// Encodes the code.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(code)
  }
}

/// 勘定科目名 with the institutions' and bank accounts' names instead of their ids, e.g.
/// `借入金（横浜銀行）`, `当座預金（横浜銀行 本店 1234567）`; an id the names do not hold is shown
/// as it is.
public struct AccountNames: Sendable, Hashable {
  /// What a bank account is named by: its bank, branch, type and number.
  public struct Bank: Sendable, Hashable {
    public var bankName: String
    public var branchName: String
    public var accountType: BankAccountType
    public var accountNumber: String

    public init(bankName: String, branchName: String, accountType: BankAccountType, accountNumber: String) {
      self.bankName = bankName
      self.branchName = branchName
      self.accountType = accountType
      self.accountNumber = accountNumber
    }
  }

  public var institutions: [InstitutionID: String]
  public var bankAccounts: [BankAccountID: Bank]

  public init(institutions: [InstitutionID: String] = [:], bankAccounts: [BankAccountID: Bank] = [:]) {
    self.institutions = institutions
    self.bankAccounts = bankAccounts
  }

  public func name(of account: LedgerAccount) -> String {
    switch account {
    case .bank(let id):
      guard let opened = bankAccounts[id] else { return account.japaneseName }
      return "\(opened.accountType == .current ? "当座預金" : "普通預金")（\(opened.bankName) \(opened.branchName) \(opened.accountNumber)）"
    case .depositsPlaced(let id): return "預託金（\(institutions[id] ?? id.rawValue)）"
    case .borrowings(let id): return "借入金（\(institutions[id] ?? id.rawValue)）"
    default: return account.japaneseName
    }
  }
}
