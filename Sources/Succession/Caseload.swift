public import EventLog
import Foundation
public import SharedKernel

/// One staff member's cases going to another, as on 1 April when staff rotate (人事異動).
public struct Rotation: Sendable, Hashable, Codable {
  public var from: UserID
  public var to: UserID

  public init(from: UserID, to: UserID) {
    self.from = from
    self.to = to
  }
}

/// Work across many cases: bulk reassignment and what is overdue.
public enum Caseload {
  /// The reassignments of a staff rotation over `cases`: every open case and waiting referral
  /// assigned to a rotation's `from` goes to its `to`, one ``Case/Assigned`` per case, ordered
  /// by case id. The rotations apply at once, by the assignee before the rotation: A → B with
  /// B → C gives A's cases to B and B's to C (not A's to C). Closed cases keep their staff.
  ///
  /// The service appends them in one append, each case at the version it read; a case changed
  /// meanwhile fails the append, and the whole rotation is decided again.
  public static func reassign(_ cases: [Case.Record], _ rotations: [Rotation], _ context: SuccessionContext) throws(SuccessionError) -> [StreamEvents<Case.Event>] {
    guard !rotations.isEmpty else { throw .invalidRotation(reason: "担当替えの指定がありません") }
    var targets: [UserID: UserID] = [:]
    for rotation in rotations {
      guard rotation.from != rotation.to else { throw .invalidRotation(reason: "\(rotation.from) から同じ \(rotation.to) への担当替えになっています") }
      if let other = targets[rotation.from], other != rotation.to {
        throw .invalidRotation(reason: "\(rotation.from) の案件の引継ぎ先が \(other) と \(rotation.to) の二つあります")
      }
      targets[rotation.from] = rotation.to
    }
    let at = Timestamp(context.at)
    var writes: [StreamEvents<Case.Event>] = []
    for record in cases.sorted(by: { $0.id < $1.id }) where record.phase == .open || record.phase == .referred {
      guard let from = record.assignee, let to = targets[from] else { continue }
      let stream: StreamName
      do { stream = try Case.stream(record.id) } catch { throw .unknownCase(record.id) }
      writes.append(
        StreamEvents(stream: stream, events: [.assigned(Case.Assigned(caseID: record.id, staff: to, previous: from, on: context.today, at: at))]))
    }
    return writes
  }

  /// A next action past its due date.
  public struct Overdue: Sendable, Hashable {
    public var caseID: CaseID
    public var companyName: String
    public var action: NextAction
    /// Days past the due date (1 the day after).
    public var daysOverdue: Int
  }

  /// One staff member's overdue actions.
  public struct StaffOverdue: Sendable, Hashable {
    /// nil: cases assigned to nobody.
    public var staff: UserID?
    /// Most overdue first, then by case id.
    public var actions: [Overdue]
  }

  /// The next actions due before `date` on open cases and waiting referrals, by the staff the
  /// case is assigned to now (staff by id, the unassigned last). Due on `date` itself is not
  /// yet overdue.
  public static func overdue(_ cases: [Case.Record], on date: LocalDate) -> [StaffOverdue] {
    var byStaff: [UserID?: [Overdue]] = [:]
    for record in cases where record.phase == .open || record.phase == .referred {
      guard let action = record.nextAction, action.due < date else { continue }
      byStaff[record.assignee, default: []].append(
        Overdue(caseID: record.id, companyName: record.company.name, action: action, daysOverdue: action.due.days(to: date)))
    }
    let staff = byStaff.keys.sorted { lhs, rhs in
      switch (lhs, rhs) {
      case (let l?, let r?): l < r
      case (.some, nil): true
      default: false
      }
    }
    return staff.map { who in
      StaffOverdue(
        staff: who,
        actions: (byStaff[who] ?? []).sorted { ($0.action.due, $0.caseID) < ($1.action.due, $1.caseID) })
    }
  }
}

/// Case numbers of a fiscal year, `casenumbers-FY2022`: `2022-0001`, `2022-0002`, … in the
/// order issued. The append of the new case carries the number's event with the stream's
/// version, so two intakes at once cannot get the same number.
public enum CaseNumbers {
  public static let category = "casenumbers"

  public static func stream(_ year: FiscalYear) throws(EventLogError) -> StreamName { try StreamName(category: category, id: year.description) }

  /// A number was issued.
  public struct Issued: RecordableEvent, Hashable {
    public static let eventType = "Succession.CaseNumberIssued"
    public static let schemaVersion = 1
    public var caseID: CaseID
    public var at: Timestamp
  }

  /// The numbering stream's one event.
  public enum Event: Sendable, Hashable {
    case issued(Issued)
  }

  /// How many were issued in the year.
  public typealias State = Int
  public static let initialState: State = 0

  public static func evolve(_ state: State, _ event: Event) -> State { state + 1 }

  /// The next number of `year`: `2022-0042` (four digits, more after 9,999).
  public static func next(_ year: FiscalYear, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> (id: CaseID, event: Event) {
    let sequence = String(state + 1)
    let padded = String(repeating: "0", count: Swift.max(0, 4 - sequence.count)) + sequence
    let id: CaseID
    do { id = try CaseID("\(year.startYear)-\(padded)") } catch { throw .unknownCase(nil) }
    return (id, .issued(Issued(caseID: id, at: Timestamp(context.at))))
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Issued.self, embed: Event.issued) { if case .issued(let e) = $0 { e } else { nil } }
    return codec
  }()
}
