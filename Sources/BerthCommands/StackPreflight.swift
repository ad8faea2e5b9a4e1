import ArgumentParser
import BerthDiagnostics
import BerthPlan
import BerthRuntime
import BerthSpec
import DockerEngine

/// The cluster-aware check that `check --stack` prints and `stack deploy` runs first: the swarm is read once from its
/// manager, and `StackChecker` predicts what it would refuse or leave Pending.
enum StackPreflight {
    /// The loader's notes about deploy keys are not findings in stack mode: a swarm applies them.
    static func loaderDiagnostics(_ loaded: LoadResult) -> [Diagnostic] {
        loaded.diagnostics.filter { !($0.code == "unsupported-key" && $0.message.contains("stack mode only")) }
    }

    /// Clients of the engines `--node-endpoints` names (comma-separated or repeated), for `body`; shut down after.
    static func withNodeEngines<T>(_ entries: [String], global: GlobalOptions, _ body: ([(name: String, client: DockerClient)]) async throws -> T) async throws -> T {
        var clients: [(name: String, client: DockerClient)] = []
        for entry in entries.flatMap({ $0.split(separator: ",").map(String.init) }) where !entry.isEmpty {
            do {
                clients.append((entry, try DockerClient(endpoint: try global.endpoint(entry: entry))))
            } catch {
                Console.error("berth: error: --node-endpoints: \(entry): \(error)\n")
                for (_, client) in clients { await client.shutdown() }
                throw ExitCode(1)
            }
        }
        do {
            let result = try await body(clients)
            for (_, client) in clients { await client.shutdown() }
            return result
        } catch {
            for (_, client) in clients { await client.shutdown() }
            throw error
        }
    }

    static func run(_ project: ComposeProject, stack: String, client: DockerClient, ignored: Set<String> = [], prune: Bool = false,
                    nodeEngines: [(name: String, client: DockerClient)] = []) async -> StackChecker.Result {
        var cluster: ClusterSnapshot
        do {
            let state = try await client.swarmState()
            guard state.manager else {
                var result = StackChecker.Result()
                result.diagnostics = [.error("swarm-not-manager", "this node is not a swarm manager: use \"docker swarm init\" or \"docker swarm join\" to connect this node to a swarm, or point -H/DOCKER_HOST at a manager", at: nil)]
                return result
            }
            cluster = try await ClusterSnapshotReader.read(client: client)
        } catch {
            var result = StackChecker.Result()
            result.diagnostics = [.error("engine-error", "cannot read the swarm: \((error as? DockerError)?.message ?? "\(error)")", at: nil)]
            return result
        }
        var problems: [Diagnostic] = []
        if !nodeEngines.isEmpty {
            let (claims, unreachable) = await ClusterSnapshotReader.outsideClaims(clients: nodeEngines)
            cluster.outside = claims
            problems = unreachable.map { .warning("engine-error", "--node-endpoints: \($0); its plain containers are not seen", at: nil) }
        }
        var result = StackChecker.check(project, stack: stack, cluster: cluster, prune: prune)
        result.diagnostics = problems + result.diagnostics
        result.diagnostics = result.diagnostics.filter { $0.severity == .error || !ignored.contains($0.code) }
        return result
    }
}
