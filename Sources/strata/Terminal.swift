import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Prompts on the controlling terminal. Never blocks when standard input is not a terminal:
/// callers get `nil` and must fail with a message that names the flag to pass instead.
enum Terminal {
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }

    /// Asks a yes/no question; `nil` when there is no terminal to ask.
    static func confirm(_ question: String) -> Bool? {
        guard isInteractive else { return nil }
        FileHandle.standardError.write(Data("? \(question) (y/N) ".utf8))
        guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }

    /// Reads a secret without echoing it; `nil` when there is no terminal.
    static func secret(_ prompt: String) -> String? {
        guard isInteractive else { return nil }
        FileHandle.standardError.write(Data("? \(prompt) ".utf8))
        var original = termios()
        let hasTerminal = tcgetattr(STDIN_FILENO, &original) == 0
        if hasTerminal {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        }
        defer {
            if hasTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &original) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
