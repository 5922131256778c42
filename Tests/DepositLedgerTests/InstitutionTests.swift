import DepositLedger
import SharedKernel
import Testing

/// 金融機関: lenders and handling institutions, their codes and the account name banks print.
@Suite("DepositLedger: institutions")
struct InstitutionTests {
  static func command(
    bankCode: String = "0138", branchCode: String = "001", accountNumber: String = "0012345", accountName: String = "ｻﾞｲ)ｶﾅｶﾞﾜｹﾝｻﾝｷﾞﾖｳｼﾝｺｳｾﾝﾀ-",
    roles: [InstitutionRole] = [.handling, .lender]
  ) -> RegisterInstitution {
    RegisterInstitution(
      id: try! InstitutionID("yokohama"), name: " 横浜銀行 ", bankCode: bankCode, branchCode: branchCode, accountType: .ordinary,
      accountNumber: accountNumber, accountName: accountName, roles: roles)
  }

  @Test("an institution is registered with its codes as typed, leading zeros kept, and its roles in order")
  func registers() throws {
    let world = World()
    let events = try Institution.register(Self.command(), nil, world.context())
    guard case .registered(let registered) = events.first else { Issue.record("no registration"); return }
    #expect(registered.name == "横浜銀行")
    #expect(registered.bankCode == "0138")
    #expect(registered.accountNumber == "0012345")
    #expect(registered.roles == [.lender, .handling])
    #expect(registered.by == (try UserID("u-maker")))
    #expect(Institution.Registered.eventType == "DepositLedger.InstitutionRegistered")
    #expect(try Institution.stream(registered.institution).rawValue == "institution-yokohama")
    let state = events.reduce(Institution.initialState, Institution.evolve)
    #expect(throws: DepositLedgerError.institutionExists(try InstitutionID("yokohama"))) {
      try Institution.register(Self.command(), state, world.context())
    }
  }

  @Test(
    "bank codes have 4 digits, branch codes 3, account numbers 7",
    arguments: [
      (command(bankCode: "138"), "bankCode"), (command(bankCode: "013a"), "bankCode"), (command(bankCode: "０１３８"), "bankCode"),
      (command(branchCode: "0001"), "branchCode"), (command(accountNumber: "12345678"), "accountNumber"),
      (command(accountNumber: "123456"), "accountNumber"), (command(roles: []), "roles"),
    ])
  func codesChecked(command: RegisterInstitution, field: String) {
    do {
      _ = try Institution.register(command, nil, World().context())
      Issue.record("accepted \(command)")
    } catch {
      #expect(error.field == field)
      #expect(error.kind == .validation)
    }
  }

  @Test("the account name is in the 全銀 set of names: half-width カナ (no ｦ), ﾞ ﾟ ｰ, digits, A–Z, space and ( ) . -")
  func zenginAccepted() throws {
    for name in ["ﾖｺﾊﾏｷﾞﾝｺｳ", "ｶ)ABC ｼﾖｳｼﾞ", "ｻﾞｲ)ｶﾅｶﾞﾜ.ｻﾝｷﾞﾖｳ-ｼﾝｺｳｾﾝﾀｰ", "ﾟ0123456789"] {
      #expect(throws: Never.self) { try ZenginText.validate(name, field: "accountName") }
    }
  }

  @Test(
    "a character banks refuse is named, with its position and what to type instead",
    arguments: [
      ("カナガワ", "カ", 1, "half-width"), ("ｶﾅｶﾞﾜabc", "a", 6, "upper-case"), ("ｷﾝｺｳｯ", "ｯ", 5, "small kana"),
      ("ｾﾝﾀー", "ー", 4, "half-width long-vowel"), ("ｶﾅ/ｶﾞﾜ", "/", 3, "only"), ("ｦｶﾞﾜ", "ｦ", 1, "ｵ"), ("ｶﾅ　ｶﾞﾜ", "　", 3, "half-width space"), ("ｶﾅＡ", "Ａ", 3, "half-width"), ("ｶﾅ&", "&", 3, "only"),
    ])
  func zenginRefused(text: String, character: String, position: Int, hint: String) {
    do {
      try ZenginText.validate(text, field: "accountName")
      Issue.record("accepted \(text)")
    } catch {
      guard case .invalidKana(let field, _, let bad, let at, let said) = error else { Issue.record("\(error)"); return }
      #expect(field == "accountName")
      #expect(String(bad) == character)
      #expect(at == position)
      #expect(said.contains(hint))
      #expect(error.description.contains("\"\(character)\""))
      #expect(error.description.contains("position \(position)"))
    }
  }

  @Test("an empty or over-long account name is refused")
  func zenginLength() {
    #expect(throws: DepositLedgerError.self) { try ZenginText.validate("", field: "accountName") }
    #expect(throws: DepositLedgerError.self) { try ZenginText.validate("   ", field: "accountName") }
    #expect(throws: Never.self) { try ZenginText.validate(String(repeating: "ｱ", count: 30), field: "accountName") }
    #expect(throws: DepositLedgerError.self) { try ZenginText.validate(String(repeating: "ｱ", count: 31), field: "accountName") }
  }

  @Test("only the treasury registers institutions")
  func rolesRegister() {
    #expect(throws: DepositLedgerError.forbidden(action: "register an institution", allowed: [.treasury, .treasuryManager], actual: .desk)) {
      try Institution.register(Self.command(), nil, World().context(World.desk))
    }
    #expect(DepositLedgerError.forbidden(action: "x", allowed: [.treasury], actual: .desk).kind == .forbidden)
  }
}
