import BerthDiagnostics
import BerthSpec

/// Security lints: warnings with a stable code, a one-line why and a fix (`berth rules`). They are silenced per
/// service or per file with `x-berth: {ignore: [code, ...]}`, and per run with `--ignore code`.
extension PreflightChecker {
    /// Images whose port is a database or broker: published on all interfaces, Docker's own iptables rules open it to
    /// the world past host firewalls such as ufw.
    static let datastores: Set<String> = [
        "postgres", "postgresql", "postgis", "mysql", "mariadb", "percona-server", "mongo", "mongodb", "mongodb-community-server",
        "redis", "redis-stack", "redis-stack-server", "valkey", "keydb", "memcached", "elasticsearch", "opensearch",
        "rabbitmq", "cassandra", "scylla", "couchdb", "couchbase", "etcd", "consul", "influxdb", "neo4j", "clickhouse-server",
        "cockroach", "zookeeper",
    ]

    /// `postgres:16`, `bitnami/postgresql`, `docker.elastic.co/elasticsearch/elasticsearch:8` → the repository's last name.
    static func repositoryName(_ image: String) -> String {
        let withoutDigest = image.split(separator: "@").first.map(String.init) ?? image
        let last = withoutDigest.split(separator: "/").last.map(String.init) ?? withoutDigest
        return (last.split(separator: ":").first.map(String.init) ?? last).lowercased()
    }

    /// Whether an `environment` key names a credential: a whole word PASSWORD, PASSWD, SECRET or TOKEN, or KEY as the
    /// last word (`API_KEY`, `AWS_SECRET_ACCESS_KEY`); `KEYCLOAK_URL` and `MONKEY` do not, and neither does a name
    /// that points at a file holding the credential (`MYSQL_ROOT_PASSWORD_FILE`, the images' convention for secrets).
    public static func isCredentialName(_ key: String) -> Bool {
        let words = key.uppercased().split { $0 == "_" || $0 == "-" || $0 == "." }.map(String.init)
        if let last = words.last, ["FILE", "PATH", "DIR"].contains(last) { return false }
        return words.contains { ["PASSWORD", "PASSWD", "SECRET", "TOKEN"].contains($0) } || (words.count > 1 && words.last == "KEY")
    }

    func lints() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for service in project.services {
            let ignored = service.ignoredLints.union(project.ignoredLints)
            func warn(_ code: String, _ message: String, at location: SourceLocation?) {
                guard !ignored.contains(code) else { return }
                diagnostics.append(.warning(code, "service '\(service.name)': \(message)", at: location ?? service.location, service: service.name))
            }
            if let image = service.image, Self.datastores.contains(Self.repositoryName(image)), service.networkMode != .host {
                for port in service.ports where port.published != nil && (port.hostIP == nil || ["0.0.0.0", "::", ""].contains(port.hostIP!)) {
                    warn("datastore-exposed", "\(Self.repositoryName(image)) is published on all interfaces (\(port.published!)->\(port.target)); Docker's iptables rules bypass host firewalls such as ufw, so it is open to the network: publish it as \"127.0.0.1:\(port.published!):\(port.target)\"", at: port.location)
                }
            }
            for volume in service.volumes where volume.type == .bind {
                if let source = volume.source, source == "/var/run/docker.sock" || source == "/run/docker.sock" {
                    warn("docker-socket", "the Docker socket is mounted: whoever controls this container controls the engine, and so the host; use a socket proxy with a narrow API, or drop the mount", at: volume.location)
                }
            }
            if let socket = service.usesAPISocket {
                warn("docker-socket", "use_api_socket mounts the Docker socket: whoever controls this container controls the engine, and so the host", at: socket)
            }
            if service.privileged {
                warn("privileged-container", "privileged: true gives the container every capability and the host's devices; grant the capabilities it needs with cap_add instead", at: service.privilegedLocation)
            } else if service.capAdd.contains(where: { $0.uppercased() == "ALL" || $0.uppercased() == "CAP_ALL" }) {
                warn("privileged-container", "cap_add: [ALL] gives the container every capability; name the ones it needs", at: service.capAddLocation)
            }
            for (key, value) in [("pid", service.options.pid), ("ipc", service.options.ipc), ("uts", service.options.uts)] where value == "host" {
                warn("host-namespace", "\(key): host shares the host's \(key) namespace with the container (it sees or changes the host's \(key == "pid" ? "processes" : key == "ipc" ? "shared memory" : "hostname")); drop it unless the service is a host tool", at: service.options.locations[key])
            }
            // A value that is a path under /run/secrets names a mounted secret, not the credential itself.
            for entry in service.environment where Self.isCredentialName(entry.key) && !(entry.value ?? "").isEmpty && !(entry.value ?? "").hasPrefix("/run/secrets/") {
                guard let location = service.literalEnvironment[entry.key] else { continue }
                warn("literal-credential", "'\(entry.key)' is written literally in the file, where anyone who reads it (or its history) sees it; take it from a secret (secrets:) or from the environment (${\(entry.key)})", at: location)
            }
        }
        return diagnostics
    }
}
