public import SharedKernel

/// What a referring partner may know of a case it referred: milestones, never details
/// (stage names, notes, counterparts, figures).
public enum Milestone: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  /// 受付済: the centre received the referral.
  case received
  /// 支援中: the centre is supporting the company.
  case inSupport = "in-support"
  /// 成約: the succession was completed.
  case succeeded
  /// 終了: support ended otherwise (or the referral was not taken up).
  case closed

  public var japaneseName: String {
    switch self {
    case .received: "受付済"
    case .inSupport: "支援中"
    case .succeeded: "成約"
    case .closed: "終了"
    }
  }

  public static func < (lhs: Milestone, rhs: Milestone) -> Bool {
    (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
  }
}

/// A milestone and the day it was reached.
public struct MilestoneReached: Sendable, Hashable, Codable {
  public var milestone: Milestone
  public var on: LocalDate

  public init(milestone: Milestone, on: LocalDate) {
    self.milestone = milestone
    self.on = on
  }
}

/// One of a partner's referrals as the partner sees it.
public struct PartnerReferralView: Sendable, Hashable, Codable {
  public var referral: CaseID
  /// The name the partner gave.
  public var companyName: String
  public var referredOn: LocalDate
  /// Whether the company agreed to share its progress; without it only ``Milestone/received`` shows.
  public var consent: Bool
  /// The milestones reached, in order; the last is where it stands.
  public var reached: [MilestoneReached]

  public var milestone: Milestone { reached.last?.milestone ?? .received }
}

extension Case {
  /// The partner's view of its referrals in `state`: the one received on this stream and any
  /// attached to the case. With the company's consent, the milestones reached and when; without
  /// it only that the referral was received. A referral attached elsewhere shows on the case it
  /// joined, not here.
  public static func partnerView(_ state: State, for partner: PartnerID) -> [PartnerReferralView] {
    guard let record = state, record.phase != .attached else { return [] }
    let mine = record.referrals.filter { $0.partner == partner }.sorted { ($0.receivedOn, $0.id) < ($1.receivedOn, $1.id) }
    return mine.map { referral in
      var reached = [MilestoneReached(milestone: .received, on: referral.receivedOn)]
      if referral.consent {
        switch record.phase {
        case .declined:
          if let on = record.declinedOn { reached.append(MilestoneReached(milestone: .closed, on: on)) }
        case .open, .closed:
          if let from = referral.supportedFrom { reached.append(MilestoneReached(milestone: .inSupport, on: from)) }
          if let closedOn = record.closedOn, let stage = record.stage {
            reached.append(MilestoneReached(milestone: stage == .succeeded ? .succeeded : .closed, on: closedOn))
          }
        case .referred, .attached:
          break
        }
      }
      return PartnerReferralView(
        referral: referral.id, companyName: referral.companyName, referredOn: referral.referredOn, consent: referral.consent, reached: reached)
    }
  }
}
