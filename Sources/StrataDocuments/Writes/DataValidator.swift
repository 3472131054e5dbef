public import StrataCore
public import StrataSchema

/// Validates a whole write payload — scalars, components (recursively), dynamic zones,
/// relations and media — reporting every failure with its full path (`seo.metaTitle`,
/// `blocks.2.title`) in one `ValidationError`, as Strapi's yup validator does.
public struct DataValidator: Sendable {
    public let registry: SchemaRegistry
    public let isDraft: Bool

    public init(registry: SchemaRegistry, isDraft: Bool) {
        self.registry = registry
        self.isDraft = isDraft
    }

    public func validate(_ data: JSONObject, attributes: [Attribute], mode: EntryValidator.Mode) throws(ValidationError) -> EntryValues {
        var errors: [ValidationError.FieldError] = []
        let values = try validate(data, attributes: attributes, mode: mode, path: [], extraKeys: [], errors: &errors)
        if !errors.isEmpty { throw ValidationError(fieldErrors: errors) }
        return values
    }

    /// Validates stored data (components carry their `id`s) with published-level rules.
    public func validateStored(_ data: JSONObject, attributes: [Attribute]) throws(ValidationError) -> EntryValues {
        var errors: [ValidationError.FieldError] = []
        let values = try validate(data, attributes: attributes, mode: .create, path: [], extraKeys: [], errors: &errors, storedData: true)
        if !errors.isEmpty { throw ValidationError(fieldErrors: errors) }
        return values
    }

    func validate(
        _ data: JSONObject,
        attributes: [Attribute],
        mode: EntryValidator.Mode,
        path: [String],
        extraKeys: Set<String>,
        errors: inout [ValidationError.FieldError],
        storedData: Bool = false
    ) throws(ValidationError) -> EntryValues {
        for key in data.keys where !extraKeys.contains(key) && !storedData {
            guard let attribute = attributes.first(where: { $0.name == key }), attribute.writable else {
                let fullPath = (path + [key]).joined(separator: ".")
                throw ValidationError.invalidKey(key, path: fullPath, source: "body")
            }
        }
        var values = EntryValues()
        let scalarValidator = EntryValidator(attributes: attributes, mode: mode, isDraft: isDraft)
        for attribute in attributes where !attribute.isSystem {
            let provided = data[attribute.name]
            let attributePath = path + [attribute.name]
            switch attribute.kind {
            case .component(let uid, let repeatable):
                if let failure = requiredFailure(attribute, provided: provided, mode: mode) {
                    errors.append(.init(path: attributePath, message: failure, value: provided))
                    continue
                }
                guard let value = provided ?? (mode == .create ? defaultComponentValue(repeatable) : nil) else { continue }
                guard let component = registry.component(uid) else { continue }
                var entries: [ComponentEntry] = []
                if repeatable {
                    guard case .array(let items) = value else {
                        if value != .null { errors.append(.init(path: attributePath, message: "\(attribute.name) must be a `array` type, but the final value was: `\(JSONWriter.string(value))`.", value: value)) }
                        if value == .null { values.components.append((attribute.name, [])) }
                        continue
                    }
                    checkCount(attribute, items.count, path: attributePath, errors: &errors)
                    for (index, item) in items.enumerated() {
                        if let entry = try componentEntry(item, uid: uid, component: component, path: attributePath + [String(index)], errors: &errors, storedData: storedData) {
                            entries.append(entry)
                        }
                    }
                } else if value != .null {
                    if let entry = try componentEntry(value, uid: uid, component: component, path: attributePath, errors: &errors, storedData: storedData) {
                        entries.append(entry)
                    }
                }
                values.components.append((attribute.name, entries))
            case .dynamiczone(let allowed):
                if let failure = requiredFailure(attribute, provided: provided, mode: mode) {
                    errors.append(.init(path: attributePath, message: failure, value: provided))
                    continue
                }
                guard let value = provided ?? (mode == .create ? JSONValue.array([]) : Optional<JSONValue>.none) else { continue }
                guard case .array(let items) = value else {
                    errors.append(.init(path: attributePath, message: "\(attribute.name) must be a `array` type, but the final value was: `\(JSONWriter.string(value))`.", value: value))
                    continue
                }
                checkCount(attribute, items.count, path: attributePath, errors: &errors)
                var entries: [ComponentEntry] = []
                for (index, item) in items.enumerated() {
                    let itemPath = attributePath + [String(index)]
                    guard case .object(let object) = item else {
                        errors.append(.init(path: itemPath, message: "\(itemPath.joined(separator: ".")) must be a `object` type, but the final value was: `\(JSONWriter.string(item))`.", value: item))
                        continue
                    }
                    guard let name = object["__component"]?.stringValue, let uid = try? UID(name), allowed.contains(uid), let component = registry.component(uid) else {
                        let list = allowed.map(\.rawValue).joined(separator: ", ")
                        errors.append(.init(path: itemPath + ["__component"], message: "__component must be one of the following values: \(list)", value: object["__component"]))
                        continue
                    }
                    if let entry = try componentEntry(item, uid: uid, component: component, path: itemPath, errors: &errors, extraKeys: ["__component"], storedData: storedData) {
                        entries.append(entry)
                    }
                }
                values.components.append((attribute.name, entries))
            case .relation, .media:
                if case .media = attribute.kind, let failure = requiredFailure(attribute, provided: provided, mode: mode) {
                    errors.append(.init(path: attributePath, message: failure, value: provided))
                    continue
                }
                guard let value = provided, !storedData else { continue }
                values.relations.append((attribute.name, try RelationInput.parse(value, path: attributePath.joined(separator: "."))))
            default:
                var value = provided
                if value == nil, mode == .create, let fallback = attribute.defaultValue { value = fallback }
                if let failure = scalarValidator.requiredFailure(attribute, provided: provided) {
                    errors.append(.init(path: attributePath, message: failure.replacingPrefix(attribute.name, with: attributePath.joined(separator: ".")), value: provided))
                    continue
                }
                guard let value else { continue }
                if case .null = value {
                    values.scalars.append((attribute.name, .null))
                    continue
                }
                switch scalarValidator.check(attribute, value) {
                case .success(let normalized): values.scalars.append((attribute.name, normalized))
                case .failure(let message):
                    errors.append(.init(path: attributePath, message: message.replacingPrefix(attribute.name, with: attributePath.joined(separator: ".")), value: value))
                }
            }
        }
        return values
    }

