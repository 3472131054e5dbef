import StrataCore

/// An outgoing email (Strapi's email plugin `send` options).
public struct Email: Sendable, Equatable {
    public var to: String
    public var from: String
    public var subject: String
    public var text: String
    public var html: String?

    public init(to: String, from: String, subject: String, text: String, html: String? = nil) {
        self.to = to
        self.from = from
        self.subject = subject
        self.text = text
        self.html = html
    }
}

/// Sends email. Providers are chosen in configuration; the SMTP provider comes with the email plugin.
public protocol EmailProvider: Sendable {
    func send(_ email: Email) async throws
}

/// Writes emails to the log instead of sending them (the default, like Strapi's `sendmail`-less setup).
public struct LogEmailProvider: EmailProvider {
    let log: @Sendable (String) -> Void

    public init(log: @escaping @Sendable (String) -> Void) {
        self.log = log
    }

    public func send(_ email: Email) async throws {
        log("email to \(email.to) from \(email.from): \(email.subject)\n\(email.text)")
    }
}

/// Keeps emails in memory (tests).
public final class MemoryEmailProvider: EmailProvider {
    private let storage = LockedValue<[Email]>([])

    public init() {}

    public func send(_ email: Email) async throws {
        storage.withLock { $0.append(email) }
    }

    public var sent: [Email] { storage.value }
}
