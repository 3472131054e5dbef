import StrataCore
import Testing
@testable import StrataSchema

@Suite("Attribute parsing")
struct AttributeParserTests {
    let parser = AttributeParser()

    func parse(_ json: JSONValue, name: String = "field") throws -> Attribute {
        try parser.parse(name: name, json: json)
    }

    @Test("every scalar type of the models page parses", arguments: [
        "string", "text", "richtext", "blocks", "email", "password", "date", "time", "datetime", "timestamp",
        "integer", "biginteger", "float", "decimal", "boolean", "json",
    ])
    func scalarTypes(type: String) throws {
        let attribute = try parse(["type": .string(type)])
        #expect(attribute.kind.typeName == type)
        #expect(attribute.kind.isScalar)
    }

    @Test("validation options are read")
    func options() throws {
        let attribute = try parse([
            "type": "string", "required": true, "unique": true, "private": true, "configurable": false,
            "minLength": 3, "maxLength": 99, "regex": "^[a-z]+$", "default": "abc",
            "pluginOptions": ["i18n": ["localized": false]], "column": ["unique": true],
        ])
        #expect(attribute.required && attribute.unique && attribute.isPrivate && !attribute.configurable)
        #expect(attribute.minLength == 3 && attribute.maxLength == 99)
        #expect(attribute.regex == "^[a-z]+$")
        #expect(attribute.defaultValue == "abc")
        #expect(attribute.localized == false)
        #expect(attribute.column?["unique"] == true)
        let number = try parse(["type": "integer", "min": 1, "max": "10"])
        #expect(number.min == 1 && number.max == 10)
    }

    @Test("structured types keep their options")
    func structured() throws {
        #expect(try parse(["type": "enumeration", "enum": ["a", "b"]]).kind == .enumeration(["a", "b"]))
        #expect(try parse(["type": "uid", "targetField": "title"]).kind == .uid(targetField: "title"))
        #expect(try parse(["type": "media", "multiple": true, "allowedTypes": ["images"]]).kind == .media(multiple: true, allowedTypes: ["images"]))
        #expect(try parse(["type": "component", "component": "shared.seo", "repeatable": true]).kind == .component(try UID("shared.seo"), repeatable: true))
        #expect(try parse(["type": "dynamiczone", "components": ["shared.a", "shared.b"]]).kind == .dynamiczone([try UID("shared.a"), try UID("shared.b")]))
        let relation = try parse(["type": "relation", "relation": "manyToOne", "target": "api::author.author", "inversedBy": "articles"])
        guard case .relation(let details) = relation.kind else { Issue.record("not a relation"); return }
        #expect(details.kind == .manyToOne)
        #expect(details.target == (try UID("api::author.author")))
        #expect(details.inversedBy == "articles")
        #expect(details.isOwner && details.isBidirectional)
    }

    @Test("custom fields are stored as their underlying type")
    func customFields() throws {
        #expect(try parse(["type": "customField", "customField": "plugin::color-picker.color", "options": ["format": "hex"]]).kind == .string)
        #expect(try parse(["type": "customField", "customField": "global::unknown"]).kind == .json)
    }

    @Test("bad attributes are refused with the attribute and the reason", arguments: [
        (#"{"type":"strin"}"#, "unknown type \"strin\""),
        (#"{"required":true}"#, "missing \"type\""),
        (#"{"type":"enumeration"}"#, "enumeration needs an \"enum\" array"),
        (#"{"type":"enumeration","enum":[1]}"#, "\"enum\" values must be strings"),
        (#"{"type":"relation","relation":"oneToOne"}"#, "relation needs a \"target\""),
        (#"{"type":"relation","relation":"sideways","target":"api::a.a"}"#, "unknown relation \"sideways\""),
        (#"{"type":"component","component":"api::a.a"}"#, "\"api::a.a\" is not a component uid (expected <category>.<name>)"),
        (#"{"type":"string","required":"yes"}"#, "\"required\" must be a boolean"),
        (#"{"type":"integer","min":5,"max":1}"#, "\"min\" (5.0) is greater than \"max\" (1.0)"),
        (#"{"type":"string","maxLength":-1}"#, "\"maxLength\" must be a non-negative integer"),
        (#""string""#, "must be an object"),
    ])
    func refused(json: String, reason: String) throws {
        let value = try JSONParser.parse(json)
        do {
            _ = try parser.parse(name: "title", json: value)
            Issue.record("expected an error")
        } catch {
            #expect(error.attribute == "title")
            #expect(error.reason == reason)
        }
    }
}
