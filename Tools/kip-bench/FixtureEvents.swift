import ProjectionFixtures
import EventLog
import Foundation

/// The typed events of the benchmark log: shapes like the three contexts' own, 200–400 bytes of
/// JSON each, so that decoding costs what a projection's decoding would.
enum FixtureEvent: Sendable {
  case bookingRequested(BookingRequested)
  case bookingConfirmed(BookingConfirmed)
  case caseOpened(CaseOpened)
  case depositPlaced(DepositPlaced)

  /// A rental room or the hall requested for a date and time.
  struct BookingRequested: RecordableEvent {
    static let eventType = "Building.BookingRequested"
    static let schemaVersion = 1

    struct Applicant: Codable, Sendable {
      var organisation: String
      var contact: String
      var phone: String
    }

    var bookingID: String
    var space: String
    var date: String
    var start: String
    var end: String
    var seats: Int
    var purpose: String
    var applicant: Applicant
    var feeYen: Int64
  }

  /// A booking confirmed by the desk, with the invoice it raised.
  struct BookingConfirmed: RecordableEvent {
    static let eventType = "Building.BookingConfirmed"
    static let schemaVersion = 1

    var bookingID: String
    var confirmedBy: String
    var invoiceNumber: String
    var feeYen: Int64
    var dueDate: String
    var note: String
  }

  /// A business-succession case opened on a partner's referral.
  struct CaseOpened: RecordableEvent {
    static let eventType = "Succession.CaseOpened"
    static let schemaVersion = 1

    struct Company: Codable, Sendable {
      var name: String
      var corporateNumber: String
      var city: String
      var industry: String
      var employees: Int
    }

    var caseID: String
    var kind: String
    var company: Company
    var referredBy: String
    var ownerAge: Int
    var summary: String
  }

  /// Deposit principal placed with a handling institution.
  struct DepositPlaced: RecordableEvent {
    static let eventType = "Deposits.DepositPlaced"
    static let schemaVersion = 1

    var placementID: String
    var institution: String
    var branch: String
    var amountYen: Int64
    var rate: String
    var valueDate: String
    var maturityDate: String
    var program: String
    var fiscalYear: String
  }

  /// The codec a projection of these events would use.
  static let codec: EventCodec<FixtureEvent> = {
    var codec = EventCodec<FixtureEvent>()
    codec.register(BookingRequested.self, embed: FixtureEvent.bookingRequested) {
      if case .bookingRequested(let event) = $0 { event } else { nil }
    }
    codec.register(BookingConfirmed.self, embed: FixtureEvent.bookingConfirmed) {
      if case .bookingConfirmed(let event) = $0 { event } else { nil }
    }
    codec.register(CaseOpened.self, embed: FixtureEvent.caseOpened) {
      if case .caseOpened(let event) = $0 { event } else { nil }
    }
    codec.register(DepositPlaced.self, embed: FixtureEvent.depositPlaced) {
      if case .depositPlaced(let event) = $0 { event } else { nil }
    }
    return codec
  }()
}

/// Encoded event bodies and metadata, made once from a seed and reused round-robin: generating
/// a million events must not cost more than appending them.
struct EventSamples: Sendable {
  /// One encoded sample: stored type, schema version and data bytes.
  struct Body: Sendable {
    var type: String
    var schemaVersion: Int
    var data: Data
  }

  let bookingRequests: [Body]
  let bookingConfirmations: [Body]
  let cases: [Body]
  let deposits: [Body]
  let metadata: [Data]

