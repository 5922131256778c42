import BrowserSupport
import Synchronization
import Testing

/// Counts the issues a browser test records, so it can tell at its end whether to keep a
/// screenshot: `#expect` records an issue and carries on, so only the test runner knows.
final class IssueCounter: Sendable {
  private let count = Atomic<Int>(0)
  var value: Int { count.load(ordering: .acquiring) }
  func add() { count.add(1, ordering: .acquiringAndReleasing) }

  /// The counter of the browser session running in this task, if any.
  @TaskLocal static var current: IssueCounter?
}

extension Trait where Self == IssueHandlingTrait {
  /// Passes every issue on unchanged, after counting it for the browser session that is running
  /// (``Browser/run(screenshotOnIssue:_:)``).
  static var countingIssuesForScreenshots: Self {
    .compactMapIssues { issue in
      IssueCounter.current?.add()
      return issue
    }
  }
}

extension Browser {
  /// Runs `body` with this browser; when it threw or recorded any issue (an `#expect` that
  /// failed included), saves a screenshot `name.png` under the test output folder; then closes
  /// the session. All of it is awaited before this returns, so the picture is on disk and the
  /// session gone when the test ends. The test (or its suite) needs
  /// ``Testing/Trait/countingIssuesForScreenshots``.
  func run(screenshotOnIssue name: String, _ body: (Browser) async throws -> Void) async throws {
    let issues = IssueCounter()
    var thrown: (any Error)?
    do {
      try await IssueCounter.$current.withValue(issues) { try await body(self) }
    } catch {
      thrown = error
    }
    if thrown != nil || issues.value > 0 {
      let path = await saveScreenshot(named: name)
      print("screenshot of the failed browser test: \(path ?? "could not be saved")")
    }
    await close()
    if let thrown { throw thrown }
  }
}
