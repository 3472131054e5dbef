import Foundation
public import StrataCore
import StrataDatabase

/// REST pagination, Strapi's `core-api/service/pagination.ts`: page or offset mode, defaults and
/// caps from the configuration, and the exact `meta.pagination` shapes.
public struct Pagination: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        case page
        case offset
    }

    public var mode: Mode
    public var start: Int
    /// `nil` means no limit (`limit=-1` without a configured maximum).
    public var limit: Int?
    public var withCount: Bool

    /// Reads `pagination[...]` (and top-level `page`, `pageSize`, `start`, `limit`).
    public static func parse(_ query: JSONObject, configuration: ContentAPIConfiguration) throws -> Pagination {
        var source = query["pagination"]?.objectValue ?? [:]
        if query["pagination"] != nil, query["pagination"]?.objectValue == nil, query["pagination"] != .null {
            throw ValidationError("Invalid pagination parameter. Expected an object")
        }
        for key in ["page", "pageSize", "start", "limit"] where source[key] == nil {
            if let value = query[key] { source[key] = value }
        }
        let usesPage = source["page"] != nil || source["pageSize"] != nil
        let usesOffset = source["start"] != nil || source["limit"] != nil
        if usesPage && usesOffset {
            throw PaginationError("Cannot use both page & offset pagination in the same query")
        }
        var withCount = configuration.withCount
        if let flag = source["withCount"] {
            guard let parsed = QueryValue.boolean(flag) else {
                throw ValidationError("Invalid withCount parameter. Expected \"t\",\"1\",\"true\",\"false\",\"0\",\"f\"")
            }
            withCount = parsed
        }
        let maxLimit = configuration.maxLimit
        func capped(_ value: Int) -> Int {
            if let maxLimit, value > maxLimit { return maxLimit }
            return value
        }
        if usesOffset {
            let start = max(0, try integer(source["start"], name: "start") ?? 0)
            var limit: Int? = try integer(source["limit"], name: "limit") ?? configuration.defaultLimit
            if limit == -1 {
                limit = maxLimit
            } else if let value = limit {
                limit = capped(max(1, value))
            }
            return Pagination(mode: .offset, start: start, limit: limit, withCount: withCount)
        }
        let page = try integer(source["page"], name: "page") ?? 1
        guard page >= 1 else { throw PaginationError("Invalid 'page' parameter. Expected an integer > 0, received: \(page)") }
        let pageSize = capped(max(1, try integer(source["pageSize"], name: "pageSize") ?? configuration.defaultLimit))
        return Pagination(mode: .page, start: try offset(page: page, pageSize: pageSize), limit: pageSize, withCount: withCount)
    }

    /// The first row of `page`; a page whose offset does not fit in 64 bits cannot exist.
    public static func offset(page: Int, pageSize: Int) throws(PaginationError) -> Int {
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: pageSize)
        guard !overflow else { throw PaginationError("Invalid 'page' parameter. The page is out of range, received: \(page)") }
        return start
    }

    static func integer(_ value: JSONValue?, name: String) throws -> Int? {
        guard let value, value != .null else { return nil }
        return try QueryValue.integer(value, name: name)
    }

    /// `meta.pagination` for a list response.
    public func meta(total: Int?) -> JSONObject {
        let limitValue: JSONValue = limit.map { .int(Int64($0)) } ?? .int(-1)
        guard withCount, let total else {
            return ["start": .int(Int64(start)), "limit": limitValue]
        }
        switch mode {
        case .page:
            let size = limit ?? max(total, 1)
            let page = start / max(size, 1) + 1
            // Not `(total + size - 1) / size`: without a maxLimit the size can be as large as an Int.
            let pageCount = size > 0 ? total / size + (total % size == 0 ? 0 : 1) : 0
            return ["page": .int(Int64(page)), "pageSize": .int(Int64(size)), "pageCount": .int(Int64(pageCount)), "total": .int(Int64(total))]
        case .offset:
            return ["start": .int(Int64(start)), "limit": limitValue, "total": .int(Int64(total))]
        }
    }
}

