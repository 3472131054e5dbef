import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the few elements Strata needs from S3's XML answers (`UploadId`, `Code`, `Message`).
enum S3XML {
    /// The text of the first element named `name`, or `nil`.
    static func value(of name: String, in data: Data) -> String? {
        guard !data.isEmpty else { return nil }
        let finder = ElementFinder(name: name)
        let parser = XMLParser(data: data)
        parser.delegate = finder
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        return finder.value
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private final class ElementFinder: NSObject, XMLParserDelegate {
        let name: String
        var value: String?
        var text: String?

        init(name: String) { self.name = name }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if value == nil, elementName == name { text = "" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text? += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            if elementName == name, let text, value == nil {
                value = text
                parser.abortParsing()
            }
        }
    }
}
