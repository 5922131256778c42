public import Foundation
import Glibc

/// A child process for tests, started with `posix_spawn` and heard ending by a thread of its
/// own blocked in `waitpid`.
///
/// Tests do not use Foundation's `Process`: on Linux (Swift 6.3.1) its `run()` now and then
/// crashed the whole test process (an over-read of `/proc/self/fd` entries,
/// swift-corelibs-foundation#5472), and its `waitUntilExit()` once kept a thread waiting for
/// good for a child that had ended. The properties are named as `Process` names them.
public final class ChildProcess: @unchecked Sendable {
  // @unchecked: configured and started by one test; afterwards only `exit` (itself Sendable)
  // and the immutable `processIdentifier` are read from other threads.
  public var executableURL: URL?
  public var arguments: [String] = []
  /// The whole environment of the child; nil: this process's own.
  public var environment: [String: String]?
  public var currentDirectoryURL: URL?
  /// A `Pipe`, a `FileHandle` (`FileHandle.nullDevice` for /dev/null), or nil to share this process's own.
  public var standardInput: Any?
  public var standardOutput: Any?
  public var standardError: Any?
  public private(set) var processIdentifier: pid_t = 0
  /// The child's end, once it has come.
  public let exit = ChildExit()

  public init() {}

  /// Whether the child has started and not yet ended.
  public var isRunning: Bool { processIdentifier > 0 && !exit.hasEnded }
  /// The exit status, or the number of the signal that ended it (-1 while it runs).
  public var terminationStatus: Int32 { exit.status ?? -1 }

  /// Sends SIGTERM.
  public func terminate() { if processIdentifier > 0 { kill(processIdentifier, SIGTERM) } }

  /// Starts the child.
  public func run() throws {
    guard let executableURL else { throw TestFailure("no executable to start") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var parentEnds: [FileHandle] = []
    for (target, stream) in [(STDIN_FILENO, standardInput), (STDOUT_FILENO, standardOutput), (STDERR_FILENO, standardError)] {
      switch stream {
      case let pipe as Pipe:
        let childEnd = target == STDIN_FILENO ? pipe.fileHandleForReading : pipe.fileHandleForWriting
        posix_spawn_file_actions_adddup2(&actions, childEnd.fileDescriptor, target)
        parentEnds.append(childEnd)
      case let handle as FileHandle where handle === FileHandle.nullDevice:
        posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_RDWR, 0)
      case let handle as FileHandle:
        posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target)
      default:
        break
      }
    }
    // Nothing else of this process (other tests' pipes, sockets, databases) reaches the child.
    guard GlibcSpawn.addCloseFrom(&actions, 3) == 0 else { throw TestFailure("posix_spawn_file_actions_addclosefrom_np failed") }
    if let directory = currentDirectoryURL?.path {
      guard GlibcSpawn.addChdir(&actions, directory) == 0 else { throw TestFailure("posix_spawn_file_actions_addchdir_np failed") }
    }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGPIPE, SIGTERM, SIGINT, SIGCHLD] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let path = executableURL.path
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in variables { free(pointer) }
    }
    var pid = pid_t()
    let failed = posix_spawn(&pid, path, &actions, &attributes, argv, variables)
    guard failed == 0 else { throw TestFailure("could not start \(path): \(String(cString: strerror(failed)))") }
    processIdentifier = pid
    for end in parentEnds { try? end.close() }
    let exit = exit
    let child = pid
    Thread.detachNewThread {
      var status: Int32 = 0
      while waitpid(child, &status, 0) == -1 && errno == EINTR {}
      let signal = status & 0x7f
      if signal != 0 && signal != 0x7f {
        exit.record(status: signal, signalled: true)
      } else {
        exit.record(status: (status >> 8) & 0xff, signalled: false)
      }
    }
  }
}

/// glibc's spawn actions that Swift's Glibc module leaves out (they are declared only for
/// `_GNU_SOURCE`): looked up once by name. Both exist since glibc 2.34 (Debian 12 has 2.36).
enum GlibcSpawn {
  typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
  typealias Chdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

  static let addCloseFrom: CloseFrom = look("posix_spawn_file_actions_addclosefrom_np")
  static let addChdir: Chdir = look("posix_spawn_file_actions_addchdir_np")

  private static func look<F>(_ name: String) -> F {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("glibc lacks \(name) (it needs 2.34 or later)") }
    return unsafeBitCast(symbol, to: F.self)
  }
}
