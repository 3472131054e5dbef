public import Hummingbird
public import StrataCore
import NIOCore

/// The per-request context of every Strata route.
///
/// Typed storage rather than a bag of values; later layers (authentication) add their state here.
public struct StrataRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The largest request body accepted, in bytes.
    public var maxUploadSize: Int
    /// Who is calling, once the authentication middleware ran (`nil`: not authenticated).
    public var identity: Identity?
    /// The connection, for the client's address.
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        maxUploadSize = StrataRequestContext.defaultMaxBodySize
        channel = source.channel
    }

    /// The client's address from `X-Forwarded-For`, set only when `server.proxy` trusts it.
    public var forwardedAddress: String?

    /// The client's IP address, when known; formatted on demand, since few routes need it.
    /// Behind a trusted proxy it is the forwarded client's (Koa's `ctx.ip` with `proxy` on).
    public var remoteAddress: String? { forwardedAddress ?? channel.remoteAddress?.ipAddress }

    /// Strapi's koa-body default JSON limit is 1 MB; Strata allows more but still bounds it.
    public static let defaultMaxBodySize = 10 * 1024 * 1024
}
