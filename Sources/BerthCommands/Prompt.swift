import Foundation

/// A yes/no question on the terminal, answered on standard input; anything but `y`/`yes` is no.
enum Prompt {
    static func confirm(_ question: String) -> Bool {
        Console.error("\(question) [y/N] ")
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
