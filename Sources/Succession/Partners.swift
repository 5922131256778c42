public import EventLog
import Foundation
public import SharedKernel

/// A partner organisation of the succession network (連携支援機関): the same id a partner user
/// belongs to (`OrganisationID`), e.g. `hamagin` or `shokokai-hadano`.
public typealias PartnerID = OrganisationID

/// What kind of body a partner is, as the national programme groups referral routes.
public enum PartnerType: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// 行政: the prefecture, a municipality.
  case government
  /// 商工会 (towns and villages).
  case societyOfCommerce = "society-of-commerce"
  /// 商工会議所 (cities).
  case chamberOfCommerce = "chamber-of-commerce"
  /// 金融機関: banks, 信用金庫, 信用組合, 政府系金融機関.
  case financialInstitution = "financial-institution"
  /// 士業団体: 税理士会, 弁護士会, 公認会計士協会, 中小企業診断協会, 司法書士会, ….
  case professionalBody = "professional-body"
  /// その他の支援機関: 中小企業団体中央会, 信用保証協会, よろず支援拠点, ….
  case supportBody = "support-body"

  public var japaneseName: String {
    switch self {
    case .government: "行政"
    case .societyOfCommerce: "商工会"
    case .chamberOfCommerce: "商工会議所"
    case .financialInstitution: "金融機関"
    case .professionalBody: "士業団体"
    case .supportBody: "その他支援機関"
    }
  }

  public static func < (lhs: PartnerType, rhs: PartnerType) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }

  /// The type as a file gives it: its Japanese name, the raw value, or a common word for it
  /// (銀行, 信用金庫, 市役所, 税理士会, 中央会, …).
  public init?(typed text: String) {
    let word = CompanyMatching.name(text)
    if let type = PartnerType.allCases.first(where: { CompanyMatching.name($0.rawValue) == word || CompanyMatching.name($0.japaneseName) == word }) {
      self = type
      return
    }
    let words: [(String, PartnerType)] = [
      ("自治体", .government), ("県", .government), ("市", .government), ("町", .government), ("村", .government),
      ("市役所", .government), ("市町村", .government), ("公的機関", .government),
      ("会議所", .chamberOfCommerce), ("cci", .chamberOfCommerce),
      ("銀行", .financialInstitution), ("信用金庫", .financialInstitution), ("信金", .financialInstitution),
      ("信用組合", .financialInstitution), ("信組", .financialInstitution), ("政府系金融機関", .financialInstitution),
      ("士業", .professionalBody), ("専門家団体", .professionalBody), ("税理士会", .professionalBody), ("弁護士会", .professionalBody),
      ("公認会計士協会", .professionalBody), ("司法書士会", .professionalBody), ("中小企業診断協会", .professionalBody),
      ("その他", .supportBody), ("支援機関", .supportBody), ("中央会", .supportBody), ("信用保証協会", .supportBody),
      ("よろず支援拠点", .supportBody),
    ]
    guard let found = words.first(where: { $0.0 == word }) else { return nil }
    self = found.1
  }
}

/// How to reach a partner's contact person (担当窓口).
public struct PartnerContact: Sendable, Hashable, Codable {
  /// 担当者.
  public var person: String?
  /// 担当部署.
  public var department: String?
  public var phone: String?
  public var email: String?
  /// 所在地.
  public var address: String?

  public init(person: String? = nil, department: String? = nil, phone: String? = nil, email: String? = nil, address: String? = nil) {
    self.person = person
    self.department = department
    self.phone = phone
    self.email = email
    self.address = address
  }

