import Foundation

/// Progress of long work on stderr: a redrawn bar on a terminal, otherwise a plain line per tenth
/// (only for work long enough to need it, 50,000 events or more).
struct Progress {
  let label: String
  let total: Int64
  let onTerminal = isatty(STDERR_FILENO) != 0
  let started = Date()
  var done: Int64 = 0
  var lastDrawn = Date.distantPast
  var lastTenth: Int64 = 0

  init(_ label: String, total: Int64) {
    self.label = label
    self.total = Swift.max(total, 0)
  }

  mutating func advance(by count: Int) {
    done += Int64(count)
    if onTerminal {
      guard Date().timeIntervalSince(lastDrawn) >= 0.1 else { return }
      lastDrawn = Date()
      draw(final: false)
    } else if total >= 50_000 {
      let tenth = done * 10 / total
      if tenth > lastTenth {
        lastTenth = tenth
        printErr("\(label): \(done)/\(total) events (\(tenth * 10)%)")
      }
    }
  }

  func finish() {
    if onTerminal { draw(final: true) }
  }

  private func draw(final: Bool) {
    let elapsed = Swift.max(Date().timeIntervalSince(started), 0.001)
    let rate = Double(done) / elapsed
    let fraction = total > 0 ? Swift.min(Double(done) / Double(total), 1) : 1
    let filled = Int(fraction * 30)
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
    let remaining = rate > 0 && total > done ? Int(Double(total - done) / rate) : 0
    let line = "\r\(label) [\(bar)] \(Int(fraction * 100))% \(done)/\(total) \(Int(rate))/s ETA \(remaining)s"
    FileHandle.standardError.write(Data((line + (final ? "\n" : "")).utf8))
  }
}
