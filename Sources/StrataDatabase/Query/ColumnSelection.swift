import SQLKit
import StrataSQL

/// The columns a read selects from a model's table under ``EntityRepository/alias``: how each
/// value decodes, and the select list already in SQL.
///
/// Every read without `fields` selects all columns, so ``Database`` renders that list once per
/// model; writing a dozen quoted, table-qualified names through SQLKit's existentials on each
/// request cost more than SQLite running the statement.
struct ColumnSelection: Sendable {
    /// Output names and value types, in column order.
    let decoders: [(name: String, type: ValueType)]
    /// `"t0"."id", "t0"."document_id", …` in the client's dialect.
    let sql: SQLRaw

    init(fields: [Field], client: DatabaseClient) {
        decoders = fields.map { ($0.name, $0.column!.valueType) }
        let list = SQLList(fields.map { SQLColumn.named($0.column!.name, table: EntityRepository.alias) })
        sql = SQLRaw(client.text(of: list))
    }
}
