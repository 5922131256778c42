import BankFiles
public import EventLog
import Foundation
public import SharedKernel

/// Phantom tag for ``InstitutionID``.
public enum InstitutionTag {}
/// A financial institution the scheme deals with, e.g. `yokohama` or `i-0042`.
public typealias InstitutionID = ID<InstitutionTag>

/// 預金種目 of a bank account, as the 全銀 format codes it.
public enum BankAccountType: String, Sendable, Hashable, Codable, CaseIterable {
  /// 普通預金 (全銀 code 1).
  case ordinary
  /// 当座預金 (全銀 code 2).
  case current

  public var japaneseName: String { self == .ordinary ? "普通" : "当座" }
  /// The 全銀 預金種目 code.
  public var zenginCode: Int { self == .ordinary ? 1 : 2 }
}

/// What an institution is to the scheme (one bank is often both).
public enum InstitutionRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// 借入先: lends the scheme its deposit principal (預託原資).
  case lender
  /// 取扱金融機関: makes the prefecture's system loans and holds the deposits placed with it.
  case handling

  public var japaneseName: String { self == .lender ? "借入先" : "取扱金融機関" }

  public static func < (lhs: InstitutionRole, rhs: InstitutionRole) -> Bool { lhs == .lender && rhs == .handling }
}

/// An institution to register, as the treasury types it.
public struct RegisterInstitution: Sendable, Hashable {
  public var id: InstitutionID
  /// 金融機関名, e.g. 横浜銀行.
  public var name: String
  /// 金融機関コード: 4 digits.
  public var bankCode: String
  /// 支店コード: 3 digits.
  public var branchCode: String
  public var accountType: BankAccountType
  /// 口座番号: 7 digits, leading zeros kept.
  public var accountNumber: String
  /// 口座名義 in half-width カナ as banks print it (see ``ZenginText``).
  public var accountName: String
  public var roles: [InstitutionRole]

  public init(
    id: InstitutionID, name: String, bankCode: String, branchCode: String, accountType: BankAccountType, accountNumber: String,
    accountName: String, roles: [InstitutionRole]
  ) {
    self.id = id
    self.name = name
    self.bankCode = bankCode
    self.branchCode = branchCode
    self.accountType = accountType
    self.accountNumber = accountNumber
    self.accountName = accountName
    self.roles = roles
  }
}

/// A lender or handling institution, `institution-<id>`: its codes, the account money is sent
/// to, and what it is to the scheme.
public enum Institution {
  public static let category = "institution"

