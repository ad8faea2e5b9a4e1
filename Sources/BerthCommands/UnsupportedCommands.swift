/// The `docker compose` commands Berth does not have yet. Each is refused by name, so that a user's script fails
/// with a clear message, never with "no such service" or a parser's "unexpected argument".
enum UnsupportedCommands {
    static let names: Set<String> = ["alpha", "bridge", "commit", "export", "publish", "volumes", "watch", "viz"]

    static func message(_ name: String) -> String {
        "berth: berth does not support '\(name)' yet (a docker compose command); 'berth --help' lists the commands it has\n"
    }
}
