import CStrataVips
import NIOPosix

/// libvips (Debian's libvips) behind `ImageProcessor`; calls run on NIO's blocking thread pool so
/// decoding never stalls the cooperative executor.
public struct VipsImageProcessor: ImageProcessor {
    public init() {}

    public func probe(path: String) async -> ImageInfo? {
        try? await NIOThreadPool.singleton.runIfActive { () -> ImageInfo? in
            var info = strata_image_info()
            var error = [CChar](repeating: 0, count: 512)
            guard strata_vips_probe(path, &info, &error, error.count) == 0 else { return nil }
            let loader = withUnsafeBytes(of: info.loader) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let format = Self.format(loader: loader) else { return nil }
            return ImageInfo(width: Int(info.width), height: Int(info.height), format: format)
        }
    }

    public func resize(input: String, output: String, width: Int, height: Int) async throws -> (width: Int, height: Int) {
        let quality = ImageFormat(rawValue: FileNaming.ext(of: output).map { Self.formatNames[$0] ?? "" } ?? "")?.quality ?? 0
        return try await NIOThreadPool.singleton.runIfActive {
            var written: (Int32, Int32) = (0, 0)
            var error = [CChar](repeating: 0, count: 512)
            guard strata_vips_resize(input, output, Int32(width), Int32(height), quality, &written.0, &written.1, &error, error.count) == 0 else {
                throw ImageProcessingError(description: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            return (Int(written.0), Int(written.1))
        }
    }

    /// libvips loader nicknames (`jpegload`, `pngload_source`…) to sharp's format names; other
    /// loaders (PDF, FITS…) do not make a file an image for the Media Library.
    static func format(loader: String) -> ImageFormat? {
        let base = loader.split(separator: "_").first.map(String.init) ?? loader
        switch base {
        case "jpegload": return .jpeg
        case "pngload": return .png
        case "webpload": return .webp
        case "tiffload": return .tiff
        case "gifload": return .gif
        case "svgload": return .svg
        case "heifload": return .avif
        default: return nil
        }
    }

    static let formatNames: [String: String] = [
        ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp", ".tif": "tiff", ".tiff": "tiff", ".gif": "gif",
    ]
}
