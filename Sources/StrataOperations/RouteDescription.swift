import StrataCore
package import StrataSchema

/// One route of the Content API, for `routes:list`, the permission catalogue and documentation.
package struct RouteDescription: Sendable, Hashable {
    package var method: String
    package var path: String
    /// The permission action, e.g. `api::article.article.find`.
    package var action: String

    package init(method: String, path: String, action: String) {
        self.method = method
        self.path = path
        self.action = action
    }

    /// The routes Strapi generates for the `api::` content types of a registry.
    package static func contentAPI(for registry: SchemaRegistry, configuration: ContentAPIConfiguration) -> [RouteDescription] {
        registry.apiContentTypes.flatMap { type -> [RouteDescription] in
            let action = "\(type.uid.rawValue)"
            switch type.kind {
            case .collectionType:
                let base = "\(configuration.prefix)/\(type.pluralName)"
                return [
                    RouteDescription(method: "GET", path: base, action: "\(action).find"),
                    RouteDescription(method: "GET", path: "\(base)/:id", action: "\(action).findOne"),
                    RouteDescription(method: "POST", path: base, action: "\(action).create"),
                    RouteDescription(method: "PUT", path: "\(base)/:id", action: "\(action).update"),
                    RouteDescription(method: "DELETE", path: "\(base)/:id", action: "\(action).delete"),
                ]
            case .singleType:
                let base = "\(configuration.prefix)/\(type.singularName)"
                return [
                    RouteDescription(method: "GET", path: base, action: "\(action).find"),
                    RouteDescription(method: "PUT", path: base, action: "\(action).update"),
                    RouteDescription(method: "DELETE", path: base, action: "\(action).delete"),
                ]
            }
        }
    }
}
