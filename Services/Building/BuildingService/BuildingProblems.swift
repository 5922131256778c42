public import Building
public import ServiceKit

extension BuildingError: ProblemConvertible {
  /// Not found for what does not exist, conflict for a taken slot, stock, premises or
  /// contract, a validation failure naming the field for what was typed wrong, a rule
  /// violation (422) for the rest, each with the field at fault.
  public var problem: Problem {
    switch self {
    case .unknownBooking, .unknownClosure, .unknownLottery, .unknownApplication, .unknownSeries, .unknownWaitlistEntry: Problem(.notFound, description)
    case .unknownTicket, .unknownContract: Problem(.notFound, description, field: field)
    case .slotTaken, .equipmentUnavailable, .customerExists, .premisesTaken, .contractExists, .premisesExists:
      Problem(.conflict, description, field: field)
    case .unknownPremises: Problem(.validationFailed, description, field: field ?? "units")
    case .unknownParkingSpace: Problem(.validationFailed, description, field: field)
    case .unknownInvoice: Problem(.validationFailed, description, field: "invoice")
    case .invalidParty, .invalidContract, .invalidPremises, .dateInFuture, .deductionWithoutReason, .terminationWithoutReason:
      Problem(.validationFailed, description, field: field)
    case .noCatalogue: Problem(.unavailable, description, headers: [.retryAfter: "60"])
    case .unknownSlot, .unknownSpace, .invalidTimeRange, .invalidCustomer, .invalidCatalogue, .unknownEquipment, .duplicateEquipment,
      .unknownReduction, .dateOutOfRange, .admissionWithoutAdmissionUse, .admissionPriceMissing, .negativeAdmission, .overtimeOutOfRange, .invalidAmount,
      .invalidAttendees, .unknownCustomer, .invalidLottery, .invalidSeries:
      Problem(.validationFailed, description, field: field)
    default: Problem(.ruleViolated, description, field: field)
    }
  }
}
