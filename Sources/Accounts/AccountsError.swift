import Foundation
public import SharedKernel

/// Why an accounts command was refused, with what would be right.
public enum AccountsError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The login name breaks the naming rule.
  case invalidLoginName(String, reason: String)
  /// Another user signs in with this name already.
  case loginTaken(LoginName, by: UserID)
  /// A partner user must belong to a network organisation.
  case partnerWithoutOrganisation
  /// Only partner users belong to an organisation.
  case organisationForNonPartner(Role)
  /// The display name is empty, too long, or has control characters.
  case invalidDisplayName(String)
  /// A user with this id is registered already.
  case alreadyRegistered(UserID)
  /// The command is for a user stream with no registration.
  case notRegistered

  public var description: String {
    switch self {
    case .invalidLoginName(let name, let reason):
      "the login name \(String(reflecting: name)) is not allowed: \(reason)"
    case .loginTaken(let login, let user):
      "the login name '\(login)' is taken (by user \(user)); choose another"
    case .partnerWithoutOrganisation:
      "a partner user belongs to one network organisation: give its id"
    case .organisationForNonPartner(let role):
      "only partner users belong to an organisation; a \(role) user has none"
    case .invalidDisplayName(let name):
      "the display name \(String(reflecting: String(name.prefix(40)))) is not allowed: it has 1 to \(DisplayName.maximumLength) characters and no control characters"
    case .alreadyRegistered(let user):
      "user \(user) is registered already"
    case .notRegistered:
      "there is no such user: register them first"
    }
  }
}

/// Checks of a person's display name (shown on pages and in the audit trail).
public enum DisplayName {
  /// Longest display name accepted.
  public static let maximumLength = 100

  /// `name` with surrounding spaces removed, or an error when it cannot be shown.
  public static func checked(_ name: String) throws(AccountsError) -> String {
    let trimmed = name.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty, trimmed.count <= maximumLength,
      !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else { throw .invalidDisplayName(name) }
    return trimmed
  }
}

/// Checks that `organisation` fits `role`: required for a partner, refused for every other role.
func checkOrganisation(_ organisation: OrganisationID?, for role: Role) throws(AccountsError) {
  switch (role, organisation) {
  case (.partner, nil): throw .partnerWithoutOrganisation
  case (.partner, .some): return
  case (_, .some): throw .organisationForNonPartner(role)
  case (_, nil): return
  }
}
