import Foundation
import SharedKernel
import Succession

/// The centre of the tests: a few partners and a clock set by the test.
enum Fixtures {
  static func date(_ text: String) -> LocalDate { try! LocalDate(iso8601: text) }
  static func context(_ today: String) -> SuccessionContext {
    SuccessionContext(today: date(today), at: date(today).startInJapan.addingTimeInterval(3600 * 10))
  }
  static func partnerID(_ text: String) -> PartnerID { try! PartnerID(text) }
  static func staff(_ text: String) -> UserID { try! UserID(text) }
  static func number(_ text: String) -> CorporateNumber { try! CorporateNumber(text) }

  /// A bank, a 商工会議所 and a 商工会, joined on 2022-04-01; the 商工会 has left by 2023-01-31.
  static let partners: Partners.State = {
    let profiles = [
      PartnerProfile(id: partnerID("hamagin"), name: "横浜銀行", type: .financialInstitution, region: .prefectureWide),
      PartnerProfile(id: partnerID("cci-yokohama"), name: "横浜商工会議所", type: .chamberOfCommerce, region: .yokohama),
      PartnerProfile(id: partnerID("shokokai-hakone"), name: "箱根町商工会", type: .societyOfCommerce, region: .west),
    ]
    var state = Partners.initialState
    for profile in profiles {
      for event in try! Partners.decide(.join(profile), state, context("2022-04-01")) { state = Partners.evolve(state, event) }
    }
    for event in try! Partners.decide(.leave(partnerID("shokokai-hakone"), reason: "統合"), state, context("2023-01-31")) {
      state = Partners.evolve(state, event)
    }
    return state
  }()

  static func partner(_ id: String) -> Partners.Partner? { partners.partner(partnerID(id)) }
}
