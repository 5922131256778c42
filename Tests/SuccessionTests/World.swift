import EventLog
import Foundation
import SharedKernel
import Succession
import Testing

/// The company and referral most tests are about.
extension Fixtures {
  static func caseID(_ text: String) -> CaseID { try! CaseID(text) }

  static let acme = Company(name: "株式会社みなと精工", nameKana: "みなとせいこう", corporateNumber: number("1180301018771"), industry: .manufacturing, address: "神奈川県横浜市中区尾上町5-80", employees: 12, salesBand: .upTo100m, ownerAge: 72)

  static func referral(_ id: String, company: Company = acme, partner: String = "hamagin", consent: Bool = true, on: String = "2022-05-09") -> NewReferral {
    NewReferral(id: caseID(id), partner: partnerID(partner), partnerStaff: "融資課 佐藤", company: company, referredOn: date(on), reason: "後継者不在、第三者承継を検討", consent: consent)
  }
}

/// The streams of a test's decisions, folded as the log would hold them.
struct World {
  var cases: [CaseID: Case.State] = [:]
  var index: CompanyIndex.Lookup = [:]

  /// The index streams of `company`'s keys, as a service would read them.
  func lookup(_ company: Company) -> CompanyIndex.Lookup {
    var lookup: CompanyIndex.Lookup = [:]
    for key in CompanyIndex.keys(of: company) { lookup[key] = index[key] ?? CompanyIndex.initialState }
    return lookup
  }

  subscript(_ id: String) -> Case.State { cases[Fixtures.caseID(id)] ?? nil }

  mutating func apply(_ id: CaseID, _ events: [Case.Event]) {
    cases[id] = events.reduce(cases[id] ?? nil, Case.evolve)
  }

  mutating func apply(_ id: String, _ events: [Case.Event]) { apply(Fixtures.caseID(id), events) }

  mutating func apply(_ id: String, _ decision: CaseDecision) {
    apply(Fixtures.caseID(id), decision.events)
    if let other = decision.otherCase { apply(try! CaseID(other.stream.id), other.events) }
    for write in decision.index {
      for event in write.events {
        guard case .registered(let registered) = event else { continue }
        // A 法人番号 key is 13 digits; a name key always holds "@".
        let key: CompanyIndex.Key = (try? CorporateNumber(registered.key)).map { .number($0) } ?? .name(registered.key)
        #expect(write.stream == (try? key.stream()))
        index[key] = CompanyIndex.evolve(index[key] ?? CompanyIndex.initialState, event)
      }
    }
  }

  /// Refers and applies; returns the decision.
  @discardableResult
  mutating func refer(_ new: NewReferral, on today: String = "2022-05-10") throws -> CaseDecision {
    let decision = try Case.refer(new, partner: Fixtures.partners.partner(new.partner), index: lookup(new.company), cases[new.id] ?? nil, Fixtures.context(today))
    apply(new.id.rawValue, decision)
    return decision
  }
}
