import EventLog
import Foundation
import ServiceKit
import SharedKernel
import Succession

/// The schema pieces the bodies share.
enum Fields {
  static let date = Schema.string(description: "ISO 2023-03-31 or 和暦 令和5年3月31日")
  static let id = Schema.string(maxLength: 64)
  static let reason = Schema.string(maxLength: 2000)
  static let side = Schema.string(values: Side.allCases.map(\.rawValue))
  static let kind = Schema.string(values: SuccessionKind.allCases.map(\.rawValue))
  static let stage = Schema.string(values: Stage.allCases.map(\.rawValue))
  static let partnerType = Schema.string(values: PartnerType.allCases.map(\.rawValue))
  static let region = Schema.string(values: Region.allCases.map(\.rawValue))

  /// A 法人番号 as typed (13 digits, full-width or with hyphens accepted), or a clear 422.
  static func corporateNumber(_ text: String?) throws(Problem) -> CorporateNumber? {
    guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
    do { return try CorporateNumber(text) } catch { throw SuccessionError.invalidCorporateNumber(error).problem }
  }
}

/// A company as staff and partners describe it.
struct CompanyBody: DocumentedBody, Sendable {
  var name: String
  var nameKana: String?
  var corporateNumber: String?
  var industry: Industry?
  var region: Region?
  var address: String?
  var employees: Int?
  var salesBand: SalesBand?
  var ownerAge: Int?
  var representative: String?
  var phone: String?

  func company() throws(Problem) -> Company {
    Company(
      name: name, nameKana: nameKana, corporateNumber: try Fields.corporateNumber(corporateNumber), industry: industry, region: region,
      address: address, employees: employees, salesBand: salesBand, ownerAge: ownerAge, representative: representative, phone: phone)
  }

  static let schema = Schema.object(
    [
      "name": .string(maxLength: 100), "nameKana": .string(maxLength: 100),
      "corporateNumber": .string(maxLength: 20, description: "法人番号: 13 digits with a valid check digit"),
      "industry": .string(values: Industry.allCases.map(\.rawValue)), "region": Fields.region, "address": .string(maxLength: 200),
      "employees": .integer(minimum: 0, maximum: 1_000_000), "salesBand": .string(values: SalesBand.allCases.map(\.rawValue)),
      "ownerAge": .integer(minimum: 15, maximum: 120), "representative": .string(maxLength: 50), "phone": .string(maxLength: 30),
    ], required: ["name"])
}

/// A partner's referral of a company.
struct ReferralBody: DocumentedBody, Sendable {
  /// The referring partner; a partner user's own organisation when left out.
  var partner: PartnerID?
  var partnerStaff: String
  var company: CompanyBody
  var consent: Bool
  var reason: String
  var referredOn: DateInput?

  static let schema = Schema.object(
    [
      "partner": Fields.id, "partnerStaff": .string(maxLength: 50), "company": CompanyBody.schema, "consent": .boolean,
      "reason": Fields.reason, "referredOn": Fields.date,
    ], required: ["partnerStaff", "company", "consent", "reason"])
}

/// A direct consultation (web, phone, walk-in) opened as a case.
struct IntakeBody: DocumentedBody, Sendable {
  var route: Succession.Route
  var company: CompanyBody
  var side: Side
  var kind: SuccessionKind?
  var assignee: UserID?
  var summary: String?
  var separateFrom: CaseID?

  static let schema = Schema.object(
    [
      "route": .string(values: Succession.Route.allCases.filter { $0 != .partner }.map(\.rawValue)), "company": CompanyBody.schema, "side": Fields.side,
      "kind": Fields.kind, "assignee": Fields.id, "summary": .string(maxLength: 2000), "separateFrom": Fields.id,
    ], required: ["route", "company", "side"])
}

struct AcceptBody: DocumentedBody, Sendable {
  var side: Side
  var kind: SuccessionKind?
  var assignee: UserID?
  var separateFrom: CaseID?

  static let schema = Schema.object(
    ["side": Fields.side, "kind": Fields.kind, "assignee": Fields.id, "separateFrom": Fields.id], required: ["side"])
}

/// A reason: declining a referral, leaving the network, clearing a duplicate flag, unlinking a diagnosis.
struct ReasonBody: DocumentedBody, Sendable {
  var reason: String
  static let schema = Schema.object(["reason": Fields.reason], required: ["reason"])
}

struct AttachBody: DocumentedBody, Sendable {
  var to: CaseID
  static let schema = Schema.object(["to": Fields.id], required: ["to"])
}

struct StageBody: DocumentedBody, Sendable {
  var stage: Stage
  var on: DateInput?
  var reason: String?
  static let schema = Schema.object(["stage": Fields.stage, "on": Fields.date, "reason": Fields.reason], required: ["stage"])
}

