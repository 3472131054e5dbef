public import StrataCore
import StrataSchema

/// Parses `populate` in every form Strapi accepts — `*`, names, comma lists, arrays, dot paths,
/// objects with `fields`/`filters`/`sort`/`populate`/`count`/pagination, and dynamic-zone `on`
/// fragments — validating each key as Strapi's `validatePopulate` does.
public struct PopulateParser: Sendable {
    public let metadata: StorageMetadata
    /// Which target models may be populated (permissions), hidden attributes and size limits.
    public var rules: QueryRules

    public init(metadata: StorageMetadata, rules: QueryRules = QueryRules()) {
        self.metadata = metadata
        self.rules = rules
    }

    public init(metadata: StorageMetadata, canAccess: (@Sendable (UID) -> Bool)?) {
        self.init(metadata: metadata, rules: QueryRules(canAccess: canAccess))
    }

    static let invalidParameter = ValidationError("Invalid populate parameter. Expected a string, an array of strings, a populate object")

    func invalidKey(_ key: String, _ path: [String]) -> ValidationError {
        ValidationError.invalidKey(key, path: (path + [key]).joined(separator: "."), source: "query", param: "populate")
    }

    public func parse(_ json: JSONValue, model: Model) throws(ValidationError) -> Populate {
        try parse(json, model: model, path: [], isRoot: true)
    }

    func parse(_ json: JSONValue, model: Model, path: [String], isRoot: Bool) throws(ValidationError) -> Populate {
        try rules.checkPath(path.count, param: "populate")
        var populate = Populate()
        switch json {
        case .null:
            return populate
        case .bool(let flag):
            return flag ? try wildcard(model) : populate
        case .string(let text):
            if text == "*" || text == "true" { return try wildcard(model) }
            if text == "false" || text.isEmpty { return populate }
            for item in text.split(separator: ",") {
                let name = item.trimmingCharacters()
                if name.isEmpty { continue }
                if name == "*" {
                    for entry in try wildcard(model).entries where populate[entry.name] == nil { populate.set(entry.name, entry.options) }
                    continue
                }
                let segments = name.split(separator: ".", maxSplits: rules.limits.pathDepth).map(String.init)
                try rules.checkPath(path.count + segments.count, param: "populate")
                try addPath(segments, to: &populate, model: model, path: path)
            }
            return populate
        case .array(let items):
            for item in items {
                guard case .string = item else {
                    if case .object = item {
                        for entry in try parse(item, model: model, path: path, isRoot: isRoot).entries { populate.set(entry.name, entry.options) }
                        continue
                    }
                    throw Self.invalidParameter
                }
                for entry in try parse(item, model: model, path: path, isRoot: isRoot).entries { populate.set(entry.name, entry.options) }
            }
            return populate
        case .object(let object):
            if FilterParser.isIndexedObject(object) {
                return try parse(.array(object.values), model: model, path: path, isRoot: isRoot)
            }
            for (key, value) in object {
                guard let field = model.field(key), let kind = populatableKind(field, in: model) else {
                    throw invalidKey(key, path)
                }
                if let target = kind.guardedTarget, !rules.mayRead(target) { throw invalidKey(key, path) }
                let options = try parseOptions(value, field: field, kind: kind, owner: model, path: path + [key])
                if let options { populate.set(key, options) }
            }
            return populate
        default:
            throw Self.invalidParameter
        }
    }

    /// `populate=*`: every relation, component, dynamic zone and media attribute, one level deep.
    func wildcard(_ model: Model) throws(ValidationError) -> Populate {
        var populate = Populate()
        for field in model.fields {
            guard let kind = populatableKind(field, in: model) else { continue }
            if case .morphTo = kind { continue }
            if let target = kind.guardedTarget, !rules.mayRead(target) { continue }
            populate.set(field.name, .all)
        }
        return populate
    }

    /// The content types the caller may read, or `nil` when every type is readable.
    func readableContentTypes() -> Set<UID>? {
        guard rules.canAccess != nil else { return nil }
        return Set(metadata.models.values.lazy.filter { $0.isContentType && rules.mayRead($0.uid) }.map(\.uid))
    }

