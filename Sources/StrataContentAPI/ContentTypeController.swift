import StrataCore
import StrataOperations
import StrataSchema

/// What the collection-type and single-type controllers share: the operations they adapt and
/// the content type. Each handler runs the action its route declares.
protocol ContentTypeController: Sendable {
    var operations: ContentOperations { get }
    var contentType: ContentType { get }
}

/// The permission actions of a content type's routes (`api::article.article.findOne`), named once.
struct ContentTypeActions: Sendable {
    let find, findOne, create, update, delete: String

    init(_ uid: UID) {
        let prefix = uid.rawValue + "."
        find = prefix + "find"
        findOne = prefix + "findOne"
        create = prefix + "create"
        update = prefix + "update"
        delete = prefix + "delete"
    }
}
