public import ServiceKit
public import Succession

extension SuccessionError: ProblemConvertible {
  /// Not found for what does not exist, conflict for a company already an open case, a
  /// validation failure (422) for malformed fields, a rule violation (422) for the rest.
  public var problem: Problem {
    switch self {
    case .unknownCase, .unknownDiagnosis, .unknownReferral: Problem(.notFound, description, field: field)
    case .caseExists, .partnerExists, .duplicateOfOpenCase, .diagnosisLinked: Problem(.conflict, description, field: field)
    case .invalidPartner, .invalidCompany, .invalidReferral, .invalidIntake, .invalidCorporateNumber, .invalidStageMove, .invalidSession,
      .invalidExpert, .invalidNote, .invalidAction, .invalidRotation, .invalidTarget, .invalidDiagnosis, .unreadableFile, .csvSyntax,
      .importRejected, .dateInFuture, .dateTooEarly, .unknownPartner:
      Problem(.validationFailed, description, field: field)
    default: Problem(.ruleViolated, description, field: field)
    }
  }
}
