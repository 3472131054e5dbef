public import Foundation
public import StrataCore

/// Writes a Strapi data file: stages as JSONL files (`entities/entities_00001.jsonl`…) and asset
/// entries, `metadata.json` last. JSONL is spooled to a temporary file first because a tar header
/// needs the entry's size, so memory stays flat whatever the number of records.
public final class ArchiveWriter {
    public static let defaultMaxJSONLSize = 256_000_000

    private let tar: TarWriter
    private let spoolDirectory: URL
    private let maxJSONLSize: Int
    private var stage: String?
    private var spool: FileHandle?
    private var spoolURL: URL?
    private var spoolSize = 0
    private var fileIndex = 0
    private var recordsInStage = 0
    public private(set) var uncompressedBytes: Int64 = 0

    public init(path: String, format: ArchiveFormat, key: String?, maxJSONLSize: Int = ArchiveWriter.defaultMaxJSONLSize, now: Date = Date()) throws {
        let file = try FileByteSink(path: path)
        var sink: any ByteSink = file
        switch format.encryption {
        case .strapi?:
            guard let key, !key.isEmpty else { throw ArchiveError.wrongKey(path) }
            sink = try StrapiEncryptingSink(sink, passphrase: key)
        case .sealed?:
            guard let key, !key.isEmpty else { throw ArchiveError.wrongKey(path) }
            sink = try SealedEncryptingSink(sink, passphrase: key)
        case nil:
            break
        }
        if format.compressed { sink = try GzipSink(sink) }
        tar = TarWriter(sink, modificationTime: Int64(now.timeIntervalSince1970))
        self.maxJSONLSize = maxJSONLSize
        spoolDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: spoolDirectory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: spoolDirectory) }

    /// Appends one record to `stage`'s JSONL files, separated by `\n` as Strapi does (no trailing
    /// newline; a continuation file starts with `\n`).
    public func append(_ record: JSONValue, stage name: String) throws {
        if stage != name {
            try flushStage()
            stage = name
            fileIndex = 0
            recordsInStage = 0
        }
        let json = JSONWriter.serialize(record)
        guard json.count <= maxJSONLSize else {
            throw ArchiveError.oversizedEntry(path: "\(name)/", size: Int64(json.count), limit: Int64(maxJSONLSize))
        }
        let chunk = recordsInStage == 0 ? json : [0x0A] + json
        if spool != nil && spoolSize + chunk.count > maxJSONLSize { try flushFile() }
        if spool == nil { try openSpool() }
        try spool!.write(contentsOf: chunk)
        spoolSize += chunk.count
        recordsInStage += 1
    }

    /// Adds an asset: its metadata sidecar, then the file's bytes streamed from disk.
    public func addAsset(fileName: String, metadata: JSONObject, contentsOf url: URL) throws {
        try flushStage()
        stage = nil
        let sidecar = JSONWriter.serialize(.object(metadata))
        try tar.addEntry(path: "assets/metadata/\(fileName).json", bytes: sidecar)
        let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw ArchiveError.unreadable(url.path) }
        defer { try? handle.close() }
        try tar.beginEntry(path: "assets/uploads/\(fileName)", size: size)
        var left = size
        while left > 0 {
            guard let data = try handle.read(upToCount: Int(min(left, 1 << 20))), !data.isEmpty else {
                throw ArchiveError.truncated("\(url.path) shrank while it was being exported")
            }
            try tar.write([UInt8](data))
            left -= Int64(data.count)
        }
        uncompressedBytes += Int64(sidecar.count) + size
    }

    /// Writes `metadata.json` and closes every layer.
    public func finish(metadata: JSONValue) throws {
        try flushStage()
        try tar.addEntry(path: "metadata.json", bytes: Array(JSONWriter.prettyString(metadata).utf8))
        try tar.finish()
    }

    private func openSpool() throws {
        let url = spoolDirectory.appendingPathComponent("spool-\(fileIndex)")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        guard let handle = FileHandle(forUpdatingAtPath: url.path) else { throw ArchiveError.unwritable(url.path) }
        spool = handle
        spoolURL = url
        spoolSize = 0
    }

    private func flushStage() throws {
        if spool != nil { try flushFile() }
    }

    private func flushFile() throws {
        guard let handle = spool, let url = spoolURL, let stage else { return }
        fileIndex += 1
        let number = String(fileIndex)
        let path = "\(stage)/\(stage)_\(String(repeating: "0", count: max(0, 5 - number.count)))\(number).jsonl"
        try handle.seek(toOffset: 0)
        try tar.beginEntry(path: path, size: Int64(spoolSize))
        var left = spoolSize
        while left > 0 {
            guard let data = try handle.read(upToCount: min(left, 1 << 20)), !data.isEmpty else { break }
            try tar.write([UInt8](data))
            left -= data.count
        }
        try handle.close()
        try FileManager.default.removeItem(at: url)
        uncompressedBytes += Int64(spoolSize)
        spool = nil
        spoolURL = nil
        spoolSize = 0
    }
}
