import Building
import EventLog
import Foundation
import SharedKernel
import Testing

/// 受付 and 不使用: check-in on the day from an hour before; a no-show only after the grace period.
@Suite("Building: check-in and no-shows")
struct AttendanceTests {
  typealias C = TestCatalogue

  /// Room A, 2023-04-20, 午後 (13:00–17:00), confirmed.
  func confirmed() throws -> Booking.State {
    let made = try Booking.request(
      NewBooking(
        id: try BookingID("b-1"), request: QuoteRequest(space: C.id("room-a"), date: C.date("2023-04-20"), slot: .afternoon), customer: C.customer(),
        purpose: nil, attendees: nil, provisional: false), C.context(today: "2023-04-01"), sheet: .init(), equipment: .init(), permits: 0)
    return made.booking.reduce(nil, Booking.evolve)
  }

  /// The context at `time` (HH:MM, Japan) on `day`.
  func at(_ day: String, _ time: String) -> DeskContext {
    var context = C.context(today: day)
    let parts = time.split(separator: ":").compactMap { Int($0) }
    context.at = C.date(day).startInJapan.addingTimeInterval(TimeInterval(parts[0] * 3600 + parts[1] * 60))
    return context
  }

  @Test("check-in opens an hour before the start, on the day only; checking in twice writes nothing")
  func checkIn() throws {
    let booking = try confirmed()
    #expect(at("2023-04-20", "11:59").minutesInJapan == 719)
    #expect(throws: BuildingError.checkInTooEarly(try BookingID("b-1"), from: "12:00")) { try Booking.checkIn(booking, at("2023-04-20", "11:59")) }
    #expect(throws: BuildingError.notTheDayOfUse(try BookingID("b-1"), date: C.date("2023-04-20"))) { try Booking.checkIn(booking, at("2023-04-19", "13:00")) }
    let checked = try Booking.checkIn(booking, at("2023-04-20", "12:00"))
    guard case .used? = checked.booking.first else { Issue.record("not used"); return }
    let used = checked.booking.reduce(booking, Booking.evolve)
    #expect(used?.status == .used)
    #expect(try Booking.checkIn(used, at("2023-04-20", "12:30")).booking.isEmpty)
  }

  @Test("a no-show only from the start plus 30 minutes (or any later day); a late arrival the same day corrects it")
  func noShow() throws {
    let booking = try confirmed()
    #expect(throws: BuildingError.noShowTooEarly(try BookingID("b-1"), from: "13:30")) { try Booking.attend(booking, used: false, at("2023-04-20", "13:29")) }
    #expect(throws: BuildingError.beforeDayOfUse(C.date("2023-04-20"))) { try Booking.attend(booking, used: false, at("2023-04-19", "23:00")) }
    _ = try Booking.attend(booking, used: false, at("2023-04-21", "09:00"))
    let noShow = try Booking.attend(booking, used: false, at("2023-04-20", "13:30")).booking.reduce(booking, Booking.evolve)
    #expect(noShow?.status == .noShow)
    let late = try Booking.checkIn(noShow, at("2023-04-20", "14:10")).booking.reduce(noShow, Booking.evolve)
    #expect(late?.status == .used)
    #expect(throws: BuildingError.self) { try Booking.checkIn(noShow, at("2023-04-21", "09:00")) }
  }
}
