import BrowserSupport
import Building
import EventLog
import EventLogSQLite
import Foundation
import SharedKernel
import TestSupport
import Testing

/// The building manager's report page in headless Chromium, against the real `kip-building`
/// on the demo data: the figures it shows are the API's, its charts are drawn, and its print
/// styles put the wide tables on A4 landscape pages.
@Suite("The manager's report page in a real browser", .serialized, .countingIssuesForScreenshots)
struct ReportBrowserTests {
  @Test("the year's summary matches the API's reports, six SVG charts and four tables are drawn, the CSV links answer, A4 landscape is declared for print; occupancy and arrears are the context's over the demo year")
  func reportPage() async throws {
    let data = temporaryFolder()
    let environment = [
      "KIP_DATA_DIR": data.path, "KIP_EVENT_LOG": "sqlite://\(data.appending(path: "events.sqlite").path)", "KIP_BCRYPT_COST": "4",
    ]
    try await DemoSeed.copy(into: data)
    let service = try ServiceProcess("kip-building", environment: environment)
    try await service.waitUntilListening()
    try await service.waitUntilReady()
    let token = try run(executable("kipctl"), ["users", "token", "building-manager"], environment: environment).output
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let year = FiscalYear(containing: try LocalDate(japanTimeOf: Date())).startYear
    func api(_ path: String) throws -> (status: String, body: Data) {
      let output = try run(
        URL(filePath: "/usr/bin/curl"),
        ["-s", "-w", "\n%{http_code}", service.baseURL.absoluteString + path, "-H", "Authorization: Bearer \(token)"])
      let parts = output.output.split(separator: "\n", omittingEmptySubsequences: false)
      return (String(parts.last ?? ""), Data(parts.dropLast().joined(separator: "\n").utf8))
    }
    let revenue = try #require(try JSONSerialization.jsonObject(with: api("/api/reports/revenue?fy=\(year)").body) as? [String: Any])
    let total = try #require((revenue["lines"] as? [[String: Any]])?.first { $0["section"] as? String == "total" }?["yearYen"] as? Int)
    #expect(total > 10_000_000, "the demo year has revenue: \(total)")
    let utilisation = try #require(try JSONSerialization.jsonObject(with: api("/api/reports/utilisation?fy=\(year)").body) as? [String: Any])
    let rate = try #require(((utilisation["year"] as? [String: Any])?["share"] as? [String: Any])?["text"] as? String)

    try await Browser.open().run(screenshotOnIssue: "report-page") { browser in
      try await browser.go(to: service.baseURL.appending(path: "login"))
      try await browser.element("#field-login").type("building-manager")
      try await browser.element("#field-password").type("kip-demo-building-manager")
      try await browser.element("main button[type=submit]").click()
      let deadline = ContinuousClock.now + .seconds(15)
      while try await browser.currentURL?.path != "/", ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
      try await browser.go(to: service.baseURL.appending(path: "reports").appending(queryItems: [URLQueryItem(name: "fy", value: String(year))]))
      #expect(try await browser.title.hasPrefix("管理者レポート"))
      let summary = try await browser.element("#report-summary").text
      let yen = total.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
      #expect(summary.contains("\(yen)円"), "the page's total is the API's: \(summary)")
      #expect(summary.contains(rate), "the page's utilisation is the API's \(rate): \(summary)")
      #expect(try await browser.execute("return document.querySelectorAll('#charts svg.chart').length") as? Int == 6)
      #expect(try await browser.execute("return document.querySelectorAll('#charts svg.chart rect.bar').length") as? Int ?? 0 >= 12)
      #expect(try await browser.execute("return document.querySelectorAll('section.report table.data').length") as? Int == 4)
      // Chromium read the print styles: a named A4 landscape page for the wide tables.
      let landscape = try await browser.execute(
        """
        for (const sheet of document.styleSheets) for (const rule of sheet.cssRules)
          if (rule instanceof CSSPageRule && rule.selectorText === 'wide') return rule.style.getPropertyValue('size');
        return null;
        """) as? String
      #expect(landscape?.lowercased() == "a4 landscape", "\(landscape ?? "no @page wide rule")")
      let links = try await browser.execute("return [...document.querySelectorAll('a[href*=\"format=csv\"]')].map(a => a.getAttribute('href'))") as? [String] ?? []
      #expect(links.count == 5)
      for link in links {
        let answer = try api(link)
        #expect(answer.status == "200" && Array(answer.body.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(link): \(answer.status)")
      }
    }

    // The letting read model's occupancy and arrears are the Building context's, month end by
    // month end, over the demo year's leases, notices, move-outs and new tenants.
    let occupancy = try #require(try JSONSerialization.jsonObject(with: api("/api/reports/occupancy?fy=\(year)").body) as? [String: Any])
    let months = try #require(occupancy["months"] as? [[String: Any]])
    let today = try LocalDate(japanTimeOf: Date())
    let arrears = try #require(try JSONSerialization.jsonObject(with: api("/api/reports/arrears?on=\(today)").body) as? [String: Any])
    let store = try await SQLiteEventStore.open(SQLiteConfiguration(path: data.appending(path: "events.sqlite").path))
    var offices = OfficeRegister.initialState
    var carPark = CarParkRegister.initialState
    var leases: [StreamName: Lease.Record] = [:]
    var contracts: [StreamName: ParkingContract.Record] = [:]
    var after: Int64 = 0
    while true {
      let page = try await store.read(after: after, category: nil, limit: 5000)
      for event in page {
        switch event.stream.category {
        case OfficeRegister.category: offices = OfficeRegister.evolve(offices, try OfficeRegister.codec.decode(event))
        case CarParkRegister.category: carPark = CarParkRegister.evolve(carPark, try CarParkRegister.codec.decode(event))
        case Lease.category: leases[event.stream] = Lease.evolve(leases[event.stream], try Lease.codec.decode(event))
        case ParkingContract.category: contracts[event.stream] = ParkingContract.evolve(contracts[event.stream], try ParkingContract.codec.decode(event))
        default: break
        }
      }
      after = page.last?.position ?? after
      if page.count < 5000 { break }
    }
    await store.close()
    let fiscalYear = try FiscalYear(year)
    let officeFigures = OfficeOccupancy.monthEnds(of: fiscalYear, register: offices, leases: Array(leases.values))
    let parkingFigures = CarParkOccupancy.monthEnds(of: fiscalYear, register: carPark, contracts: Array(contracts.values))
    #expect(months.count == 12 && officeFigures.count == 12)
    for (month, (office, parking)) in zip(months, zip(officeFigures, parkingFigures)) {
      let read = try #require(month["offices"] as? [String: Any]), readParking = try #require(month["parking"] as? [String: Any])
      #expect(read["rate"] as? String == office.rateText && read["occupied"] as? Int == Int(office.occupied), "\(office.date)")
      #expect(read["underNoticePremises"] as? [String] == office.underNoticePremises, "\(office.date)")
      #expect(Set(read["vacantPremises"] as? [String] ?? []) == Set(office.vacantPremises), "\(office.date)")
      #expect(readParking["rate"] as? String == parking.rateText && readParking["underNotice"] as? Int == Int(parking.underNotice), "\(parking.date)")
    }
    let ledgers = leases.values.map(\.tenancy.ledger) + contracts.values.map(\.tenancy.ledger)
    let overdue = ledgers.flatMap { $0.arrears(asOf: today) }
    #expect((arrears["arrears"] as? [[String: Any]])?.count == overdue.count && !overdue.isEmpty)
    #expect(arrears["totalYen"] as? Int == Int(overdue.reduce(Int64(0)) { $0 + $1.balance.amount }))
    _ = try service.terminate()
  }
}
