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

    static func run(_ project: ComposeProject, stack: String, client: DockerClient, ignored: Set<String> = []) async -> StackChecker.Result {
        let cluster: ClusterSnapshot
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
        var result = StackChecker.check(project, stack: stack, cluster: cluster)
        result.diagnostics = result.diagnostics.filter { $0.severity == .error || !ignored.contains($0.code) }
        return result
    }
}
