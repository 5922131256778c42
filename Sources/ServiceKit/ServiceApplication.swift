public import AccountsReadModels
import Credentials
import UserAdministration
public import EventLog
import EventLogBackends
public import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
public import Projections
import ServiceLifecycle

/// What a service adds to the common parts: its routes (built once the log and the read models
/// are open) and its projections.
public struct ServiceDefinition: Sendable {
  public var title: String
  public var projections: [any Projection]
  public var routes: @Sendable (ServiceApplication) -> [Route]
  /// Work the service does on its own while it runs (e.g. letting overdue provisional bookings
  /// lapse); cancelled when the service stops.
  public var background: @Sendable (ServiceApplication) async -> Void
  /// The read models hold personal data that is erased: their file zeroes what rows leave behind.
  public var secureDelete = false

  public init(
    title: String, projections: [any Projection] = [], routes: @escaping @Sendable (ServiceApplication) -> [Route] = { _ in [] },
    background: @escaping @Sendable (ServiceApplication) async -> Void = { _ in }
  ) {
    self.title = title
    self.projections = projections
    self.routes = routes
    self.background = background
  }
}

/// What every KIP service is: a log, its read models, one route table (routes, OpenAPI
/// document and role matrix), the conventions of ServiceKit, and a clean stop on SIGTERM.
///
/// A service's library builds one with its ``ServiceDefinition``; its executable only reads the
/// configuration and calls ``run()``.
public struct ServiceApplication: Sendable {
  public let configuration: ServiceConfiguration
  public let store: any EventStore
  /// The read models, when the service has projections.
  public let projections: ProjectionRunner?
  public let authenticator: any Authenticator
  public let logger: Logger
  /// The clock of sign-ins and sessions (idle timeouts); tests pass their own.
  public let now: @Sendable () -> Date
  let definition: ServiceDefinition
  /// Kept current from the log while the service runs (users and roles are events).
  public let directory: UserDirectory?
  let credentials: CredentialStore?

  /// Opens the log, the read-model file (`<data dir>/<service>.readmodel.sqlite`), and, unless
  /// another authenticator is given, the users (from the log) and the credentials store
  /// (`<data dir>/credentials.sqlite`) that sign people in.
  public static func open(
    configuration: ServiceConfiguration, logger: Logger, definition: ServiceDefinition,
    authenticator: (any Authenticator)? = nil, now: @escaping @Sendable () -> Date = { Date() }
  ) async throws -> ServiceApplication {
    let base = try await openEventStore(configuration.eventLog, options: EventStoreOptions(logger: logger))
    let store = MeasuredEventStore(base: base, service: configuration.serviceName)
    var runner: ProjectionRunner?
    if !definition.projections.isEmpty {
      try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
      let path = (configuration.dataDirectory as NSString).appendingPathComponent("\(configuration.serviceName).readmodel.sqlite")
      runner = try ProjectionRunner(path: path, store: store, projections: definition.projections, secureDelete: definition.secureDelete)
    }
    var directory: UserDirectory?
    var credentials: CredentialStore?
    var chosen = authenticator
    if chosen == nil {
      try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
      let users = UserDirectory(store: store)
      try await users.catchUp()
      let store = try await CredentialStore.open(dataDirectory: configuration.dataDirectory, policy: configuration.credentialPolicy)
      chosen = CredentialAuthority(signIn: try await SignIn(directory: users, credentials: store), now: now)
      directory = users
      credentials = store
    }
    return ServiceApplication(
      configuration: configuration, store: store, projections: runner, authenticator: chosen ?? NoAuthenticator(), logger: logger,
      now: now, definition: definition, directory: directory, credentials: credentials)
  }

  /// The whole route table: the service's routes and the common ones. The OpenAPI document is
  /// made from the table itself (its own route included), so it cannot miss a route.
  public var routeTable: RouteTable {
    func table(document: Data) -> RouteTable {
      var table = RouteTable(service: configuration.serviceName, title: definition.title)
      table.add(definition.routes(self))
      table.add(PageRoutes.all(app: self, layout: layout))
      if let directory, let credentials {
        table.add(UserRoutes.all(app: self, directory: directory, credentials: credentials, layout: layout))
      }
      table.add(CommonRoutes.all(service: configuration.serviceName, store: store, runner: projections, document: document))
      return table
    }
    return table(document: OpenAPIDocument(table(document: Data())).json())
  }

  /// The service's title, shown on its pages.
  public var definitionTitle: String { definition.title }

  /// The page layout, with links to the three services.
  public var layout: Layout { Layout(service: configuration.serviceName, links: configuration.links) }

