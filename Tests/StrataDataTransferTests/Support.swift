import Foundation
import StrataCore
import StrataDataTransfer
import StrataTesting
import StrataServer
import StrataDatabase
import StrataSQL
import HTTPTypes

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let epicArchive = root.appendingPathComponent("strapi-exports/epic-next-strapi-5-seed-data.tar.gz").path

    /// A test project with the schemas of the project that produced the epic-next archive.
    static func epicProject() throws -> TestProject {
        let src = root.appendingPathComponent("epic-next-strapi-5-seed-data-schemas/src")
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(at: src, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where url.pathExtension == "json" {
            let relative = String(url.path.dropFirst(src.path.count + 1))
            files["src/" + relative] = try String(contentsOf: url, encoding: .utf8)
        }
        return TestProject(files: files)
    }
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-dts-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

extension TestStrata {
    var importer: ArchiveImporter { ArchiveImporter(environment: app.transferEnvironment) }
    var exporter: ArchiveExporter { ArchiveExporter(environment: app.transferEnvironment) }
    var uploads: URL { app.transferEnvironment.uploadsDirectory }
}

/// Collects schema differences reported during an import.
final class DifferenceLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [SchemaDifference] = []
    var differences: [SchemaDifference] { lock.withLock { items } }
    func record(_ differences: [SchemaDifference]) { lock.withLock { items += differences } }
}

/// Every entry of an archive, in order, decrypted and decompressed.
func archiveEntries(_ path: String, key: String? = nil) throws -> [(path: String, bytes: [UInt8])] {
    let reader = try ArchiveReader(path: path, key: key)
    var entries: [(path: String, bytes: [UInt8])] = []
    while let entry = try reader.next() {
        var bytes: [UInt8] = []
        while case let chunk = try reader.read(upTo: 1 << 20), !chunk.isEmpty { bytes += chunk }
        entries.append((entry.path, bytes))
    }
    return entries
}

/// The JSONL records of one stage.
func records(_ entries: [(path: String, bytes: [UInt8])], stage: String) throws -> [JSONValue] {
    try entries.filter { $0.path.hasPrefix("\(stage)/") && $0.path.hasSuffix(".jsonl") }.flatMap { entry in
        try entry.bytes.split(separator: 0x0A).map { try JSONParser.parse(Array($0)) }
    }
}

/// Writes entries as a tar (optionally gzip) file, for hand-made archives.
func writeArchive(_ entries: [(path: String, bytes: [UInt8])], to path: String, compressed: Bool = true) throws {
    let file = try FileByteSink(path: path)
    let tar = TarWriter(compressed ? try GzipSink(file) : file, modificationTime: 0)
    for entry in entries { try tar.addEntry(path: entry.path, bytes: entry.bytes) }
    try tar.finish()
}
