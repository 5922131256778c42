public import JapaneseCalendar
public import SharedKernel

/// Splitting a 全銀 file into its fixed-width records, in each framing the layout says occurs:
/// no separators (the length a multiple of the record length), CRLF after each record, CRLF
/// between records, or no separators with one final CRLF. Anything else — a record a byte short
/// or long, LF or CR alone, an EOF mark — is refused, never guessed around.
enum FixedWidthRecords {
  static let cr: UInt8 = 0x0D
  static let lf: UInt8 = 0x0A

  /// One record and its number (1-based) and first byte in the file (1-based).
  struct Record {
    var number: Int
    var bytes: [UInt8]
    var startsAt: Int
  }

  static func split(_ bytes: [UInt8], recordLength: Int) throws(BankFileError) -> (records: [Record], framing: RecordFraming) {
    guard !bytes.isEmpty, bytes != [cr, lf] else { throw .emptyFile }
    if bytes.last == 0x1A {
      throw .recordLength(record: (bytes.count - 1) / recordLength + 1, found: 1, expected: recordLength, startsAt: bytes.count)
    }
    var pieces: [(start: Int, end: Int)] = []
    var start = 0
    var index = 0
    while index + 1 < bytes.count {
      if bytes[index] == cr && bytes[index + 1] == lf {
        pieces.append((start, index))
        start = index + 2
        index += 2
      } else {
        index += 1
      }
    }
    pieces.append((start, bytes.count))

    if pieces.count == 1 {
      if let position = bytes.firstIndex(where: { $0 == lf || $0 == cr }), position % recordLength == 0, position > 0 {
        throw .unsupportedLineBreak(afterRecord: position / recordLength, found: bytes[position] == lf ? "LF" : "CR")
      }
      return (try chunks(bytes, from: 0, to: bytes.count, recordLength: recordLength), .unseparated)
    }
    let endsWithBreak = pieces[pieces.count - 1].start == bytes.count
    if endsWithBreak { pieces.removeLast() }
    if pieces.count == 1 && endsWithBreak && pieces[0].end > recordLength {
      return (try chunks(bytes, from: 0, to: pieces[0].end, recordLength: recordLength), .unseparatedWithFinalLineBreak)
    }
    var records: [Record] = []
    for (offset, piece) in pieces.enumerated() {
      let length = piece.end - piece.start
      if length != recordLength {
        if let position = bytes[piece.start..<piece.end].firstIndex(where: { $0 == lf || $0 == cr }), position - piece.start == recordLength {
          throw .unsupportedLineBreak(afterRecord: offset + 1, found: bytes[position] == lf ? "LF" : "CR")
        }
        throw .recordLength(record: offset + 1, found: length, expected: recordLength, startsAt: piece.start + 1)
      }
      records.append(Record(number: offset + 1, bytes: Array(bytes[piece.start..<piece.end]), startsAt: piece.start + 1))
    }
    return (records, endsWithBreak ? .lineBreakAfterEachRecord : .lineBreakBetweenRecords)
  }

  private static func chunks(_ bytes: [UInt8], from start: Int, to end: Int, recordLength: Int) throws(BankFileError) -> [Record] {
    var records: [Record] = []
    var offset = start
    while offset < end {
      let length = min(recordLength, end - offset)
      if length != recordLength {
        throw .recordLength(record: records.count + 1, found: length, expected: recordLength, startsAt: offset + 1)
      }
      records.append(Record(number: records.count + 1, bytes: Array(bytes[offset..<offset + length]), startsAt: offset + 1))
      offset += length
    }
    return records
  }
}

/// Reads the fields of one record by its layout, refusing bytes and values the layout does not
/// allow with an error that names the record and the field.
struct FieldReader {
  let record: Int
  let bytes: [UInt8]

  /// Checks that every byte is a JIS8 character, naming the field of the first that is not.
  init(_ record: FixedWidthRecords.Record, layout: [RecordField]) throws(BankFileError) {
    self.record = record.number
    self.bytes = record.bytes
    for (offset, byte) in bytes.enumerated() {
      let field = layout.first { $0.offsets.contains(offset) } ?? RecordField("ダミー", offset + 1, 1, .character)
      switch JIS8.classify(byte) {
      case .character: continue
      case .doubleByteLead:
        let pair = offset + 1 < bytes.count ? [byte, bytes[offset + 1]] : [byte]
        throw .doubleByteCharacter(record: record.number, field: field, position: offset + 1, found: pair.map { "0x" + JIS8.hex($0) }.joined(separator: " "))
      case .invalid:
        throw .invalidByte(record: record.number, field: field, position: offset + 1, found: byte)
      }
    }
  }

  func raw(_ field: RecordField) -> ArraySlice<UInt8> { bytes[field.offsets] }

