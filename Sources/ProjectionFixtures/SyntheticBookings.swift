public import EventLog
import Foundation
public import GRDB
public import Projections

/// A booking-like event stream for exercising projections without a real context:
/// requests, confirmations and cancellations of rooms on dates.
public enum SyntheticBookings {
  public struct Requested: Codable, Sendable {
    public var booking: Int
    public var room: String
    public var date: String
    public var seats: Int
  }

  public struct Changed: Codable, Sendable {
    public var booking: Int
  }

  public static let requested = "Test.BookingRequested"
  public static let confirmed = "Test.BookingConfirmed"
  public static let cancelled = "Test.BookingCancelled"

  /// `count` events from a seeded generator: the same seed gives the same events, ids included.
  public static func events(count: Int, seed: UInt64, firstBooking: Int = 1) -> [(StreamName, ProposedEvent)] {
    var random = SeededGenerator(seed: seed)
    var out: [(StreamName, ProposedEvent)] = []
    out.reserveCapacity(count)
    var open: [Int] = []
    var next = firstBooking
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let rooms = ["hall-full", "hall-half-a", "hall-half-b", "room-301", "room-302", "room-401", "room-402", "room-501"]
    while out.count < count {
      let roll = Int(random.next() % 10)
      let id: Int
      let type: String
      let data: Data
      if roll < 6 || open.isEmpty {
        id = next
        next += 1
        open.append(id)
        let day = 1 + Int(random.next() % 28)
        let month = 1 + Int(random.next() % 12)
        let body = Requested(
          booking: id, room: rooms[Int(random.next() % UInt64(rooms.count))],
          date: String(format: "2023-%02d-%02d", month, day), seats: 4 + Int(random.next() % 80))
        type = requested
        data = (try? encoder.encode(body)) ?? Data()
      } else {
        let index = Int(random.next() % UInt64(open.count))
        id = open[index]
        if roll < 9 {
          type = confirmed
        } else {
          type = cancelled
          open.remove(at: index)
        }
        data = (try? encoder.encode(Changed(booking: id))) ?? Data()
      }
      let eventID = UUIDv7.make(milliseconds: 1_700_000_000_000 + Int64(out.count), using: &random)
      let stream = StreamName(unchecked: "booking-\(id)")
      out.append((stream, ProposedEvent(eventID: eventID, type: type, data: data, metadata: Data(#"{"actor":"fixture"}"#.utf8))))
    }
    return out
  }

  /// Appends `count` synthetic events in batches of `batch` events per append.
  public static func append(count: Int, seed: UInt64, to store: any EventStore, batch: Int = 500, firstBooking: Int = 1) async throws {
    let all = events(count: count, seed: seed, firstBooking: firstBooking)
    var index = 0
    while index < all.count {
      // One append per batch: each stream's events in order, streams in order of first appearance.
      var order: [StreamName] = []
      var byStream: [StreamName: [ProposedEvent]] = [:]
      for (stream, event) in all[index..<Swift.min(index + batch, all.count)] {
        if byStream[stream] == nil { order.append(stream) }
        byStream[stream, default: []].append(event)
      }
      _ = try await store.append(Append(writes: order.map { StreamWrite(stream: $0, events: byStream[$0] ?? []) }))
      index += batch
    }
  }
}

/// A deterministic random source (SplitMix64) so fixtures are the same on every run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A realistic read model over the synthetic bookings: a bookings table with an index, and
/// seats booked per room and day.
public struct BookingsProjection: Projection {
  public let name: String
  public let version: Int
  /// A booking id whose events make `apply` fail (to test that one projection stops alone).
  public let failingBooking: Int?

  public init(name: String = "bookings", version: Int = 1, failingBooking: Int? = nil) {
    self.name = name
    self.version = version
    self.failingBooking = failingBooking
  }

  public var eventTypes: Set<String> { [SyntheticBookings.requested, SyntheticBookings.confirmed, SyntheticBookings.cancelled] }
  public var tables: [String] { ["bookings", "room_days"] }

  public func createTables(in db: Database, _ set: TableSet) throws {
    try db.execute(
      sql: """
        CREATE TABLE "\(set.table("bookings"))" (
          id INTEGER PRIMARY KEY, room TEXT NOT NULL, date TEXT NOT NULL, seats INTEGER NOT NULL,
          status TEXT NOT NULL, position INTEGER NOT NULL);
        CREATE INDEX "\(set.table("bookings"))_room_date" ON "\(set.table("bookings"))"(room, date);
        CREATE TABLE "\(set.table("room_days"))" (
          room TEXT NOT NULL, date TEXT NOT NULL, booked_seats INTEGER NOT NULL, bookings INTEGER NOT NULL,
          PRIMARY KEY (room, date)) WITHOUT ROWID;
        """)
  }

  struct Failure: Error, CustomStringConvertible {
    let booking: Int
    var description: String { "booking \(booking) cannot be folded" }
  }

  /// The statements of one generation, looked up once per batch rather than once per event.
  struct Statements {
    let insertBooking: Statement
    let addToDay: Statement
    let findBooking: Statement
    let removeFromDay: Statement
    let setStatus: Statement

    init(_ db: Database, _ set: TableSet) throws {
      let bookings = set.table("bookings")
      let days = set.table("room_days")
      insertBooking = try db.cachedStatement(
        sql: "INSERT INTO \"\(bookings)\" (id, room, date, seats, status, position) VALUES (?, ?, ?, ?, 'requested', ?)")
      addToDay = try db.cachedStatement(
        sql: """
          INSERT INTO "\(days)" (room, date, booked_seats, bookings) VALUES (?, ?, ?, 1)
          ON CONFLICT (room, date) DO UPDATE SET booked_seats = booked_seats + excluded.booked_seats, bookings = bookings + 1
          """)
      findBooking = try db.cachedStatement(sql: "SELECT room, date, seats FROM \"\(bookings)\" WHERE id = ?")
      removeFromDay = try db.cachedStatement(
        sql: "UPDATE \"\(days)\" SET booked_seats = booked_seats - ?, bookings = bookings - 1 WHERE room = ? AND date = ?")
      setStatus = try db.cachedStatement(sql: "UPDATE \"\(bookings)\" SET status = ?, position = ? WHERE id = ?")
    }
  }

  public func apply(_ event: RecordedEvent, in db: Database, _ set: TableSet) throws {
    try fold(event, with: Statements(db, set))
  }

  public func apply(batch events: ArraySlice<RecordedEvent>, in db: Database, _ set: TableSet) throws {
    let statements = try Statements(db, set)
    for event in events {
      do { try fold(event, with: statements) } catch {
        throw ProjectionEventFailure(position: event.position, type: event.type, reason: error)
      }
    }
  }

  func fold(_ event: RecordedEvent, with statements: Statements) throws {
    switch event.type {
    case SyntheticBookings.requested:
      let body = try EventJSONDecoder().decode(SyntheticBookings.Requested.self, from: event.data)
      if body.booking == failingBooking { throw Failure(booking: body.booking) }
      try statements.insertBooking.execute(arguments: [body.booking, body.room, body.date, body.seats, event.position])
      try statements.addToDay.execute(arguments: [body.room, body.date, body.seats])
    case SyntheticBookings.confirmed, SyntheticBookings.cancelled:
      let body = try EventJSONDecoder().decode(SyntheticBookings.Changed.self, from: event.data)
      if body.booking == failingBooking { throw Failure(booking: body.booking) }
      let status = event.type == SyntheticBookings.confirmed ? "confirmed" : "cancelled"
      if status == "cancelled", let row = try Row.fetchOne(statements.findBooking, arguments: [body.booking]) {
        try statements.removeFromDay.execute(arguments: [row["seats"] as Int, row["room"] as String, row["date"] as String])
      }
      try statements.setStatus.execute(arguments: [status, event.position, body.booking])
    default:
      break
    }
  }
}
