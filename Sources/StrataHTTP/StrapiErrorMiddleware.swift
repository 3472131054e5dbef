public import Hummingbird
public import Logging
public import StrataCore

/// Renders every failure as Strapi's error envelope
/// `{"data":null,"error":{"status","name","message","details"}}`, in one place.
///
/// Strata's typed errors keep their name and status; Hummingbird's HTTP errors (unknown route,
/// body too large) are mapped to Strapi's names; anything else is logged and becomes an opaque
/// 500, so internal details never reach clients.
public struct StrapiErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: error, request: request, logger: context.logger)
        }
    }

    public static func strataError(for error: any Error, logger: Logger) -> any StrataError {
        switch error {
        case let error as any StrataError:
            return error
        case let error as HTTPError:
            switch error.status.code {
            case 404: return NotFoundError()
            case 405: return MethodNotAllowedError()
            case 413: return PayloadTooLargeError()
            case 400..<500: return BadRequestError(error.body ?? error.status.reasonPhrase)
            default: break
            }
        default:
            break
        }
        logger.error("Internal server error", metadata: ["error": .string(String(reflecting: error))])
        return InternalServerError()
    }

    public static func response(for error: any Error, request: Request, logger: Logger) -> Response {
        let strata = strataError(for: error, logger: logger)
        let body: JSONValue = .object(["data": .null, "error": strata.envelopeError])
        return .json(body, status: HTTPResponse.Status(code: strata.status))
    }
}
