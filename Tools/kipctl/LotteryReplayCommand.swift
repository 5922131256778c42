import ArgumentParser
import Building
import EventLog
import Foundation
import SharedKernel

/// `kipctl building lottery-replay ROUND`: runs a round's draw again from the log and compares.
struct LotteryReplayCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lottery-replay",
    abstract: "Run a drawn lottery round's draw again from the log (its applications, seed, catalogue, closures and day sheets as they were) and compare the winners.",
    discussion: "Exit 0 and `ok` when the recorded results are what the draw gives; exit 1 naming the first difference otherwise.")

  @OptionGroup var logOptions: LogOptions
  @Argument(help: "The round's id, e.g. 2027-06-hall.") var round: String

  func run() async throws {
    try await reportingFailures {
      let id: LotteryID
      do { id = try LotteryID(round) } catch { fail("\(round) is not a lottery round's id: \(error)") }
      let store = try await logOptions.open()
      let report: LotteryReplay.Report
      do { report = try await LotteryReplay.run(id, in: store) } catch {
        await store.close()
        throw error
      }
      await store.close()
      print("round \(id): seed \(report.seed) (the log's hash at position \(report.sealedThrough)\(report.seedMatches ? "" : ", which does NOT match that event's hash"))")
      for result in report.recorded {
        print(["#\(result.number)", result.key, "place \(result.place)", result.outcome.rawValue, result.bookings.map(\.rawValue).joined(separator: ",")].joined(separator: "\t"))
      }
      if let difference = report.difference { fail("the draw run again differs from the recorded one: \(difference)") }
      guard report.seedMatches else { fail("the seed is not the log's hash at position \(report.sealedThrough)") }
      print("ok: \(report.recorded.count) applications, \(report.recorded.filter { $0.outcome == .won }.count) won, the same when drawn again")
    }
  }
}

/// The draw of a round, made again from the log as it stood just before the draw was recorded.
enum LotteryReplay {
  struct Failure: Error, CustomStringConvertible { var description: String }

  struct Report {
    var seed: String
    var sealedThrough: Int64
    var seedMatches: Bool
    var recorded: [LotteryResult]
    /// The first difference between the recorded and the recomputed results (nil: none).
    var difference: String?
  }

  static func run(_ id: LotteryID, in store: any EventStore) async throws -> Report {
    let events = try await store.readAll(stream: try Lottery.stream(id))
    guard !events.isEmpty else { throw Failure(description: "there is no lottery round \(id) in this log") }
    guard let drawnAt = events.firstIndex(where: { $0.type == Lottery.Drawn.eventType }) else {
      throw Failure(description: "round \(id) has not been drawn yet")
    }
    let cut = events[drawnAt].position
    let round = try events[..<drawnAt].reduce(Lottery.initialState) { Lottery.evolve($0, try Lottery.codec.decode($1)) }
    guard case .drawn(let drawn) = try Lottery.codec.decode(events[drawnAt]), let seed = round?.seed, let sealed = round?.sealedThrough else {
      throw Failure(description: "round \(id) was drawn without being closed")
    }
    // The seed is the hash of the event at `sealedThrough` (32 zero bytes for an empty log).
    let hash = sealed == 0 ? Data(count: 32) : try await store.read(after: sealed - 1, category: nil, limit: 1).first?.hash ?? Data()
    let seedMatches = hash.hexadecimal == seed

    func fold<Event, State>(_ stream: StreamName, _ codec: EventCodec<Event>, _ initial: State, _ evolve: (State, Event) -> State) async throws -> State {
      var state = initial
      for recorded in try await store.readAll(stream: stream) where recorded.position < cut {
        state = evolve(state, try codec.decode(recorded))
      }
      return state
    }
    let catalogue = try await fold(try CatalogueHistory.stream(), CatalogueHistory.codec, CatalogueHistory.initialState, CatalogueHistory.evolve)
    let closures = try await fold(try Closures.stream(), Closures.codec, Closures.initialState, Closures.evolve)
    let lotteries = try await fold(try LotteryIndex.stream(), LotteryIndex.codec, LotteryIndex.initialState, LotteryIndex.evolve)
    guard let (version, current) = catalogue.current, version == drawn.catalogueVersion else {
      throw Failure(description: "the catalogue in force before the draw is not version \(drawn.catalogueVersion), which the draw names")
    }
    let needed = try Lottery.sheets(for: round, in: current)
    var slots: [StreamName: DaySheet.State] = [:]
    var stock: [StreamName: EquipmentSheet.State] = [:]
    for stream in needed.slots { slots[stream] = try await fold(stream, DaySheet.codec, DaySheet.initialState, DaySheet.evolve) }
    for stream in needed.equipment { stock[stream] = try await fold(stream, EquipmentSheet.codec, EquipmentSheet.initialState, EquipmentSheet.evolve) }
    let context = DeskContext(catalogue: catalogue, closures: closures, lotteries: lotteries, today: drawn.on, at: drawn.at.date)
    let again = try Lottery.draw(round, context, sheets: slots, equipment: stock)
    var recomputed: [LotteryResult] = []
    for event in again.round { if case .drawn(let e) = event { recomputed = e.results } }
    return Report(
      seed: seed, sealedThrough: sealed, seedMatches: seedMatches, recorded: drawn.results, difference: difference(drawn.results, recomputed))
  }

  static func difference(_ recorded: [LotteryResult], _ recomputed: [LotteryResult]) -> String? {
    guard recorded.count == recomputed.count else { return "\(recorded.count) results recorded, \(recomputed.count) drawn again" }
    for (a, b) in zip(recorded, recomputed) where a != b {
      return "application \(a.number): recorded \(a.outcome.rawValue) (place \(a.place), bookings \(a.bookings.map(\.rawValue))), drawn again \(b.outcome.rawValue) (place \(b.place), bookings \(b.bookings.map(\.rawValue)))"
    }
    return nil
  }
}
