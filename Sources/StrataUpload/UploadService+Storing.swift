import Foundation
import Logging
import StrataCore

extension UploadService {
    /// Names the file, reads its image facts, generates its formats and stores every object at the
    /// provider. Returns the row to write; on failure, removes whatever it already stored.
    func store(_ file: IncomingFile, info: FileInfo, settings: UploadSettings, keeping: (hash: String?, ext: String?) = (nil, nil)) async throws -> PreparedFile {
        let name = (info.name ?? file.filename).precomposedStringWithCanonicalMapping
        try Self.checkName(name)
        let declared = file.mime.map { $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "" }
        let ext = keeping.ext ?? FileNaming.ext(of: file.filename) ?? declared.flatMap(FileNaming.ext(forMime:)) ?? ""
        let mime = declared.flatMap { $0.isEmpty || $0 == "application/octet-stream" ? nil : $0 } ?? FileNaming.mime(forExtension: FileNaming.ext(of: file.filename) ?? ext)
        let hash = keeping.hash ?? FileNaming.hash(forBaseName: FileNaming.baseName(of: name))

        var data: JSONObject = [
            "name": .string(name),
            "alternativeText": info.alternativeText.map { $0.map(JSONValue.string) ?? .null } ?? .null,
            "caption": info.caption.map { $0.map(JSONValue.string) ?? .null } ?? .null,
            "width": .null, "height": .null, "formats": .null,
            "hash": .string(hash), "ext": .string(ext), "mime": .string(mime),
            "size": .double(Self.kilobytes(file.size)),
        ]
        var stored: [ProviderObjectReference] = []
        do {
            if Self.mayBeImage(mime: mime, ext: ext), let image = await images.probe(path: file.path) {
                data["width"] = .int(Int64(image.width))
                data["height"] = .int(Int64(image.height))
                if image.format.isResizable {
                    let formats = try await generateFormats(of: file, image: image, name: name, hash: hash, ext: ext, mime: mime, settings: settings, stored: &stored)
                    if !formats.isEmpty { data["formats"] = .object(formats) }
                }
            }
            let object = try await provider.upload(ProviderFile(hash: hash, ext: ext, mime: mime, sizeInBytes: file.size, contentPath: file.path))
            stored.append(ProviderObjectReference(hash: hash, ext: ext, url: object.url, providerMetadata: object.providerMetadata))
            data["url"] = .string(object.url)
            data["previewUrl"] = .null
            data["provider"] = .string(provider.name)
            data["provider_metadata"] = object.providerMetadata ?? .null
        } catch {
            await removeStored(stored)
            throw error
        }
        return PreparedFile(data: data, objects: stored)
    }

    /// The thumbnail (when the image is larger than 245×156) and each responsive breakpoint
    /// smaller than the image's width or height, as Strapi's `formats` object. An image libvips
    /// cannot resize after all gets no formats rather than failing the upload.
    func generateFormats(of file: IncomingFile, image: ImageInfo, name: String, hash: String, ext: String, mime: String,
                         settings: UploadSettings, stored: inout [ProviderObjectReference]) async throws -> JSONObject {
        var wanted: [(key: String, width: Int, height: Int)] = []
        if image.width > 245 || image.height > 156 { wanted.append(("thumbnail", 245, 156)) }
        if settings.responsiveDimensions {
            for point in configuration.breakpoints where point.size < image.width || point.size < image.height {
                wanted.append((point.name, point.size, point.size))
            }
        }
        guard !wanted.isEmpty else { return [:] }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-formats-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // libvips picks the encoder from the output's suffix, so it must name the real format.
        let suffix = Self.encoderSuffix[image.format] ?? ext

        var formats: JSONObject = [:]
        let firstFormat = stored.count
        for format in wanted {
            let output = "\(directory)/\(format.key)\(suffix)"
            let size: (width: Int, height: Int)
            do {
                size = try await images.resize(input: file.path, output: output, width: format.width, height: format.height)
            } catch {
                logger.warning("No formats for \(name): libvips could not make its \(format.key) format: \(error)")
                let orphans = Array(stored[firstFormat...])
                stored.removeSubrange(firstFormat...)
                await removeStored(orphans)
                return [:]
            }
            let bytes = Int64((try? FileManager.default.attributesOfItem(atPath: output)[.size] as? NSNumber)??.int64Value ?? 0)
            let formatHash = "\(format.key)_\(hash)"
            let object = try await provider.upload(ProviderFile(hash: formatHash, ext: ext, mime: mime, sizeInBytes: bytes, contentPath: output))
            stored.append(ProviderObjectReference(hash: formatHash, ext: ext, url: object.url, providerMetadata: object.providerMetadata))
            var entry: JSONObject = [
                "name": .string("\(format.key)_\(name)"), "hash": .string(formatHash), "ext": .string(ext), "mime": .string(mime),
                "path": .null, "width": .int(Int64(size.width)), "height": .int(Int64(size.height)),
                "size": .double(Self.kilobytes(bytes)), "sizeInBytes": .int(bytes), "url": .string(object.url),
            ]
            if let metadata = object.providerMetadata { entry["provider_metadata"] = metadata }
            formats[format.key] = .object(entry)
        }
        return formats
    }

    static let encoderSuffix: [ImageFormat: String] = [.jpeg: ".jpg", .png: ".png", .webp: ".webp", .tiff: ".tif", .gif: ".gif"]

    /// Only files that claim to be images are decoded (a PDF is never handed to libvips).
    static func mayBeImage(mime: String, ext: String) -> Bool {
        mime.hasPrefix("image/") || FileNaming.mime(forExtension: ext).hasPrefix("image/")
    }

    /// Strapi's `bytesToKbytes`: bytes / 1000, two decimals.
    static func kilobytes(_ bytes: Int64) -> Double {
        (Double(bytes) / 1000 * 100).rounded() / 100
    }
}
