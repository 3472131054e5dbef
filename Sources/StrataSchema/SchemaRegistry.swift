public import StrataCore

/// Every content type and component of a project, validated together.
///
/// Lookups are by uid and, for the REST router, by plural and singular name.
public struct SchemaRegistry: Sendable {
    public private(set) var contentTypes: [ContentType]
    public private(set) var components: [Component]
    private var contentTypeIndex: [UID: Int]
    private var componentIndex: [UID: Int]

    /// Builds and validates a registry; fails on dangling relation targets, unknown components,
    /// mismatched inverse sides, and name or table collisions.
    public init(contentTypes: [ContentType], components: [Component]) throws(SchemaError) {
        self.contentTypes = contentTypes.sorted { $0.uid < $1.uid }
        self.components = components.sorted { $0.uid < $1.uid }
        contentTypeIndex = [:]
        componentIndex = [:]
        for (index, type) in self.contentTypes.enumerated() {
            if contentTypeIndex[type.uid] != nil {
                throw SchemaError(file: type.sourcePath, model: type.uid.rawValue, reason: "duplicate content type uid")
            }
            contentTypeIndex[type.uid] = index
        }
        for (index, component) in self.components.enumerated() {
            if componentIndex[component.uid] != nil {
                throw SchemaError(file: component.sourcePath, model: component.uid.rawValue, reason: "duplicate component uid")
            }
            componentIndex[component.uid] = index
        }
        try validate()
    }

    public func contentType(_ uid: UID) -> ContentType? {
        contentTypeIndex[uid].map { contentTypes[$0] }
    }

    public func component(_ uid: UID) -> Component? {
        componentIndex[uid].map { components[$0] }
    }

    /// Attributes of a content type or component.
    public func attributes(of uid: UID) -> [Attribute]? {
        contentType(uid)?.attributes ?? component(uid)?.attributes
    }

    /// The content types the REST API serves (`api::` types).
    public var apiContentTypes: [ContentType] {
        contentTypes.filter { if case .api = $0.uid.namespace { return true } else { return false } }
    }

    /// Returns a registry with more models added (plugins contribute their types this way).
    public func adding(contentTypes more: [ContentType], components moreComponents: [Component] = []) throws(SchemaError) -> SchemaRegistry {
        try SchemaRegistry(contentTypes: contentTypes + more, components: components + moreComponents)
    }

    private func validate() throws(SchemaError) {
        var singular: [String: UID] = [:]
        var plural: [String: UID] = [:]
        var tables: [String: String] = [:]
        for type in contentTypes {
            func fail(_ reason: String, attribute: String? = nil) -> SchemaError {
                SchemaError(file: type.sourcePath, model: type.uid.rawValue, attribute: attribute, reason: reason)
            }
            if case .api = type.uid.namespace {
                if let other = singular[type.singularName] ?? plural[type.singularName] {
                    throw fail("singularName \"\(type.singularName)\" is already used by \(other)")
                }
                if let other = plural[type.pluralName] ?? singular[type.pluralName] {
                    throw fail("pluralName \"\(type.pluralName)\" is already used by \(other)")
                }
                singular[type.singularName] = type.uid
                plural[type.pluralName] = type.uid
            }
            if let other = tables[type.collectionName] {
                throw fail("collectionName \"\(type.collectionName)\" is already used by \(other)")
            }
            tables[type.collectionName] = type.uid.rawValue
            try validateAttributes(type.attributes, owner: type.uid, file: type.sourcePath)
        }
        for component in components {
            if let other = tables[component.collectionName] {
                throw SchemaError(file: component.sourcePath, model: component.uid.rawValue, reason: "collectionName \"\(component.collectionName)\" is already used by \(other)")
            }
            tables[component.collectionName] = component.uid.rawValue
            try validateAttributes(component.attributes, owner: component.uid, file: component.sourcePath)
        }
        try validateComponentCycles()
    }

    private func validateAttributes(_ attributes: [Attribute], owner: UID, file: String?) throws(SchemaError) {
        for attribute in attributes where !attribute.isSystem {
            func fail(_ reason: String) -> SchemaError {
                SchemaError(file: file, model: owner.rawValue, attribute: attribute.name, reason: reason)
            }
            switch attribute.kind {
            case .component(let uid, _):
                if component(uid) == nil { throw fail("unknown component \"\(uid)\"") }
            case .dynamiczone(let uids):
                if owner.isComponent { throw fail("dynamic zones cannot be used inside components") }
                if uids.isEmpty { throw fail("a dynamic zone needs at least one component") }
                for uid in uids where component(uid) == nil { throw fail("unknown component \"\(uid)\"") }
            case .relation(let relation):
                try validateRelation(relation, attribute: attribute, owner: owner, fail: fail)
            case .uid(let targetField?):
                guard let target = attributes.first(where: { $0.name == targetField }) else {
                    throw fail("targetField \"\(targetField)\" does not exist")
                }
                if !target.kind.isStringLike { throw fail("targetField \"\(targetField)\" must be a text attribute") }
            default:
                break
            }
        }
    }

    private func validateRelation(_ relation: Relation, attribute: Attribute, owner: UID, fail: (String) -> SchemaError) throws(SchemaError) {
        guard let target = relation.target else { return }
        // Plugin and admin targets may come from plugins that register later; only API targets must exist now.
        guard let targetType = contentType(target) else {
            if case .api = target.namespace { throw fail("relation target \"\(target)\" does not exist") }
            return
        }
        if let inverse = relation.inversedBy {
            guard let inverseAttribute = targetType.attribute(named: inverse), case .relation(let other) = inverseAttribute.kind else {
                throw fail("inversedBy \"\(inverse)\" is not a relation of \(target)")
            }
            if other.mappedBy != attribute.name || other.target != owner {
                throw fail("inversedBy \"\(inverse)\" on \(target) must have mappedBy \"\(attribute.name)\" and target \(owner)")
            }
        }
        if let mapped = relation.mappedBy {
            guard let mappedAttribute = targetType.attribute(named: mapped), case .relation(let other) = mappedAttribute.kind else {
                throw fail("mappedBy \"\(mapped)\" is not a relation of \(target)")
            }
            if other.target != owner {
                throw fail("mappedBy \"\(mapped)\" on \(target) must target \(owner)")
            }
        }
    }

    /// A component that contains itself (directly or not) cannot be stored.
    private func validateComponentCycles() throws(SchemaError) {
        var state: [UID: Int] = [:]  // 1 = visiting, 2 = done
        func visit(_ uid: UID, path: [UID]) throws(SchemaError) {
            if state[uid] == 2 { return }
            if state[uid] == 1 {
                let cycle = (path + [uid]).map(\.rawValue).joined(separator: " → ")
                throw SchemaError(file: component(uid)?.sourcePath, model: uid.rawValue, reason: "components nest in a cycle: \(cycle)")
            }
            state[uid] = 1
            for attribute in component(uid)?.attributes ?? [] {
                if case .component(let child, _) = attribute.kind { try visit(child, path: path + [uid]) }
            }
            state[uid] = 2
        }
        for component in components { try visit(component.uid, path: []) }
    }
}
