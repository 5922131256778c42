import Foundation
import SharedKernel
import Succession

/// A case's history as the case page shows it: every event of its stream as a dated line, in
/// date order (the order recorded within a day). The stream, not the read model, keeps what
/// the record folds away: actions done, who had the case before.
struct CaseTimeline {
  /// One dated line of the history.
  struct Entry: Sendable, Hashable {
    var on: LocalDate
    /// What happened, as a heading (段階, 相談, 記録…).
    var kind: String
    var text: String
  }

  let names: [UserID: String]

  func name(_ id: UserID?) -> String { CentrePages.name(id, names) }

  func entries(_ events: [Case.Event]) -> [Entry] {
    events.enumerated().map { ($0.offset, entry($0.element)) }.sorted { ($0.1.on, $0.0) < ($1.1.on, $1.0) }.map(\.1)
  }

  func entry(_ event: Case.Event) -> Entry {
    switch event {
    case .referralReceived(let e):
      let r = e.referral
      return Entry(
        on: r.receivedOn, kind: "紹介受付",
        text: "\(r.partnerName)（担当 \(r.partnerStaff)、紹介日 \(r.referredOn)）: \(r.reason)。同意\(r.consent ? "あり" : "なし")"
          + (e.duplicateOf.map { "。案件 \($0) と同じ会社の可能性" } ?? ""))
    case .referralAccepted(let e):
      return Entry(on: e.on, kind: "案件化", text: "案件として受付（\(e.side.japaneseName)・\(e.kind.japaneseName)、担当 \(name(e.assignee))）")
    case .referralDeclined(let e): return Entry(on: e.on, kind: "見送り", text: e.reason)
    case .referralAttached(let e): return Entry(on: e.on, kind: "統合", text: "案件 \(e.to) に統合")
    case .referralAdded(let e):
      return Entry(on: e.on, kind: "紹介の統合", text: "\(e.referral.partnerName) の紹介（\(e.referral.id)）を統合。同意\(e.referral.consent ? "あり" : "なし")")
    case .intakeOpened(let e):
      return Entry(
        on: e.on, kind: "相談受付",
        text: "\(e.route.japaneseName)（\(e.side.japaneseName)・\(e.kind.japaneseName)、担当 \(name(e.assignee))）" + (e.summary.map { ": \($0)" } ?? ""))
    case .consentChanged(let e): return Entry(on: e.on, kind: "同意", text: "紹介 \(e.referral) の同意を「\(e.consent ? "あり" : "なし")」に変更")
    case .companyUpdated(let e): return Entry(on: e.on, kind: "会社情報", text: "会社情報を更新（\(e.company.name)）")
    case .classified(let e): return Entry(on: e.on, kind: "種類", text: "\(e.side.japaneseName)・\(e.kind.japaneseName) に変更")
    case .stageMoved(let e):
      return Entry(on: e.on, kind: "段階", text: "「\(e.from.japaneseName)」→「\(e.to.japaneseName)」" + (e.reason.map { "（理由: \($0)）" } ?? ""))
    case .sessionRecorded(let e):
      let s = e.session
      return Entry(on: s.on, kind: "相談 第\(s.number)回", text: "\(s.kind.japaneseName)・\(s.minutes)分・\(name(s.staff))" + (s.summary.map { ": \($0)" } ?? ""))
    case .expertDispatched(let e):
      let d = e.dispatch
      return Entry(on: d.on, kind: "専門家派遣", text: "\(d.field.japaneseName) \(d.expert): \(d.purpose)")
    case .noteAdded(let e): return Entry(on: e.note.on, kind: "記録", text: "\(name(e.note.staff)): \(e.note.text)")
    case .nextActionSet(let e): return Entry(on: e.action.setOn, kind: "次の対応", text: "\(e.action.text)（期日 \(e.action.due)）")
    case .nextActionDone(let e): return Entry(on: e.on, kind: "対応完了", text: e.action.text)
    case .assigned(let e): return Entry(on: e.on, kind: "担当", text: "\(name(e.previous)) → \(name(e.staff))")
    case .duplicateFlagged(let e): return Entry(on: e.on, kind: "重複", text: "案件 \(e.of) と同じ会社とわかりました")
    case .duplicateCleared(let e): return Entry(on: e.on, kind: "重複の解除", text: "案件 \(e.of) とは別の会社: \(e.reason)")
    case .personalDataErased(let e):
      return Entry(on: e.on, kind: "個人情報の消去", text: "個人情報を消去（\(e.reason.japaneseName)）。統計に使う項目（業種・地域・売上規模・結果）は残ります")
    }
  }
}
