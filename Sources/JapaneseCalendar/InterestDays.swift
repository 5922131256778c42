public import Foundation
public import SharedKernel

/// Day counts for interest (利息計算の日数).
public enum InterestDays {
  /// Whether the count includes one or both ends of the period.
  public enum Convention: String, Sendable, Hashable, CaseIterable, Codable {
    /// 片端 (片落ち): count one end, the usual rule for deposits and loans:
    /// 4/1 → 4/30 is 29 days.
    case oneEnd
    /// 両端 (両端入れ): count both ends, e.g. for short bridging loans: 4/1 → 4/30 is 30 days.
    case bothEnds
  }

  /// The actual number of days from `start` to `end` under `convention`; throws if `end` is
  /// before `start`, because a negative interest period is always a mistake in the input.
  public static func count(from start: LocalDate, to end: LocalDate, _ convention: Convention) throws(InterestDaysError) -> Int {
    guard start <= end else { throw .endBeforeStart(start: start, end: end) }
    let days = start.days(to: end)
    return convention == .oneEnd ? days : days + 1
  }
}

/// Why an interest day count was refused.
public enum InterestDaysError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
  /// The period ends before it starts.
  case endBeforeStart(start: LocalDate, end: LocalDate)

  public var description: String {
    switch self {
    case let .endBeforeStart(start, end):
      "the interest period \(start) – \(end) ends before it starts: give the start date first"
    }
  }

  public var errorDescription: String? { description }
}
