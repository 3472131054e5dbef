import SQLKit
import StrataSQL

/// The `SELECT` of an entity read (``EntityRepository/findMany(_:)``), written straight to the
/// serializer.
///
/// SQLKit's `SQLSelect` carries a dozen optional clauses as existentials and renders through
/// `SQLStatement`'s lists of parts; for the short statement of a `findOne` that, and destroying
/// it, cost as much as compiling the filter. The SQL is the same as `SQLSelect` writes.
struct EntitySelect: SQLExpression {
    /// The select list, already rendered (``ColumnSelection``).
    var columns: SQLRaw
    /// `table AS alias`, already rendered (``RenderedModel``).
    var from: SQLRaw
    var predicate: (any SQLExpression)?
    var orderBy: [any SQLExpression] = []
    var limit: Int?
    var offset: Int?

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("SELECT ")
        columns.serialize(to: &serializer)
        serializer.write(" FROM ")
        from.serialize(to: &serializer)
        if let predicate {
            serializer.write(" WHERE ")
            predicate.serialize(to: &serializer)
        }
        for (index, term) in orderBy.enumerated() {
            serializer.write(index == 0 ? " ORDER BY " : ", ")
            term.serialize(to: &serializer)
        }
        Self.appendLimit(limit, offset: offset, to: &serializer.sql)
    }

    /// ` LIMIT n OFFSET m`, the statement's last clauses: a kept statement (``StatementCache``)
    /// ends before the offset, which is appended per request.
    static func appendLimit(_ limit: Int?, offset: Int?, to sql: inout String) {
        if let limit {
            sql += " LIMIT "
            sql += String(limit)
        }
        if let offset {
            sql += " OFFSET "
            sql += String(offset)
        }
    }
}
