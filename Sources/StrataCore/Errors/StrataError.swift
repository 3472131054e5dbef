/// An error Strapi clients understand: rendered by the HTTP layer as
/// `{"data":null,"error":{"status","name","message","details"}}`.
///
/// Type names match Strapi's `name` field, so the envelope's `name` is the type's name.
public protocol StrataError: Error, Sendable, CustomStringConvertible {
    /// Strapi's error name, e.g. `ValidationError`.
    var name: String { get }
    var message: String { get }
    /// Structured details; `{}` when there are none.
    var details: JSONValue { get }
    /// The HTTP status Strapi maps this error to.
    var status: Int { get }
}

extension StrataError {
    public var details: JSONValue { .object([:]) }
    public var description: String { "\(name): \(message)" }

    /// The `error` member of Strapi's error envelope.
    public var envelopeError: JSONValue {
        .object(["status": .int(Int64(status)), "name": .string(name), "message": .string(message), "details": details])
    }
}

/// A generic application error (400), Strapi's `ApplicationError`.
public struct ApplicationError: StrataError {
    public let message: String
    public let details: JSONValue
    public var name: String { "ApplicationError" }
    public var status: Int { 400 }

    public init(_ message: String, details: JSONValue = .object([:])) {
        self.message = message
        self.details = details
    }
}

/// Invalid pagination parameters (400).
public struct PaginationError: StrataError {
    public let message: String
    public var name: String { "PaginationError" }
    public var status: Int { 400 }

    public init(_ message: String) { self.message = message }
}

/// A malformed request the router or body parser rejected (400), like koa's http-errors.
public struct BadRequestError: StrataError {
    public let message: String
    public var name: String { "BadRequestError" }
    public var status: Int { 400 }

    public init(_ message: String = "Bad Request") { self.message = message }
}

/// Missing document, file or route (404).
public struct NotFoundError: StrataError {
    public let message: String
    public let details: JSONValue
    public var name: String { "NotFoundError" }
    public var status: Int { 404 }

    public init(_ message: String = "Not Found", details: JSONValue = .object([:])) {
        self.message = message
        self.details = details
    }
}

/// The route exists but not for this method (405).
public struct MethodNotAllowedError: StrataError {
    public let message: String
    public var name: String { "MethodNotAllowedError" }
    public var status: Int { 405 }

    public init(_ message: String = "Method Not Allowed") { self.message = message }
}

/// Authentication missing or invalid (401).
public struct UnauthorizedError: StrataError {
    public let message: String
    public let details: JSONValue
    public var name: String { "UnauthorizedError" }
    public var status: Int { 401 }

    public init(_ message: String = "Unauthorized", details: JSONValue = .object([:])) {
        self.message = message
        self.details = details
    }
}

/// Authenticated but not allowed (403).
public struct ForbiddenError: StrataError {
    public let message: String
    public let details: JSONValue
    public var name: String { "ForbiddenError" }
    public var status: Int { 403 }

    public init(_ message: String = "Forbidden", details: JSONValue = .object([:])) {
        self.message = message
        self.details = details
    }
}

/// A policy refused the request (403).
public struct PolicyError: StrataError {
    public let message: String
    public let details: JSONValue
    public var name: String { "PolicyError" }
    public var status: Int { 403 }

    public init(_ message: String = "Policy Failed", details: JSONValue = .object([:])) {
        self.message = message
        self.details = details
    }
}

/// A conflicting concurrent change (409).
public struct ConflictError: StrataError {
    public let message: String
    public var name: String { "ConflictError" }
    public var status: Int { 409 }

    public init(_ message: String = "Conflict") { self.message = message }
}

/// A request or file over its size limit (413).
public struct PayloadTooLargeError: StrataError {
    public let message: String
    public let details: JSONValue
    public var name: String { "PayloadTooLargeError" }
    public var status: Int { 413 }

    public init(_ message: String = "Entity too large", details: JSONValue = .object([:])) {
        self.message = message
        self.details = details
    }
}

/// Too many requests (429).
public struct RateLimitError: StrataError {
    public let message: String
    public let details: JSONValue
    public var name: String { "RateLimitError" }
    public var status: Int { 429 }

    public init(_ message: String = "Too many requests, please try again later.", details: JSONValue = .object([:])) {
        self.message = message
        self.details = details
    }
}

/// A feature Strata does not provide (501).
public struct NotImplementedError: StrataError {
    public let message: String
    public var name: String { "NotImplementedError" }
    public var status: Int { 501 }

    public init(_ message: String = "This feature is not implemented") { self.message = message }
}

/// An unexpected failure (500); its message never reaches clients.
public struct InternalServerError: StrataError {
    public var message: String { "Internal Server Error" }
    public var name: String { "InternalServerError" }
    public var status: Int { 500 }

    public init() {}
}