  /// The router with every route of the table behind the conventions' middleware.
  public func makeRouter() -> Router<KIPRequestContext> {
    let table = routeTable
    let router = Router(context: KIPRequestContext.self)
    router.add(middleware: ConventionsMiddleware(table: table))
    // A malformed X-KIP-Min-Position is refused before the sign-in (a page would otherwise
    // answer the login form to a request that could never be right).
    router.add(middleware: ReadYourWritesMiddleware(table: table, store: store, runner: nil, timeout: .zero))
    router.add(middleware: AccessMiddleware(table: table, authenticator: authenticator))
    router.add(middleware: ReadYourWritesMiddleware(table: table, store: store, runner: projections, timeout: configuration.readYourWritesTimeout))
    for route in table.routes {
      let handler = route.handler
      router.on(RouterPath(route.routerPath), method: route.method) { request, context in
        // The router takes any value for a path parameter; the table takes only the listed ones
        // (and checked access by the table): a path the table does not know is not found here.
        guard route.matches(request.uri.path) else { throw Problem(.notFound, "there is nothing at \(request.uri.path)") }
        return try await handler(request, context)
      }
    }
    return router
  }

  /// Serves until SIGTERM or SIGINT, then stops accepting, finishes what is in flight, stops the
  /// projections and closes the log.
  public func run() async throws {
    let logger = logger
    let name = configuration.serviceName
    let host = configuration.host
    let app = Application(
      router: makeRouter(),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: name),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? 0
        logger.info("listening", metadata: ["address": "http://\(host):\(port)"])
        // One line on stdout so scripts and tests learn the bound port (KIP_PORT=0).
        FileHandle.standardOutput.write(Data("\(name) listening on http://\(host):\(port)\n".utf8))
      },
      logger: logger)
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
    if let projections {
      services.insert(.init(service: ProjectionService(runner: projections, logger: logger)), at: 0)
    }
    services.append(.init(service: BackgroundService(app: self, work: definition.background)))
    if let directory, let credentials {
      services.insert(.init(service: AccountsService(directory: directory, credentials: credentials, logger: logger, now: now)), at: 0)
    }
    var settings = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    settings.maximumGracefulShutdownDuration = configuration.shutdownGrace
    let group = ServiceGroup(configuration: settings)
    do {
      try await group.run()
    } catch {
      await store.close()
      throw error
    }
    await store.close()
    logger.info("stopped")
  }
}

/// Keeps the users current from the log, and removes idle sessions every ten minutes.
struct AccountsService: Service {
  let directory: UserDirectory
  let credentials: CredentialStore
  let logger: Logger
  let now: @Sendable () -> Date

  func run() async throws {
    await cancelWhenGracefulShutdown {
      await withTaskGroup(of: Void.self) { group in
        group.addTask {
          do { try await directory.follow() } catch { logger.error("users stopped following the log", metadata: ["error": "\(error)"]) }
        }
        group.addTask {
          while !Task.isCancelled {
            _ = try? await credentials.removeIdleSessions(now: now())
            try? await Task.sleep(for: .seconds(600))
          }
        }
      }
    }
    try? credentials.close()
    logger.info("users and sessions stopped")
  }
}

/// The service's own background work, stopped with the group.
struct BackgroundService: Service {
  let app: ServiceApplication
  let work: @Sendable (ServiceApplication) async -> Void
  func run() async throws {
    await cancelWhenGracefulShutdown { await work(app) }
    // Work that ends early must not end the group: wait for the shutdown like the others.
    try? await gracefulShutdown()
    app.logger.info("background work stopped")
  }
}

/// The projection runner as a service of the group: it stops when the group shuts down.
struct ProjectionService: Service {
  let runner: ProjectionRunner
  let logger: Logger
  func run() async throws {
    await cancelWhenGracefulShutdown { await runner.run() }
    logger.info("projections stopped")
  }
}

/// `X-KIP-Min-Position` on a read: waits, at most `timeout` (a few seconds), until every
/// projection has applied that position, so a desk sees the booking it just made; 503 with
/// `Retry-After` if not.
struct ReadYourWritesMiddleware: RouterMiddleware {
  typealias Context = KIPRequestContext
  let table: RouteTable
  let store: any EventStore
  let runner: ProjectionRunner?
  let timeout: Duration

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    guard let text = request.headers[.kipMinPosition], table.route(request.method, request.uri.path)?.readsModels == true else {
      return try await next(request, context)
    }
    guard let position = Int64(text.trimmingCharacters(in: .whitespaces)), position >= 0 else {
      throw Problem(.malformedRequest, "X-KIP-Min-Position must be a log position (a whole number)", field: "X-KIP-Min-Position")
    }
    // Without a runner this instance only checks the header's form.
    if let runner {
      // An append answers only positions already in the log (PostgreSQL's too: after sealing),
      // so a position beyond the head was never answered: the client's mistake, not a wait.
      let head = try await store.head().position
      guard position <= head else {
        throw Problem(
          .validationFailed, "X-KIP-Min-Position \(position) is beyond the log's head \(head): send the X-KIP-Position a write answered with",
          field: "X-KIP-Min-Position")
      }
      for status in try await runner.status() {
        guard try await runner.waitUntil(status.name, reached: position, timeout: timeout) else {
          throw Problem(
            .notReady, "the read model \(status.name) has not reached position \(position) yet; ask again shortly",
            field: "X-KIP-Min-Position", headers: [.retryAfter: "1"])
        }
      }
    }
    return try await next(request, context)
  }
}
