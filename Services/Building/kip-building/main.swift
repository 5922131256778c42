import BuildingService
import ServiceKit

await ServiceMain.run(serviceName: BuildingService.name, defaultPort: BuildingService.defaultPort) { configuration, logger in
  try await BuildingService.buildApplication(configuration: configuration, logger: logger)
}
