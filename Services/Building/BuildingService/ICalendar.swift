import Building
import BuildingReadModels
import Foundation
import SharedKernel

/// An iCalendar (RFC 5545) feed of bookings, in Japan time: each event's start and end carry
/// `TZID=Asia/Tokyo`, defined once by the VTIMEZONE at the top (+09:00, no daylight saving).
/// Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character.
enum ICalendar {
  static func feed(name: String, bookings: [BookingSummary], now: Date) -> String {
    var lines = [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//KIP//kip-building//JA", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
      "X-WR-CALNAME:\(text(name))", "X-WR-TIMEZONE:Asia/Tokyo",
      "BEGIN:VTIMEZONE", "TZID:Asia/Tokyo", "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0900", "TZOFFSETTO:+0900",
      "TZNAME:JST", "END:STANDARD", "END:VTIMEZONE",
    ]
    let stamp = utc(now)
    for booking in bookings {
      let status: String
      switch booking.status {
      case .provisional: status = "TENTATIVE"
      case .cancelled, .lapsed: status = "CANCELLED"
      default: status = "CONFIRMED"
      }
      lines += [
        "BEGIN:VEVENT", "UID:\(booking.id)@kip-building", "DTSTAMP:\(stamp)",
        "DTSTART;TZID=Asia/Tokyo:\(local(booking.date, booking.start))", "DTEND;TZID=Asia/Tokyo:\(local(booking.date, booking.end))",
        "SUMMARY:\(text("\(booking.spaceName) \(booking.customerName)（\(booking.status.japaneseName)）"))", "STATUS:\(status)",
        "TRANSP:\(status == "CANCELLED" ? "TRANSPARENT" : "OPAQUE")", "END:VEVENT",
      ]
    }
    lines.append("END:VCALENDAR")
    return lines.map(fold).joined(separator: "\r\n") + "\r\n"
  }

  /// `20230420T130000`: a date and minutes after midnight, as wall-clock time.
  static func local(_ date: LocalDate, _ minutes: Int) -> String {
    let day = date.description.replacingOccurrences(of: "-", with: "")
    return day + "T" + String(format: "%02d%02d00", minutes / 60, minutes % 60)
  }

  static func utc(_ instant: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
    return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
  }

  /// TEXT escaping: backslash, semicolon, comma and newlines.
  static func text(_ value: String) -> String {
    value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;").replacingOccurrences(of: ",", with: "\\,")
      .replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\n", with: "\\n")
  }

  /// Folds a content line into lines of at most 75 octets, continuation lines starting with a space.
  static func fold(_ line: String) -> String {
    var parts: [String] = []
    var current = ""
    var octets = 0
    for character in line {
      let size = String(character).utf8.count
      let limit = parts.isEmpty ? 75 : 74
      if octets + size > limit {
        parts.append(current)
        current = ""
        octets = 0
      }
      current.append(character)
      octets += size
    }
    parts.append(current)
    return parts.joined(separator: "\r\n ")
  }
}
