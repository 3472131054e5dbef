/// Reads and resizes images for the Media Library (dimensions, thumbnail and responsive formats).
public protocol ImageProcessor: Sendable {
    /// The image facts of a file, or `nil` when it is not an image this processor can decode
    /// (including truncated or corrupt images).
    func probe(path: String) async -> ImageInfo?

    /// Writes a copy of `input` fitting inside `width`×`height` (never enlarged) to `output`, in
    /// the format `output`'s extension names.
    func resize(input: String, output: String, width: Int, height: Int) async throws -> (width: Int, height: Int)
}

/// What an image is.
public struct ImageInfo: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var format: ImageFormat

    public init(width: Int, height: Int, format: ImageFormat) {
        self.width = width
        self.height = height
        self.format = format
    }
}

/// The image formats Strapi recognises (sharp's names), and which of them it resizes.
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp, tiff, gif, svg, avif

    /// Strapi generates thumbnail and responsive formats for these only.
    public var isResizable: Bool {
        switch self {
        case .jpeg, .png, .webp, .tiff, .gif: return true
        case .svg, .avif: return false
        }
    }

    /// Lossy encoders get Strapi's quality (sharp's default of 80).
    var quality: Int32 {
        switch self {
        case .jpeg, .webp: return 80
        default: return 0
        }
    }
}

/// Resizing failed (libvips' message).
public struct ImageProcessingError: Error, CustomStringConvertible {
    public let description: String
}
