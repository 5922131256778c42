import Building
import Foundation
import SharedKernel

/// Dates, contexts, parties and stream folds for the office and car-park tests.
enum TestLetting {
  static func date(_ text: String) -> LocalDate { try! LocalDate(iso8601: text) }
  static func month(_ text: String) -> YearMonth { try! YearMonth(iso8601: text) }

  /// `day` at `time` (HH:MM, Japan).
  static func context(_ day: String, _ time: String = "10:00") -> LettingContext {
    let parts = time.split(separator: ":").compactMap { Int($0) }
    return LettingContext(today: date(day), at: date(day).startInJapan.addingTimeInterval(TimeInterval(parts[0] * 3600 + parts[1] * 60)))
  }

  static func party(_ name: String = "株式会社かもめ商事", kana: String = "カモメショウジ") -> Party {
    Party(name: name, nameKana: kana, corporateNumber: "7000012050002", contactPerson: "総務部 山田", phone: "045-000-0000")
  }

  /// The calendars after a decision's holds, by premises id.
  static func calendars<Event>(_ decisions: [TenancyDecision<Event>], into calendars: [String: PremisesCalendar.State] = [:]) -> [String: PremisesCalendar.State] {
    var calendars = calendars
    for written in decisions.flatMap(\.premises) {
      calendars[written.stream.id] = written.events.reduce(calendars[written.stream.id] ?? PremisesCalendar.initialState, PremisesCalendar.evolve)
    }
    return calendars
  }

  /// The invoice numbers of one year after the decisions.
  static func numbers<Event>(_ decisions: [TenancyDecision<Event>], from start: InvoiceNumbers.State = 0) -> InvoiceNumbers.State {
    decisions.flatMap(\.numbers).reduce(start, InvoiceNumbers.evolve)
  }
}
