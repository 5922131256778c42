public import Foundation
import Crypto

/// Signs and checks session cookie values with HMAC-SHA256 under the store's cookie key
/// (``CredentialStore/cookieKey()``): `sign(id)` is `id.MAC` in base64url, so a cookie whose
/// value was changed, or signed by another key, is refused before the session table is read.
public struct CookieSigner: Sendable {
  // Kept as bytes: swift-crypto 3's SymmetricKey is not Sendable.
  private let keyBytes: Data

  /// A signer with `key` (32 bytes from the credentials store).
  public init(key: Data) {
    self.keyBytes = key
  }

  private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

  /// The cookie value for a session id.
  public func sign(_ sessionID: String) -> String {
    let mac = HMAC<SHA256>.authenticationCode(for: Data(sessionID.utf8), using: key)
    return sessionID + "." + Data(mac).base64URLEncoded
  }

  /// The session id inside a cookie value, or nil when the signature does not match.
  /// The comparison takes the same time whatever the bytes.
  public func verify(_ signed: String) -> String? {
    guard let dot = signed.lastIndex(of: ".") else { return nil }
    let sessionID = String(signed[..<dot])
    guard !sessionID.isEmpty, let mac = Data(base64URLEncoded: String(signed[signed.index(after: dot)...])) else { return nil }
    return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(sessionID.utf8), using: key) ? sessionID : nil
  }
}