  /// Trimmed, empty as nil, the phone number in ASCII digits and hyphens; or the first field that is wrong.
  public func checked() throws(SuccessionError) -> PartnerContact {
    var contact = PartnerContact(
      person: Text.optional(person), department: Text.optional(department), phone: nil, email: Text.optional(email),
      address: Text.optional(address))
    if let person = contact.person, person.count > 50 { throw .invalidPartner(field: "person", reason: "担当者名は50文字までです") }
    if let department = contact.department, department.count > 100 { throw .invalidPartner(field: "department", reason: "部署名は100文字までです") }
    if let address = contact.address, address.count > 200 { throw .invalidPartner(field: "address", reason: "所在地は200文字までです") }
    if let phone = Text.optional(phone) {
      guard let normalised = Text.phone(phone) else {
        throw .invalidPartner(field: "phone", reason: "電話番号「\(phone)」は10桁以上の数字（ハイフン可）で入力してください")
      }
      contact.phone = normalised
    }
    if let email = contact.email {
      let parts = email.split(separator: "@", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.count <= 200, !email.contains(" ") else {
        throw .invalidPartner(field: "email", reason: "メールアドレス「\(email)」の形式が正しくありません")
      }
    }
    return contact
  }
}

/// What the registry records about a partner.
public struct PartnerProfile: Sendable, Hashable, Codable {
  public var id: PartnerID
  public var name: String
  public var type: PartnerType
  public var region: Region
  public var contact: PartnerContact

  public init(id: PartnerID, name: String, type: PartnerType, region: Region, contact: PartnerContact = PartnerContact()) {
    self.id = id
    self.name = name
    self.type = type
    self.region = region
    self.contact = contact
  }

  /// The profile as recorded: the id a short ASCII code, the name trimmed, the contact checked.
  public func checked() throws(SuccessionError) -> PartnerProfile {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    guard id.rawValue.count <= 40, id.rawValue.allSatisfy({ allowed.contains($0) }) else {
      throw .invalidPartner(field: "id", reason: "機関コード「\(id)」は半角英数字・ハイフン・下線で40文字までにしてください（例: hamagin, shokokai-hadano）")
    }
    var profile = self
    profile.name = Text.trimmed(name)
    guard (1...100).contains(profile.name.count) else { throw .invalidPartner(field: "name", reason: "機関名は1〜100文字で入力してください") }
    profile.contact = try contact.checked()
    return profile
  }
}

/// One row of a partner file: the partner as it should be now, and the line it came from.
public struct PartnerRow: Sendable, Hashable {
  public var line: Int
  public var profile: PartnerProfile
  /// 退会: the row says the partner has left the network.
  public var leaving: Bool
  public var leaveReason: String?

  public init(line: Int, profile: PartnerProfile, leaving: Bool = false, leaveReason: String? = nil) {
    self.line = line
    self.profile = profile
    self.leaving = leaving
    self.leaveReason = leaveReason
  }
}

/// The network's partner registry, one stream for all of them: `partners-succession`.
///
/// One stream because the registry is small (119 partners, a few changes a month) and an import
/// compares a whole file against all of it: every change is decided against the registry's
/// version, so two imports at once cannot both add the same partner.
public enum Partners {
  public static let category = "partners"

  public static func stream() throws(EventLogError) -> StreamName { try StreamName(category: category, id: "succession") }

  // MARK: Events

  /// A partner joined the network (or joined again after leaving).
  public struct Joined: RecordableEvent, Hashable {
    public static let eventType = "Succession.PartnerJoined"
    public static let schemaVersion = 1
    public var partner: PartnerID
    public var name: String
    public var type: PartnerType
    public var region: Region
    public var contact: PartnerContact
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The partner's name changed (a merger of banks, a new 商工会 name).
  public struct Renamed: RecordableEvent, Hashable {
    public static let eventType = "Succession.PartnerRenamed"
    public static let schemaVersion = 1
    public var partner: PartnerID
    public var name: String
    public var previous: String
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The partner's contact details changed.
  public struct ContactChanged: RecordableEvent, Hashable {
    public static let eventType = "Succession.PartnerContactChanged"
    public static let schemaVersion = 1
    public var partner: PartnerID
    public var contact: PartnerContact
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The partner's type or region was corrected.
  public struct Reclassified: RecordableEvent, Hashable {
    public static let eventType = "Succession.PartnerReclassified"
    public static let schemaVersion = 1
    public var partner: PartnerID
    public var type: PartnerType
    public var region: Region
    public var on: LocalDate
    public var at: Timestamp
  }

