import SharedKernel

/// Demo work planned before anything is decided: steps at a minute of a day (Japan time), each
/// about one subject of the plan (a booking the desk is asked for, a case) or about none,
/// performed by day and minute, and in the order planned within a minute.
struct DemoSchedule<Step> {
  /// A step on a day, at a minute of it.
  struct Entry {
    var day: LocalDate
    var minute: Int
    /// The order it was planned in: the tie-break for one minute.
    var order: Int
    /// Index into the plan's subjects; nil for a step about none.
    var subject: Int?
    var step: Step
  }

  private(set) var entries: [Entry] = []
  private var order = 0

  /// Queues one step; a minute past 23:50 is taken as 23:50.
  mutating func add(_ day: LocalDate, _ minute: Int, subject: Int?, _ step: Step) {
    order += 1
    entries.append(Entry(day: day, minute: min(minute, 23 * 60 + 50), order: order, subject: subject, step: step))
  }

  /// Queues a subject's steps in their order, `gap` minutes apart where they share a minute or
  /// run backwards within a day.
  mutating func add(_ steps: [(day: LocalDate, minute: Int, step: Step)], subject: Int, gap: Int) {
    var last: (day: LocalDate, minute: Int)?
    for step in steps {
      var minute = step.minute
      if let last, last.day == step.day, minute <= last.minute { minute = last.minute + gap }
      add(step.day, minute, subject: subject, step.step)
      last = (step.day, minute)
    }
  }

  /// Puts the steps in the order they are performed.
  mutating func sort() {
    entries.sort { ($0.day, $0.minute, $0.order) < ($1.day, $1.minute, $1.order) }
  }
}
