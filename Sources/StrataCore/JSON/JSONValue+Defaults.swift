extension JSONValue {
    /// lodash's `defaultsDeep(self, defaults)`, as Strapi merges a middleware's configuration over
    /// its defaults: the receiver's values win at every depth, objects gain the defaults' missing
    /// keys after their own, and arrays are merged index by index (`["a"]` over `["x", "y"]` is
    /// `["a", "y"]`). `null` in the receiver is kept (it removes a default).
    public func withDefaults(_ defaults: JSONValue) -> JSONValue {
        switch (self, defaults) {
        case (.object(let own), .object(let base)):
            var result = own
            for (key, value) in own {
                if let fallback = base[key] { result[key] = value.withDefaults(fallback) }
            }
            for (key, value) in base where own[key] == nil { result[key] = value }
            return .object(result)
        case (.array(let own), .array(let base)):
            var result = own
            for index in own.indices where index < base.count { result[index] = own[index].withDefaults(base[index]) }
            if base.count > own.count { result += base[own.count...] }
            return .array(result)
        default:
            return self
        }
    }
}

extension JSONValue {
    /// lodash's `merge(self, override)`, as Strapi lays `config/env/<env>/*` over `config/*`:
    /// objects merge key by key at every depth, arrays index by index, and any other value of
    /// `override` (`null` included) replaces the receiver's.
    public func merged(with override: JSONValue) -> JSONValue {
        switch (self, override) {
        case (.object(let base), .object(let top)):
            var result = base
            for (key, value) in top { result[key] = base[key].map { $0.merged(with: value) } ?? value }
            return .object(result)
        case (.array(let base), .array(let top)):
            var result = base
            for (index, value) in top.enumerated() {
                if index < result.count { result[index] = result[index].merged(with: value) } else { result.append(value) }
            }
            return .array(result)
        default:
            return override
        }
    }
}
