import Foundation

/// A yes/no question on the terminal, answered on standard input; anything but `y`/`yes` is no.
enum Prompt {
    /// Compose's question of `rm`: the text on stdout, then a line; `y` or a Go boolean true (`1`, `t`, `true`, ...)
    /// is yes, anything else (`yes` too) is no.
    static func composeConfirm(_ question: String) -> Bool {
        Console.out(question + " (y/N) ")
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces) else { return false }
        return ["y", "Y", "1", "t", "T", "true", "TRUE", "True"].contains(answer)
    }

    static func confirm(_ question: String) -> Bool {
        Console.error("\(question) [y/N] ")
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