  /// The partner left the network: it refers no new cases; its past referrals stay.
  public struct Left: RecordableEvent, Hashable {
    public static let eventType = "Succession.PartnerLeft"
    public static let schemaVersion = 1
    public var partner: PartnerID
    public var reason: String
    public var on: LocalDate
    public var at: Timestamp
  }

  /// Every event of the registry.
  public enum Event: Sendable, Hashable {
    case joined(Joined)
    case renamed(Renamed)
    case contactChanged(ContactChanged)
    case reclassified(Reclassified)
    case left(Left)
  }

  // MARK: State

  /// A partner as the registry knows it.
  public struct Partner: Sendable, Hashable, Codable {
    public var id: PartnerID
    public var name: String
    public var type: PartnerType
    public var region: Region
    public var contact: PartnerContact
    public var joinedOn: LocalDate
    /// Set while the partner is out of the network.
    public var leftOn: LocalDate?

    public var active: Bool { leftOn == nil }

    public var profile: PartnerProfile { PartnerProfile(id: id, name: name, type: type, region: region, contact: contact) }
  }

  /// Every partner that ever joined, ordered by id.
  public struct State: Sendable, Hashable {
    public var partners: [Partner] = []
    public init() {}

    public func partner(_ id: PartnerID) -> Partner? { partners.first { $0.id == id } }

    /// The partners still in the network.
    public var active: [Partner] { partners.filter(\.active) }
  }

  public static let initialState = State()

  public static func evolve(_ state: State, _ event: Event) -> State {
    var state = state
    func update(_ id: PartnerID, _ change: (inout Partner) -> Void) {
      if let index = state.partners.firstIndex(where: { $0.id == id }) { change(&state.partners[index]) }
    }
    switch event {
    case .joined(let e):
      let partner = Partner(id: e.partner, name: e.name, type: e.type, region: e.region, contact: e.contact, joinedOn: e.on, leftOn: nil)
      if let index = state.partners.firstIndex(where: { $0.id == e.partner }) {
        state.partners[index] = partner
      } else {
        state.partners.insert(partner, at: state.partners.firstIndex { $0.id > e.partner } ?? state.partners.endIndex)
      }
    case .renamed(let e): update(e.partner) { $0.name = e.name }
    case .contactChanged(let e): update(e.partner) { $0.contact = e.contact }
    case .reclassified(let e):
      update(e.partner) {
        $0.type = e.type
        $0.region = e.region
      }
    case .left(let e): update(e.partner) { $0.leftOn = e.on }
    }
    return state
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Joined.self, embed: Event.joined) { if case .joined(let e) = $0 { e } else { nil } }
    codec.register(Renamed.self, embed: Event.renamed) { if case .renamed(let e) = $0 { e } else { nil } }
    codec.register(ContactChanged.self, embed: Event.contactChanged) { if case .contactChanged(let e) = $0 { e } else { nil } }
    codec.register(Reclassified.self, embed: Event.reclassified) { if case .reclassified(let e) = $0 { e } else { nil } }
    codec.register(Left.self, embed: Event.left) { if case .left(let e) = $0 { e } else { nil } }
    return codec
  }()

  // MARK: Decisions

  /// What staff ask of the registry.
  public enum Command: Sendable, Hashable {
    case join(PartnerProfile)
    case rename(PartnerID, to: String)
    case changeContact(PartnerID, PartnerContact)
    case reclassify(PartnerID, type: PartnerType, region: Region)
    case leave(PartnerID, reason: String)
    /// A partner file's rows (``PartnerFile/read(_:)``): each partner brought to what its row says.
    case importRows([PartnerRow])
  }

