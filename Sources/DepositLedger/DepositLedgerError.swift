public import Foundation
public import SharedKernel

/// Why the deposit ledger refused something. Each case carries the data to explain it; its
/// ``description`` says in plain English what was wrong and what would be right,
/// ``japaneseDescription`` says it for the treasury's pages, ``kind`` is what the service
/// answers with (422, 409, 404, 403) and ``field`` the request field at fault.
public enum DepositLedgerError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
  // Interest
  case invalidRate(String, InterestRate.Problem)
  case invalidAccrualUnit(Yen)
  case invalidAmount(field: String, Yen)
  case interestPeriodReversed(from: LocalDate, to: LocalDate)
  case noSegments
  case segmentsOutOfOrder(LocalDate, after: LocalDate)
  case negativeBalance(on: LocalDate, balance: Yen)
  case amountOverflow(String)
  case dateOutOfRange(String)
  // Institutions and accounts
  case institutionExists(InstitutionID)
  case invalidInstitution(field: String, reason: String)
  /// A character outside the 全銀 set, at a 1-based position.
  case invalidKana(field: String, text: String, character: Character, position: Int, hint: String)
  case unknownInstitution(InstitutionID)
  // Bank accounts of the register
  case bankAccountExists(BankAccountID)
  case invalidBankAccount(field: String, reason: String)
  case bankAccountCodesTaken(BankAccountID, label: String)
  case unknownBankAccount(BankAccountID)
  case bankAccountClosed(BankAccountID, label: String)
  case noBankAccount
  // Statements and their reconciliation
  case statementForUnknownAccount(bankCode: String, branchCode: String, accountNumber: String)
  case statementDoesNotAdd(opening: Yen, moved: Yen, closing: Yen)
  case matchTooSmall
  case unknownStatementLine(Int)
  case lineAlreadyMatched(Int, match: MatchID)
  case entryNotOnAccount(EntryID, account: BankAccountID)
  case entryAlreadyMatched(EntryID, match: MatchID)
  case matchUnbalanced(lines: Yen, entries: Yen)
  case unknownMatch(MatchID)
  // Transfers (総合振込)
  case nothingToTransfer(account: BankAccountID, date: LocalDate, batched: Int)
  case unknownTransferBatch(TransferBatchID)
  case transferBatchNotPrepared(TransferBatchID, status: String)
  case makerCannotCheckBatch(TransferBatchID, user: UserID)
  case transferDayPassed(TransferBatchID, date: LocalDate)
  case institutionLacksRole(InstitutionID, name: String, role: InstitutionRole)
  case unknownAccount(String)
  case accountNeedsOperation(LedgerAccount)
  // Entries
  case entryExists(EntryID)
  case invalidIdempotencyKey(String)
  case idempotencyKeyUsed(String, entry: EntryID)
  case invalidEntry(field: String, reason: String)
  case emptyEntry
  case invalidLineAmount(line: Int, Yen)
  case unbalanced(debits: Yen, credits: Yen)
  case unknownEntry(EntryID)
  case entryNotPending(EntryID, Journal.Status)
  case makerCannotCheck(EntryID, user: UserID)
  case reasonRequired(action: String)
  case reversalOfUnapproved(EntryID, Journal.Status)
  case alreadyReversed(EntryID, by: EntryID)
  case reversalOfReversal(EntryID)
  case invalidStreamID(String, reason: String)
  // Dates and periods
  case dateTooEarly(field: String, LocalDate, earliest: LocalDate, what: String)
  case notBusinessDay(field: String, LocalDate, closure: String, next: LocalDate)
  case calendarUnsupported(LocalDate)
  case periodClosed(period: String, date: LocalDate)
  case wrongPeriodStream(LocalDate, loaded: FiscalYear)
  case monthOutsideYear(YearMonth, FiscalYear)
  case periodAlreadyClosed(String)
  case periodNotClosed(String)
  case periodNotEnded(String, lastDay: LocalDate)
  case pendingEntriesInPeriod(String, entries: [EntryID])
  case yearClosedFirst(YearMonth, FiscalYear)
  // Borrowings, deposits, funding
  case borrowingExists(BorrowingID)
  case unknownBorrowing(BorrowingID?)
  case depositExists(DepositID)
  case unknownDeposit(DepositID?)
  case exceedsOutstanding(what: String, amount: Yen, outstanding: Yen, on: LocalDate)
  case exceedsHeadroom(amount: Yen, headroom: Yen, on: LocalDate, valueDate: LocalDate)
  case movementInAccruedPeriod(BorrowingID, date: LocalDate, accruedThrough: LocalDate)
  case principalPending(BorrowingID, entries: [EntryID])
  case accrualReversalPending(BorrowingID, entry: EntryID)
  case nothingToAccrue(BorrowingID, from: LocalDate, through: LocalDate)
  case notLatestAccrual(EntryID, latest: EntryID)
  // Roles
  case forbidden(action: String, allowed: [Role], actual: Role?)

  /// What the service answers with.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// 422: the request is wrong in itself.
    case validation
    /// 409: the request is fine but the state of things refuses it.
    case conflict
    /// 404: what it names does not exist.
    case notFound = "not-found"
    /// 403: the role may not do it.
    case forbidden
  }

  public var kind: Kind {
    switch self {
    case .invalidRate, .invalidAccrualUnit, .invalidAmount, .interestPeriodReversed, .noSegments, .segmentsOutOfOrder, .negativeBalance,
      .amountOverflow, .dateOutOfRange, .invalidInstitution, .invalidBankAccount, .statementDoesNotAdd, .matchTooSmall, .matchUnbalanced, .invalidKana, .institutionLacksRole, .unknownAccount, .accountNeedsOperation,
      .invalidIdempotencyKey, .invalidEntry, .emptyEntry, .invalidLineAmount, .unbalanced, .reasonRequired, .invalidStreamID, .dateTooEarly,
      .notBusinessDay, .calendarUnsupported, .wrongPeriodStream, .monthOutsideYear, .periodNotEnded, .nothingToAccrue:
      .validation
    case .nothingToTransfer, .transferBatchNotPrepared, .transferDayPassed, .lineAlreadyMatched, .entryAlreadyMatched, .institutionExists, .bankAccountExists, .bankAccountCodesTaken, .bankAccountClosed, .noBankAccount, .entryExists, .idempotencyKeyUsed, .entryNotPending, .reversalOfUnapproved, .alreadyReversed, .reversalOfReversal,
      .periodClosed, .periodAlreadyClosed, .periodNotClosed, .pendingEntriesInPeriod, .yearClosedFirst, .borrowingExists, .depositExists,
      .exceedsOutstanding, .exceedsHeadroom, .movementInAccruedPeriod, .principalPending, .accrualReversalPending, .notLatestAccrual:
      .conflict
    case .unknownTransferBatch, .unknownInstitution, .unknownBankAccount, .statementForUnknownAccount, .unknownStatementLine, .entryNotOnAccount, .unknownMatch, .unknownEntry, .unknownBorrowing, .unknownDeposit:
      .notFound
    case .forbidden, .makerCannotCheck, .makerCannotCheckBatch:
      .forbidden
    }
  }

  public var description: String {
    switch self {
    case .invalidRate(let text, let problem):
      let shown = String(reflecting: text)
      return switch problem {
      case .empty: "give the interest rate as a decimal percent, e.g. 0.125"
      case .negative: "the interest rate \(shown) is negative; rates are from 0 to 100 percent"
      case .malformed: "the interest rate \(shown) is not a decimal percent such as 0.125 (digits and one point, no % sign)"
      case .tooManyDecimalPlaces(let places):
        "the interest rate \(shown) has \(places) decimal places; at most \(InterestRate.maximumDecimalPlaces) are allowed"
      case .tooLarge: "the interest rate \(shown) is above 100 percent a year"
      }
    case .invalidAccrualUnit(let unit): return "the accrual unit (付利単位) \(unit) must be at least ¥1, e.g. ¥1 or ¥100"
    case .invalidAmount(_, let amount): return "the amount \(amount) must be above ¥0"
    case .interestPeriodReversed(let from, let to): return "the interest period \(from) – \(to) ends before it starts: give the start first"
    case .noSegments: return "give at least one balance segment (from, balance)"
    case .segmentsOutOfOrder(let date, let after): return "the balance segment from \(date) must start after the one from \(after)"
    case .negativeBalance(let on, let balance): return "the balance would be \(balance) on \(on): more repaid than was drawn"
    case .amountOverflow(let reason): return "the amount is too large to hold: \(reason)"
    case .dateOutOfRange(let reason): return "the date is outside the calendar: \(reason)"
    case .institutionExists(let id): return "institution \(id) is already registered"
    case .invalidInstitution(_, let reason), .invalidEntry(_, let reason): return reason
    case .invalidKana(_, let text, let character, let position, let hint):
      return "the account name \(String(reflecting: text)) has \(String(reflecting: String(character))) at position \(position), "
        + "which banks do not accept: \(hint)"
    case .unknownInstitution(let id): return "institution \(id) is not registered"
    case .bankAccountExists(let id): return "bank account \(id) is in the register already"
    case .invalidBankAccount(_, let reason): return reason
    case .bankAccountCodesTaken(let id, let label): return "the register holds that bank, branch and account number already, as \(id) (\(label))"
    case .unknownBankAccount(let id): return "bank account \(id) is not in the foundation's register of bank accounts"
    case .bankAccountClosed(let id, let label): return "bank account \(id) (\(label)) is closed and takes no postings"
    case .statementForUnknownAccount(let bank, let branch, let number):
      return "the statement is of account \(bank)-\(branch)-\(number), which is not in the foundation's register of bank accounts"
    case .statementDoesNotAdd(let opening, let moved, let closing):
      return "the statement's lines do not add up: the opening balance \(opening) and the lines' net \(moved) make \(Yen(opening.amount &+ moved.amount)), not the closing balance \(closing)"
    case .matchTooSmall: return "a match needs at least one entry, and a line or a second entry"
    case .unknownStatementLine(let number): return "there is no statement line \(number) on this account"
    case .lineAlreadyMatched(let number, let match): return "statement line \(number) is matched already (match \(match)): undo that match first"
    case .entryNotOnAccount(let entry, let account): return "entry \(entry) is not an approved entry that moves money through bank account \(account)"
    case .entryAlreadyMatched(let entry, let match): return "entry \(entry) is matched already (match \(match)): undo that match first"
    case .matchUnbalanced(let lines, let entries):
      return "the lines come to \(lines) and the entries to \(entries) (into the account positive); a match needs the two to be equal"
    case .unknownMatch(let match): return "there is no match \(match)"
    case .nothingToTransfer(let account, let date, let batched):
      return batched == 0
        ? "no approved repayment or interest payment leaves bank account \(account) on \(date)"
        : "the \(batched) payments leaving bank account \(account) on \(date) are in a batch already"
    case .unknownTransferBatch(let id): return "there is no transfer batch \(id)"
    case .transferBatchNotPrepared(let id, let status): return "transfer batch \(id) is \(status), not awaiting approval"
    case .transferDayPassed(let id, let date): return "transfer batch \(id) was for \(date), which has passed: it may have been sent, so it can no longer be cancelled"
    case .makerCannotCheckBatch(let id, let user): return "transfer batch \(id) was prepared by \(user), who may not also approve it: another treasury manager must"
    case .noBankAccount: return "the register of the foundation's bank accounts is empty: a treasury manager opens the first account before any posting"
    case .institutionLacksRole(let id, let name, let role):
      return "\(name) (\(id)) is not registered as a \(role == .lender ? "lender" : "handling institution") (\(role.japaneseName))"
    case .unknownAccount(let code): return "\(String(reflecting: code)) is not an account of the chart of accounts"
    case .accountNeedsOperation(let account):
      return "\(account) (\(account.japaneseName)) moves only through its operation (borrowing, deposit, interest), not a manual entry"
    case .entryExists(let id): return "entry \(id) exists already"
    case .invalidIdempotencyKey(let key):
      return "the idempotency key \(String(reflecting: String(key.prefix(40)))) must be 1 to \(Journal.maximumKeyLength) printable ASCII characters"
    case .idempotencyKeyUsed(let key, let entry): return "the idempotency key \(String(reflecting: key)) was used for entry \(entry) already"
    case .emptyEntry: return "a journal entry needs at least one debit line and one credit line"
    case .invalidLineAmount(let line, let amount): return "line \(line) has the amount \(amount); every line's amount must be above ¥0"
    case .unbalanced(let debits, let credits):
      return "the entry does not balance: debits total \(debits), credits total \(credits); they must be equal"
    case .unknownEntry(let id): return "there is no entry \(id)"
    case .entryNotPending(let id, let status): return "entry \(id) is \(status.rawValue), not awaiting approval"
    case .makerCannotCheck(let id, let user):
      return "entry \(id) was entered by \(user), who may not also approve or reject it: another treasury manager must (maker–checker)"
    case .reasonRequired(let action): return "\(action) needs a reason"
    case .reversalOfUnapproved(let id, let status):
      return "entry \(id) is \(status.rawValue): only an approved entry is reversed (one awaiting approval is rejected instead)"
    case .alreadyReversed(let id, let by): return "entry \(id) is reversed already, by entry \(by)"
    case .reversalOfReversal(let id): return "entry \(id) is itself a reversal: enter the correct entry anew instead of reversing it"
    case .invalidStreamID(let id, let reason): return "\(String(reflecting: id)) cannot name a stream: \(reason)"
    case .dateTooEarly(_, let date, let earliest, let what): return "\(date) is before \(what) (\(earliest))"
    case .notBusinessDay(_, let date, let closure, let next):
      return "\(date) is \(closure), when banks are closed; the next bank business day is \(next)"
    case .calendarUnsupported(let date): return "bank business days are known only for 1948–2099, not \(date)"
    case .periodClosed(let period, let date):
      return "the value date \(date) lies in \(period), which is closed: closed periods take no new postings; "
        + "enter the correction with a value date in an open period"
    case .wrongPeriodStream(let date, let loaded): return "\(date) is not in \(loaded): the period of \(FiscalYear(containing: date)) must be checked"
    case .monthOutsideYear(let month, let year): return "\(month) is not a month of \(year) (\(year.firstDay) – \(year.lastDay))"
    case .periodAlreadyClosed(let period): return "\(period) is closed already"
    case .periodNotClosed(let period): return "\(period) is not closed"
    case .periodNotEnded(let period, let lastDay): return "\(period) can be closed once it has ended, after \(lastDay)"
    case .pendingEntriesInPeriod(let period, let entries):
      return "\(entries.count) entries dated in \(period) await approval (\(entries.prefix(5).map(\.rawValue).joined(separator: ", "))): "
        + "approve or reject them before closing"
    case .yearClosedFirst(let month, let year): return "\(year) is closed as a whole: reopen \(year) to reopen \(month)"
    case .borrowingExists(let id): return "borrowing \(id) exists already"
    case .unknownBorrowing(let id): return id.map { "there is no borrowing \($0)" } ?? "there is no such borrowing"
    case .depositExists(let id): return "deposit \(id) exists already"
    case .unknownDeposit(let id): return id.map { "there is no deposit \($0)" } ?? "there is no such deposit"
    case .exceedsOutstanding(let what, let amount, let outstanding, let on):
      return amount == .zero
        ? "nothing is outstanding on \(what) on \(on)"
        : "\(amount) is more than the \(outstanding) outstanding on \(what) on \(on) (counting entries awaiting approval that reduce it)"
    case .exceedsHeadroom(let amount, let headroom, let on, let valueDate):
      return "\(amount) on \(valueDate) would leave more placed than was borrowed plus own funds: the headroom is \(headroom) on \(on) "
        + "(borrowings outstanding + own funds − deposits placed, counting entries awaiting approval that reduce it)"
    case .movementInAccruedPeriod(let id, let date, let through):
      return "borrowing \(id) has interest accrued through \(through), so its principal cannot move on \(date): "
        + "date it after \(through), or reverse the accrual first"
    case .principalPending(let id, let entries):
      return "borrowing \(id) has principal entries awaiting approval in the period (\(entries.map(\.rawValue).joined(separator: ", "))): "
        + "approve or reject them before accruing interest"
    case .accrualReversalPending(let id, let entry):
      return "the reversal \(entry) of an accrual on borrowing \(id) awaits approval: approve or reject it first"
    case .nothingToAccrue(let id, let from, let through): return "borrowing \(id) earned no interest from \(from) through \(through)"
    case .notLatestAccrual(let id, let latest): return "accrual \(id) is not the latest: reverse the later accrual \(latest) first"
    case .forbidden(let action, let allowed, let actual):
      return "to \(action) takes the role \(allowed.map(\.rawValue).joined(separator: " or "))"
        + (actual.map { "; you act as \($0.rawValue)" } ?? "")
    }
  }

  /// The same in Japanese, for the treasury's pages.
  public var japaneseDescription: String {
    switch self {
    case .invalidRate(let text, let problem):
      switch problem {
      case .empty: "利率を 0.125 のように百分率の小数で入力してください"
      case .negative: "利率「\(text)」が負です。利率は0〜100%で入力してください"
      case .malformed: "利率「\(text)」は 0.125 のような小数で入力してください（%記号は不要）"
      case .tooManyDecimalPlaces(let places): "利率「\(text)」は小数点以下\(places)桁です。\(InterestRate.maximumDecimalPlaces)桁までです"
      case .tooLarge: "利率「\(text)」が年100%を超えています"
      }
    case .invalidAccrualUnit(let unit): "付利単位 \(unit) は1円以上で指定してください"
    case .invalidAmount(_, let amount): "金額 \(amount) は1円以上で入力してください"
    case .interestPeriodReversed(let from, let to): "利息計算期間 \(from)〜\(to) は終了日が開始日より前です"
    case .noSegments: "残高の区間を1つ以上指定してください"
    case .segmentsOutOfOrder(let date, let after): "残高の区間 \(date) は \(after) より後の日付にしてください"
    case .negativeBalance(let on, let balance): "\(on) の残高が \(balance) になります（借入額を超える償還）"
    case .amountOverflow: "金額が大きすぎます"
    case .dateOutOfRange: "日付が扱える範囲の外です"
    case .institutionExists(let id): "金融機関 \(id) は登録済みです"
    case .invalidInstitution(_, let reason), .invalidEntry(_, let reason): reason
    case .invalidKana(_, _, let character, let position, _):
      "口座名義の\(position)文字目「\(character)」は使えません。半角カナ（ｦ・小さいカナを除く）・ﾞ ﾟ ｰ・数字・英大文字・スペース・( ) . - で入力してください"
    case .unknownInstitution(let id): "金融機関 \(id) は登録されていません"
    case .bankAccountExists(let id): "口座 \(id) は登録済みです"
    case .invalidBankAccount(_, let reason): reason
    case .bankAccountCodesTaken(let id, let label): "その口座（\(label)）は \(id) として登録済みです"
    case .unknownBankAccount(let id): "口座 \(id) は財団の口座として登録されていません"
    case .bankAccountClosed(_, let label): "口座（\(label)）は解約済みのため記帳できません"
    case .statementForUnknownAccount(let bank, let branch, let number): "明細の口座 \(bank)-\(branch)-\(number) は財団の口座として登録されていません"
    case .statementDoesNotAdd(let opening, let moved, let closing): "明細の明細行が残高と合いません（前残 \(opening)、入出金 \(moved)、残高 \(closing)）"
    case .matchTooSmall: "照合には伝票1件以上と、明細行または別の伝票が必要です"
    case .unknownStatementLine(let number): "明細行 \(number) はありません"
    case .lineAlreadyMatched(let number, _): "明細行 \(number) は照合済みです。先に照合を取り消してください"
    case .entryNotOnAccount(let entry, _): "伝票 \(entry) はこの口座の承認済の入出金ではありません"
    case .entryAlreadyMatched(let entry, _): "伝票 \(entry) は照合済みです。先に照合を取り消してください"
    case .matchUnbalanced(let lines, let entries): "明細の合計 \(lines) と伝票の合計 \(entries) が一致しません"
    case .unknownMatch(let match): "照合 \(match) はありません"
    case .nothingToTransfer(_, let date, let batched): batched == 0 ? "\(date) に支払う承認済の償還・利息支払はありません" : "\(date) の支払はすべて振込データ作成済みです"
    case .unknownTransferBatch(let id): "振込データ \(id) はありません"
    case .transferBatchNotPrepared(let id, _): "振込データ \(id) は承認待ちではありません"
    case .transferDayPassed(let id, let date): "振込データ \(id) の振込日 \(date) は過ぎているため取り消せません"
    case .makerCannotCheckBatch(let id, _): "振込データ \(id) を作成した本人は承認できません（別の責任者が承認してください）"
    case .noBankAccount: "財団の口座が登録されていません。先に責任者が口座を登録してください"
    case .institutionLacksRole(_, let name, let role): "\(name)は\(role.japaneseName)として登録されていません"
    case .unknownAccount(let code): "勘定科目「\(code)」はありません"
    case .accountNeedsOperation(let account): "\(account.japaneseName)は借入・預託・利息の操作で記帳してください（振替伝票では記帳できません）"
    case .entryExists(let id): "伝票 \(id) はすでにあります"
    case .invalidIdempotencyKey: "Idempotency-Key は1〜255文字の半角英数字記号で指定してください"
    case .idempotencyKeyUsed(_, let entry): "この Idempotency-Key は伝票 \(entry) で使用済みです"
    case .emptyEntry: "借方と貸方の行を入力してください"
    case .invalidLineAmount(let line, let amount): "\(line)行目の金額 \(amount) は1円以上で入力してください"
    case .unbalanced(let debits, let credits): "貸借が一致しません（借方合計 \(debits)、貸方合計 \(credits)）"
    case .unknownEntry(let id): "伝票 \(id) はありません"
    case .entryNotPending(let id, let status): "伝票 \(id) は\(status.japaneseName)です（承認待ちではありません）"
    case .makerCannotCheck(let id, _): "伝票 \(id) を起票した本人は承認・差戻しできません（別の責任者が承認してください）"
    case .reasonRequired: "理由を入力してください"
    case .reversalOfUnapproved(let id, let status): "伝票 \(id) は\(status.japaneseName)です。取消できるのは承認済の伝票だけです"
    case .alreadyReversed(let id, let by): "伝票 \(id) は伝票 \(by) で取消済みです"
    case .reversalOfReversal(let id): "伝票 \(id) は取消伝票です。正しい伝票を新たに起票してください"
    case .invalidStreamID(let id, _): "「\(id)」は識別子として使えません"
    case .dateTooEarly(_, let date, let earliest, _): "\(date) は \(earliest) より前の日付です"
    case .notBusinessDay(_, let date, _, let next): "\(date) は銀行休業日です。翌営業日は \(next) です"
    case .calendarUnsupported(let date): "\(date) の銀行営業日は判定できません（1948〜2099年のみ）"
    case .periodClosed(let period, let date): "\(date) は締め済みの期間（\(period)）です。訂正は未締めの期間の日付で起票してください"
    case .wrongPeriodStream(let date, let loaded): "\(date) は \(loaded) の日付ではありません"
    case .monthOutsideYear(let month, let year): "\(month) は \(year) の月ではありません"
    case .periodAlreadyClosed(let period): "\(period) は締め済みです"
    case .periodNotClosed(let period): "\(period) は締められていません"
    case .periodNotEnded(let period, let lastDay): "\(period) は \(lastDay) が過ぎてから締められます"
    case .pendingEntriesInPeriod(let period, let entries): "\(period) に承認待ちの伝票が\(entries.count)件あります。承認または差戻ししてから締めてください"
    case .yearClosedFirst(let month, let year): "\(year) は年度締め済みです。\(month) を開くには年度の締めを解除してください"
    case .borrowingExists(let id): "借入 \(id) はすでにあります"
    case .unknownBorrowing(let id): id.map { "借入 \($0) はありません" } ?? "その借入はありません"
    case .depositExists(let id): "預託 \(id) はすでにあります"
    case .unknownDeposit(let id): id.map { "預託 \($0) はありません" } ?? "その預託はありません"
    case .exceedsOutstanding(_, let amount, let outstanding, let on):
      amount == .zero ? "\(on) の残高がありません" : "\(amount) は \(on) の残高 \(outstanding) を超えています（承認待ちの減少を含む）"
    case .exceedsHeadroom(let amount, let headroom, let on, _):
      "\(amount) を記帳すると預託残高が借入残高と自己資金を超えます（\(on) の余裕額 \(headroom)、承認待ちの減少を含む。返還や借入は承認後に余裕額に加わります）"
    case .movementInAccruedPeriod(_, let date, let through): "\(through) まで利息計上済みのため、\(date) の元本の動きは記帳できません"
    case .principalPending: "この期間に承認待ちの元本の伝票があります。承認または差戻ししてから利息を計上してください"
    case .accrualReversalPending(_, let entry): "利息計上の取消伝票 \(entry) が承認待ちです"
    case .nothingToAccrue(_, let from, let through): "\(from)〜\(through) の利息はありません"
    case .notLatestAccrual(_, let latest): "後の利息計上 \(latest) を先に取り消してください"
    case .forbidden(_, let allowed, _): "この操作は\(allowed.map(\.displayName).joined(separator: "・"))の権限が必要です"
    }
  }

  /// The request field at fault, when there is one (for problem+json's `field`).
  public var field: String? {
    switch self {
    case .invalidRate: "ratePercent"
    case .invalidAccrualUnit: "accrualUnitYen"
    case .invalidAmount(let field, _): field
    case .interestPeriodReversed: "to"
    case .noSegments, .segmentsOutOfOrder: "segments"
    case .invalidInstitution(let field, _), .invalidBankAccount(let field, _), .invalidKana(let field, _, _, _, _), .invalidEntry(let field, _): field
    case .dateTooEarly(let field, _, _, _), .notBusinessDay(let field, _, _, _): field
    case .unknownAccount, .accountNeedsOperation, .emptyEntry, .unbalanced: "lines"
    case .invalidLineAmount(let line, _): "lines[\(line - 1)].amountYen"
    case .invalidIdempotencyKey, .idempotencyKeyUsed: "Idempotency-Key"
    case .reasonRequired: "reason"
    case .periodClosed, .calendarUnsupported: "valueDate"
    case .exceedsOutstanding, .exceedsHeadroom: "amountYen"
    case .institutionLacksRole: "institution"
    case .unknownBankAccount, .bankAccountClosed, .noBankAccount: "bankAccount"
    case .bankAccountCodesTaken: "accountNumber"
    case .statementForUnknownAccount: "accountNumber"
    case .matchTooSmall, .unknownStatementLine, .lineAlreadyMatched, .matchUnbalanced: "lines"
    case .entryNotOnAccount, .entryAlreadyMatched: "entries"
    case .nothingToTransfer: "date"
    case .monthOutsideYear: "month"
    case .nothingToAccrue: "through"
    default: nil
    }
  }

  public var errorDescription: String? { description }
}
