import ArgumentParser
import BerthPlan
import DockerEngine
import Foundation

/// `images [SERVICE...]`: the images the project's containers run, as `docker compose images` lists them.
struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "images", abstract: "List the images the project's containers use.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Print only the image IDs.") var quiet = false
    @Option(help: "Output format: table or json.") var format: Format = .table
    @Argument(help: "Services (all when none).", completion: ServiceCompletion.kind) var services: [String] = []

    func run() async throws {
        let name = try resolvedProjectName(global)
        let rows: [(ContainerSummary, ImageDetails)] = try await global.withEngine { client in
            do {
                let containers = try await client.listContainers(all: true, filters: ["label": ComposeLabels.madeFor(name)])
                    .filter { services.isEmpty || services.contains($0.labels[ComposeLabels.service] ?? "") }
                    .sorted { $0.name < $1.name }
                var rows: [(ContainerSummary, ImageDetails)] = []
                for container in containers {
                    if let image = try await client.inspectImage(container.imageID) { rows.append((container, image)) }
                }
                return rows
            } catch {
                Console.error("berth: \(error)\n")
                throw ExitCode(1)
            }
        }
        func bare(_ id: String) -> String { id.hasPrefix("sha256:") ? String(id.dropFirst(7)) : id }
        if quiet {
            var seen: [String] = []
            for (_, image) in rows where !seen.contains(bare(image.id)) { seen.append(bare(image.id)) }
            return Console.out(seen.map { $0 + "\n" }.joined())
        }
        switch format {
        case .table:
            var table = [["CONTAINER", "REPOSITORY", "TAG", "PLATFORM", "IMAGE ID", "SIZE", "CREATED"]]
            for (container, image) in rows {
                let (repository, tag) = Self.repositoryAndTag(Self.reference(container, image))
                table.append([container.name, repository, tag, image.platform, String(bare(image.id).prefix(12)), ContainerStats.size(Double(image.size), precision: 3, binary: false),
                              ImageDetails.seconds(image.created).map { PsJSON.runningFor(Date().timeIntervalSince1970 - $0) } ?? "N/A"])
            }
            Console.out(Table.render(table))
        case .json:
            let objects = rows.map { container, image -> JSONValue in
                let (repository, tag) = Self.repositoryAndTag(Self.reference(container, image))
                return .object(["ID": .string(image.id), "ContainerName": .string(container.name), "Repository": .string(repository), "Tag": .string(tag),
                                "Platform": .string(image.platform), "Size": .number(Double(image.size)), "Created": .string(image.created)])
            }
            Console.out(JSONValue.array(objects).text + "\n")
        }
    }

    /// The name the container was made from, when it is one of the image's tags; the image's first tag otherwise.
    static func reference(_ container: ContainerSummary, _ image: ImageDetails) -> String {
        let named = container.image.contains(":") ? container.image : container.image + ":latest"
        if !container.image.hasPrefix("sha256:"), image.repoTags.contains(named) { return named }
        return image.repoTags.first ?? container.image
    }

    /// `busybox:1.36` as (`busybox`, `1.36`); no tag is `latest`; an untagged image is `<none>`.
    static func repositoryAndTag(_ reference: String) -> (String, String) {
        guard !reference.isEmpty, !reference.hasPrefix("sha256:") else { return ("<none>", "<none>") }
        let name = reference.split(separator: "@").first.map(String.init) ?? reference
        if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") {
            return (String(name[..<colon]), String(name[name.index(after: colon)...]))
        }
        return (name, "latest")
    }
}