  /// The field's text as written (half-width), for messages and codes.
  func text(_ field: RecordField) -> String { JIS8.decode(raw(field)) }

  private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

  /// An N field that must be given: its digits.
  func digits(_ field: RecordField) throws(BankFileError) -> String {
    let raw = raw(field)
    if raw.allSatisfy({ $0 == 0x20 }) { throw .blankField(record: record, field: field) }
    guard raw.allSatisfy(Self.isDigit) else { throw .notDigits(record: record, field: field, found: text(field)) }
    return text(field)
  }

  /// An optional N field: nil when absent (all spaces or all zeros, both seen in practice).
  func optionalDigits(_ field: RecordField) throws(BankFileError) -> String? {
    let raw = raw(field)
    if raw.allSatisfy({ $0 == 0x20 }) || raw.allSatisfy({ $0 == 0x30 }) { return nil }
    guard raw.allSatisfy(Self.isDigit) else { throw .notDigits(record: record, field: field, found: text(field)) }
    return text(field)
  }

  /// An N field the reader does not use: digits or spaces, nothing else.
  func checkNumeric(_ field: RecordField) throws(BankFileError) {
    _ = try optionalDigits(field)
  }

  /// A required N field as a number.
  func number(_ field: RecordField) throws(BankFileError) -> Int64 {
    Self.value(try digits(field))
  }

  /// An optional N field as a number (nil when absent).
  func optionalNumber(_ field: RecordField) throws(BankFileError) -> Int64? {
    try optionalDigits(field).map(Self.value)
  }

  /// An amount or count of at most 18 digits (every 全銀 field is), so it always fits.
  static func value(_ digits: String) -> Int64 {
    digits.utf8.reduce(0) { $0 * 10 + Int64($1 - 0x30) }
  }

  /// A C field as people read it: full-width katakana by NFKC, trailing spaces removed.
  func name(_ field: RecordField) -> String { JIS8.readable(text(field)) }

  /// A C field as written (half-width), trailing spaces removed.
  func writtenText(_ field: RecordField) -> String {
    var text = text(field)
    while text.last == " " { text.removeLast() }
    return text
  }

  /// An optional C field in readable form, nil when blank.
  func optionalName(_ field: RecordField) -> String? {
    let text = name(field)
    return text.isEmpty ? nil : text
  }

  /// A one-field code: the table's value for the field's text, or the error listing the table.
  func code<Value>(_ field: RecordField, _ table: [(code: String, value: Value, label: String)]) throws(BankFileError) -> Value {
    let found = text(field)
    if let entry = table.first(where: { $0.code == found }) { return entry.value }
    if raw(field).allSatisfy({ $0 == 0x20 }) { throw .blankField(record: record, field: field) }
    throw .unknownCode(record: record, field: field, found: found, expected: table.map { "\($0.code) \($0.label)" })
  }

  /// A required 和暦 YYMMDD date, resolved against `reference` (see ``WarekiDigits``).
  func date(_ field: RecordField, reference: LocalDate, referenceName: String, horizon: WarekiDigits.Horizon = .past) throws(BankFileError)
    -> LocalDate
  {
    guard let date = try optionalDate(field, reference: reference, referenceName: referenceName, horizon: horizon) else {
      throw .blankField(record: record, field: field)
    }
    return date
  }

  /// An optional 和暦 YYMMDD date; nil when absent (zeros or spaces — `000000` is never a date).
  func optionalDate(_ field: RecordField, reference: LocalDate, referenceName: String, horizon: WarekiDigits.Horizon = .past)
    throws(BankFileError) -> LocalDate?
  {
    guard let digits = try optionalDigits(field) else { return nil }
    let values = digits.utf8.map { Int($0 - 0x30) }
    let (year, month, day) = (values[0] * 10 + values[1], values[2] * 10 + values[3], values[4] * 10 + values[5])
    switch WarekiDigits.resolve(year: year, month: month, day: day, reference: reference, horizon: horizon) {
    case .date(let date):
      return date
    case .impossible(let eras):
      throw .impossibleDate(record: record, field: field, found: digits, eras: eras)
    case .tooFarAhead(let date):
      throw .dateTooFarAhead(record: record, field: field, found: digits, resolved: date, reference: reference, referenceName: referenceName)
    }
  }
}

