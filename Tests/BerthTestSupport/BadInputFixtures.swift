/// Inputs the loader must refuse, each with the place (`⟨e⟩`) and the code of its error. The loader's tests check the
/// place; the report tests check every output format on them.
public enum BadInputFixtures {
    public static let loadErrors: [(name: String, marked: String, code: String)] = [
        ("malformed YAML", "services:\n  web:\n    image: x\n   ⟨e⟩bad: [\n", "yaml-syntax"),
        ("wrong type", "services:\n  web:\n    image: x\n    ports: ⟨e⟩8080\n", "invalid-type"),
        ("duplicate key", "services:\n  web:\n    image: x\n    ⟨e⟩image: y\n", "yaml-duplicate-key"),
        ("undefined alias", "services:\n  web:\n    image: ⟨e⟩*nothing\n", "yaml-undefined-alias"),
        ("bad port", "services:\n  web:\n    image: x\n    ports: [⟨e⟩\"99999:80\"]\n", "invalid-port"),
        ("bad duration", "services:\n  web:\n    image: x\n    stop_grace_period: ⟨e⟩10 parsecs\n", "invalid-duration"),
        ("missing variable", "services:\n  web:\n    image: ⟨e⟩${IMAGE:?set IMAGE}\n", "missing-variable"),
        ("unknown top-level key", "services:\n  web: {image: x}\n⟨e⟩servces: {}\n", "unknown-key"),
        ("negative health-check retries", "services:\n  web:\n    image: x\n    healthcheck: {test: [CMD, \"true\"], retries: ⟨e⟩-1}\n", "invalid-value"),
        ("a seccomp profile that is not there", "services:\n  web:\n    image: x\n    security_opt: [⟨e⟩\"seccomp=nope.json\"]\n", "file-not-found"),
        ("isolation on Linux", "services:\n  web:\n    image: x\n    isolation: ⟨e⟩hyperv\n", "invalid-value"),
        ("a bad blkio weight", "services:\n  web:\n    image: x\n    blkio_config: {weight: ⟨e⟩5}\n", "invalid-value"),
        ("bad condition", "services:\n  a: {image: x}\n  web:\n    image: x\n    depends_on:\n      a: {condition: ⟨e⟩service_healty}\n", "invalid-value"),
    ]
}
