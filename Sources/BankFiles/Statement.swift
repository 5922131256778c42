public import SharedKernel

/// A bank statement as read from a file: one or more accounts, each with its balances and lines.
///
/// One shape whatever the file was (a 全銀 入出金取引明細 file or a bank CSV), so the treasury
/// reconciles against one thing. It encodes as the JSON `kipctl deposits parse-zengin` prints:
/// dates as ISO `YYYY-MM-DD`, amounts as signed integers of yen under `…Yen` keys, names in
/// full-width katakana.
public struct Statement: Sendable, Hashable, Codable {
  /// The accounts, in the order the file gives them.
  public var accounts: [AccountStatement]
  /// How a 全銀 file separated its records (nil for CSV), kept because the same bank sends the
  /// same framing every day: a change is worth noticing.
  public var framing: RecordFraming?
  /// The text encoding of a CSV file (nil for 全銀 files, which are always JIS8).
  public var encoding: TextEncoding?

  public init(accounts: [AccountStatement], framing: RecordFraming? = nil, encoding: TextEncoding? = nil) {
    self.accounts = accounts
    self.framing = framing
    self.encoding = encoding
  }
}

/// One account's part of a statement: 全銀's header … trailer group.
public struct AccountStatement: Sendable, Hashable, Codable {
  /// 銀行コード (統一金融機関番号): 4 digits, leading zeros kept.
  public var bankCode: String
  /// 銀行名 in full-width katakana, as the bank wrote it (empty when not given).
  public var bankName: String
  /// 支店コード (統一店番号): 3 digits, leading zeros kept.
  public var branchCode: String
  /// 支店名 in full-width katakana (empty when not given).
  public var branchName: String
  /// 預金種目.
  public var depositType: DepositType
  /// 口座番号 as written: 10 digits in a 全銀 file, leading zeros kept.
  public var accountNumber: String
  /// 口座名 in full-width katakana (empty when not given).
  public var accountName: String
  /// 作成日: when the bank made the file (nil for CSV, which does not say).
  public var createdOn: LocalDate?
  /// 勘定日（自）: the first posting date the statement covers.
  public var periodFrom: LocalDate
  /// 勘定日（至）: the last posting date it covers (equal to ``periodFrom`` for one business day).
  public var periodTo: LocalDate
  /// 取引前残高: the balance before the first line; negative when overdrawn (貸越区分 2).
  public var openingBalance: Yen
  /// 取引後残高: the balance after the last line; always ``openingBalance`` + in − out (the
  /// parsers refuse a file whose stated closing balance says otherwise).
  public var closingBalance: Yen
  /// The lines in file order. There is no per-line balance in the 全銀 format.
  public var lines: [StatementLine]

  public init(
    bankCode: String, bankName: String = "", branchCode: String, branchName: String = "", depositType: DepositType,
    accountNumber: String, accountName: String = "", createdOn: LocalDate? = nil, periodFrom: LocalDate, periodTo: LocalDate,
    openingBalance: Yen, closingBalance: Yen, lines: [StatementLine]
  ) {
    self.bankCode = bankCode
    self.bankName = bankName
    self.branchCode = branchCode
    self.branchName = branchName
    self.depositType = depositType
    self.accountNumber = accountNumber
    self.accountName = accountName
    self.createdOn = createdOn
    self.periodFrom = periodFrom
    self.periodTo = periodTo
    self.openingBalance = openingBalance
    self.closingBalance = closingBalance
    self.lines = lines
  }

  enum CodingKeys: String, CodingKey {
    case bankCode, bankName, branchCode, branchName, depositType, accountNumber, accountName, createdOn, periodFrom, periodTo
    case openingBalance = "openingBalanceYen"
    case closingBalance = "closingBalanceYen"
    case lines
  }
}