    func defaultComponentValue(_ repeatable: Bool) -> JSONValue? {
        repeatable ? .array([]) : nil
    }

    func requiredFailure(_ attribute: Attribute, provided: JSONValue?, mode: EntryValidator.Mode) -> String? {
        guard attribute.required, !isDraft else { return nil }
        switch mode {
        case .create:
            if provided == nil || provided == .null { return "\(attribute.name) must be defined." }
        case .update:
            if provided == .null { return "\(attribute.name) cannot be null." }
        }
        return nil
    }

    /// Repeatable components and dynamic zones: `min` (when required or non-empty) and `max`, for published saves.
    func checkCount(_ attribute: Attribute, _ count: Int, path: [String], errors: inout [ValidationError.FieldError]) {
        guard !isDraft else { return }
        if let min = attribute.min, count < Int(min), attribute.required || count > 0 {
            errors.append(.init(path: path, message: "\(path.joined(separator: ".")) field must have at least \(Int(min)) items"))
        }
        if let max = attribute.max, count > Int(max) {
            errors.append(.init(path: path, message: "\(path.joined(separator: ".")) field must have less than or equal to \(Int(max)) items"))
        }
    }

    func componentEntry(
        _ value: JSONValue,
        uid: UID,
        component: Component,
        path: [String],
        errors: inout [ValidationError.FieldError],
        extraKeys: Set<String> = [],
        storedData: Bool = false
    ) throws(ValidationError) -> ComponentEntry? {
        guard case .object(let object) = value else {
            errors.append(.init(path: path, message: "\(path.joined(separator: ".")) must be a `object` type, but the final value was: `\(JSONWriter.string(value))`.", value: value))
            return nil
        }
        var id: Int64?
        if let raw = object["id"], !raw.isNull {
            guard let number = raw.intValue ?? raw.stringValue.flatMap({ Int64($0) }) else {
                throw ValidationError("Invalid id for \(path.joined(separator: ".")): expected a component id")
            }
            id = number
        }
        let values = try validate(object, attributes: component.attributes, mode: .create, path: path, extraKeys: extraKeys.union(["id"]), errors: &errors, storedData: storedData)
        return ComponentEntry(uid: uid, id: id, values: values)
    }
}

extension String {
    /// yup prefixes messages with the field path; nested fields need the full path.
    func replacingPrefix(_ name: String, with path: String) -> String {
        guard name != path, hasPrefix(name) else { return self }
        return path + dropFirst(name.count)
    }
}