struct SessionBody: DocumentedBody, Sendable {
  var on: DateInput?
  var minutes: Int
  var kind: SessionKind
  /// Who held it; the signed-in staff member when left out.
  var staff: UserID?
  var summary: String?
  static let schema = Schema.object(
    [
      "on": Fields.date, "minutes": .integer(minimum: 1, maximum: 600), "kind": .string(values: SessionKind.allCases.map(\.rawValue)),
      "staff": Fields.id, "summary": .string(maxLength: 4000),
    ], required: ["minutes", "kind"])
}

struct ExpertBody: DocumentedBody, Sendable {
  var expert: String
  var field: ExpertField
  var purpose: String
  var on: DateInput?
  static let schema = Schema.object(
    [
      "expert": .string(maxLength: 100), "field": .string(values: ExpertField.allCases.map(\.rawValue)), "purpose": .string(maxLength: 2000),
      "on": Fields.date,
    ], required: ["expert", "field", "purpose"])
}

struct NoteBody: DocumentedBody, Sendable {
  var text: String
  var on: DateInput?
  static let schema = Schema.object(["text": .string(maxLength: 4000), "on": Fields.date], required: ["text"])
}

struct NextActionBody: DocumentedBody, Sendable {
  var text: String
  var due: DateInput
  static let schema = Schema.object(["text": .string(maxLength: 200), "due": Fields.date], required: ["text", "due"])
}

struct AssignBody: DocumentedBody, Sendable {
  /// nil: nobody.
  var assignee: UserID?
  static let schema = Schema.object(["assignee": .nullable(Fields.id)], required: ["assignee"])
}

struct ClassifyBody: DocumentedBody, Sendable {
  var side: Side
  var kind: SuccessionKind
  static let schema = Schema.object(["side": Fields.side, "kind": Fields.kind], required: ["side", "kind"])
}

struct ConsentBody: DocumentedBody, Sendable {
  var referral: CaseID
  var consent: Bool
  static let schema = Schema.object(["referral": Fields.id, "consent": .boolean], required: ["referral", "consent"])
}

struct RotationBody: DocumentedBody, Sendable {
  var rotations: [Rotation]
  static let schema = Schema.object(
    ["rotations": .array(.object(["from": Fields.id, "to": Fields.id], required: ["from", "to"]), maxItems: 100)], required: ["rotations"])
}

struct PartnerBody: DocumentedBody, Sendable {
  var id: PartnerID
  var name: String
  var type: PartnerType
  var region: Region
  var contact: PartnerContact?

  static let contactSchema = Schema.object([
    "person": .string(maxLength: 50), "department": .string(maxLength: 100), "phone": .string(maxLength: 30), "email": .string(maxLength: 200),
    "address": .string(maxLength: 200),
  ])
  static let schema = Schema.object(
    ["id": Fields.id, "name": .string(maxLength: 100), "type": Fields.partnerType, "region": Fields.region, "contact": contactSchema],
    required: ["id", "name", "type", "region"])
}

struct RenameBody: DocumentedBody, Sendable {
  var name: String
  static let schema = Schema.object(["name": .string(maxLength: 100)], required: ["name"])
}

struct ContactBody: DocumentedBody, Sendable {
  var contact: PartnerContact
  static let schema = Schema.object(["contact": PartnerBody.contactSchema], required: ["contact"])
}

struct ReclassifyBody: DocumentedBody, Sendable {
  var type: PartnerType
  var region: Region
  static let schema = Schema.object(["type": Fields.partnerType, "region": Fields.region], required: ["type", "region"])
}

/// One diagnosis a partner carried out.
struct DiagnosisBody: DocumentedBody, Sendable {
  /// The reporting partner; a partner user's own organisation when left out.
  var partner: PartnerID?
  var on: DateInput
  var companyName: String
  var corporateNumber: String?
  var address: String?
  var result: DiagnosisResult
  var referToCentre: Bool?
  var note: String?

  func row(partner: PartnerID) throws(Problem) -> DiagnosisRow {
    DiagnosisRow(
      partner: partner,
      report: DiagnosisReport(
        on: on.date, company: DiagnosedCompany(name: companyName, corporateNumber: try Fields.corporateNumber(corporateNumber), address: address),
        result: result, referToCentre: referToCentre ?? false, note: note))
  }

  static let schema = Schema.object(
    [
      "partner": Fields.id, "on": Fields.date, "companyName": .string(maxLength: 100), "corporateNumber": .string(maxLength: 20),
      "address": .string(maxLength: 200), "result": .string(values: DiagnosisResult.allCases.map(\.rawValue)), "referToCentre": .boolean,
      "note": .string(maxLength: 1000),
    ], required: ["on", "companyName", "result"])
}

struct LinkBody: DocumentedBody, Sendable {
  var `case`: CaseID
  static let schema = Schema.object(["case": Fields.id], required: ["case"])
}

struct TargetBody: DocumentedBody, Sendable {
  var fy: String
  var succeeded: Int
  static let schema = Schema.object(
    ["fy": .string(maxLength: 16, description: "FY2022 or 令和4年度"), "succeeded": .integer(minimum: 0, maximum: 10_000)], required: ["fy", "succeeded"])
}
