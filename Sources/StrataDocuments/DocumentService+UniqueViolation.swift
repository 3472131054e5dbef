import StrataCore
import StrataDatabase
import StrataSQL

extension DocumentService {
    /// Runs a write in one transaction; a unique index the database enforced (a `column.unique`
    /// attribute, a link written twice by two requests at once) answers as Strapi's own
    /// uniqueness check does, a 400, not a 500.
    func transaction<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await database.transaction(body)
        } catch let error as DatabaseError where error.kind == .unique {
            throw uniqueViolation(error)
        }
    }

    /// The attributes behind the violated index's columns, each "This attribute must be unique".
    func uniqueViolation(_ error: DatabaseError) -> ValidationError {
        let model = error.table.flatMap { table in database.metadata.models.values.first { $0.tableName == table } }
        let names = error.columns.compactMap { column in
            model?.fields.first { field in
                if case .column(let stored) = field.storage { return stored.name == column }
                return false
            }?.name
        }
        guard !names.isEmpty else { return ValidationError("This attribute must be unique") }
        return ValidationError(fieldErrors: names.map { ValidationError.FieldError(path: [$0], message: "This attribute must be unique") })
    }
}
