public import Foundation
import GRDB

/// What claiming a page form's idempotency key found.
public enum FormSubmissionClaim: Sendable, Hashable {
  /// The first submit of this form: go ahead.
  case first
  /// The same form was submitted before (a double click, a reload): do nothing again.
  case repeated
  /// The key was used by a form for something else: refuse.
  case usedForAnotherRequest
}

extension CredentialStore {
  /// How long a form's key is remembered: far longer than anyone keeps a page open to submit
  /// it twice.
  public static let formSubmissionRetention: TimeInterval = 24 * 3600

  /// Claims the key of a rendered form (scope: the service and the user; digest: what the form
  /// asks for) in one transaction, so two submits of the same form — in one process or in
  /// several services sharing this file — do its work once. Keys older than a day are forgotten.
  public func claimFormSubmission(scope: String, key: String, digest: String, now: Date) async throws(CredentialError)
    -> FormSubmissionClaim
  {
    let cutoff = now.milliseconds - Int64(Self.formSubmissionRetention * 1000)
    return try await write { db in
      try db.execute(sql: "DELETE FROM form_submissions WHERE submitted_at < ?", arguments: [cutoff])
      if let recorded = try String.fetchOne(
        db, sql: "SELECT digest FROM form_submissions WHERE scope = ? AND key = ?", arguments: [scope, key])
      {
        return recorded == digest ? .repeated : .usedForAnotherRequest
      }
      try db.execute(
        sql: "INSERT INTO form_submissions (scope, key, digest, submitted_at) VALUES (?, ?, ?, ?)",
        arguments: [scope, key, digest, now.milliseconds])
      return .first
    }
  }

  /// Forgets a claimed key whose work then failed, so the person can submit the form again.
  public func releaseFormSubmission(scope: String, key: String) async throws(CredentialError) {
    try await write { db in
      try db.execute(sql: "DELETE FROM form_submissions WHERE scope = ? AND key = ?", arguments: [scope, key])
    }
  }
}
