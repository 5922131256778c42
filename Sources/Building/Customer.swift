public import EventLog
public import Foundation
public import SharedKernel

/// Phantom tag for ``CustomerID``.
public enum CustomerTag {}
/// A registered customer of the building: `c-<UUIDv7>`.
public typealias CustomerID = ID<CustomerTag>

/// What kind of body a customer is.
public enum CustomerKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// 企業.
  case company
  /// 支援機関・団体.
  case body
  /// サークル・地域団体.
  case circle
  /// 個人.
  case individual

  public var japaneseName: String {
    switch self {
    case .company: "企業"
    case .body: "団体・支援機関"
    case .circle: "サークル"
    case .individual: "個人"
    }
  }
}

/// 利用者登録: who books, as the desk registers them.
public struct CustomerProfile: Sendable, Hashable, Codable {
  public var name: String
  /// フリガナ in full-width katakana, for search and 50音 order (empty until the desk asks for it).
  public var nameKana: String
  public var kind: CustomerKind
  public var tier: CustomerTier
  public var phone: String?
  public var email: String?
  public var contactPerson: String?

  public init(
    name: String, nameKana: String, kind: CustomerKind, tier: CustomerTier, phone: String? = nil, email: String? = nil,
    contactPerson: String? = nil
  ) {
    self.name = name
    self.nameKana = nameKana
    self.kind = kind
    self.tier = tier
    self.phone = phone
    self.email = email
    self.contactPerson = contactPerson
  }

  /// The profile with its text trimmed, the reading in full-width katakana and the phone number
  /// in ASCII digits and hyphens; or the first field that is wrong.
  public func checked() throws(BuildingError) -> CustomerProfile {
    var profile = self
    profile.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
    guard (1...100).contains(profile.name.count) else { throw .invalidCustomer(field: "name", reason: "名称は1〜100文字で入力してください") }
    // A caller booked on the phone may give no reading yet; they sort after the others.
    profile.nameKana = nameKana.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "" : try Kana.normalised(nameKana)
    if let phone = phone?.trimmingCharacters(in: .whitespaces), !phone.isEmpty {
      let normalised = Kana.asciiDigits(phone)
      guard normalised.filter(\.isNumber).count >= 10, normalised.count <= 20,
        normalised.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") })
      else { throw .invalidCustomer(field: "phone", reason: "電話番号は10桁以上の数字（ハイフン可）で入力してください") }
      profile.phone = normalised
    } else {
      profile.phone = nil
    }
    if let email = email?.trimmingCharacters(in: .whitespaces), !email.isEmpty {
      let parts = email.split(separator: "@", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), email.count <= 200 else {
        throw .invalidCustomer(field: "email", reason: "メールアドレスの形式が正しくありません")
      }
      profile.email = email
    } else {
      profile.email = nil
    }
    profile.contactPerson = contactPerson?.trimmingCharacters(in: .whitespaces)
    if profile.contactPerson?.isEmpty == true { profile.contactPerson = nil }
    return profile
  }
}

/// A customer's stream, `customer-<id>`: registration and changes of their details.
public enum Customer: Decider {
  public static let category = "customer"

  public static func stream(_ id: CustomerID) throws(EventLogError) -> StreamName {
    try StreamName(category: category, id: id.rawValue)
  }

  public enum Command: Sendable, Hashable {
    case register(CustomerID, CustomerProfile, at: Date)
    case update(CustomerProfile, at: Date)
  }

  /// A customer was registered (利用者登録).
  public struct Registered: RecordableEvent, Hashable {
    public static let eventType = "Building.CustomerRegistered"
    public static let schemaVersion = 1
    public var customer: CustomerID
    public var profile: CustomerProfile
    public var at: Timestamp
  }

  /// A customer's details changed.
  public struct Updated: RecordableEvent, Hashable {
    public static let eventType = "Building.CustomerUpdated"
    public static let schemaVersion = 1
    public var customer: CustomerID
    public var profile: CustomerProfile
    public var at: Timestamp
  }

  public enum Event: Sendable, Hashable {
    case registered(Registered)
    case updated(Updated)
  }

  /// The customer, once registered.
  public struct Record: Sendable, Hashable {
    public var id: CustomerID
    public var profile: CustomerProfile

    public init(id: CustomerID, profile: CustomerProfile) {
      self.id = id
      self.profile = profile
    }
  }

  public typealias State = Record?
  public static let initialState: State = nil

