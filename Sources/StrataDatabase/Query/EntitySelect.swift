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
        if let limit { serializer.write(" LIMIT \(limit)") }
        if let offset { serializer.write(" OFFSET \(offset)") }
    }
}
