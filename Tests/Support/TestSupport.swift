public import Foundation
import Synchronization

/// The package root, found from this file, so tests can start the built executables.
public let packageRoot = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A built executable of this package: `$KIP_BIN_DIR/NAME`, else `.build/debug/NAME`.
public func executable(_ name: String) -> URL {
  if let dir = ProcessInfo.processInfo.environment["KIP_BIN_DIR"] { return URL(filePath: dir).appending(path: name) }
  return packageRoot.appending(path: ".build/debug/\(name)")
}

/// A fresh folder: in /dev/shm for the fast path, on the real disk for durability tests, under
/// the run's own folder (`KIP_TESTS_RUN`, which `make test` sets and removes when the run ends,
/// so two runs on one machine never remove each other's files; else `kip-tests-<pid>`).
public func temporaryFolder(onDisk: Bool = false) -> URL {
  let base =
    onDisk
    ? FileManager.default.temporaryDirectory.path
    : (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
  let run = ProcessInfo.processInfo.environment["KIP_TESTS_RUN"].flatMap { $0.isEmpty ? nil : $0 } ?? "kip-tests-\(getpid())"
  let url = URL(filePath: base).appending(path: run).appending(path: UUID().uuidString)
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// What one run of a tool did.
public struct Outcome: Sendable {
  public var status: Int32
  public var output: String
  public var error: String
}

/// Runs a tool to its end, with `environment` over this process's own (in `directory` if given).
@discardableResult
public func run(
  _ tool: URL, _ arguments: [String], environment: [String: String] = [:], removing: [String] = [], in directory: URL? = nil
) throws -> Outcome {
  let process = ChildProcess()
  process.executableURL = tool
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = directory }
  var base = ProcessInfo.processInfo.environment
  for name in removing { base.removeValue(forKey: name) }
  process.environment = base.merging(environment) { $1 }
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  let exit = try ChildExit.start(process)
  // Read stderr beside stdout so neither pipe fills and blocks the child.
  let errors = ErrorCollector(err.fileHandleForReading)
  let output = out.fileHandleForReading.readDataToEndOfFile()
  exit.waitBlocking()
  return Outcome(status: exit.status ?? -1, output: String(decoding: output, as: UTF8.self), error: errors.text())
}

/// The end of a ``ChildProcess``: waited for without holding a thread of the shared pool
/// (``wait()``), or on a thread of the caller's own (``waitBlocking(timeout:)``).
public final class ChildExit: Sendable {
  private struct State {
    var status: Int32?
    var signalled = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }
  private let state = Mutex(State())
  private let ended = DispatchSemaphore(value: 0)

  init() {}

  /// Starts `child` and answers how its end is heard.
  public static func start(_ child: ChildProcess) throws -> ChildExit {
    try child.run()
    return child.exit
  }

  func record(status: Int32, signalled: Bool) {
    let waiters = state.withLock { state in
      state.status = status
      state.signalled = signalled
      defer { state.waiters = [] }
      return state.waiters
    }
    ended.signal()
    for waiter in waiters { waiter.resume() }
  }

  /// The exit status (or the signal's number), once the child has ended.
  public var status: Int32? { state.withLock { $0.status } }
  /// Whether the child was ended by a signal.
  public var wasSignalled: Bool { state.withLock { $0.signalled } }
  /// Whether the child has ended.
  public var hasEnded: Bool { status != nil }

  /// Suspends until the child has ended, holding no thread; answers its status.
  @discardableResult
  public func wait() async -> Int32 {
    await withCheckedContinuation { continuation in
      let ended = state.withLock { state -> Bool in
        if state.status != nil { return true }
        state.waiters.append(continuation)
        return false
      }
      if ended { continuation.resume() }
    }
    return status ?? -1
  }

  /// Blocks this thread until the child has ended or `timeout` has passed; answers whether it ended.
  @discardableResult
  public func waitBlocking(timeout: TimeInterval? = nil) -> Bool {
    if hasEnded { return true }
    let result = timeout.map { ended.wait(timeout: .now() + $0) } ?? { ended.wait(); return .success }()
    guard result == .success else { return hasEnded }
    ended.signal()  // for the next one who waits
    return true
  }
}

/// Drains a pipe on a thread of its own.
final class ErrorCollector: @unchecked Sendable {
  // @unchecked: `data` is written by the reading thread only, and read after `done` is signalled.
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    Thread.detachNewThread { [self] in
      data = handle.readDataToEndOfFile()
      done.signal()
    }
  }

  func text() -> String {
    done.wait()
    return String(decoding: data, as: UTF8.self)
  }
}

/// A test failure with a sentence.
public struct TestFailure: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// ``run(_:_:environment:removing:)`` on a thread of its own: an async test that waits for a long
/// child process (schemathesis) must not hold one of the two cooperative threads the whole
/// parallel test run shares.
public func runOffThePool(
  _ tool: URL, _ arguments: [String], environment: [String: String] = [:], removing: [String] = []
) async throws -> Outcome {
  try await withCheckedThrowingContinuation { continuation in
    Thread.detachNewThread {
      do {
        continuation.resume(returning: try run(tool, arguments, environment: environment, removing: removing))
      } catch {
        continuation.resume(throwing: error)
      }
    }
  }
}

/// A clock the test moves, in Japan time.
public final class TestClock: Sendable {
  private let instant: Mutex<Date>
  public init(_ iso: String) { instant = Mutex(Self.parse(iso)) }
  public func now() -> Date { instant.withLock { $0 } }
  public func set(_ iso: String) { instant.withLock { $0 = Self.parse(iso) } }
  /// `2023-04-03T10:00` in Japan time.
  public static func parse(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso + ":00+09:00")! }
}

/// Reads `handle` on a thread of its own until what was read satisfies `enough`, the writer
/// closes it, or `timeout` passes; answers what was read by then. No thread of the shared pool
/// waits for a child that prints late or never.
public func read(
  _ handle: FileHandle, timeout: TimeInterval, until enough: @escaping @Sendable (String) -> Bool
) async -> String {
  let waiting = Mutex<CheckedContinuation<String, Never>?>(nil)
  let text = Mutex("")
  return await withCheckedContinuation { continuation in
    waiting.withLock { $0 = continuation }
    Thread.detachNewThread {
      while true {
        let chunk = handle.availableData
        let done = text.withLock { text in
          text += String(decoding: chunk, as: UTF8.self)
          return chunk.isEmpty || enough(text)
        }
        if done { break }
      }
      waiting.withLock { $0.take() }?.resume(returning: text.withLock { $0 })
    }
    Thread.detachNewThread {
      Thread.sleep(forTimeInterval: timeout)
      waiting.withLock { $0.take() }?.resume(returning: text.withLock { $0 })
    }
  }
}
