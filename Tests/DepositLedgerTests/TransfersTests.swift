import DepositLedger
import SharedKernel
import Testing

/// 総合振込: a day's approved repayments and interest payments in one batch, approved by another
/// person, each payment in one batch at most.
@Suite("DepositLedger: transfer batches (総合振込)")
struct TransfersTests {
  typealias W = World

  /// The quarter of ``BooksTests/quarter()`` with the lender's account for each borrowing entry.
  static func dues(_ world: World, on date: String) throws -> [TransferDue] {
    let yokohama = try InstitutionID("yokohama")
    var lenders: [EntryID: InstitutionID] = [:]
    for entry in world.borrowing("b1").journal.entries { lenders[entry.id] = yokohama }
    let institutions = [yokohama: try #require(world.institutions[yokohama] ?? nil)]
    return TransferDue.dues(from: W.bank, on: W.date(date), books: world.books, lenders: lenders, institutions: institutions)
  }

  @Test("the dues of a day are its approved repayments and interest payments from the account, to the lender's account")
  func dues() throws {
    let world = try BooksTests.quarter()
    let june = try Self.dues(world, on: "2022-06-01")
    #expect(june.map(\.purpose) == [.repayment] && june.first?.amount == Yen(300_000_000) && june.first?.accountNumber == "0012345")
    let july = try Self.dues(world, on: "2022-07-01")
    #expect(july.map(\.purpose) == [.interestPayment] && july.first?.amount == Yen(280_821), "the bank charge is no transfer")
    #expect(try Self.dues(world, on: "2022-06-02").isEmpty)
  }

  @Test("a batch is prepared once per payment, on a business day not past, and approved by a manager who did not prepare it")
  func lifecycle() throws {
    var world = try BooksTests.quarter()
    world.today = W.date("2022-05-20")
    let dues = try Self.dues(world, on: "2022-06-01")
    let id = try TransferBatchID("tb-1")
    #expect(throws: DepositLedgerError.forbidden(action: "prepare a transfer batch (総合振込)", allowed: [.treasury], actual: .treasuryManager)) {
      try Transfers.prepare(id, account: W.bank, on: W.date("2022-06-01"), dues: dues, register: world.accounts, Transfers.initialState, world.context(World.checker))
    }
    #expect(throws: DepositLedgerError.dateTooEarly(field: "date", W.date("2022-05-19"), earliest: W.date("2022-05-20"), what: "today")) {
      try Transfers.prepare(id, account: W.bank, on: W.date("2022-05-19"), dues: dues, register: world.accounts, Transfers.initialState, world.context())
    }
    #expect(throws: DepositLedgerError.nothingToTransfer(account: W.bank, date: W.date("2022-06-02"), batched: 0)) {
      try Transfers.prepare(id, account: W.bank, on: W.date("2022-06-02"), dues: [], register: world.accounts, Transfers.initialState, world.context())
    }
    var state = try Transfers.prepare(id, account: W.bank, on: W.date("2022-06-01"), dues: dues, register: world.accounts, Transfers.initialState, world.context())
      .reduce(Transfers.initialState, Transfers.evolve)
    #expect(state.batch(id)?.prepared.total == Yen(300_000_000) && state.batch(holding: dues[0].entry)?.id == id)
    #expect(throws: DepositLedgerError.nothingToTransfer(account: W.bank, date: W.date("2022-06-01"), batched: 1)) {
      try Transfers.prepare(try TransferBatchID("tb-2"), account: W.bank, on: W.date("2022-06-01"), dues: dues, register: world.accounts, state, world.context())
    }
    #expect(throws: DepositLedgerError.makerCannotCheckBatch(id, user: try UserID("u-maker"))) {
      try Transfers.approve(id, state, world.context(World.makerAsManager))
    }
    state = try Transfers.approve(id, state, world.context(World.checker)).reduce(state, Transfers.evolve)
    #expect(state.batch(id)?.status == .approved)
    #expect(throws: DepositLedgerError.transferBatchNotPrepared(id, status: "approved")) { try Transfers.approve(id, state, world.context(World.checker)) }
    // Cancelled with a reason, its payment may be batched again.
    #expect(throws: DepositLedgerError.reasonRequired(action: "cancelling a transfer batch")) { try Transfers.cancel(id, reason: "", state, world.context()) }
    state = try Transfers.cancel(id, reason: "金額訂正", state, world.context()).reduce(state, Transfers.evolve)
    #expect(state.batch(holding: dues[0].entry) == nil)
    _ = try Transfers.prepare(try TransferBatchID("tb-2"), account: W.bank, on: W.date("2022-06-01"), dues: dues, register: world.accounts, state, world.context())
  }
}
