import StrataCore
import StrataTesting

/// Content types shared by the REST tests.
enum APIFixtures {
    static let article = TestProject.collectionType("article", draftAndPublish: true, attributes: [
        "title": ["type": "string", "required": true],
        "body": ["type": "richtext"],
        "views": ["type": "integer"],
        "secret": ["type": "password"],
        "internal": ["type": "string", "private": true],
    ])

    static let product = TestProject.collectionType("product", attributes: [
        "name": ["type": "string"],
        "price": ["type": "float"],
        "rank": ["type": "integer"],
    ])

    static let homepage = TestProject.singleType("homepage", attributes: [
        "headline": ["type": "string", "required": true],
    ])

    static var project: TestProject {
        TestProject(contentTypes: [
            ("api::article.article", article),
            ("api::product.product", product),
            ("api::homepage.homepage", homepage),
        ])
    }
}
