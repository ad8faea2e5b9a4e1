/// A model of the swarm scheduler (swarmkit as Docker 20.10 vendors it), to tell before a deploy which tasks will stay
/// `Pending`.
///
/// Each task passes the scheduler's filters in its order: node ready and active, reservations that fit (what is left
/// after the tasks assigned there), constraints, host-mode ports free, `max_replicas_per_node`. A replicated service's
/// tasks go one at a time to a node with the fewest tasks of that service; a global service's task is tied to each
/// node its constraints match (and that is not drained, down or paused) and stays there, placed or pending.
///
/// What the real scheduler leaves to chance is explored, not guessed: the order in which it takes services created
/// together (Go map order), and which of several equally good nodes it picks. Every order and tie is followed (states
/// already seen are not explored twice); a service whose placed count is the same on every path is predicted exactly,
/// one whose count differs depends on the scheduler's order. Services that cannot compete (no shared host port or
/// reservation on a common node) are explored apart.
public struct SwarmScheduler: Sendable {
    public struct Group: Sendable, Hashable {
        public enum Mode: String, Sendable, Hashable { case replicated, global, replicatedJob = "replicated-job", globalJob = "global-job" }

        public var name: String
        public var mode: Mode
        /// Tasks wanted (replicated modes).
        public var replicas: Int
        public var constraints: [SwarmConstraint]
        /// Host-mode published ports (not 0).
        public var hostPorts: [ClusterSnapshot.HostPort]
        public var nanoCPUs: Int64
        public var memoryBytes: Int64
        public var generic: [String: Int64]
        public var maxPerNode: Int?
        /// `placement.preferences` spread descriptors.
        public var spreads: [String]
        /// Dependency level: when the deploy waits between levels, a lower level is scheduled first.
        public var level: Int

        public init(name: String, mode: Mode = .replicated, replicas: Int = 1, constraints: [SwarmConstraint] = [], hostPorts: [ClusterSnapshot.HostPort] = [],
                    nanoCPUs: Int64 = 0, memoryBytes: Int64 = 0, generic: [String: Int64] = [:], maxPerNode: Int? = nil, spreads: [String] = [], level: Int = 0) {
            self.name = name
            self.mode = mode
            self.replicas = replicas
            self.constraints = constraints
            self.hostPorts = hostPorts
            self.nanoCPUs = nanoCPUs
            self.memoryBytes = memoryBytes
            self.generic = generic
            self.maxPerNode = maxPerNode
            self.spreads = spreads
            self.level = level
        }

        var isGlobal: Bool { mode == .global || mode == .globalJob }
        var reserves: Bool { nanoCPUs > 0 || memoryBytes > 0 || !generic.isEmpty }
    }

    /// The scheduler's filters, in its order; a node is counted under the first one it fails.
    public enum Filter: Int, Sendable, Hashable, CaseIterable, Comparable {
        case ready, resources, constraints, hostPort, maxReplicas

        public static func < (a: Filter, b: Filter) -> Bool { a.rawValue < b.rawValue }

        /// The scheduler's own words, for `count` nodes.
        public func explain(_ count: Int) -> String {
            let nodes = count == 1 ? "1 node" : "\(count) nodes"
            switch self {
            case .ready: return "\(nodes) not available for new tasks"
            case .resources: return "insufficient resources on \(nodes)"
            case .constraints: return "scheduling constraints not satisfied on \(nodes)"
            case .hostPort: return "host-mode port already in use on \(nodes)"
            case .maxReplicas: return "max replicas per node limit exceed"
            }
        }
    }

    /// What a node has left: host ports taken (with who holds them), reservations left.
    struct NodeState: Hashable {
        var ports: [ClusterSnapshot.HostPort: String]
        var nanoCPUs: Int64
        var memoryBytes: Int64
        var generic: [String: Int64]