  public static func decide(_ command: Command, _ state: State) throws(BuildingError) -> [Event] {
    switch command {
    case .register(let id, let profile, let at):
      if state != nil { throw .customerExists(id) }
      return [.registered(Registered(customer: id, profile: try profile.checked(), at: Timestamp(at)))]
    case .update(let profile, let at):
      guard let state else { throw .unknownCustomer(nil) }
      let checked = try profile.checked()
      return checked == state.profile ? [] : [.updated(Updated(customer: state.id, profile: checked, at: Timestamp(at)))]
    }
  }

  public static func evolve(_ state: State, _ event: Event) -> State {
    switch event {
    case .registered(let e): Record(id: e.customer, profile: e.profile)
    case .updated(let e): Record(id: e.customer, profile: e.profile)
    }
  }

  public static let codec: EventCodec<Event> = {
    var codec = EventCodec<Event>()
    codec.register(Registered.self, embed: Event.registered) { if case .registered(let e) = $0 { e } else { nil } }
    codec.register(Updated.self, embed: Event.updated) { if case .updated(let e) = $0 { e } else { nil } }
    return codec
  }()
}

/// Readings (フリガナ) as the desk types them: hiragana, half-width katakana (ｶﾅ, as banks and
/// old systems print), full-width katakana; all become full-width katakana.
public enum Kana {
  private static let halfWidth = Array("ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ")
  private static let fullWidth = Array("ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン")

  /// The reading in full-width katakana with single spaces; or why it is not a reading.
  public static func normalised(_ text: String) throws(BuildingError) -> String {
    var out: [Character] = []
    for scalar in text.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars {
      let value = scalar.value
      switch value {
      case 0x3041...0x3096:  // hiragana → katakana
        out.append(Character(Unicode.Scalar(value + 0x60)!))
      case 0x30A1...0x30FA, 0x30FC, 0x30FB:  // katakana, ー, ・
        out.append(Character(scalar))
      case 0xFF66...0xFF9D:
        if let index = halfWidth.firstIndex(of: Character(scalar)) { out.append(fullWidth[index]) }
      case 0xFF9E, 0xFF9F:  // half-width (han)dakuten: voice the previous kana
        guard let last = out.last, let voiced = voice(last, semi: value == 0xFF9F) else {
          throw .invalidCustomer(field: "nameKana", reason: "フリガナの濁点・半濁点の位置が正しくありません")
        }
        out[out.count - 1] = voiced
      case 0x20, 0x3000:
        if out.last != " " && !out.isEmpty { out.append(" ") }
      default:
        throw .invalidCustomer(field: "nameKana", reason: "フリガナはカタカナまたはひらがなで入力してください（「\(Character(scalar))」は使えません）")
      }
    }
    let result = String(out).trimmingCharacters(in: .whitespaces)
    guard (1...100).contains(result.count) else { throw .invalidCustomer(field: "nameKana", reason: "フリガナを入力してください") }
    return result
  }

  private static func voice(_ kana: Character, semi: Bool) -> Character? {
    guard let value = kana.unicodeScalars.first?.value else { return nil }
    if kana == "ウ" && !semi { return "ヴ" }
    let ha: ClosedRange<UInt32> = 0x30CF...0x30DB  // ハ…ホ
    // カ…チ are every other code point; ッ (U+30C3) sits before ツ, so ツテト are even from U+30C4.
    let voiceable = ((0x30AB...0x30C1).contains(value) && (value - 0x30AB) % 2 == 0) || [0x30C4, 0x30C6, 0x30C8].contains(value)
    if !semi, voiceable { return Unicode.Scalar(value + 1).map(Character.init) }
    if ha.contains(value), (value - 0x30CF) % 3 == 0 {
      return Unicode.Scalar(value + (semi ? 2 : 1)).map(Character.init)
    }
    return nil
  }

  /// Full-width digits and hyphens (０-９, －, ー, ‐) as ASCII, for phone numbers.
  public static func asciiDigits(_ text: String) -> String {
    String(
      text.unicodeScalars.compactMap { scalar -> Character? in
        switch scalar.value {
        case 0xFF10...0xFF19: Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
        case 0xFF0D, 0x30FC, 0x2010, 0x2012, 0x2013, 0x2212: "-"
        case 0x20, 0x3000: nil
        default: Character(scalar)
        }
      })
  }

  /// Digits only, for matching a phone number however it was typed.
  public static func phoneDigits(_ text: String) -> String { asciiDigits(text).filter(\.isNumber) }
}
