import SQLKit
import StrataCore
import StrataSQL

/// How a relation, a component or a media field reaches its target rows through a link table,
/// written once for the three readers: filters (an `EXISTS` over the link), sort (the first
/// linked row's value) and populate (every linked row of a page of owners).
struct RelationLink {
    /// The link table.
    let table: String
    /// Its column holding the owner row's id.
    let ownerColumn: String
    /// Its column holding the target row's id.
    let targetColumn: String
    /// Its column giving the links' order, if any.
    let orderColumn: String?
    /// Extra `column = value` conditions on the link rows (a component's field and type, a
    /// media link's owner type and field).
    let conditions: [(column: String, value: DatabaseValue)]
    /// The model of the target rows.
    let target: UID

    /// The link of `field`, an attribute of `model`; `nil` for attributes stored otherwise
    /// (columns, foreign keys, dynamic zones, polymorphic relations, localizations).
    init?(_ field: Field, of model: Model) {
        switch field.storage {
        case .joinTable(let joinTable, let uid, _, _):
            self.init(table: joinTable.name, ownerColumn: joinTable.joinColumn, targetColumn: joinTable.inverseJoinColumn,
                      orderColumn: joinTable.orderColumn, conditions: [], target: uid)
        case .components(let joinTable, let uids, _, false):
            self.init(table: joinTable.name, ownerColumn: joinTable.entityColumn, targetColumn: joinTable.componentColumn,
                      orderColumn: joinTable.orderColumn,
                      conditions: [(joinTable.fieldColumn, .text(field.name)), (joinTable.typeColumn, .text(uids[0].rawValue))], target: uids[0])
        case .media(let morph, _):
            self.init(table: morph.name, ownerColumn: morph.idColumn, targetColumn: morph.joinColumn, orderColumn: morph.orderColumn,
                      conditions: [(morph.typeColumn, .text(model.uid.rawValue)), (morph.fieldColumn, .text(field.name))], target: uploadFileUID)
        default:
            return nil
        }
    }

    init(table: String, ownerColumn: String, targetColumn: String, orderColumn: String?, conditions: [(column: String, value: DatabaseValue)], target: UID) {
        self.table = table
        self.ownerColumn = ownerColumn
        self.targetColumn = targetColumn
        self.orderColumn = orderColumn
        self.conditions = conditions
        self.target = target
    }

    /// `link AS <link> INNER JOIN <targetTable> AS <target> ON <target>.id = <link>.<targetColumn>
    /// WHERE <link>.<ownerColumn> = <owner> AND <conditions>`: the target rows of one owner row
    /// (`owner` is a column of the outer query).
    func correlated(targetTable: String, link: String, target: String, owner: any SQLExpression) -> SQLQueryString {
        var sql = SQLQueryString("\(ident: table) AS \(ident: link) INNER JOIN \(ident: targetTable) AS \(ident: target) ON \(SQLColumn.named("id", table: target)) = \(SQLColumn.named(targetColumn, table: link)) WHERE \(SQLColumn.named(ownerColumn, table: link)) = \(owner)")
        for condition in conditions {
            sql += SQLQueryString(" AND \(SQLColumn.named(condition.column, table: link)) = \(bind: condition.value)")
        }
        return sql
    }

    /// The links' order: the order column, then the link row's id.
    func order(link: String) -> [any SQLExpression] {
        var terms: [any SQLExpression] = []
        if let orderColumn { terms.append(SQLOrderBy(expression: SQLColumn.named(orderColumn, table: link), direction: SQLDirection.ascending)) }
        terms.append(SQLOrderBy(expression: SQLColumn.named("id", table: link), direction: SQLDirection.ascending))
        return terms
    }
}
