public import SharedKernel

/// Why the building refused something. Each case reads as a sentence a desk can act on, in
/// Japanese (the people who read it), and carries the data the service maps to problem+json.
public enum BuildingError: Error, Sendable, Hashable, CustomStringConvertible {
  case invalidTimeRange(start: Int, end: Int)
  case unknownSlot(String)
  case unknownSpace(SpaceID)
  case slotNotOffered(space: SpaceID, slot: Slot)
  case missingFee(space: SpaceID, slot: Slot)
  case overtimeOutOfRange(Int)
  case admissionWithoutAdmissionUse
  /// An event charging admission, without its ticket price (its surcharge depends on it).
  case admissionPriceMissing
  case negativeAdmission(Yen)
  case unknownReduction(String)
  case reductionWithoutReason
  case unknownEquipment(String)
  case duplicateEquipment(String)
  case equipmentQuantity(item: String, asked: Int, stock: Int)
  case equipmentUnavailable(item: String, date: LocalDate, asked: Int, free: Int)
  case dateOutOfRange(LocalDate)
  case amountTooLarge(String)
  case invalidCatalogue(path: String, reason: String)
  case noCatalogue
  case invalidCustomer(field: String, reason: String)
  case customerExists(CustomerID)
  case unknownCustomer(CustomerID?)
  case tierMismatch(customer: String, registered: CustomerTier, asked: CustomerTier)
  case slotTaken(space: SpaceID, date: LocalDate, range: TimeRange, by: BookingID, heldSpace: SpaceID)
  case bookingInPast(LocalDate)
  case beforeDayOfUse(LocalDate)
  case outsideBookingWindow(date: LocalDate, tier: CustomerTier, months: Int, last: LocalDate)
  case closed(date: LocalDate, reason: String)
  case overCapacity(space: String, capacity: Int, attendees: Int)
  case invalidAttendees(Int)
  case unknownBooking(BookingID?)
  case wrongStatus(BookingID, BookingStatus, action: String)
  case provisionalExpired(BookingID, deadline: LocalDate)
  case notYetLapsed(BookingID, deadline: LocalDate)
  case invalidAmount(Yen)
  case overpayment(BookingID, amount: Yen, balance: Yen)
  case refundTooLarge(BookingID, amount: Yen, refundable: Yen)
  case cancellationWithoutReason
  case dayAlreadyClosed(LocalDate, by: String?)
  case cashCloseInFuture(LocalDate)
  case invalidClosure(String)
  case unknownClosure(String)
  case unknownLottery(LotteryID?)
  case lotteryExists(LotteryID)
  case invalidLottery(field: String, reason: String)
  case lotteryOverlaps(space: SpaceID, month: YearMonth, round: LotteryID)
  case lotteryNotTaking(LotteryID, opens: LocalDate, closes: LocalDate)
  case lotteryPhase(LotteryID, Lottery.Phase, action: String)
  case lotteryTooEarly(LotteryID, action: String, from: LocalDate)
  case lotteryCap(customer: String, limit: Int, holiday: Bool, asked: Int)
  case duplicateLotteryRequest(space: SpaceID, date: LocalDate, slot: Slot)
  case unknownApplication(LotteryID, Int)
  case reservedForLottery(space: SpaceID, date: LocalDate, round: LotteryID, drawOn: LocalDate)
  case invalidSeries(field: String, reason: String)
  case unknownSeries(SeriesID?)
  case seriesEmpty(dates: Int, first: String)
  case invalidWaitlist(field: String, reason: String)
  case notTheDayOfUse(BookingID, date: LocalDate)
  case checkInTooEarly(BookingID, from: String)
  case noShowTooEarly(BookingID, from: String)
  case invalidCalendarLink(String)
  case unknownWaitlistEntry(WaitlistEntryID)
  // Offices, parking contracts and the visitor car park.
  case invalidParty(field: String, reason: String)
  case invalidContract(field: String, reason: String)
  case invalidPremises(field: String, reason: String)
  case premisesExists(String)
  case unknownPremises(String)
  /// A parking contract names a space the car park register does not have.
  case unknownParkingSpace(String)
  /// Not let to tenants or contractors on that day (the foundation's own floor, a visitor space).
  case notLettable(String, date: LocalDate, note: String?)
  /// Another contract holds the unit or space over part of the period.
  case premisesTaken(premises: String, from: LocalDate, through: LocalDate?, by: String, heldFrom: LocalDate, heldThrough: LocalDate?)
  case contractExists(String)
  case unknownContract(String?)
  case contractEnded(String, end: LocalDate)
  case noticeAlreadyGiven(String, on: LocalDate, end: LocalDate)
  case noticeTooShort(String, end: LocalDate, earliest: LocalDate, months: Int)
  case noticeBeyondTerm(String, end: LocalDate, termEnd: LocalDate)
  case noNotice(String, end: LocalDate, earliest: LocalDate)
  case terminationWithoutReason
  case invoicedBeyondEnd(String, end: LocalDate, invoicedThrough: LocalDate)
  case alreadyInvoiced(String, month: YearMonth, number: String)
  case notLetInMonth(String, month: YearMonth)
  case invoiceTooEarly(String, month: YearMonth, from: LocalDate)
  case unknownInvoice(String)
  case paymentExceedsOwed(String, amount: Yen, owed: Yen)
  case dateInFuture(LocalDate)
  case depositSettled(String)
  case depositBeyondRequired(String, amount: Yen, remaining: Yen)
  case depositBeforeEnd(String, end: LocalDate?)
  case deductionWithoutReason(DeductionKind)
  case deductionsBeyondDeposit(String, deductions: Yen, held: Yen)
  case noVisitorTariff(LocalDate)
  case carParkClosed(opens: String, closes: String)
  case carParkFull(date: LocalDate, spaces: Int, held: Int, parked: Int)
  case alreadyParked(plate: String, ticket: String)
  case unknownGuestHold(BookingID, date: LocalDate)
  case guestSpacesFull(BookingID, spaces: Int)
  case guestSpacesUnavailable(asked: Int, available: Int, inUse: Int)
  case unknownTicket(String)
  case ticketClosed(String)
  case exitBeforeEntry(ticket: String)
  case alreadyValidated(ticket: String, booking: BookingID)
  case validationWrongDay(BookingID, bookingDate: LocalDate, parkingDate: LocalDate)
  case validationRefused(BookingID, BookingStatus)
  case validationsUsed(BookingID, limit: Int)

