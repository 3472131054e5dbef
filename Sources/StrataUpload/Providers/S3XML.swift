import Foundation

/// Reads the few elements Strata needs from S3's XML answers (`UploadId`, `Code`, `Message`).
///
/// S3 answers are flat documents of plain elements, and Strata only needs the text of one element
/// at a time, so a scan does it. Foundation's `XMLParser` would link libxml2 (and the system's ICU
/// with it) into every Strata process for these three lookups.
enum S3XML {
    /// The text of the first element named `name` (entities decoded), or `nil`.
    static func value(of name: String, in data: Data) -> String? {
        let bytes = ArraySlice([UInt8](data))
        let open = Array("<\(name)".utf8)
        var index = 0
        while let start = find(open, in: bytes, from: index) {
            var cursor = start + open.count
            guard cursor < bytes.count else { return nil }
            // `<UploadIdX>` is another element; `<UploadId>` and `<UploadId attr="…">` are this one.
            let next = bytes[cursor]
            guard next == UInt8(ascii: ">") || next == UInt8(ascii: "/") || isSpace(next) else {
                index = cursor
                continue
            }
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: ">") { cursor += 1 }
            guard cursor < bytes.count else { return nil }
            if bytes[cursor - 1] == UInt8(ascii: "/") { return "" }
            let content = cursor + 1
            guard let end = find(Array("</\(name)>".utf8), in: bytes, from: content) else { return nil }
            return decode(bytes[content..<end])
        }
        return nil
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Where `needle` first occurs in `bytes` at or after `start`.
    private static func find(_ needle: [UInt8], in bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard !needle.isEmpty, start <= bytes.endIndex - needle.count else { return nil }
        var index = max(start, bytes.startIndex)
        while index <= bytes.endIndex - needle.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Element text with character data sections and entity references resolved.
    private static func decode(_ text: ArraySlice<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "<"), text[index...].starts(with: cdataOpen) {
                let body = index + cdataOpen.count
                let end = find(cdataClose, in: text, from: body) ?? text.endIndex
                output += text[body..<end]
                index = min(end + cdataClose.count, text.endIndex)
            } else if byte == UInt8(ascii: "&"), let semicolon = text[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")),
                      let character = entity(String(decoding: text[(index + 1)..<semicolon], as: UTF8.self)) {
                output += Array(String(character).utf8)
                index = semicolon + 1
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func entity(_ name: String) -> Character? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let scalar: UInt32?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                scalar = UInt32(name.dropFirst(2), radix: 16)
            } else if name.hasPrefix("#") {
                scalar = UInt32(name.dropFirst())
            } else {
                scalar = nil
            }
            return scalar.flatMap(Unicode.Scalar.init).map(Character.init)
        }
    }
}