/// The era rule for 全銀's 和暦 YYMMDD dates, whose era is not in the field.
///
/// The layout's rule: take every era in which YYMMDD is a real date within that era, then the
/// reading nearest the reference date (the import date for 作成日, 作成日 for the file's other
/// dates) and not after it; refuse a date whose reading lies far (more than a year) beyond the
/// reference. Two refinements, both for readings the rule would turn into nonsense:
///
/// - Only the reference's era and the one before it are considered. A file made in 令和 writes
///   令和 dates, or 平成 ones for days before 2019-05-01; without this, `050229` (no 令和5年 or
///   平成5年 has a 29 February) would silently become 大正5年2月29日, 1916.
/// - A reading up to a year after the reference beats one decades before it, so a value date a
///   few days after 作成日 stays in the same era rather than going back thirty years.
///
/// Consequences: `310430` with 作成日 in May 2019 is 平成31年4月30日 (2019-04-30); `010501` is
/// 令和元年5月1日 (2019-05-01; 平成元年5月1日 is thirty years further); `3105xx` for May 2019 (the
/// 平成 form some banks kept writing) has only the reading 令和31年 (2049), more than a year ahead,
/// and is refused with a message saying how to write it; `060229` is 2024-02-29.
public enum WarekiDigits {
  /// Which way from its reference a field's date may lie.
  public enum Horizon: Sendable, Hashable {
    /// Dates on or before the reference, or at most a year after it (勘定日, 起算日, 作成日).
    case past
    /// Dates on either side, at most 30 years after it (満期日: time deposits run for years).
    case maturity

    var yearsAhead: Int { self == .past ? 1 : 30 }
  }

  /// What YYMMDD reads as.
  public enum Resolution: Sendable, Hashable {
    /// The date.
    case date(LocalDate)
    /// No date in any of these eras.
    case impossible([Era])
    /// Only a reading too far after the reference.
    case tooFarAhead(LocalDate)
  }

  /// The date `year`/`month`/`day` of an unnamed era means, seen from `reference`.
  public static func resolve(year: Int, month: Int, day: Int, reference: LocalDate, horizon: Horizon = .past) -> Resolution {
    let current = Era(containing: reference)
    let eras = [current] + (Era.allCases.last { $0.next == current }.map { [$0] } ?? [])
    let readings = eras.compactMap { try? WarekiDate(era: $0, year: year, month: month, day: day).date }
    guard !readings.isEmpty else { return .impossible(eras) }
    let limit = (try? reference.adding(years: horizon.yearsAhead)) ?? .latest
    let allowed = readings.filter { $0 <= limit }
    guard !allowed.isEmpty else { return .tooFarAhead(readings.min() ?? reference) }
    // Nearest first; at equal distance the reading not after the reference.
    func key(_ date: LocalDate) -> (Int, Int) { (abs(date.days(to: reference)), date > reference ? 1 : 0) }
    let nearest = allowed.min { key($0) < key($1) }
    return .date(nearest ?? reference)
  }
}

/// Builds one fixed-width record: N fields right-justified and zero-filled, C fields
/// left-justified and space-filled, text checked against the 全銀 set before it is written.
struct RecordWriter {
  let record: Int
  private(set) var bytes: [UInt8]

  init(record: Int, length: Int) {
    self.record = record
    self.bytes = Array(repeating: 0x20, count: length)
  }

  /// Writes `value` (ASCII, checked by the caller) into `field`, padded by its attribute.
  mutating func put(_ value: String, _ field: RecordField) {
    var ascii = Array(value.utf8.prefix(field.length))
    let padding = Array(repeating: field.attribute == .numeric ? UInt8(0x30) : 0x20, count: field.length - ascii.count)
    ascii = field.attribute == .numeric ? padding + ascii : ascii + padding
    bytes.replaceSubrange(field.offsets, with: ascii)
  }

  /// A code of exactly the field's number of digits.
  mutating func code(_ value: String, _ field: RecordField) throws(BankFileError) {
    guard value.utf8.count == field.length, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
      throw .wrongDigitCount(record: record, field: field, found: value, expected: "数字\(field.length)桁（前の0も含めて）")
    }
    put(value, field)
  }

  /// Half-width text of the 全銀 set for `kind`, at most the field's length.
  mutating func text(_ value: String, _ field: RecordField, kind: ZenginKana.FieldKind, required: Bool = false) throws(BankFileError) {
    if required && value.unicodeScalars.allSatisfy({ $0 == " " }) { throw .blankField(record: record, field: field) }
    if let (character, position) = ZenginKana.firstDisallowed(in: value, kind: kind) {
      throw .characterNotAllowed(record: record, field: field, text: value, character: character, position: position, kind: kind)
    }
    let encoded = value.unicodeScalars.compactMap(JIS8.byte(for:))
    guard encoded.count <= field.length else { throw .textTooLong(record: record, field: field, text: value, length: encoded.count) }
    put(bytes: encoded, field)
  }

  /// Writes JIS8 `encoded` (at most the field's length, checked by the caller) left-justified,
  /// space-filled, as a C field is.
  mutating func put(bytes encoded: [UInt8], _ field: RecordField) {
    let fitted = Array(encoded.prefix(field.length))
    bytes.replaceSubrange(field.offsets, with: fitted + Array(repeating: 0x20, count: field.length - fitted.count))
  }
}