  public var description: String {
    switch self {
    case .invalidTimeRange(let start, let end):
      "時間帯 \(TimeRange.clock(max(0, start)))–\(TimeRange.clock(max(0, end))) は正しくありません"
    case .unknownSlot(let code):
      "区分「\(code)」はありません。午前（morning）、午後（afternoon）、夜間（evening）、午前・午後（morning-afternoon）、午後・夜間（afternoon-evening）、全日（full-day）、または 10:00-12:00 のような正時の時間帯を指定してください"
    case .unknownSpace(let space): "施設 \(space) は登録されていません"
    case .slotNotOffered(let space, let slot): "施設 \(space) は\(slot.japaneseName)（\(slot.code)）の貸出をしていません"
    case .missingFee(let space, let slot): "施設 \(space) の\(slot.japaneseName)の料金が料金表にありません"
    case .overtimeOutOfRange(let minutes): "延長は0〜180分です（\(minutes)分が指定されました）"
    case .admissionWithoutAdmissionUse: "入場料は、入場料を徴収する催し（admission）のときだけ指定できます"
    case .admissionPriceMissing: "入場料を徴収する催しは、入場料（1人あたりの最高額、円）を入力してください。加算額は入場料で決まります"
    case .negativeAdmission(let yen): "入場料 \(yen) は0円以上で指定してください"
    case .unknownReduction(let id): "減免区分 '\(id)' は料金表にありません"
    case .reductionWithoutReason: "減免を適用するには、減免の理由を入力してください"
    case .unknownEquipment(let item): "備品 '\(item)' は料金表にありません"
    case .duplicateEquipment(let item): "備品 '\(item)' が二度指定されています（数量は quantity で指定してください）"
    case .equipmentQuantity(let item, let asked, let stock): "\(item)の数量 \(asked) は1〜\(stock)で指定してください"
    case .equipmentUnavailable(let item, let date, let asked, let free):
      "\(date) の\(item)は残り\(free)台で、\(asked)台は貸し出せません"
    case .dateOutOfRange(let date): "\(date) は受け付けられる日付の範囲外です"
    case .amountTooLarge(let reason): "金額が大きすぎます: \(reason)"
    case .invalidCatalogue(let path, let reason): "料金表の \(path): \(reason)"
    case .noCatalogue: "施設・料金表がまだ公開されていません（管理者が公開してください）"
    case .invalidCustomer(_, let reason): reason
    case .customerExists(let id): "利用者 \(id) は登録済みです"
    case .unknownCustomer(let id): id.map { "利用者 \($0) は登録されていません" } ?? "その利用者は登録されていません"
    case .tierMismatch(let customer, let registered, let asked):
      "\(customer) は「\(registered.japaneseName)」として登録されています。「\(asked.japaneseName)」の料金を適用するには利用者登録を変更してください"
    case .slotTaken(let space, let date, let range, _, let held):
      held == space
        ? "\(date) \(range) の \(space) は既に予約されています"
        : "\(date) \(range) の \(space) は、区画を共有する \(held) が予約済みのため利用できません"
    case .bookingInPast(let date): "\(date) は過ぎた日付です"
    case .beforeDayOfUse(let date): "利用日 \(date) より前です"
    case .outsideBookingWindow(let date, let tier, let months, let last):
      "\(tier.japaneseName)の予約受付は\(months)か月先（\(last)）までです。\(date) はまだ予約できません"
    case .closed(let date, let reason): "\(date) は休館・休室日です（\(reason)）"
    case .overCapacity(let space, let capacity, let attendees): "\(space)の定員は\(capacity)名です（\(attendees)名が指定されました）"
    case .invalidAttendees(let count): "利用人数 \(count) は1名以上で指定してください"
    case .unknownBooking(let id): id.map { "予約 \($0) はありません" } ?? "その予約はありません"
    case .wrongStatus(_, let status, let action): "\(status.japaneseName)の予約は\(action)ことができません"
    case .provisionalExpired(_, let deadline): "仮予約の期限（\(deadline)）を過ぎています"
    case .notYetLapsed(_, let deadline): "仮予約の期限（\(deadline)）はまだ過ぎていません"
    case .invalidAmount(let amount): "金額 \(amount) は1円以上で指定してください"
    case .overpayment(_, let amount, let balance): "入金額 \(amount) が未収額 \(balance) を超えています"
    case .refundTooLarge(_, let amount, let refundable): "還付額 \(amount) が還付可能額 \(refundable) を超えています"
    case .cancellationWithoutReason: "取消の理由を入力してください"
    case .dayAlreadyClosed(let date, let by):
      "\(date) の日計は締め済みです\(by.map { "（\($0)）" } ?? "")。入金・還付は記録できません"
    case .cashCloseInFuture(let date): "\(date) はまだ来ていないので締められません"
    case .invalidClosure(let reason): reason
    case .unknownClosure(let id): "休館・休室 \(id) はありません"
    case .unknownLottery(let id): id.map { "抽選回 \($0) はありません" } ?? "その抽選回はありません"
    case .lotteryExists(let id): "抽選回 \(id) はすでにあります"
    case .invalidLottery(_, let reason): reason
    case .lotteryOverlaps(let space, let month, let round): "\(space) の \(month) は抽選回 \(round) ですでに抽選対象です"
    case .lotteryNotTaking(let id, let opens, let closes): "抽選回 \(id) の申込受付は \(opens)〜\(closes) です（今は受け付けていません）"
    case .lotteryPhase(let id, let phase, let action): "抽選回 \(id) は\(phase.japaneseName)のため\(action)ことはできません"
    case .lotteryTooEarly(let id, let action, let from): "抽選回 \(id) を\(action)のは \(from) 以降です"
    case .lotteryCap(let customer, let limit, let holiday, let asked):
      "\(customer) の申込は\(holiday ? "土日祝" : "")\(asked)コマになり、上限\(limit)コマを超えます"
    case .duplicateLotteryRequest(let space, let date, let slot): "\(space) \(date) \(slot.japaneseName) にはすでに申込があります"
    case .unknownApplication(let id, let number): "抽選回 \(id) に申込 \(number) 番はありません"
    case .invalidSeries(_, let reason), .invalidWaitlist(_, let reason): reason
    case .unknownWaitlistEntry(let id): "キャンセル待ち \(id) はありません"
    case .invalidCalendarLink(let reason): reason
    case .notTheDayOfUse(let id, let date): "予約 \(id) の受付は利用日（\(date)）当日だけです"
    case .checkInTooEarly(let id, let from): "予約 \(id) の受付は \(from) からです（開始の1時間前）"
    case .noShowTooEarly(let id, let from): "予約 \(id) を不使用にできるのは \(from) 以降です（開始から猶予時間が過ぎてから）"
    case .unknownSeries(let id): id.map { "定期利用 \($0) はありません" } ?? "その定期利用はありません"
    case .seriesEmpty(let dates, let first): "\(dates)日のどれも予約できませんでした（例: \(first)）"
    case .reservedForLottery(let space, let date, let round, let drawOn):
      "\(space) の \(date) は抽選（\(round)、\(drawOn) 抽選）の対象のため、抽選が終わるまで先着予約はできません"
    case .invalidParty(_, let reason), .invalidContract(_, let reason), .invalidPremises(_, let reason): reason
    case .premisesExists(let id): "\(id) は登録済みです"
    case .unknownPremises(let id): "\(id) は登録されていません"
    case .unknownParkingSpace(let id): "駐車区画 \(id) は登録されていません"
    case .notLettable(let id, let date, let note): "\(id) は \(date) に貸し出せる区画ではありません\(note.map { "（\($0)）" } ?? "")"
    case .premisesTaken(let premises, let from, let through, let by, let heldFrom, let heldThrough):
      "\(premises) は \(heldFrom)〜\(heldThrough.map(\.description) ?? "（期間の定めなし・自動更新）") を契約 \(by) が借りているため、\(from)〜\(through.map(\.description) ?? "") には貸せません"
    case .contractExists(let id): "契約 \(id) はすでにあります"
    case .unknownContract(let id): id.map { "契約 \($0) はありません" } ?? "その契約はありません"
    case .contractEnded(let id, let end): "契約 \(id) は \(end) に終了しています"
    case .noticeAlreadyGiven(let id, let on, let end): "契約 \(id) には \(on) に解約予告（\(end) 終了）が出ています"
    case .noticeTooShort(_, let end, let earliest, let months):
      "解約予告は\(months)か月前までに必要です。終了日 \(end) は早すぎます（最も早い終了日は \(earliest) です）"
    case .noticeBeyondTerm(_, let end, let termEnd): "終了日 \(end) が契約期間の満了日 \(termEnd) より後です（更新のない契約は満了日に終わります）"
    case .noNotice(_, let end, let earliest):
      "解約予告が出ていないため \(end) に終了できません。今日予告すると最も早い終了日は \(earliest) です（合意解約なら合意解約として記録してください）"
    case .terminationWithoutReason: "解約・終了の理由を入力してください"
    case .invoicedBeyondEnd(_, let end, let through): "\(through) まで請求済みのため、終了日を \(end) にはできません"
    case .alreadyInvoiced(let id, let month, let number): "契約 \(id) の \(month) 分は請求済みです（\(number)）"
    case .notLetInMonth(let id, let month): "契約 \(id) は \(month) に貸している日がありません"
    case .invoiceTooEarly(_, let month, let from): "\(month) 分の請求書は \(from) から発行できます"
    case .unknownInvoice(let number): "請求書 \(number) はありません"
    case .paymentExceedsOwed(_, let amount, let owed): "入金額 \(amount) が請求残高 \(owed) を超えています"
    case .dateInFuture(let date): "\(date) はまだ来ていない日付です"
    case .depositSettled(let id): "契約 \(id) の敷金は精算済みです"
    case .depositBeyondRequired(_, let amount, let remaining): "敷金の受領額 \(amount) が未受領の敷金 \(remaining) を超えています"
    case .depositBeforeEnd(_, let end):
      end.map { "敷金の精算は契約終了日（\($0)）以降にできます" } ?? "敷金の精算は契約の終了を記録してからできます"
    case .deductionWithoutReason(let kind): "敷金から差し引く\(kind.japaneseName)の内容（理由）を入力してください"
    case .deductionsBeyondDeposit(_, let deductions, let held): "差引額の合計 \(deductions) が預かっている敷金 \(held) を超えています"
    case .noVisitorTariff(let date): "\(date) の来客駐車場の料金表が登録されていません"
    case .carParkClosed(let opens, let closes): "来客駐車場の入庫は \(opens)〜\(closes) です"
    case .carParkFull(let date, let spaces, let held, let parked):
      "\(date) の来客駐車場は満車です（\(spaces)台のうち、駐車中\(parked)台、催しのための確保\(held)台）"
    case .alreadyParked(let plate, let ticket): "\(plate) の車は駐車中です（駐車券 \(ticket)）"
    case .unknownGuestHold(let booking, let date): "\(date) に予約 \(booking) のための確保区画はありません"
    case .guestSpacesFull(let booking, let spaces): "予約 \(booking) のために確保した\(spaces)台はすべて使われています"
    case .guestSpacesUnavailable(let asked, let available, let inUse):
      inUse > asked
        ? "確保区画にはすでに\(inUse)台が駐車しているため、\(asked)台には減らせません"
        : "\(asked)台は確保できません（確保できるのは\(available)台までです）"
    case .unknownTicket(let ticket): "駐車券 \(ticket) はありません"
    case .ticketClosed(let ticket): "駐車券 \(ticket) は出庫済みです"
    case .exitBeforeEntry(let ticket): "駐車券 \(ticket) の出庫時刻が入庫時刻より前です"
    case .alreadyValidated(let ticket, let booking): "駐車券 \(ticket) は予約 \(booking) で認証済みです"
    case .validationWrongDay(let booking, let bookingDate, let parkingDate):
      "予約 \(booking) の利用日は \(bookingDate) です。\(parkingDate) の駐車には使えません"
    case .validationRefused(let booking, let status): "予約 \(booking) は\(status.japaneseName)のため、駐車サービスの対象になりません"
    case .validationsUsed(let booking, let limit): "予約 \(booking) で認証できるのは\(limit)台までです"
    }
  }

