import SQLKit
import StrataCore
import StrataSQL

/// The columns a read selects from a model's table under ``EntityRepository/alias``: how each
/// value decodes, and the select list already in SQL.
///
/// Every read without `fields` selects all columns, so ``RenderedModel`` keeps that list per
/// model, and a read with `fields` joins its already quoted columns; writing a dozen quoted, table-qualified names through SQLKit's existentials on each
/// request cost more than SQLite running the statement.
struct ColumnSelection: Sendable {
    /// Output names and value types, in column order.
    let decoders: [(name: String, type: ValueType)]
    /// The output names alone: every row decoded with this selection shares this array as its keys.
    let names: [String]
    /// `"t0"."id", "t0"."document_id", …` in the client's dialect.
    let sql: SQLRaw

    /// The selection of `fields` from their model's columns already quoted (``RenderedModel/columns``,
    /// which holds every column of the model), so a read with `fields` joins text instead of
    /// serializing a list of columns.
    init(fields: [Field], quoted: [String: SQLRaw]) {
        decoders = fields.map { ($0.name, $0.column!.valueType) }
        names = decoders.map(\.name)
        sql = SQLRaw(fields.map { quoted[$0.column!.name]!.sql }.joined(separator: ", "))
    }

    /// A row as an object keyed by output name, its values from column `offset` on; every object
    /// shares ``names`` as its keys.
    func decode(_ row: DatabaseRow, from offset: Int = 0) -> JSONObject {
        var values: [JSONValue] = []
        values.reserveCapacity(decoders.count)
        for index in decoders.indices {
            values.append(ValueCodec.decode(row.values[index + offset], as: decoders[index].type))
        }
        return JSONObject(uniqueKeys: names, values: values)
    }
}

/// A model's table and columns under ``EntityRepository/alias``, quoted once per database:
/// `"articles" AS "t0"`, `"t0"."document_id"` and the full select list, for the `FROM`, the select
/// list and the filters of entity reads. Quoting a name through SQLKit's serializer costs more
/// than looking it up. A class: every read passes it around, and a copy is then one retain.
final class RenderedModel: Sendable {
    /// The model rendered (compared by identity: metadata models are built once).
    let model: Model
    let from: SQLRaw
    /// Column name → `"t0"."column"`.
    let columns: [String: SQLRaw]
    /// Every column: the selection of reads without `fields`.
    let all: ColumnSelection

    init(model: Model, client: DatabaseClient) {
        self.model = model
        from = SQLRaw(client.text(of: SQLList([SQLName(model.tableName), SQLName(EntityRepository.alias)], separator: SQLRaw(" AS "))))
        var columns: [String: SQLRaw] = [:]
        for field in model.columnFields {
            guard let column = field.column else { continue }
            columns[column.name] = SQLRaw(client.text(of: SQLColumn.named(column.name, table: EntityRepository.alias)))
        }
        self.columns = columns
        all = ColumnSelection(fields: model.columnFields, quoted: columns)
    }
}
