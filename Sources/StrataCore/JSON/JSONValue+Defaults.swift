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
