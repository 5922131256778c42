import ArgumentParser
import EventLog
import EventLogBackends
import Foundation
import PersonalDataKeys
import KIPClient
import Projections

/// Where the log is: `--log`, else `KIP_EVENT_LOG`, else `./var/events.sqlite`.
/// An empty `KIP_EVENT_LOG` counts as unset, as it does for the services.
struct LogOptions: ParsableArguments {
  @Option(name: .long, help: "The event log: sqlite:///path/events.sqlite or postgres://… (default: $KIP_EVENT_LOG or ./var/events.sqlite).")
  var log: String?

  var locationText: String {
    log ?? ProcessInfo.processInfo.environment["KIP_EVENT_LOG"].flatMap { $0.isEmpty ? nil : $0 } ?? "sqlite://var/events.sqlite"
  }

  func validate() throws {
    do { _ = try LogLocation(parsing: locationText) } catch { throw ValidationError(error.description) }
  }

  /// Opens the log; only writing commands may create it.
  func open(create: Bool = false) async throws -> any EventStore {
    try await openEventStore(try LogLocation(parsing: locationText), options: EventStoreOptions(createIfMissing: create))
  }

  /// The data directory: `$KIP_DATA_DIR`, else the SQLite log's folder, else `./var`.
  var dataDirectory: String {
    if let directory = ProcessInfo.processInfo.environment["KIP_DATA_DIR"], !directory.isEmpty { return directory }
    if case .sqlite(let path)? = try? LogLocation(parsing: locationText) { return (path as NSString).deletingLastPathComponent }
    return "./var"
  }

  /// The key store of the cases' personal data, as the succession service opens it (master key
  /// from `KIP_MASTER_KEY`, `KIP_MASTER_KEY_FILE` or `<data dir>/master.key`).
  func personalDataVault() throws -> KeyVault {
    let directory = dataDirectory
    return try KeyVault.open(
      dataDirectory: directory, masterKey: MasterKey.configured(environment: ProcessInfo.processInfo.environment, dataDirectory: directory))
  }
}

/// Runs a command body, turning every failure into one line on stderr and a non-zero exit.
func reportingFailures(_ body: () async throws -> Void) async throws {
  do {
    try await body()
  } catch let error as ExitCode {
    throw error
  } catch let error as EventLogError {
    fail(error.description)
  } catch let error as ProjectionError {
    fail(error.description)
  } catch let error as KIPClientError {
    fail(error.description)
  } catch let error as ChainVerifier.Break {
    fail(error.description)
  } catch let error as CleanExit {
    throw error
  } catch {
    fail(String(describing: error))
  }
}

func fail(_ message: String, code: Int32 = 1) -> Never {
  FileHandle.standardError.write(Data("kipctl: \(KipCtl.oneLine(message))\n".utf8))
  exit(code)
}

func printErr(_ message: String) {
  FileHandle.standardError.write(Data("\(message)\n".utf8))
}