  /// The request field at fault, when there is one (for problem+json's `field`).
  public var field: String? {
    switch self {
    case .unknownSlot, .slotNotOffered, .missingFee, .invalidTimeRange: "slot"
    case .unknownSpace, .unknownParkingSpace: "space"
    case .overtimeOutOfRange: "overtimeMinutes"
    case .admissionWithoutAdmissionUse, .negativeAdmission, .admissionPriceMissing: "admissionYen"
    case .unknownReduction, .reductionWithoutReason: "reduction"
    case .unknownEquipment, .duplicateEquipment, .equipmentQuantity, .equipmentUnavailable: "equipment"
    case .dateOutOfRange, .bookingInPast, .outsideBookingWindow, .closed, .reservedForLottery: "date"
    case .invalidLottery(let field, _), .invalidSeries(let field, _), .invalidWaitlist(let field, _): field
    case .lotteryCap, .duplicateLotteryRequest: "requests"
    case .invalidCustomer(let field, _): field
    case .unknownCustomer, .tierMismatch: "customer"
    case .overCapacity, .invalidAttendees: "attendees"
    case .invalidAmount, .overpayment, .refundTooLarge: "amountYen"
    case .cancellationWithoutReason: "reason"
    case .invalidCatalogue(let path, _): path
    case .invalidParty(let field, _), .invalidContract(let field, _), .invalidPremises(let field, _): field
    case .noticeTooShort, .noticeBeyondTerm, .noNotice, .invoicedBeyondEnd: "end"
    case .alreadyInvoiced, .notLetInMonth, .invoiceTooEarly: "month"
    case .unknownInvoice: "invoice"
    case .paymentExceedsOwed, .depositBeyondRequired, .deductionsBeyondDeposit: "amountYen"
    case .dateInFuture: "on"
    case .terminationWithoutReason: "reason"
    case .deductionWithoutReason: "deductions"
    case .alreadyParked: "plate"
    case .unknownGuestHold, .guestSpacesFull: "hold"
    case .guestSpacesUnavailable: "spaces"
    case .validationWrongDay, .validationRefused, .validationsUsed: "booking"
    default: nil
    }
  }
}
