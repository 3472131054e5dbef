import CompressNIO
import NIOCore

/// gzip layer of an archive being written (Node's `zlib.createGzip()` defaults: level 6).
public final class GzipSink: ByteSink {
    private let next: any ByteSink
    private let compressor: ZlibCompressor
    private let allocator = ByteBufferAllocator()

    public init(_ next: any ByteSink) throws {
        self.next = next
        compressor = try ZlibCompressor(algorithm: .gzip, configuration: ZlibConfiguration(compressionLevel: .defaultCompressionLevel))
    }

    public func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        var input = allocator.buffer(capacity: bytes.count)
        input.writeBytes(bytes)
        try deflate(&input, flush: .no)
    }

    public func close() throws {
        var input = allocator.buffer(capacity: 16)
        try deflate(&input, flush: .finish)
        try next.close()
    }

    private func deflate(_ input: inout ByteBuffer, flush: CompressNIOFlush) throws {
        while true {
            var output = allocator.buffer(capacity: max(compressor.maxSize(from: input), 64 * 1024))
            var full = false
            do {
                try compressor.deflate(from: &input, to: &output, flush: flush)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // Output full (or, without flushing, nothing left to do): drain and go on.
                full = true
            }
            if output.readableBytes > 0 {
                try next.write(output.readBytes(length: output.readableBytes) ?? [])
            }
            if !full || (flush == .no && input.readableBytes == 0) { return }
        }
    }
}

/// gunzip layer of an archive being read. Corrupt data (including a wrong CRC) is an error.
public final class GunzipSource: ByteSource {
    private let upstream: any ByteSource
    private let decompressor: ZlibDecompressor
    private let allocator = ByteBufferAllocator()
    private var input: ByteBuffer
    private var upstreamEnded = false
    private static let chunk = 64 * 1024

    public init(_ upstream: any ByteSource) throws {
        self.upstream = upstream
        decompressor = try ZlibDecompressor(algorithm: .gzip)
        input = allocator.buffer(capacity: Self.chunk)
    }

    private var output: ByteBuffer?
    /// Whether zlib has reached the end of the gzip member, where it checks the CRC and length.
    private var memberEnded = false

    public func read(upTo count: Int) throws -> [UInt8] {
        // ByteBuffer rounds capacities up, so inflated bytes beyond `count` wait for the next read.
        if var pending = output, pending.readableBytes > 0 {
            let bytes = pending.readBytes(length: min(count, pending.readableBytes)) ?? []
            output = pending
            return bytes
        }
        var output = allocator.buffer(capacity: Self.chunk * 2)
        while output.readableBytes == 0 {
            if input.readableBytes == 0 && !upstreamEnded {
                let bytes = try upstream.read(upTo: Self.chunk)
                if bytes.isEmpty {
                    upstreamEnded = true
                } else {
                    input.clear()
                    input.writeBytes(bytes)
                }
            }
            if memberEnded {
                // Bytes after the member are ignored, as Node does.
                input.clear()
                if upstreamEnded { return [] }
                continue
            }
            let before = input.readableBytes
            do {
                try decompressor.inflate(from: &input, to: &output)
                // No error and no progress, or input left with room in the output: zlib returned
                // Z_STREAM_END (with an empty input before the trailer it answers Z_BUF_ERROR).
                if (output.readableBytes == 0 && input.readableBytes == before) || (input.readableBytes > 0 && output.writableBytes > 0) {
                    memberEnded = true
                }
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // The output is full; the rest of the input waits for the next read.
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                // zlib needs more input than this chunk holds; at the end of the file, the
                // member was cut before its trailer.
                if upstreamEnded && output.readableBytes == 0 {
                    throw ArchiveError.truncated("the gzip stream ends before its trailer")
                }
            } catch let error as CompressNIOError where error == .corruptData {
                throw ArchiveError.corruptCompression("invalid deflate data or checksum")
            } catch let error as CompressNIOError {
                // zlib's other answers (a dictionary request, an internal error) on crafted input.
                throw ArchiveError.corruptCompression("zlib refused the data (\(error))")
            }
        }
        let bytes = output.readBytes(length: min(count, output.readableBytes)) ?? []
        self.output = output
        return bytes
    }
}