        static func == (a: NodeState, b: NodeState) -> Bool {
            Set(a.ports.keys) == Set(b.ports.keys) && a.nanoCPUs == b.nanoCPUs && a.memoryBytes == b.memoryBytes && a.generic == b.generic
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(Set(ports.keys))
            hasher.combine(nanoCPUs)
            hasher.combine(memoryBytes)
            hasher.combine(generic)
        }
    }

    public struct Outcome: Sendable {
        /// Per group: every number of tasks the scheduler may place, over the orders and ties it may take.
        public var placed: [Set<Int>]
        /// Per group: whether every order and tie was followed (false when the exploration hit its bound).
        public var decided: [Bool]
        /// Per group: the tasks it wants (replicas, or one per node a global service is tied to).
        public var desired: [Int]
        /// One run of the scheduler: per group, how many tasks land on each node (by index).
        public var sample: [[Int: Int]]
        /// In that run, per group left short: the nodes (by index) under the first filter each fails once settled.
        public var failures: [[Filter: [Int]]]
        /// In that run, who holds each host port on each node at the end (`web.1`, `other_api.2`).
        public var holders: [[ClusterSnapshot.HostPort: String]]
        /// Per group: the groups it competes with (explored together).
        public var rivals: [[Int]]
    }

    public let nodes: [ClusterSnapshot.Node]
    public let groups: [Group]
    /// Whether the deploy waits between dependency levels (then a lower level is scheduled first).
    public let ordered: Bool
    /// How many states one exploration may visit.
    public var bound = 200_000

    public init(nodes: [ClusterSnapshot.Node], groups: [Group], ordered: Bool) {
        self.nodes = nodes
        self.groups = groups
        self.ordered = ordered
    }

    /// The nodes each group's tasks are tied to (global) or may use (replicated): constraints only.
    func taskNodes(_ group: Group) -> [Int] {
        nodes.indices.filter { index in
            let node = nodes[index]
            guard group.constraints.allSatisfy({ $0.matches(node) }) else { return false }
            switch group.mode {
            case .global: return node.availability == "active" && node.state != "down"
            case .globalJob: return node.availability == "active" && node.state == "ready"
            default: return true
            }
        }
    }

    /// The first filter a node fails for one more task of the group, or nil when it takes it.
    func failing(_ group: Group, node index: Int, state: NodeState, ofService count: Int) -> Filter? {
        let node = nodes[index]
        if node.state != "ready" || node.availability != "active" { return .ready }
        if group.reserves {
            if group.nanoCPUs > state.nanoCPUs || group.memoryBytes > state.memoryBytes { return .resources }
            for (kind, need) in group.generic where need > (state.generic[kind] ?? -1) || state.generic[kind] == nil { return .resources }
        }
        if !group.constraints.allSatisfy({ $0.matches(node) }) { return .constraints }
        if group.hostPorts.contains(where: { state.ports[$0] != nil }) { return .hostPort }
        if let max = group.maxPerNode, max > 0, count >= max { return .maxReplicas }
        return nil
    }

    func take(_ group: Group, on state: inout NodeState, task: String) {
        for port in group.hostPorts { state.ports[port] = task }
        state.nanoCPUs -= group.nanoCPUs
        state.memoryBytes -= group.memoryBytes
        for (kind, need) in group.generic { state.generic[kind, default: 0] -= need }
    }

    /// The nodes as the scheduler starts: capacity less what the snapshot's tasks hold.
    func initialState(_ tasks: [ClusterSnapshot.Task]) -> [NodeState] {
        nodes.map { node in
            var state = NodeState(ports: [:], nanoCPUs: node.nanoCPUs, memoryBytes: node.memoryBytes, generic: node.generic)
            for task in tasks where task.nodeID == node.id {
                for port in task.hostPorts { state.ports[port] = task.name }
                state.nanoCPUs -= task.nanoCPUs
                state.memoryBytes -= task.memoryBytes
                for (kind, value) in task.generic { state.generic[kind, default: 0] -= value }
            }
            return state
        }
    }

