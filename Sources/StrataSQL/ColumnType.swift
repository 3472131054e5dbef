/// Column types of Strapi's storage layout (its knex column builders), mapped to SQL by each dialect.
public enum ColumnType: Sendable, Hashable {
    /// Auto-incrementing integer primary key.
    case increments
    /// `varchar(255)`.
    case string
    /// Long text.
    case text
    /// `jsonb` on Postgres, text on SQLite.
    case json
    case integer
    case bigInteger
    /// Double precision.
    case double
    case decimal(precision: Int, scale: Int)
    /// Single precision in knex; used for order columns.
    case float
    case boolean
    case date
    case time
    case datetime
    case timestamp
}