    /// `a.b.c` populates `a`, inside it `b`, inside that `c`.
    func addPath(_ segments: [String], to populate: inout Populate, model: Model, path: [String]) throws(ValidationError) {
        guard let first = segments.first else { return }
        guard let field = model.field(first), let kind = populatableKind(field, in: model) else { throw invalidKey(first, path) }
        if let target = kind.guardedTarget, !rules.mayRead(target) { throw invalidKey(first, path) }
        var options = populate[first] ?? .all
        if segments.count > 1 {
            switch kind {
            case .media:
                throw invalidKey(segments[1], path + [first])
            case .dynamicZone(let uids):
                // The next segment must exist in at least one allowed component.
                let rest = Array(segments.dropFirst())
                var fragments = options.on ?? [:]
                var matched = false
                for uid in uids {
                    guard let component = metadata.model(uid), component.field(rest[0]) != nil else { continue }
                    var fragment = fragments[uid] ?? .all
                    try addPath(rest, to: &fragment.populate, model: component, path: path + [first])
                    fragments[uid] = fragment
                    matched = true
                }
                if !matched { throw invalidKey(rest[0], path + [first]) }
                options.on = fragments
            default:
                guard let target = kind.target.flatMap(metadata.model) else { throw invalidKey(first, path) }
                try addPath(Array(segments.dropFirst()), to: &options.populate, model: target, path: path + [first])
            }
        }
        populate.set(first, options)
    }

    func parseOptions(_ value: JSONValue, field: Field, kind: PopulatableKind, owner: Model, path: [String]) throws(ValidationError) -> PopulateOptions? {
        switch value {
        case .bool(let flag):
            return flag ? .all : nil
        case .string(let text):
            switch text {
            case "true", "*", "": return .all
            case "false": return nil
            default:
                // `populate[a]=b` is read as a nested path `a.b` by Strapi's conversion.
                var nested = Populate()
                let names = text.split(separator: ",", maxSplits: rules.limits.pathDepth).map { String($0) }
                try rules.checkPath(path.count + names.count, param: "populate")
                try addPath([field.name] + names, to: &nested, model: owner, path: Array(path.dropLast()))
                return nested[field.name]
            }
        case .null:
            return .all
        case .object(let object):
            return try parseObjectOptions(object, field: field, kind: kind, path: path)
        case .array:
            // `populate[a][0]=b` lists nested attributes of a.
            guard let target = kind.target.flatMap(metadata.model) else { throw Self.invalidParameter }
            var options = PopulateOptions.all
            options.populate = try parse(value, model: target, path: path, isRoot: false)
            return options
        default:
            throw Self.invalidParameter
        }
    }

    func parseObjectOptions(_ object: JSONObject, field: Field, kind: PopulatableKind, path: [String]) throws(ValidationError) -> PopulateOptions {
        var options = PopulateOptions.all
        switch kind {
        case .dynamicZone(let uids), .morphTo(let uids):
            for (key, value) in object {
                switch key {
                case "on":
                    guard case .object(let fragments) = value else { throw Self.invalidParameter }
                    var parsed: [UID: PopulateOptions] = [:]
                    for (uidText, fragment) in fragments {
                        // A polymorphic relation's fragment names a content type the caller must be able to read.
                        guard let uid = try? UID(uidText), uids.isEmpty || uids.contains(uid), let component = metadata.model(uid),
                            !component.isContentType || rules.mayRead(uid)
                        else {
                            throw invalidKey(uidText, path + ["on"])
                        }
                        var fragmentOptions = PopulateOptions.all
                        switch fragment {
                        case .object(let inner):
                            fragmentOptions = try parseTargetOptions(inner, target: component, path: path + ["on", uidText])
                        case .bool(false), .string("false"):
                            continue
                        default:
                            break
                        }
                        parsed[uid] = fragmentOptions
                    }
                    options.on = parsed
                case "populate":
                    guard value == .string("*") || value == .bool(true) || value == .string("true") else {
                        throw ValidationError("Invalid nested population query detected. When using 'populate' within polymorphic structures, its value must be '*' to indicate all second level links. Specific field targeting is not supported here. Consider using the fragment API for more granular population control.")
                    }
                    var fragments: [UID: PopulateOptions] = options.on ?? [:]
                    for uid in uids {
                        guard let component = metadata.model(uid) else { continue }
                        var fragment = fragments[uid] ?? .all
                        fragment.populate = try wildcard(component)
                        fragments[uid] = fragment
                    }
                    options.on = fragments
                case "count":
                    options.count = QueryValue.boolean(value) ?? false
                default:
                    throw ValidationError("Invalid nested populate for \(path.dropLast().last ?? "root").\(path.last ?? key) (\(key)). Expected a fragment (\"on\") or \"count\" but found \(JSONWriter.string(.object([key: value])))")
                }
            }
            if case .morphTo = kind { options.types = readableContentTypes() }
            return options
        case .media, .relation, .component:
            guard let target = kind.target.flatMap(metadata.model) else { throw invalidKey(field.name, Array(path.dropLast())) }
            if object["on"] != nil {
                throw ValidationError("Using fragments is not permitted to populate \"\(field.name)\" in \"\(path.joined(separator: "."))\"")
            }
            return try parseTargetOptions(object, target: target, path: path)
        }
    }

