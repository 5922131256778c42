public import DepositLedger
public import ServiceKit

extension DepositLedgerError: ProblemConvertible {
  /// The context's kind of refusal as the service answers it, in Japanese, naming the field.
  public var problem: Problem {
    let detail = japaneseDescription
    return switch kind {
    case .validation: Problem(.validationFailed, detail, field: field)
    case .conflict: Problem(.conflict, detail, field: field)
    case .notFound: Problem(.notFound, detail, field: field)
    case .forbidden: Problem(.forbidden, detail, field: field)
    }
  }
}