  public static func stream(_ id: InstitutionID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: id.rawValue)
  }

  /// An institution was registered.
  public struct Registered: RecordableEvent, Hashable {
    public static let eventType = "DepositLedger.InstitutionRegistered"
    public static let schemaVersion = 1
    public var institution: InstitutionID
    public var name: String
    public var bankCode: String
    public var branchCode: String
    public var accountType: BankAccountType
    public var accountNumber: String
    public var accountName: String
    /// In order: lender before handling.
    public var roles: [InstitutionRole]
    public var by: UserID
    public var at: Timestamp
  }

  /// The institution stream's events.
  public enum Event: Sendable, Hashable {
    case registered(Registered)
  }

  /// An institution as its stream tells it.
  public typealias Record = Registered

  /// Nil before the institution is registered.
  public typealias State = Record?
  public static let initialState: State = nil

  public static func evolve(_ state: State, _ event: Event) -> State {
    switch event {
    case .registered(let e): e
    }
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Registered.self, embed: Event.registered) { if case .registered(let e) = $0 { e } else { nil } }
    return codec
  }()

  /// Registers an institution (treasury or its manager): name, 4-digit bank code, 3-digit branch
  /// code, 7-digit account number (leading zeros kept), the account name in 全銀 half-width カナ,
  /// and at least one role.
  public static func register(_ command: RegisterInstitution, _ state: State, _ context: TreasuryContext) throws(DepositLedgerError) -> [Event] {
    let user = try context.user(in: [.treasury, .treasuryManager], to: "register an institution")
    if state != nil { throw .institutionExists(command.id) }
    guard let name = Text.required(command.name, limit: 100) else {
      throw .invalidInstitution(field: "name", reason: "the institution's name must have 1 to 100 characters")
    }
    try digits(command.bankCode, count: 4, field: "bankCode", what: "bank code (金融機関コード)")
    try digits(command.branchCode, count: 3, field: "branchCode", what: "branch code (支店コード)")
    try digits(command.accountNumber, count: 7, field: "accountNumber", what: "account number (口座番号)")
    try ZenginText.validate(command.accountName, field: "accountName")
    let roles = Array(Set(command.roles)).sorted()
    guard !roles.isEmpty else {
      throw .invalidInstitution(field: "roles", reason: "give the institution at least one role: lender (借入先) or handling (取扱金融機関)")
    }
    return [
      .registered(
        Registered(
          institution: command.id, name: name, bankCode: command.bankCode, branchCode: command.branchCode, accountType: command.accountType,
          accountNumber: command.accountNumber, accountName: command.accountName, roles: roles, by: user, at: context.timestamp))
    ]
  }

  /// The registered institution `id` in `role`, or the error that says why it cannot act so.
  static func acting(_ id: InstitutionID, as role: InstitutionRole, _ state: State) throws(DepositLedgerError) -> Record {
    guard let record = state, record.institution == id else { throw .unknownInstitution(id) }
    guard record.roles.contains(role) else { throw .institutionLacksRole(id, name: record.name, role: role) }
    return record
  }

  static func digits(_ text: String, count: Int, field: String, what: String) throws(DepositLedgerError) {
    guard text.utf8.count == count, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
      throw .invalidInstitution(field: field, reason: "the \(what) must be exactly \(count) ASCII digits, leading zeros kept (got \(String(reflecting: text)))")
    }
  }
}

/// The 全銀 (Zengin) character set banks print account names in (付録1 使用文字一覧, the name
/// fields: see ``ZenginKana``): half-width katakana without ｦ and small kana, ﾞ ﾟ ｰ, the digits,
/// upper-case A–Z, the space and ( ) - . Lower case and every full-width character are refused:
/// a transfer with them is returned by the bank.
public enum ZenginText {
  /// Longest account name: the 30 characters of the 受取人名 field of a 全銀 transfer record.
  public static let maximumLength = 30

  /// Whether `scalar` is in the 全銀 character set of names.
  public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool { ZenginKana.isAllowed(scalar, in: .name) }

  /// Refuses `text` unless it is 1–30 characters of the 全銀 set, naming the first bad character.
  public static func validate(_ text: String, field: String) throws(DepositLedgerError) {
    let scalars = Array(text.unicodeScalars)
    guard !scalars.isEmpty, scalars.contains(where: { $0 != " " }) else {
      throw .invalidInstitution(field: field, reason: "the account name (口座名義) must not be empty")
    }
    for (index, scalar) in scalars.enumerated() where !isAllowed(scalar) {
      throw .invalidKana(field: field, text: text, character: Character(scalar), position: index + 1, hint: hint(for: scalar))
    }
    guard scalars.count <= maximumLength else {
      throw .invalidInstitution(
        field: field, reason: "the account name (口座名義) has \(scalars.count) characters; banks take at most \(maximumLength)")
    }
  }

  /// What to type instead of `scalar`.
  static func hint(for scalar: Unicode.Scalar) -> String {
    switch scalar.value {
    case 0x61...0x7A: "use upper-case letters"
    case 0xFF67...0xFF6F: "write small kana as large ones (ｯ → ﾂ), as banks print them"
    case 0xFF66: "write ｦ as ｵ, as banks print it in names"
    case 0x30FC: "use the half-width long-vowel mark (ｰ)"
    case 0x3000: "use a half-width space"
    case 0x3041...0x30FF, 0xFF01...0xFF5E: "use half-width katakana, digits and upper-case letters (半角)"
    default: "only half-width katakana (no ｦ, no small kana), ﾞ ﾟ ｰ, digits, upper-case A–Z, space and ( ) - . are allowed"
    }
  }
}