    /// Groups that may compete: a shared host port, or reservations of the same kind, on a node both may use.
    func rivals() -> [[Int]] {
        let usable = groups.map { Set(taskNodes($0)) }
        return groups.indices.map { a in
            groups.indices.filter { b in
                guard a != b, !usable[a].isDisjoint(with: usable[b]) else { return false }
                let (x, y) = (groups[a], groups[b])
                if !Set(x.hostPorts).isDisjoint(with: y.hostPorts) { return true }
                if x.nanoCPUs > 0 && y.nanoCPUs > 0 || x.memoryBytes > 0 && y.memoryBytes > 0 { return true }
                return !Set(x.generic.keys).isDisjoint(with: y.generic.keys)
            }
        }
    }

    public func run(existing tasks: [ClusterSnapshot.Task]) -> Outcome {
        let start = initialState(tasks)
        let rivals = rivals()
        var outcome = Outcome(placed: Array(repeating: [], count: groups.count), decided: Array(repeating: true, count: groups.count),
                              desired: groups.map { $0.isGlobal ? taskNodes($0).count : $0.replicas },
                              sample: Array(repeating: [:], count: groups.count), failures: Array(repeating: [:], count: groups.count),
                              holders: [], rivals: rivals)
        // Components of the rivalry graph are explored apart.
        var component = Array(repeating: -1, count: groups.count)
        var components: [[Int]] = []
        for seed in groups.indices where component[seed] < 0 {
            var members: [Int] = []
            var stack = [seed]
            component[seed] = components.count
            while let next = stack.popLast() {
                members.append(next)
                for other in rivals[next] where component[other] < 0 {
                    component[other] = components.count
                    stack.append(other)
                }
            }
            components.append(members.sorted())
        }
        for members in components {
            // A service that competes with none: how many it places does not depend on the ties (the count is the
            // nodes' room for it, whichever of equal nodes it picks), so one run says it.
            if members.count == 1, let only = members.first {
                var state = start
                outcome.placed[only] = [place(groups[only], in: &state, choose: { $0[0] }).placed]
                continue
            }
            // Spread preferences place by label branches, which this model does not follow: competing services with
            // them are not predicted.
            if members.contains(where: { !groups[$0].spreads.isEmpty }) {
                for member in members { outcome.decided[member] = false }
                continue
            }
            var explorer = Explorer(scheduler: self, members: members, bound: bound)
            explorer.explore(start, remaining: Set(members))
            for member in members {
                outcome.placed[member] = explorer.placed[member] ?? []
                outcome.decided[member] = !explorer.exhausted
            }
        }
        // One run, in file order with the first node of each tie, for the sample placement and the settled errors.
        var state = start
        for (index, group) in orderedForSample().map({ ($0, groups[$0]) }) {
            let counts = place(group, in: &state, choose: { $0.first! }).counts
            outcome.sample[index] = counts
        }
        for (index, group) in groups.enumerated() {
            let placed = outcome.sample[index].values.reduce(0, +)
            guard placed < outcome.desired[index] else { continue }
            var failures: [Filter: [Int]] = [:]
            if group.isGlobal {
                for node in taskNodes(group) where (outcome.sample[index][node] ?? 0) == 0 {
                    // The task tied to this node: its own failure, with this group's share of the node taken out.
                    if let filter = failing(group, node: node, state: state[node], ofService: 0) { failures[filter, default: []].append(node) }
                }
            } else {
                for node in nodes.indices {
                    if let filter = failing(group, node: node, state: state[node], ofService: outcome.sample[index][node] ?? 0) { failures[filter, default: []].append(node) }
                }
            }
            outcome.failures[index] = failures
        }
        outcome.holders = state.map(\.ports)
        return outcome
    }

    func orderedForSample() -> [Int] {
        groups.indices.sorted { a, b in
            let (x, y) = (groups[a], groups[b])
            if ordered && x.level != y.level { return x.level < y.level }
            return a < b
        }
    }

