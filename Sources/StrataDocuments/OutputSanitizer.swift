public import StrataCore
public import StrataSchema

/// Removes what the Content API must never return — password attributes and private attributes
/// (attribute flag, the type's `privateAttributes`, the global `api.responses.privateAttributes`) —
/// at every level of populated relations, components, dynamic zones and media; and from
/// polymorphic relations (a file's `related`), every entry of a type the caller may not read.
///
/// What to hide and where to descend is worked out once per content type and component, so
/// sanitizing a document is one pass over its keys.
public struct OutputSanitizer: Sendable {
    public let registry: SchemaRegistry
    public let globalPrivateAttributes: Set<String>
    private let plans: Plans

    /// Built once per sanitizer and shared by its copies.
    final class Plans: Sendable {
        let byUID: [UID: Plan]
        init(_ byUID: [UID: Plan]) { self.byUID = byUID }
    }

    /// The hidden keys of one model and how to sanitize the values of the keys that hold documents.
    struct Plan: Sendable {
        var hidden: Set<String>
        var nested: [String: Nested]
        /// The key plan made last for this model, across requests: rows read with one column
        /// selection share their keys array, so the next document of the same shape reuses it
        /// after an identity comparison instead of hashing every key again.
        let recent = LockedValue<KeyPlan?>(nil)

        func keyPlan(for keys: [String]) -> KeyPlan {
            if let last = recent.value, last.keys == keys { return last }
            let fresh = KeyPlan(keys, self)
            recent.withLock { $0 = fresh }
            return fresh
        }
    }

    enum Nested: Sendable {
        /// A relation, media or component: documents of one model.
        case model(UID)
        /// A dynamic zone: each item names its component in `__component`.
        case dynamicZone
        /// A polymorphic relation: each entry names its content type in `__type`.
        case morph
    }

    /// Which content types the caller may read, for polymorphic relations; `nil` reads all.
    public typealias Readable = @Sendable (UID) -> Bool

    public init(registry: SchemaRegistry, globalPrivateAttributes: [String] = []) {
        self.registry = registry
        self.globalPrivateAttributes = Set(globalPrivateAttributes)
        var plans: [UID: Plan] = [:]
        for type in registry.contentTypes {
            plans[type.uid] = Self.plan(type.attributes, hidden: self.globalPrivateAttributes.union(type.privateAttributes))
        }
        for component in registry.components {
            plans[component.uid] = Self.plan(component.attributes, hidden: self.globalPrivateAttributes)
        }
        self.plans = Plans(plans)
    }

    static func plan(_ attributes: [Attribute], hidden: Set<String>) -> Plan {
        var plan = Plan(hidden: hidden, nested: [:])
        for attribute in attributes {
            if attribute.isPrivate || attribute.kind == .password { plan.hidden.insert(attribute.name) }
            switch attribute.kind {
            case .relation(let relation):
                if let target = relation.target {
                    plan.nested[attribute.name] = .model(target)
                } else if relation.kind.isMorph {
                    plan.nested[attribute.name] = .morph
                }
            case .media:
                plan.nested[attribute.name] = .model(uploadFile)
            case .component(let uid, _):
                plan.nested[attribute.name] = .model(uid)
            case .dynamiczone:
                plan.nested[attribute.name] = .dynamicZone
            default:
                break
            }
        }
        return plan
    }

    /// Sanitizes one document of `uid`; `readable` says which types polymorphic relations may show.
    public func sanitize(_ document: Document, uid: UID, readable: Readable? = nil) -> Document {
        guard let plan = plans.byUID[uid] else { return document }
        return apply(plan.keyPlan(for: document.keys), to: document, readable)
    }

    /// Sanitizes the documents of one model, as a list page holds them.
    public func sanitize(_ documents: [Document], uid: UID, readable: Readable? = nil) -> [Document] {
        guard let plan = plans.byUID[uid] else { return documents }
        return documents.map { apply(plan.keyPlan(for: $0.keys), to: $0, readable) }
    }

    /// What happens to each key of documents whose keys are `keys`, in order. The rows of one query
    /// share their keys, so a page looks each key up in the plan once, not once per row.
    struct KeyPlan: Sendable {
        enum Action: Sendable {
            case keep
            case drop
            case nested(Nested)
        }

        let keys: [String]
        let actions: [Action]
        /// Nothing to drop or descend into: documents pass through unchanged.
        let keepsAll: Bool

        init(_ keys: [String], _ plan: Plan) {
            self.keys = keys
            actions = keys.map { key in
                if plan.hidden.contains(key) { return .drop }
                return plan.nested[key].map(Action.nested) ?? .keep
            }
            keepsAll = actions.allSatisfy { if case .keep = $0 { true } else { false } }
        }
    }

    func apply(_ keyPlan: KeyPlan, to document: Document, _ readable: Readable?) -> Document {
        if keyPlan.keepsAll { return document }
        var result = JSONObject(minimumCapacity: document.count)
        for (index, (key, value)) in zip(document.keys, document.values).enumerated() {
            switch keyPlan.actions[index] {
            case .keep: result.appendUnique(key, value)
            case .drop: break
            case .nested(let nested): result.appendUnique(key, sanitize(value, nested, readable))
            }
        }
        return result
    }

    func sanitize(_ value: JSONValue, _ nested: Nested, _ readable: Readable?) -> JSONValue {
        switch nested {
        case .model(let uid):
            guard let plan = plans.byUID[uid] else { return value }
            return map(value) { .object(apply(plan.keyPlan(for: $0.keys), to: $0, readable)) }
        case .dynamicZone:
            return map(value) { item in
                guard let name = item["__component"]?.stringValue, let uid = try? UID(name) else { return .object(item) }
                return .object(sanitize(item, uid: uid, readable: readable))
            }
        case .morph:
            return morph(value, readable)
        }
    }

    /// The entries of a polymorphic relation the caller may read, each sanitized as its type;
    /// entries of other or unknown types are removed (a to-one becomes `null`), as Strapi's
    /// `removeRestrictedRelations` does.
    func morph(_ value: JSONValue, _ readable: Readable?) -> JSONValue {
        func entry(_ object: JSONObject) -> JSONValue? {
            if object.keys == ["count"] { return .object(object) }
            guard let name = object["__type"]?.stringValue, let uid = try? UID(name), let plan = plans.byUID[uid],
                readable?(uid) ?? true
            else { return nil }
            return .object(apply(plan.keyPlan(for: object.keys), to: object, readable))
        }
        switch value {
        case .object(let object):
            return entry(object) ?? .null
        case .array(let items):
            return .array(items.compactMap { item in item.objectValue.flatMap(entry) })
        default:
            return value
        }
    }

    /// Applies `transform` to an object or to each object of an array; `{count}` objects stay.
    func map(_ value: JSONValue, _ transform: (JSONObject) -> JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            if object.keys == ["count"] { return value }
            return transform(object)
        case .array(let items):
            return .array(items.map { item in
                if case .object(let object) = item { return transform(object) }
                return item
            })
        default:
            return value
        }
    }

    // Safe: a literal uid.
    static let uploadFile = try! UID("plugin::upload.file")
}
