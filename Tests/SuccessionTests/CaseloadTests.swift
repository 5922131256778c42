import SharedKernel
import Succession
import Testing

@Suite("Succession: caseloads — the 1 April rotation and overdue actions")
struct CaseloadTests {
  typealias F = Fixtures

  /// Cases 2022-0001…0006 with assignees, one closed, one a waiting referral, one declined.
  func caseload() throws -> World {
    var world = World()
    let staff = ["u-ito", "u-kato", "u-ito", "u-sato", "u-ito", "u-kato"]
    for (offset, who) in staff.enumerated() {
      let id = "2022-000\(offset + 1)"
      let company = Company(name: "会社\(offset + 1)", address: "横浜市中区尾上町\(offset + 1)-1")
      try world.refer(F.referral(id, company: company))
      if offset == 4 { continue }  // still waiting
      world.apply(id, try Case.accept(Acceptance(side: .selling, kind: .family, assignee: F.staff(who)), world[id], F.context("2022-05-10")))
    }
    world.apply("2022-0005", try Case.assign(F.staff("u-ito"), world["2022-0005"], F.context("2022-05-10")))
    world.apply("2022-0003", try Case.move(to: .discontinued, on: F.date("2022-06-01"), reason: "連絡が取れない", world["2022-0003"], F.context("2022-06-01")))
    return world
  }

  func records(_ world: World) -> [Case.Record] {
    // Handed over in no particular order: the output must not depend on it.
    world.cases.values.compactMap { $0 }.sorted { $0.id > $1.id }
  }

  @Test("on 1 April every open case and waiting referral of a rotating staff member goes to the successor, in case order; closed cases keep theirs")
  func rotation() throws {
    let world = try caseload()
    let writes = try Caseload.reassign(records(world), [Rotation(from: F.staff("u-ito"), to: F.staff("u-kato")), Rotation(from: F.staff("u-kato"), to: F.staff("u-mori"))], F.context("2023-04-01"))
    #expect(writes.map(\.stream.rawValue) == ["case-2022-0001", "case-2022-0002", "case-2022-0005", "case-2022-0006"])
    let moves = writes.flatMap(\.events).compactMap { event -> String? in
      guard case .assigned(let e) = event else { return nil }
      return "\(e.caseID) \(e.previous?.rawValue ?? "-")→\(e.staff?.rawValue ?? "-") \(e.on)"
    }
    // Applied at once: u-ito's cases go to u-kato, u-kato's (as they were) to u-mori.
    #expect(moves == ["2022-0001 u-ito→u-kato 2023-04-01", "2022-0002 u-kato→u-mori 2023-04-01", "2022-0005 u-ito→u-kato 2023-04-01", "2022-0006 u-kato→u-mori 2023-04-01"])
    var after = world
    for write in writes { after.apply(write.stream.id, write.events) }
    #expect(after["2022-0003"]?.assignee == F.staff("u-ito"))
    #expect(after["2022-0004"]?.assignee == F.staff("u-sato"))
    // The same rotation again finds nothing left to move from u-ito.
    #expect(try Caseload.reassign(records(after), [Rotation(from: F.staff("u-ito"), to: F.staff("u-kato"))], F.context("2023-04-01")).isEmpty)
  }

  @Test("a rotation to oneself, two successors for one person, or none at all is refused")
  func badRotations() throws {
    let world = try caseload()
    #expect(throws: SuccessionError.self) { try Caseload.reassign(records(world), [], F.context("2023-04-01")) }
    #expect(throws: SuccessionError.self) { try Caseload.reassign(records(world), [Rotation(from: F.staff("u-ito"), to: F.staff("u-ito"))], F.context("2023-04-01")) }
    #expect(throws: SuccessionError.self) {
      try Caseload.reassign(records(world), [Rotation(from: F.staff("u-ito"), to: F.staff("u-kato")), Rotation(from: F.staff("u-ito"), to: F.staff("u-mori"))], F.context("2023-04-01"))
    }
  }

  @Test("overdue on a date: due before it, on open cases and waiting referrals, by the staff assigned now, most overdue first")
  func overdue() throws {
    var world = try caseload()
    let actions: [(String, String, String)] = [
      ("2022-0001", "決算書の受領", "2023-03-20"), ("2022-0002", "株価算定の依頼", "2023-03-31"), ("2022-0003", "終了済の案件", "2023-03-01"),
      ("2022-0004", "候補先リスト送付", "2023-03-31"), ("2022-0005", "初回面談の日程調整", "2023-03-10"), ("2022-0006", "まだ先", "2023-04-30"),
    ]
    for (id, text, due) in actions where id != "2022-0003" {
      world.apply(id, try Case.setNextAction(text, due: F.date(due), world[id], F.context("2023-03-01")))
    }
    let overdue = Caseload.overdue(records(world), on: F.date("2023-03-31"))
    #expect(overdue.map { $0.staff?.rawValue ?? "-" } == ["u-ito"])
    #expect(overdue.first?.actions.map(\.caseID.rawValue) == ["2022-0005", "2022-0001"])
    #expect(overdue.first?.actions.map(\.daysOverdue) == [21, 11])
    // The next day 0002 and 0004 (due 31 March) are overdue too; after the rotation they belong to the new staff.
    let april = Caseload.overdue(records(world), on: F.date("2023-04-01"))
    #expect(april.map { $0.staff?.rawValue ?? "-" } == ["u-ito", "u-kato", "u-sato"])
    let writes = try Caseload.reassign(records(world), [Rotation(from: F.staff("u-ito"), to: F.staff("u-mori"))], F.context("2023-04-01"))
    for write in writes { world.apply(write.stream.id, write.events) }
    let rotated = Caseload.overdue(records(world), on: F.date("2023-04-01"))
    #expect(rotated.map { $0.staff?.rawValue ?? "-" } == ["u-kato", "u-mori", "u-sato"])
    #expect(rotated[1].actions.map(\.caseID.rawValue) == ["2022-0005", "2022-0001"])
    // Unassigned cases come last.
    world.apply("2022-0004", try Case.assign(nil, world["2022-0004"], F.context("2023-04-01")))
    #expect(Caseload.overdue(records(world), on: F.date("2023-04-01")).map { $0.staff?.rawValue ?? "-" } == ["u-kato", "u-mori", "-"])
  }

  @Test("case numbers run per fiscal year")
  func numbers() throws {
    let first = try CaseNumbers.next(try FiscalYear(2022), 0, F.context("2023-03-31"))
    #expect(first.id.rawValue == "2022-0001")
    let later = try CaseNumbers.next(try FiscalYear(2022), 41, F.context("2023-03-31"))
    #expect(later.id.rawValue == "2022-0042")
    #expect(try CaseNumbers.stream(try FiscalYear(2022)).rawValue == "casenumbers-FY2022")
  }
}
