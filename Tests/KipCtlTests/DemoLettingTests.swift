import Building
import EventLog
import Foundation
import SharedKernel
import Testing
import TestSupport

@Suite("kipctl demo seed: the offices and the car park over the fiscal year")
struct DemoLettingTests {
  @Test("42 units about nine in ten let at each month end, 60 spaces, one invoice per let month, payments within what was billed, a tenant behind, visitors within the car park")
  func letting() async throws {
    let seeded = try SeededDemo.shared.get()
    #expect(seeded.first.output.contains(#/letting: 42 office units, [0-9]+ leases; 60 parking spaces, [0-9]+ monthly contracts/#), "\(seeded.first.output)")
    let events = try await allEvents(of: seeded.folder)
    let today = try LocalDate(japanTimeOf: Date())
    let year = FiscalYear(containing: today)
    var offices = OfficeRegister.initialState
    var carPark = CarParkRegister.initialState
    var leases: [StreamName: Lease.Record] = [:]
    var contracts: [StreamName: ParkingContract.Record] = [:]
    var days: [StreamName: VisitorDay.State] = [:]
    var problems: [String] = []
    for event in events {
      switch event.stream.category {
      case OfficeRegister.category: offices = OfficeRegister.evolve(offices, try OfficeRegister.codec.decode(event))
      case CarParkRegister.category: carPark = CarParkRegister.evolve(carPark, try CarParkRegister.codec.decode(event))
      case Lease.category: leases[event.stream] = Lease.evolve(leases[event.stream], try Lease.codec.decode(event))
      case ParkingContract.category: contracts[event.stream] = ParkingContract.evolve(contracts[event.stream], try ParkingContract.codec.decode(event))
      case VisitorDay.category:
        let decoded = try VisitorDay.codec.decode(event)
        let state = VisitorDay.evolve(days[event.stream] ?? VisitorDay.initialState, decoded)
        if case .entered(let e) = decoded, state.parked(at: e.at.date) > carPark.visitorSpaces(on: e.date) {
          problems.append("\(e.ticket): \(state.parked(at: e.at.date)) cars in \(carPark.visitorSpaces(on: e.date)) spaces")
        }
        days[event.stream] = state
      default: break
      }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
    #expect(offices.order.count == 42 && offices.items(on: today).filter { !$0.leasable }.count == 2)
    #expect(carPark.spaces.order.count == 60 && carPark.visitorSpaces(on: today) == 12)

    let records = leases.values.sorted { $0.id.rawValue < $1.id.rawValue }
    for month in year.months where month.lastDay < today {
      let figure = OfficeOccupancy.on(month.lastDay, register: offices, leases: records)
      #expect((8_500...10_000).contains(figure.basisPoints ?? 0), "\(month): \(figure.rateText)")
      // Every lease letting a day of a month billed by the 20th before it has one invoice for it.
      guard (try month.firstDay.adding(days: -12)) < today else { continue }
      for record in records where record.tenancy.start <= month.lastDay && (record.tenancy.through.map { $0 >= month.firstDay } ?? true) {
        let billed = record.tenancy.ledger.invoices.filter { $0.month == month }.count
        #expect(billed == 1, "\(record.id) \(month): \(billed) invoices")
      }
    }
    for record in records {
      #expect(record.depositHeld == record.depositRequired || record.depositSettlement != nil, "\(record.id) deposit")
      for invoice in record.tenancy.ledger.invoices { #expect(record.tenancy.ledger.balance(of: invoice) >= .zero) }
    }
    let behind = records.filter { !$0.tenancy.ledger.arrears(asOf: today).isEmpty }
    #expect(!behind.isEmpty && behind.count <= 4, "\(behind.count) tenants behind")
    #expect(records.contains { $0.tenancy.notice != nil } && records.contains { $0.tenancy.start > year.firstDay })
    let parking = CarParkOccupancy.monthly(on: (try today.firstOfMonth.adding(days: -1)), register: carPark, contracts: contracts.values.sorted { $0.id.rawValue < $1.id.rawValue })
    #expect((7_500...10_000).contains(parking.basisPoints ?? 0), "parking \(parking.rateText)")
    let sessions = days.values.flatMap(\.sessions)
    let yesterday = try today.adding(days: -1)
    if year.firstDay.days(to: today) > 30 {
      #expect(sessions.count > 200 && sessions.contains { $0.validated != nil } && sessions.allSatisfy { $0.exited != nil || $0.date >= yesterday })
    }
  }
}