/// One movement on an account.
public struct StatementLine: Sendable, Hashable, Codable {
  /// 照会番号 (識別番号 for time deposits) as written, leading zeros kept. Assigned by the bank
  /// and not unique across files: never use it alone as a key.
  public var inquiryNumber: String
  /// 勘定日: the day the bank booked it.
  public var postingDate: LocalDate
  /// 預入・払出日（起算日）: the day interest counts from; the posting date unless back- or forward-valued.
  public var valueDate: LocalDate
  /// 入払区分: money in or out.
  public var direction: Direction
  /// 取引金額: always positive or zero; ``direction`` says which way.
  public var amount: Yen
  /// 振込依頼人名または契約者番号 in full-width katakana: the remitter for money in, the contract
  /// number for a 口座振替 out; empty when not given (always for time deposits).
  public var counterparty: String
  /// 摘要内容 in full-width katakana (empty when not given).
  public var summary: String
  /// 取引区分, when the bank gives it.
  public var transactionKind: TransactionKind?
  /// うち他店券金額: the part paid in by cheques on other banks, when not zero.
  public var otherBankCheques: Yen?
  /// 振込依頼人コード, when given.
  public var remitterCode: String?
  /// 仕向銀行名: the remitter's bank, in full-width katakana, when given.
  public var originBankName: String?
  /// 仕向店名: the remitter's branch, in full-width katakana, when given.
  public var originBranchName: String?
  /// EDI情報 (振込の EDI 欄), in full-width katakana, when given.
  public var edi: String?
  /// The terms of a 通知・定期・積立定期 deposit line (nil for other accounts).
  public var timeDeposit: TimeDepositTerms?

  public init(
    inquiryNumber: String, postingDate: LocalDate, valueDate: LocalDate, direction: Direction, amount: Yen, counterparty: String = "",
    summary: String = "", transactionKind: TransactionKind? = nil, otherBankCheques: Yen? = nil, remitterCode: String? = nil,
    originBankName: String? = nil, originBranchName: String? = nil, edi: String? = nil, timeDeposit: TimeDepositTerms? = nil
  ) {
    self.inquiryNumber = inquiryNumber
    self.postingDate = postingDate
    self.valueDate = valueDate
    self.direction = direction
    self.amount = amount
    self.counterparty = counterparty
    self.summary = summary
    self.transactionKind = transactionKind
    self.otherBankCheques = otherBankCheques
    self.remitterCode = remitterCode
    self.originBankName = originBankName
    self.originBranchName = originBranchName
    self.edi = edi
    self.timeDeposit = timeDeposit
  }

  enum CodingKeys: String, CodingKey {
    case inquiryNumber, postingDate, valueDate, direction
    case amount = "amountYen"
    case counterparty, summary, transactionKind
    case otherBankCheques = "otherBankChequesYen"
    case remitterCode, originBankName, originBranchName, edi, timeDeposit
  }
}

/// What a time-deposit line (データ・レコード 通知・定期・積立定期) adds; each field is nil when the
/// bank left it absent (zeros or spaces).
public struct TimeDepositTerms: Sendable, Hashable, Codable {
  /// 当初預入日: when the deposit was first made.
  public var firstDepositDate: LocalDate?
  /// 満期日: when it matures.
  public var maturityDate: LocalDate?
  /// 利率: the annual rate in percent with the file's four decimals, e.g. `"0.0020"` — text, so
  /// that no binary fraction creeps in.
  public var annualRatePercent: String?
  /// 合計利息: the interest before tax.
  public var totalInterest: Yen?
  /// 税額: the tax withheld.
  public var tax: Yen?
  /// 税引後利息: the interest after tax.
  public var netInterest: Yen?

  public init(
    firstDepositDate: LocalDate? = nil, maturityDate: LocalDate? = nil, annualRatePercent: String? = nil, totalInterest: Yen? = nil,
    tax: Yen? = nil, netInterest: Yen? = nil
  ) {
    self.firstDepositDate = firstDepositDate
    self.maturityDate = maturityDate
    self.annualRatePercent = annualRatePercent
    self.totalInterest = totalInterest
    self.tax = tax
    self.netInterest = netInterest
  }

  enum CodingKeys: String, CodingKey {
    case firstDepositDate, maturityDate, annualRatePercent
    case totalInterest = "totalInterestYen"
    case tax = "taxYen"
    case netInterest = "netInterestYen"
  }
}