  /// `count` samples of each type from the seeded generator `seed`.
  init(count: Int = 512, seed: UInt64 = 2022) throws {
    var random = SeededGenerator(seed: seed)
    let codec = FixtureEvent.codec
    func body(_ event: FixtureEvent) throws -> Body {
      let (type, version, data) = try codec.encode(event)
      return Body(type: type, schemaVersion: version, data: data)
    }
    let spaces = ["hall-full", "hall-half-a", "hall-half-b", "room-301", "room-302", "room-401", "room-402", "room-501"]
    let purposes = ["事業承継セミナー（第3回）", "定例理事会", "創業支援セミナー", "商工会議所合同説明会", "自治会総会", "金融機関向け制度融資説明会"]
    let organisations = ["株式会社かながわ精工", "有限会社湘南フーズ", "横浜商工会議所", "相模原市商工会", "一般社団法人県央技術協会"]
    let contacts = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲"]
    let industries = ["金属製品製造業", "食料品製造業", "建設業", "小売業", "運輸業", "情報通信業"]
    let cities = ["横浜市中区", "川崎市高津区", "相模原市中央区", "藤沢市", "厚木市", "小田原市"]
    let kinds = ["family", "employee", "third-party"]
    let institutions = [("横浜銀行", "本店営業部"), ("きらぼし銀行", "横浜支店"), ("横浜信用金庫", "本店"), ("川崎信用金庫", "本店営業部")]
    var requests: [Body] = [], confirmations: [Body] = [], cases: [Body] = [], deposits: [Body] = []
    for n in 0..<count {
      let month = 1 + random.next(12), day = 1 + random.next(28), hour = 9 + random.next(8)
      let booking = "bk-2023-\(String(format: "%06d", n))"
      let fee = Int64(5_500 * (1 + random.next(12)))
      requests.append(
        try body(
          .bookingRequested(
            FixtureEvent.BookingRequested(
              bookingID: booking, space: spaces[random.next(spaces.count)],
              date: String(format: "2023-%02d-%02d", month, day), start: String(format: "%02d:00", hour),
              end: String(format: "%02d:00", hour + 1 + random.next(3)), seats: 4 + random.next(120),
              purpose: purposes[random.next(purposes.count)],
              applicant: .init(
                organisation: organisations[random.next(organisations.count)], contact: contacts[random.next(contacts.count)],
                phone: String(format: "045-%03d-%04d", random.next(1000), random.next(10000))),
              feeYen: fee))))
      confirmations.append(
        try body(
          .bookingConfirmed(
            FixtureEvent.BookingConfirmed(
              bookingID: booking, confirmedBy: String(format: "u-%04d", random.next(200)),
              invoiceNumber: "INV-2023-\(String(format: "%06d", n))", feeYen: fee,
              dueDate: String(format: "2023-%02d-28", month), note: "請求書は月末締め翌月末払い。キャンセルは7日前まで無料。"))))
      cases.append(
        try body(
          .caseOpened(
            FixtureEvent.CaseOpened(
              caseID: "case-2022-\(String(format: "%04d", n))", kind: kinds[random.next(kinds.count)],
              company: .init(
                name: organisations[random.next(organisations.count)],
                corporateNumber: String(format: "%07d%06d", random.next(10_000_000), random.next(1_000_000)),
                city: cities[random.next(cities.count)], industry: industries[random.next(industries.count)],
                employees: 3 + random.next(300)),
              referredBy: String(format: "partner-%03d", 1 + random.next(119)), ownerAge: 55 + random.next(30),
              summary: "後継者不在のため第三者承継を希望。経営者保証の解除について相談あり。"))))
      let (institution, branch) = institutions[random.next(institutions.count)]
      deposits.append(
        try body(
          .depositPlaced(
            FixtureEvent.DepositPlaced(
              placementID: "pl-FY2022-\(String(format: "%05d", n))", institution: institution, branch: branch,
              amountYen: Int64(100_000_000 * (1 + random.next(40))), rate: String(format: "0.00%04d", random.next(5000)),
              valueDate: String(format: "2022-%02d-01", 4 + random.next(9)), maturityDate: "2023-03-31",
              program: "中小企業制度融資（預託）", fiscalYear: "FY2022"))))
    }
    let roles = ["desk", "building-manager", "succession", "treasury"]
    let sources = ["kip-building", "kip-succession", "kip-deposits"]
    metadata = (0..<64).map { _ in
      EventMetadata(
        actor: String(format: "u-%04d", random.next(200)), role: roles[random.next(roles.count)],
        correlationID: UUIDv7.make(milliseconds: 1_680_000_000_000 + Int64(random.next(1_000_000)), using: &random).uuidString,
        source: sources[random.next(sources.count)]
      ).encoded()
    }
    bookingRequests = requests
    bookingConfirmations = confirmations
    self.cases = cases
    self.deposits = deposits
  }

  /// The `n`th event of `stream`'s category (`booking`, `case`, `deposit`), with a fresh id.
  func event(_ n: Int, category: Category, id: UUID) -> ProposedEvent {
    let body: Body
    switch category {
    case .booking: body = (n.isMultiple(of: 2) ? bookingRequests : bookingConfirmations)[(n / 2) % bookingRequests.count]
    case .succession: body = cases[n % cases.count]
    case .deposits: body = deposits[n % deposits.count]
    }
    return ProposedEvent(
      eventID: id, type: body.type, schemaVersion: body.schemaVersion, data: body.data, metadata: metadata[n % metadata.count])
  }

  /// The stream categories of the fixture, one per context.
  enum Category: Int, CaseIterable, Sendable {
    case booking, succession, deposits

    var name: String {
      switch self {
      case .booking: "booking"
      case .succession: "case"
      case .deposits: "deposit"
      }
    }
  }

  /// Mean bytes of data and of metadata over the samples, for the run's notes.
  var meanSizes: (data: Int, metadata: Int) {
    let all = bookingRequests + bookingConfirmations + cases + deposits
    return (all.map(\.data.count).reduce(0, +) / max(1, all.count), metadata.map(\.count).reduce(0, +) / max(1, metadata.count))
  }
}


extension EventSamples {
  /// `writers` tasks, each appending one event at a time to a stream of its own until
  /// `deadline`; answers how many events they appended in all (append-concurrent, both backends).
  func appendConcurrently(to store: any EventStore, writers: Int, until deadline: ContinuousClock.Instant) async throws -> Int {
    try await withThrowingTaskGroup(of: Int.self) { group in
      for writer in 0..<writers {
        group.addTask {
          let stream = try StreamName("booking-writer\(writer)")
          var count = 0
          var n = writer
          while ContinuousClock.now < deadline {
            _ = try await store.append(Append([event(n, category: .booking, id: UUIDv7.make())], to: stream))
            count += 1
            n += 1
          }
          return count
        }
      }
      return try await group.reduce(0, +)
    }
  }
}

extension SeededGenerator {
  /// A number in `0..<bound`.
  mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
