import Foundation
import StrataCore

/// Strapi's naming of stored files: `hash`, `ext` and `mime` from an uploaded file's name and type.
public enum FileNaming {
    /// `<slug of the base name>_<10 random hex digits>`, like Strapi's `generateFileName`
    /// (slugify with `_` as the separator, case kept).
    ///
    /// The slug is cut to ``maximumSlugLength`` so that a stored object's name (a format's prefix,
    /// the hash, the extension) stays within a file system's 255 bytes.
    public static func hash(forBaseName baseName: String, random: [UInt8]? = nil) -> String {
        var slug = slugify(baseName)
        if slug.utf8.count > maximumSlugLength {
            slug = String(slug.prefix(maximumSlugLength))
            while slug.hasSuffix("_") { slug.removeLast() }
        }
        let suffix = (random ?? Secrets.randomBytes(5)).hexString
        return slug.isEmpty ? suffix : "\(slug)_\(suffix)"
    }

    /// The longest slug of a hash, in bytes (slugs are ASCII).
    public static let maximumSlugLength = 160

    /// Transliterates to ASCII and joins runs of letters and digits with `_`.
    public static func slugify(_ text: String) -> String {
        let latin = text.applyingTransform(.toLatin, reverse: false) ?? text
        let ascii = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        var words: [String] = []
        var current = ""
        for scalar in ascii.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.joined(separator: "_")
    }

    /// The extension of a file name with its dot, lowercased as Strapi stores it (`.png`), or `nil`.
    public static func ext(of filename: String) -> String? {
        let name = (filename as NSString).lastPathComponent
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = String(name[dot...])
        // An extension is a short run of letters and digits; anything else is part of the name.
        guard ext.count > 1, ext.count <= 16, ext.dropFirst().allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return ext.lowercased()
    }

    /// The name without its extension.
    public static func baseName(of filename: String) -> String {
        let name = (filename as NSString).lastPathComponent
        guard let ext = ext(of: name) else { return name }
        return String(name.dropLast(ext.count))
    }

    /// A MIME type for an extension (what browsers and Strapi's `mime-types` would say), else
    /// `application/octet-stream`.
    public static func mime(forExtension ext: String?) -> String {
        guard let ext = ext?.lowercased() else { return "application/octet-stream" }
        return mimeTypes[ext] ?? "application/octet-stream"
    }

    /// An extension for a MIME type, used when the file name has none.
    public static func ext(forMime mime: String) -> String? {
        let bare = mime.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return preferredExtensions[bare] ?? mimeTypes.first(where: { $0.value == bare })?.key
    }

    static let preferredExtensions: [String: String] = [
        "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "image/tiff": ".tif",
        "image/svg+xml": ".svg", "image/avif": ".avif", "application/pdf": ".pdf", "text/plain": ".txt",
        "video/mp4": ".mp4", "audio/mpeg": ".mp3", "application/json": ".json",
    ]

    static let mimeTypes: [String: String] = [
        ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".jpe": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
        ".webp": "image/webp", ".tif": "image/tiff", ".tiff": "image/tiff", ".svg": "image/svg+xml", ".avif": "image/avif",
        ".heic": "image/heic", ".heif": "image/heif", ".ico": "image/vnd.microsoft.icon", ".bmp": "image/bmp",
        ".pdf": "application/pdf", ".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown", ".html": "text/html",
        ".htm": "text/html", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".xml": "application/xml",
        ".zip": "application/zip", ".gz": "application/gzip", ".tar": "application/x-tar", ".doc": "application/msword",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xls": "application/vnd.ms-excel", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".ppt": "application/vnd.ms-powerpoint", ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".odt": "application/vnd.oasis.opendocument.text", ".rtf": "application/rtf", ".epub": "application/epub+zip",
        ".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime", ".avi": "video/x-msvideo",
        ".mkv": "video/x-matroska", ".mp3": "audio/mpeg", ".wav": "audio/wav", ".ogg": "audio/ogg", ".m4a": "audio/mp4",
        ".flac": "audio/flac", ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
    ]
}