/// 入払区分: which way the money went.
public enum Direction: String, Sendable, Hashable, Codable, CaseIterable {
  /// 入金 (全銀 code 1).
  case `in`
  /// 出金 (全銀 code 2).
  case out

  /// 入金 or 出金.
  public var japaneseName: String { self == .in ? "入金" : "出金" }
}

/// 預金種目 as the 全銀 formats code it.
public enum DepositType: String, Sendable, Hashable, Codable, CaseIterable {
  /// 普通預金 (1).
  case ordinary
  /// 当座預金 (2).
  case current
  /// 貯蓄預金 (4).
  case savings
  /// 通知預金 (5).
  case notice
  /// 定期預金 (6).
  case time
  /// 積立定期預金 (7).
  case installmentTime = "installment-time"
  /// その他 (9), as 総合振込 allows for the payee's account.
  case other

  /// The one-digit 全銀 code.
  public var zenginCode: Character {
    switch self {
    case .ordinary: "1"
    case .current: "2"
    case .savings: "4"
    case .notice: "5"
    case .time: "6"
    case .installmentTime: "7"
    case .other: "9"
    }
  }

  /// The type with 全銀 code `code`, or nil.
  public init?(zenginCode code: Character) {
    guard let type = Self.allCases.first(where: { $0.zenginCode == code }) else { return nil }
    self = type
  }

  /// 普通, 当座, 貯蓄, 通知, 定期, 積立定期, その他.
  public var japaneseName: String {
    switch self {
    case .ordinary: "普通"
    case .current: "当座"
    case .savings: "貯蓄"
    case .notice: "通知"
    case .time: "定期"
    case .installmentTime: "積立定期"
    case .other: "その他"
    }
  }

  /// Whether a 入出金取引明細 file uses the time-deposit data record (通知・定期・積立定期) for it.
  public var hasTimeDepositRecords: Bool { self == .notice || self == .time || self == .installmentTime }
}

/// 取引区分: what kind of transaction a line is, when the bank says.
public enum TransactionKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// 現金 (10).
  case cash
  /// 振込 (11).
  case transfer
  /// 他店券入金 (12): cheques on other banks paid in.
  case otherBankCheques = "other-bank-cheques"
  /// 交換（取立入金および交換払） (13): clearing.
  case clearing
  /// 振替 (14): a transfer between accounts at the bank.
  case bookTransfer = "book-transfer"
  /// 継続 (15): a time deposit rolled over.
  case renewal
  /// その他 (18).
  case other
  /// 訂正 (19): a correction.
  case correction

  /// The two-digit 全銀 code.
  public var zenginCode: String {
    switch self {
    case .cash: "10"
    case .transfer: "11"
    case .otherBankCheques: "12"
    case .clearing: "13"
    case .bookTransfer: "14"
    case .renewal: "15"
    case .other: "18"
    case .correction: "19"
    }
  }

  /// The kind with 全銀 code `code`, or nil.
  public init?(zenginCode code: String) {
    guard let kind = Self.allCases.first(where: { $0.zenginCode == code }) else { return nil }
    self = kind
  }

  /// 現金, 振込, 他店券入金, 交換, 振替, 継続, その他, 訂正.
  public var japaneseName: String {
    switch self {
    case .cash: "現金"
    case .transfer: "振込"
    case .otherBankCheques: "他店券入金"
    case .clearing: "交換"
    case .bookTransfer: "振替"
    case .renewal: "継続"
    case .other: "その他"
    case .correction: "訂正"
    }
  }
}

/// How a fixed-width file separated its records: every form the 全銀 layout says occurs.
public enum RecordFraming: String, Sendable, Hashable, Codable, CaseIterable {
  /// No separators at all (「改行なし」): the length is a multiple of the record length.
  case unseparated
  /// No separators between records, one CRLF at the very end.
  case unseparatedWithFinalLineBreak = "unseparated-final-crlf"
  /// CRLF after every record, the last one included (「後付けで122バイト」).
  case lineBreakAfterEachRecord = "crlf-after-each"
  /// CRLF between records, none after the last.
  case lineBreakBetweenRecords = "crlf-between"
}
