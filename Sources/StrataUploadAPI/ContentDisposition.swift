import Foundation

/// A multipart part's `Content-Disposition` (`form-data; name="files"; filename="a.png"`),
/// including RFC 5987 `filename*=UTF-8''…` names, which win over plain ones.
struct ContentDisposition: Equatable {
    var name: String?
    var filename: String?

    init(name: String? = nil, filename: String? = nil) {
        self.name = name
        self.filename = filename
    }

    init(_ header: String) {
        var extendedFilename: String?
        for (key, value) in Self.parameters(header) {
            switch key {
            case "name": name = value
            case "filename": filename = value
            case "filename*": extendedFilename = Self.decodeExtended(value)
            default: break
            }
        }
        if let extendedFilename { filename = extendedFilename }
        // Browsers send only the base name; some clients send a path. Never keep directories.
        if let raw = filename {
            let base = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
            filename = base
        }
    }

    /// `key=value` pairs after the disposition type; quoted values unescaped.
    static func parameters(_ header: String) -> [(String, String)] {
        var result: [(String, String)] = []
        var index = header.startIndex
        // Skip the disposition type (`form-data`).
        guard let first = header.firstIndex(of: ";") else { return [] }
        index = header.index(after: first)
        while index < header.endIndex {
            while index < header.endIndex, header[index] == " " || header[index] == ";" || header[index] == "\t" { index = header.index(after: index) }
            guard let equals = header[index...].firstIndex(of: "=") else { break }
            let key = header[index..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            index = header.index(after: equals)
            var value = ""
            if index < header.endIndex, header[index] == "\"" {
                index = header.index(after: index)
                while index < header.endIndex, header[index] != "\"" {
                    if header[index] == "\\", header.index(after: index) < header.endIndex {
                        index = header.index(after: index)
                    }
                    value.append(header[index])
                    index = header.index(after: index)
                }
                if index < header.endIndex { index = header.index(after: index) }
            } else {
                let end = header[index...].firstIndex(of: ";") ?? header.endIndex
                value = header[index..<end].trimmingCharacters(in: .whitespaces)
                index = end
            }
            result.append((key, value))
        }
        return result
    }

    /// `UTF-8''%E2%82%AC%20rates.txt` → `€ rates.txt`.
    static func decodeExtended(_ value: String) -> String? {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        return String(parts[2]).removingPercentEncoding
    }
}