    func parseTargetOptions(_ object: JSONObject, target: Model, path: [String]) throws(ValidationError) -> PopulateOptions {
        var options = PopulateOptions.all
        for (key, value) in object {
            switch key {
            case "fields":
                options.fields = try FieldsParser.parse(value, model: target, metadata: metadata)
            case "filters":
                options.filters = try FilterParser(metadata: metadata, source: "query", rules: rules).parse(value, model: target)
            case "sort":
                options.sort = try SortParser(metadata: metadata, rules: rules).parse(value, model: target)
            case "populate":
                options.populate = try parse(value, model: target, path: path, isRoot: false)
            case "count":
                options.count = QueryValue.boolean(value) ?? false
            case "start", "limit", "page", "pageSize":
                let number: Int
                do {
                    number = try QueryValue.integer(value, name: key)
                } catch {
                    throw ValidationError(error.message)
                }
                switch key {
                case "start": options.start = max(0, number)
                case "limit": options.limit = number < 0 ? nil : max(1, number)
                case "page": options.start = try Self.offset(page: number, size: options.limit ?? 25)
                default: options.limit = max(1, number)
                }
            case "status", "publicationFilter", "hasPublishedVersion":
                throw ValidationError("Invalid key \(key): \(key) is only accepted at the root of the query, and it also applies to populated relations",
                                      details: .object(["key": .string(key), "source": "query", "param": "populate"]))
            default:
                throw invalidKey(key, path)
            }
        }
        return options
    }

    /// What kind of populatable attribute a field is.
    enum PopulatableKind {
        case relation(UID)
        case component(UID)
        case dynamicZone([UID])
        case media
        case morphTo([UID])

        var target: UID? {
            switch self {
            case .relation(let uid), .component(let uid): return uid
            case .media: return uploadFileUID
            case .dynamicZone, .morphTo: return nil
            }
        }

        /// The content type whose `find` permission populating needs (components need none).
        var guardedTarget: UID? {
            switch self {
            case .relation(let uid): return uid
            case .media: return uploadFileUID
            default: return nil
            }
        }
    }

    /// The offset of a nested `page`, refused when it cannot be represented.
    static func offset(page: Int, size: Int) throws(ValidationError) -> Int {
        let (offset, overflow) = (max(1, page) - 1).multipliedReportingOverflow(by: size)
        guard !overflow else { throw ValidationError("Invalid 'page' parameter. The page is out of range, received: \(page)") }
        return offset
    }

    func populatableKind(_ field: Field, in model: Model) -> PopulatableKind? {
        // Private attributes (flag, type option or global) are never populated or output.
        if field.attribute != nil, !metadata.isVisible(field, in: model) { return nil }
        switch field.storage {
        case .joinTable(_, let target, _, _), .joinColumn(_, let target):
            return .relation(target)
        case .components(_, let uids, _, let dynamicZone):
            return dynamicZone ? .dynamicZone(uids) : .component(uids[0])
        case .media:
            return metadata.model(uploadFileUID) == nil ? nil : .media
        case .localizations:
            return .relation(field.attribute.flatMap { attribute -> UID? in
                if case .relation(let relation) = attribute.kind { return relation.target } else { return nil }
            } ?? uploadFileUID)
        case .morph:
            return .morphTo([])
        case .column:
            return nil
        }
    }
}


extension Substring {
    func trimmingCharacters() -> String {
        var result = self
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return String(result)
    }
}