    /// Places a group's tasks; `choose` picks among the nodes the scheduler may take next (a global task has no choice).
    /// The nodes the scheduler may give a replicated group's next task: those that take it, with the fewest of its tasks.
    func candidates(_ group: Group, in state: [NodeState], counts: [Int: Int]) -> [Int] {
        let fit = nodes.indices.filter { failing(group, node: $0, state: state[$0], ofService: counts[$0] ?? 0) == nil }
        guard let fewest = fit.map({ counts[$0] ?? 0 }).min() else { return [] }
        return fit.filter { (counts[$0] ?? 0) == fewest }
    }

    func place(_ group: Group, in state: inout [NodeState], choose: ([Int]) -> Int) -> (counts: [Int: Int], placed: Int) {
        var counts: [Int: Int] = [:]
        if group.isGlobal {
            for node in taskNodes(group) where failing(group, node: node, state: state[node], ofService: 0) == nil {
                take(group, on: &state[node], task: "\(group.name).\(nodes[node].id.prefix(12))")
                counts[node] = 1
            }
            return (counts, counts.count)
        }
        var placed = 0
        while placed < group.replicas {
            let next = candidates(group, in: state, counts: counts)
            guard !next.isEmpty else { break }
            let node = choose(next)
            placed += 1
            take(group, on: &state[node], task: "\(group.name).\(placed)")
            counts[node, default: 0] += 1
        }
        return (counts, placed)
    }

    /// Follows every order of a component's groups and every tie among nodes, once per state.
    struct Explorer {
        let scheduler: SwarmScheduler
        let members: [Int]
        let bound: Int
        struct Key: Hashable {
            var remaining: [Int]
            var state: [NodeState]
        }
        var seen: Set<Key> = []
        var visits = 0
        var exhausted = false
        var placed: [Int: Set<Int>] = [:]

        init(scheduler: SwarmScheduler, members: [Int], bound: Int) {
            self.scheduler = scheduler
            self.members = members
            self.bound = bound
        }

        mutating func explore(_ state: [NodeState], remaining: Set<Int>) {
            guard !remaining.isEmpty, !exhausted else { return }
            guard seen.insert(Key(remaining: remaining.sorted(), state: state)).inserted else { return }
            visits += 1
            if visits > bound { exhausted = true; return }
            let lowest = remaining.map { scheduler.groups[$0].level }.min() ?? 0
            for index in remaining.sorted() where !scheduler.ordered || scheduler.groups[index].level == lowest {
                for (after, count) in outcomes(of: index, from: state) {
                    placed[index, default: []].insert(count)
                    explore(after, remaining: remaining.subtracting([index]))
                }
            }
        }

        /// Every state a group's placement may leave, with how many tasks it placed.
        mutating func outcomes(of index: Int, from state: [NodeState]) -> [([NodeState], Int)] {
            let group = scheduler.groups[index]
            if group.isGlobal {
                var after = state
                let placed = scheduler.place(group, in: &after, choose: { $0[0] }).placed
                return [(after, placed)]
            }
            // Task by task, any node with the fewest of this service's tasks among those that fit.
            var results: [([NodeState], Int)] = []
            var frontier: [([NodeState], [Int: Int], Int)] = [(state, [:], 0)]
            var seenCounts: Set<[Int: Int]> = []
            while let (current, counts, placed) = frontier.popLast() {
                visits += 1
                if visits > bound { exhausted = true; return results }
                let choices = placed < group.replicas ? scheduler.candidates(group, in: current, counts: counts) : []
                guard !choices.isEmpty else {
                    results.append((current, placed))
                    continue
                }
                for node in choices {
                    var next = current
                    var nextCounts = counts
                    scheduler.take(group, on: &next[node], task: "\(group.name).\(placed + 1)")
                    nextCounts[node, default: 0] += 1
                    if seenCounts.insert(nextCounts).inserted { frontier.append((next, nextCounts, placed + 1)) }
                }
            }
            return results
        }
    }
}
