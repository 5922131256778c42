public import Foundation
public import JapaneseCalendar
public import SharedKernel

/// Why a bank file was refused, or a transfer file could not be written.
///
/// A file is refused whole: nothing of a file with one bad record is booked. Each case carries
/// the record (1-based, counting from the first record of the file) or CSV line, the field by its
/// Japanese name and byte positions from the 全銀 layout, what was found and what was expected,
/// so the message can say what to ask the bank.
public enum BankFileError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
  // MARK: Framing

  /// The file has no bytes (or only a line break).
  case emptyFile
  /// A record is not `expected` bytes long; `startsAt` is its first byte in the file (1-based).
  case recordLength(record: Int, found: Int, expected: Int, startsAt: Int)
  /// Records separated by something other than CRLF (`found` is `LF` or `CR`).
  case unsupportedLineBreak(afterRecord: Int, found: String)

  // MARK: Structure

  /// A file in EBCDIC (コード区分 1, or EBCDIC digits where the header's ASCII should be).
  case ebcdic(record: Int, field: RecordField)
  /// A データ区分 that is none of 1, 2, 8, 9.
  case unknownRecordKind(record: Int, field: RecordField, found: String)
  /// A record where the structure `(1 2* 8)+ 9` does not allow it.
  case recordOutOfOrder(record: Int, found: RecordKind, expected: [RecordKind])
  /// The file ended after record `afterRecord`, before one of `expected`.
  case unexpectedEndOfFile(afterRecord: Int, expected: [RecordKind])
  /// A record after the end record.
  case recordAfterEnd(record: Int)
  /// Another 全銀 format (種別コード) than the reader reads.
  case wrongFileKind(record: Int, field: RecordField, found: String, expected: String)

  // MARK: Fields

  /// The lead byte of a Shift_JIS double-byte (full-width) character at byte `position` of the record.
  case doubleByteCharacter(record: Int, field: RecordField, position: Int, found: String)
  /// A byte that is no JIS8 character (a control character, 0x80, 0xA0, 0xFD–0xFF).
  case invalidByte(record: Int, field: RecordField, position: Int, found: UInt8)
  /// An N field holding something other than digits.
  case notDigits(record: Int, field: RecordField, found: String)
  /// A field that must be given is blank (spaces, or zeros for a date).
  case blankField(record: Int, field: RecordField)
  /// A code field holding a value the layout does not define.
  case unknownCode(record: Int, field: RecordField, found: String, expected: [String])
  /// A YYMMDD that is no date in the eras considered (令和5年2月30日, 平成元年1月5日).
  case impossibleDate(record: Int, field: RecordField, found: String, eras: [Era])
  /// A YYMMDD whose only reading lies more than the allowed time after its reference date (e.g.
  /// `310507` written for May 2019 in 平成 form reads as 令和31年 = 2049).
  case dateTooFarAhead(record: Int, field: RecordField, found: String, resolved: LocalDate, reference: LocalDate, referenceName: String)
  /// 勘定日（自） after 勘定日（至）.
  case periodReversed(record: Int, from: LocalDate, to: LocalDate)
  /// A count in a trailer or end record that disagrees with the records (`expected` is what they add up to).
  case countMismatch(record: Int, field: RecordField, found: Int, expected: Int)
  /// A sum in a trailer that disagrees with the data records.
  case amountMismatch(record: Int, field: RecordField, found: Yen, expected: Yen)
  /// 取引後残高 that is not 取引前残高 + 入金 − 出金.
  case closingBalanceMismatch(record: Int, field: RecordField, found: Yen, expected: Yen, opening: Yen, paidIn: Yen, paidOut: Yen)
  /// レコード総件数 that is neither the number of records with the end record (`expected`) nor without it.
  case recordTotalMismatch(record: Int, field: RecordField, found: Int, expected: Int)
  /// A total too large to hold.
  case amountOverflow(record: Int, field: RecordField)
  /// MMDD that is no month and day (総合振込 取組日).
  case impossibleMonthDay(record: Int, field: RecordField, found: String)

  // MARK: Writing

  /// A text with a character outside the 全銀 set for its field (`position` is 1-based).
  case characterNotAllowed(record: Int, field: RecordField, text: String, character: Character, position: Int, kind: ZenginKana.FieldKind)
  /// A text longer than its field.
  case textTooLong(record: Int, field: RecordField, text: String, length: Int)
  /// A code with the wrong number of digits (`expected` says how many).
  case wrongDigitCount(record: Int, field: RecordField, found: String, expected: String)
  /// An amount outside what the field (or the rule) allows.
  case amountOutOfRange(record: Int, field: RecordField, found: Yen, allowed: ClosedRange<Int64>)
  /// More records than a count field can hold.
  case countOutOfRange(record: Int, field: RecordField, found: Int, maximum: Int)
  /// A transfer file with no transfers.
  case noTransfers

  // MARK: Writing a statement

  /// A statement with no accounts: a 入出金取引明細 file holds at least one header … trailer group.
  case noAccounts
  /// An account whose 預金種目 the writer does not write: 通知・定期・積立定期 (the time-deposit data
  /// record) or その他 (no code in 種別 03).
  case depositTypeNotWritable(at: StatementLocation, depositType: DepositType)
  /// A line carrying time-deposit terms in an account whose data record has no place for them.
  case timeDepositTermsNotWritable(at: StatementLocation)
  /// 勘定日（自） after 勘定日（至）.
  case periodNotWritable(at: StatementLocation, from: LocalDate, to: LocalDate)
  /// A date that YYMMDD cannot carry so that the reader gets it back: its 和暦 year has three
  /// digits, or, read from `reference` (作成日) by the era rule of ``WarekiDigits``, it is another
  /// day (`readsAs`) or none (nil).
  case dateNotWritable(at: StatementLocation, field: RecordField, date: LocalDate, reference: LocalDate, readsAs: LocalDate?)
  /// A character no JIS8 byte holds (kanji, hiragana, ヰ, `\`), `position` 1-based in `text`.
  case characterNotWritable(at: StatementLocation, field: RecordField, text: String, character: Character, position: Int)
  /// A text longer in JIS8 bytes (`length`; ガ takes two, ｶﾞ) than its field.
  case textTooLongToWrite(at: StatementLocation, field: RecordField, text: String, length: Int)
  /// A code or number that is not the digits its N field takes (`expected` says which).
  case digitsNotWritable(at: StatementLocation, field: RecordField, found: String, expected: String)
  /// An amount, total or balance outside what its field can hold.
  case amountNotWritable(at: StatementLocation, field: RecordField, found: Yen, allowed: ClosedRange<Int64>)
  /// More lines or accounts than a count field can hold.
  case countNotWritable(at: StatementLocation, field: RecordField, found: Int, maximum: Int)
  /// A closing balance that is not the opening balance + 入金 − 出金 of the lines (the file's
  /// trailer could not say both).
  case closingBalanceNotWritable(at: StatementLocation, found: Yen, expected: Yen, opening: Yen, paidIn: Yen, paidOut: Yen)

  // MARK: CSV

  /// A CSV file in neither UTF-8 nor Shift_JIS (CP932), or UTF-16.
  case unreadableText(reason: String)
  /// A quote left open, or text after a closing quote.
  case csvSyntax(line: Int, reason: String)
  /// The header row lacks required columns.
  case csvMissingColumns([String])
  /// A header names a column the format does not have.
  case csvUnknownColumn(column: Int, found: String, known: [String])
  /// A header names a column twice.
  case csvDuplicateColumn(String)
  /// A row with another number of fields than the header.
  case csvFieldCount(line: Int, found: Int, expected: Int)
  /// A value that cannot be what its column holds.
  case csvInvalidValue(line: Int, column: String, found: String, expected: String)
  /// A balance that is not the previous balance plus or minus this line's amount.
  case csvBalanceMismatch(line: Int, column: String, found: Yen, expected: Yen)
  /// A CSV file with a header and no rows.
  case csvNoRows

  public var description: String {
    switch self {
    case .emptyFile:
      return "ファイルが空です"
    case let .recordLength(record, found, expected, startsAt):
      let hint = found < expected ? "（行末の空白が削られていませんか）" : ""
      return "\(record)件目のレコード（ファイルの\(startsAt)バイト目から）が\(found)バイトです。全銀のレコードは\(expected)バイトです\(hint)"
    case let .unsupportedLineBreak(afterRecord, found):
      return "\(afterRecord)件目のレコードの後が \(found) だけで区切られています。全銀ファイルの区切りは CRLF か、区切りなしです"
    case let .ebcdic(record, field):
      return "\(record)件目のレコード、\(field): EBCDIC のファイル（コード区分 1）は読めません。JIS（コード区分 0）で出力するよう銀行に依頼してください"
    case let .unknownRecordKind(record, field, found):
      return "\(record)件目のレコード、\(field): 「\(found)」というデータ区分はありません（1 ヘッダー、2 データ、8 トレーラ、9 エンド）"
    case let .recordOutOfOrder(record, found, expected):
      return "\(record)件目のレコードが\(found)ですが、ここに来られるのは\(Self.list(expected))です（並びは ヘッダー、データ…、トレーラ をくり返し、最後にエンド）"
    case let .unexpectedEndOfFile(afterRecord, expected):
      return "\(afterRecord)件目のレコードでファイルが終わっています。続いて\(Self.list(expected))が必要です"
    case let .recordAfterEnd(record):
      return "\(record)件目のレコードがエンド・レコード（9）の後にあります。エンド・レコードはファイルの最後に1件だけです"
    case let .wrongFileKind(record, field, found, expected):
      let name = Self.fileKinds[found].map { "（\($0)）" } ?? ""
      let wanted = Self.fileKinds[expected].map { "（\($0)）" } ?? ""
      return "\(record)件目のレコード、\(field): 種別コードが「\(found)」\(name)です。読めるのは \(expected)\(wanted) のファイルです"
    case let .doubleByteCharacter(record, field, position, found):
      return "\(record)件目のレコード、\(field): \(position)バイト目に全角文字（Shift_JIS の2バイト文字 \(found)）があります。全銀ファイルは半角（JIS8）だけです"
    case let .invalidByte(record, field, position, found):
      return "\(record)件目のレコード、\(field): \(position)バイト目のバイト 0x\(JIS8.hex(found)) は文字ではありません（制御文字など）"
    case let .notDigits(record, field, found):
      return "\(record)件目のレコード、\(field): 「\(found)」に数字でない文字があります。数字\(field.length)桁（右詰め、前を0で埋める）で書きます"
    case let .blankField(record, field):
      return "\(record)件目のレコード、\(field): 空欄です。この項目は省略できません"
    case let .unknownCode(record, field, found, expected):
      return "\(record)件目のレコード、\(field): 「\(found)」という値はありません（\(expected.joined(separator: "、"))）"
    case let .impossibleDate(record, field, found, eras):
      return "\(record)件目のレコード、\(field): 「\(found)」は日付になりません。\(Self.dateReasons(found, eras: eras))"
    case let .dateTooFarAhead(record, field, found, resolved, reference, referenceName):
      var text =
        "\(record)件目のレコード、\(field): 「\(found)」は\(resolved.wareki)（\(resolved)）と読めますが、\(referenceName)（\(reference)）より1年以上先です"
      if let heisei = Self.heiseiForm(found) {
        text += "。\(heisei.written)のつもりなら、その日は\(heisei.actually)（\(heisei.actually.date)）なので「\(heisei.digits)」と書きます"
      }
      return text
    case let .periodReversed(record, from, to):
      return "\(record)件目のレコード: 勘定日（自）\(from) が勘定日（至）\(to) より後です"
    case let .countMismatch(record, field, found, expected):
      return "\(record)件目のレコード、\(field): \(found)件とありますが、レコードを数えると\(expected)件です"
    case let .amountMismatch(record, field, found, expected):
      return "\(record)件目のレコード、\(field): \(found.formatted(.yenSuffix))とありますが、データ・レコードの合計は\(expected.formatted(.yenSuffix))です"
    case let .closingBalanceMismatch(record, field, found, expected, opening, paidIn, paidOut):
      return
        "\(record)件目のレコード、\(field): \(found.formatted(.yenSuffix))とありますが、取引前残高 \(opening.formatted(.yenSuffix)) + 入金 \(paidIn.formatted(.yenSuffix)) − 出金 \(paidOut.formatted(.yenSuffix)) = \(expected.formatted(.yenSuffix))です"
    case let .recordTotalMismatch(record, field, found, expected):
      return "\(record)件目のレコード、\(field): \(found)件とありますが、ファイルのレコードは\(expected)件（エンド・レコードを含まなければ\(expected - 1)件）です"
    case let .amountOverflow(record, field):
      return "\(record)件目のレコード、\(field): 合計が大きすぎて扱えません"
    case let .impossibleMonthDay(record, field, found):
      return "\(record)件目のレコード、\(field): 「\(found)」は月日（MMDD）になりません"
    case let .characterNotAllowed(record, field, text, character, position, kind):
      return
        "\(record)件目のレコード、\(field): 「\(text)」の\(position)文字目「\(character)」は全銀ファイルに使えません。\(ZenginKana.hint(for: character, in: kind))"
    case let .textTooLong(record, field, text, length):
      return "\(record)件目のレコード、\(field): 「\(text)」は\(length)文字です。この項目は\(field.length)文字までです"
    case let .wrongDigitCount(record, field, found, expected):
      return "\(record)件目のレコード、\(field): 「\(found)」は\(expected)で書きます"
    case let .amountOutOfRange(record, field, found, allowed):
      return
        "\(record)件目のレコード、\(field): \(found.formatted(.yenSuffix))は書けません（\(Yen(allowed.lowerBound).formatted(.yenSuffix))から\(Yen(allowed.upperBound).formatted(.yenSuffix))まで）"
    case let .countOutOfRange(record, field, found, maximum):
      return "\(record)件目のレコード、\(field): \(found)件は書けません（\(maximum)件まで）"
    case .noTransfers:
      return "振込が1件もありません"
    case .noAccounts:
      return "口座が1つもありません。入出金取引明細には少なくとも1口座が必要です"
    case let .depositTypeNotWritable(place, type):
      let reason =
        type.hasTimeDepositRecords
        ? "通知・定期・積立定期の明細レコード（定期預金の形式）は書き出せません。普通・当座・貯蓄の口座だけを書きます"
        : "入出金取引明細に\(type.japaneseName)の預金種目コードはありません（1 普通、2 当座、4 貯蓄、5 通知、6 定期、7 積立定期）"
      return "\(place): 預金種目が\(type.japaneseName)です。\(reason)"
    case let .timeDepositTermsNotWritable(place):
      return "\(place): 定期預金の項目（当初預入日・利率・満期日など）がありますが、普通・当座・貯蓄の明細レコードには書く場所がありません"
    case let .periodNotWritable(place, from, to):
      return "\(place): 勘定日（自）\(from) が勘定日（至）\(to) より後です"
    case let .dateNotWritable(place, field, date, reference, readsAs):
      let wareki = date.wareki
      guard wareki.year <= 99 else {
        return "\(place)、\(field): \(date)（\(wareki)）は和暦の年が3桁になり、YYMMDD の6桁に書けません"
      }
      func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
      let digits = two(wareki.year) + two(wareki.month) + two(wareki.day)
      let read = readsAs.map { "\($0)（\($0.wareki)）と読まれます" } ?? "読めない日付になります"
      return
        "\(place)、\(field): \(date)（\(wareki)）は「\(digits)」と書きますが、作成日（\(reference)）から元号を決めると\(read)。全銀の日付には元号がないため、作成日の元号かその前の元号の、作成日の1年後までの日付しか書けません"
    case let .characterNotWritable(place, field, text, character, position):
      return "\(place)、\(field): 「\(text)」の\(position)文字目「\(character)」は全銀ファイル（JIS8）に書けません。\(Self.writingHint(for: character))"
    case let .textTooLongToWrite(place, field, text, length):
      return "\(place)、\(field): 「\(text)」は半角で\(length)文字（濁点・半濁点も1文字）です。この項目は\(field.length)文字までです"
    case let .digitsNotWritable(place, field, found, expected):
      return "\(place)、\(field): 「\(found)」は書けません。\(expected)で書きます"
    case let .amountNotWritable(place, field, found, allowed):
      return
        "\(place)、\(field): \(found.formatted(.yenSuffix))は書けません（\(Yen(allowed.lowerBound).formatted(.yenSuffix))から\(Yen(allowed.upperBound).formatted(.yenSuffix))まで）"
    case let .countNotWritable(place, field, found, maximum):
      return "\(place)、\(field): \(found)件は書けません（\(maximum)件まで）"
    case let .closingBalanceNotWritable(place, found, expected, opening, paidIn, paidOut):
      return
        "\(place): 取引後残高が\(found.formatted(.yenSuffix))とありますが、取引前残高 \(opening.formatted(.yenSuffix)) + 入金 \(paidIn.formatted(.yenSuffix)) − 出金 \(paidOut.formatted(.yenSuffix)) = \(expected.formatted(.yenSuffix))です"
    case let .unreadableText(reason):
      return reason
    case let .csvSyntax(line, reason):
      return "\(line)行目: \(reason)"
    case let .csvMissingColumns(names):
      return "1行目（見出し）に \(names.joined(separator: "、")) の列がありません"
    case let .csvUnknownColumn(column, found, known):
      return "1行目（見出し）の\(column)列目「\(found)」という列はありません（使える列: \(known.joined(separator: ", "))）"
    case let .csvDuplicateColumn(name):
      return "1行目（見出し）に \(name) の列が2つあります"
    case let .csvFieldCount(line, found, expected):
      return "\(line)行目: 項目が\(found)個です（見出しは\(expected)個）。コンマを含む項目は \"…\" で囲みます"
    case let .csvInvalidValue(line, column, found, expected):
      return "\(line)行目、\(column): 「\(found)」は読めません（\(expected)）"
    case let .csvBalanceMismatch(line, column, found, expected):
      return "\(line)行目、\(column): \(found.formatted(.yenSuffix))とありますが、前の残高にこの行の金額を加減すると\(expected.formatted(.yenSuffix))です"
    case .csvNoRows:
      return "見出しの後に明細の行がありません"
    }
  }

  public var errorDescription: String? { description }

  /// What to write instead of a character JIS8 does not hold, for messages.
  static func writingHint(for character: Character) -> String {
    guard let scalar = character.unicodeScalars.first else { return "" }
    switch scalar.value {
    case 0x5C: return "JIS8 の 0x5C は ¥ です。¥ と書きます"
    case 0x7E: return "JIS8 の 0x7E は ‾ です。~ は書けません"
    case 0x30F0, 0x30F1, 0x30F8, 0x30F9: return "ヰ・ヱは半角カナにありません。イ・エと書きます"
    case 0x3041...0x309F: return "ひらがなは書けません。カタカナで書きます"
    case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF: return "漢字は書けません。カタカナで書きます"
    default: return "書けるのはカタカナ（半角にして書きます）、英数字、空白と JIS8 の記号です"
    }
  }

  /// 全銀 種別コード and their formats, for messages.
  static let fileKinds = [
    "01": "振込入金通知", "03": "入出金取引明細", "11": "給与振込", "12": "賞与振込", "21": "総合振込", "91": "預金口座振替",
  ]

  static func list(_ kinds: [RecordKind]) -> String {
    kinds.map(\.description).joined(separator: "か")
  }

  /// Why `yymmdd` is a date in none of `eras`: each era's own refusal.
  static func dateReasons(_ yymmdd: String, eras: [Era]) -> String {
    let digits = yymmdd.compactMap(\.wholeNumberValue)
    guard digits.count == 6 else { return "YYMMDD の6桁が必要です" }
    let (year, month, day) = (digits[0] * 10 + digits[1], digits[2] * 10 + digits[3], digits[4] * 10 + digits[5])
    if year == 0 { return "00年はありません。元号の最初の年（元年）は 01 です" }
    var reasons: [String] = []
    for era in eras {
      do {
        _ = try WarekiDate(era: era, year: year, month: month, day: day)
      } catch {
        reasons.append(error.description)
      }
    }
    return reasons.joined(separator: "。")
  }

  /// `3105xx` read as 平成31年5月…: how that day is written in its own era, if it is a real day.
  static func heiseiForm(_ yymmdd: String) -> (written: String, actually: WarekiDate, digits: String)? {
    let digits = yymmdd.compactMap(\.wholeNumberValue)
    guard digits.count == 6 else { return nil }
    let (year, month, day) = (digits[0] * 10 + digits[1], digits[2] * 10 + digits[3], digits[4] * 10 + digits[5])
    do {
      _ = try WarekiDate(era: .heisei, year: year, month: month, day: day)
      return nil
    } catch {
      guard case let .outsideEra(_, _, _, _, actually) = error, actually.era == .reiwa else { return nil }
      func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
      return ("平成\(year)年\(month)月\(day)日", actually, two(actually.year) + two(actually.month) + two(actually.day))
    }
  }
}

/// Where in a ``Statement`` a writer found what it refuses: the account and the line, counted
/// as the statement lists them, so the message points at the value the caller holds.
public struct StatementLocation: Sendable, Hashable, CustomStringConvertible {
  /// The account's place in ``Statement/accounts`` (1-based); nil for what belongs to the whole
  /// file (作成日, 口座数, レコード総件数).
  public var account: Int?
  /// The account's 口座番号 as the statement gives it (empty for the whole file).
  public var accountNumber: String
  /// The line's place in ``AccountStatement/lines`` (1-based); nil for the account's own fields
  /// (header and trailer).
  public var line: Int?

  /// The account `account` (1-based), or line `line` of it.
  public init(account: Int?, accountNumber: String = "", line: Int? = nil) {
    self.account = account
    self.accountNumber = accountNumber
    self.line = line
  }

  /// The whole file.
  public static let file = StatementLocation(account: nil)

  /// `口座1（口座番号 0001234567）の明細3行目`, `ファイル全体`.
  public var description: String {
    guard let account else { return "ファイル全体" }
    let text = "口座\(account)（口座番号 \(accountNumber)）"
    return line.map { text + "の明細\($0)行目" } ?? text
  }
}