  /// What the command changes in the registry; nothing when the registry already says so, so
  /// an import of the same file twice records nothing the second time.
  public static func decide(_ command: Command, _ state: State, _ context: SuccessionContext) throws(SuccessionError) -> [Event] {
    let on = context.today
    let at = Timestamp(context.at)
    switch command {
    case .join(let profile):
      let profile = try profile.checked()
      if let existing = state.partner(profile.id), existing.active { throw .partnerExists(profile.id, name: existing.name) }
      return [.joined(joined(profile, on: on, at: at))]
    case .rename(let id, let name):
      let partner = try existing(id, state)
      var profile = partner.profile
      profile.name = name
      let checked = try profile.checked()
      return checked.name == partner.name ? [] : [.renamed(Renamed(partner: id, name: checked.name, previous: partner.name, on: on, at: at))]
    case .changeContact(let id, let contact):
      let partner = try existing(id, state)
      let checked = try contact.checked()
      return checked == partner.contact ? [] : [.contactChanged(ContactChanged(partner: id, contact: checked, on: on, at: at))]
    case .reclassify(let id, let type, let region):
      let partner = try existing(id, state)
      return partner.type == type && partner.region == region ? [] : [.reclassified(Reclassified(partner: id, type: type, region: region, on: on, at: at))]
    case .leave(let id, let reason):
      let partner = try existing(id, state)
      let reason = Text.trimmed(reason)
      guard !reason.isEmpty else { throw .reasonRequired(action: "退会の記録") }
      return partner.active ? [.left(Left(partner: id, reason: reason, on: on, at: at))] : []
    case .importRows(let rows):
      return try importRows(rows, state, on: on, at: at)
    }
  }

  static func importRows(_ rows: [PartnerRow], _ state: State, on: LocalDate, at: Timestamp) throws(SuccessionError) -> [Event] {
    var problems: [RowProblem] = []
    var events: [Event] = []
    var seen: [PartnerID: Int] = [:]
    var names: [String: (line: Int, id: PartnerID)] = [:]
    for row in rows {
      if let first = seen[row.profile.id] {
        problems.append(RowProblem(line: row.line, column: "機関コード", message: "機関コード「\(row.profile.id)」が\(first)行目と重複しています"))
        continue
      }
      seen[row.profile.id] = row.line
      let profile: PartnerProfile
      do { profile = try row.profile.checked() } catch {
        problems.append(RowProblem(line: row.line, column: PartnerFile.heading(of: error.field), message: error.description))
        continue
      }
      let key = CompanyMatching.name(profile.name)
      if let other = names[key], !row.leaving {
        problems.append(
          RowProblem(line: row.line, column: "機関名", message: "機関名「\(profile.name)」は\(other.line)行目（\(other.id)）と同じです。支店名などで区別してください"))
        continue
      }
      if !row.leaving { names[key] = (row.line, profile.id) }
      guard let partner = state.partner(profile.id) else {
        if row.leaving {
          problems.append(RowProblem(line: row.line, column: "状態", message: "機関コード「\(profile.id)」は登録されていないため退会にできません"))
        } else {
          events.append(.joined(joined(profile, on: on, at: at)))
        }
        continue
      }
      if row.leaving {
        if partner.active {
          events.append(.left(Left(partner: partner.id, reason: Text.optional(row.leaveReason) ?? "名簿の取込で退会", on: on, at: at)))
        }
        continue
      }
      if !partner.active {
        events.append(.joined(joined(profile, on: on, at: at)))
        continue
      }
      if profile.name != partner.name {
        events.append(.renamed(Renamed(partner: partner.id, name: profile.name, previous: partner.name, on: on, at: at)))
      }
      if profile.type != partner.type || profile.region != partner.region {
        events.append(.reclassified(Reclassified(partner: partner.id, type: profile.type, region: profile.region, on: on, at: at)))
      }
      if profile.contact != partner.contact {
        events.append(.contactChanged(ContactChanged(partner: partner.id, contact: profile.contact, on: on, at: at)))
      }
    }
    guard problems.isEmpty else { throw .importRejected(problems) }
    return events
  }

  static func joined(_ profile: PartnerProfile, on: LocalDate, at: Timestamp) -> Joined {
    Joined(partner: profile.id, name: profile.name, type: profile.type, region: profile.region, contact: profile.contact, on: on, at: at)
  }

  static func existing(_ id: PartnerID, _ state: State) throws(SuccessionError) -> Partner {
    guard let partner = state.partner(id) else { throw .unknownPartner(id) }
    return partner
  }
}
