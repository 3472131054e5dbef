import ArgumentParser
import Foundation
import StrataCore
import StrataDataTransfer
import StrataServer
import StrataUpload

/// `--only` / `--exclude`, as comma-separated data types (`content,files,config`).
struct DataTypeOptions: ParsableArguments {
    @Option(help: "Include only these data types (comma-separated: content, files, config).")
    var only: String?

    @Option(help: "Exclude these data types (comma-separated: content, files, config).")
    var exclude: String?

    func selection() throws -> TransferSelection {
        do {
            return try TransferSelection(
                only: only?.split(separator: ",").map(String.init) ?? [],
                exclude: exclude?.split(separator: ",").map(String.init) ?? []
            )
        } catch {
            throw ExitCode.fail(error.message)
        }
    }
}

/// Prints one line per stage as it progresses (rewritten in place on a terminal).
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var lastStage: String?
    private var lastPrint = Date.distantPast
    private let verb: String
    private let interactive = isatty(STDERR_FILENO) == 1

    init(verb: String) { self.verb = verb }

    func report(_ progress: TransferProgress) {
        lock.withLock {
            let line = "\(verb) \(progress.stage): \(progress.count) (\(TransferSummary.formatBytes(progress.bytes)))"
            if interactive {
                if lastStage != nil && lastStage != progress.stage { FileHandle.standardError.write(Data("\n".utf8)) }
                FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
            } else if lastStage != progress.stage || Date().timeIntervalSince(lastPrint) > 5 {
                FileHandle.standardError.write(Data((line + "\n").utf8))
                lastPrint = Date()
            }
            lastStage = progress.stage
        }
    }

    func finish() {
        if interactive && lastStage != nil { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export content, files and configuration to a Strapi-compatible data file (.tar[.gz][.enc])."
    )

    @OptionGroup var options: ProjectOptions

    @Option(name: [.short, .long], help: "Name of the file, without extension (default: export_YYYYMMDDHHMMSS in the project folder).")
    var file: String?

    @Option(name: [.short, .long], help: "Encryption key (prompted for when encryption is on and no key is given).")
    var key: String?

    @Flag(name: .customLong("encrypt"), inversion: .prefixedNo, help: "Encrypt the file.")
    var encrypt = true

    @Flag(name: .customLong("compress"), inversion: .prefixedNo, help: "Compress the file with gzip.")
    var compress = true

    @Option(help: "Cipher: aes-128-ecb (Strapi's, the default) or aes-256-gcm (authenticated, Strata only).")
    var encryption: String = ArchiveFormat.Encryption.strapi.rawValue

    @Option(name: .customLong("max-size-jsonl"), help: "Split JSONL files above this many MB (Strapi's maxSizeJsonl).")
    var maxSizeJSONL: Int?

    @OptionGroup var dataTypes: DataTypeOptions

    func run() async throws {
        let selection = try dataTypes.selection()
        guard let cipher = ArchiveFormat.Encryption(rawValue: encryption) else {
            throw ExitCode.fail("Unknown encryption '\(encryption)'. Use aes-128-ecb or aes-256-gcm.")
        }
        if key != nil && !encrypt { throw ExitCode.fail("Key may not be present unless encryption is used") }
        var passphrase = key
        if encrypt && (passphrase ?? "").isEmpty {
            guard let entered = Terminal.secret("Please enter an encryption key") else {
                throw ExitCode.fail("Encryption is on and no key was given: pass --key (standard input is not a terminal), or --no-encrypt.")
            }
            guard !entered.isEmpty else { throw ExitCode.fail("Provide a non-empty encryption key") }
            passphrase = entered
        }
        let format = ArchiveFormat(compressed: compress, encryption: encrypt ? cipher : nil)
        let base = file ?? (options.directory as NSString).appendingPathComponent(Self.defaultName(Date()))
        let path = base + format.fileExtension
        let printer = ProgressPrinter(verb: "Exporting")
        let summary = try await ProjectSession.withApplication(options) { app in
            var exporter = ArchiveExporter(environment: app.transferEnvironment)
            if let maxSizeJSONL { exporter.maxJSONLSize = maxSizeJSONL * 1024 * 1024 }
            return try await exporter.export(to: path, format: format, key: passphrase, selection: selection, progress: printer.report)
        }
        printer.finish()
        print(summary.table())
        for line in summary.skipped { Terminal.error("warning: skipped \(line)") }
        print("Export archive is in \(path)")
        print("Export process has been completed successfully!")
    }

    /// `export_YYYYMMDDHHMMSS` in local time, as Strapi names exports.
    static func defaultName(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyyMMddHHmmss"
        return "export_" + formatter.string(from: date)
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a Strapi data file (.tar[.gz][.enc]), replacing the included data types. Transactional: a failed import changes nothing."
    )

    @OptionGroup var options: ProjectOptions

    @Option(name: [.short, .long], help: "Path of the file to import, with its extension.")
    var file: String

    @Option(name: [.short, .long], help: "Decryption key (prompted for when the file is encrypted and no key is given).")
    var key: String?

    @Flag(help: "Answer yes to every prompt (required when standard input is not a terminal).")
    var force = false

    @Option(help: "Refuse an asset file larger than this, in bytes or with K, M, G (default: transfer.maxAssetSize in config/server.json, else the larger of 1G and the upload sizeLimit).")
    var maxAssetSize: String?

    @Option(help: "Refuse a JSONL line (one record) longer than this, in bytes or with K, M, G (default: transfer.maxLineSize in config/server.json, else 64M).")
    var maxLineSize: String?

    @OptionGroup var dataTypes: DataTypeOptions

    /// A size option's bytes, or the usage error.
    static func size(_ text: String?, option: String) throws -> Int64? {
        guard let text else { return nil }
        guard let bytes = ByteSize.parse(text), bytes > 0 else {
            throw ExitCode.fail("--\(option) must be a positive number of bytes, optionally with K, M or G (512M, 2G), got '\(text)'.")
        }
        return bytes
    }

    func run() async throws {
        let selection = try dataTypes.selection()
        let maxAssetSize = try Self.size(maxAssetSize, option: "max-asset-size")
        let maxLineSize = try Self.size(maxLineSize, option: "max-line-size")
        let layers: (compressed: Bool, encrypted: Bool)
        do {
            layers = try ArchiveFormat.detect(fileName: file)
        } catch {
            throw ExitCode.fail(error.description)
        }
        guard FileManager.default.fileExists(atPath: file) else { throw ExitCode.fail("File '\(file)' does not exist.") }
        var passphrase = key
        if layers.encrypted && (passphrase ?? "").isEmpty {
            guard let entered = Terminal.secret("Please enter your decryption key") else {
                throw ExitCode.fail("The file is encrypted: pass --key (standard input is not a terminal).")
            }
            guard !entered.isEmpty else { throw ExitCode.fail("No key entered, aborting import.") }
            passphrase = entered
        }
        if !force {
            let question = "The import will delete your existing data! Are you sure you want to proceed?"
            guard let answer = Terminal.confirm(question) else {
                throw ExitCode.fail("\(question) Standard input is not a terminal: pass --force to confirm.")
            }
            guard answer else { throw ExitCode.fail("Import process aborted.") }
        }
        let force = self.force
        let printer = ProgressPrinter(verb: "Importing")
        let summary: TransferSummary
        do {
            summary = try await ProjectSession.withApplication(options) { app in
                var importer = ArchiveImporter(environment: app.transferEnvironment)
                importer.limits = try ImportLimits(
                    configuration: app.project.files.value("server", "transfer"), uploadSizeLimit: app.upload.configuration.sizeLimit
                )
                if let maxAssetSize { importer.limits.maxAssetSize = maxAssetSize }
                if let maxLineSize { importer.limits.maxLineSize = Int(clamping: maxLineSize) }
                return try await importer.import(
                    from: file, key: passphrase, selection: selection,
                    onSchemaDifferences: { differences in
                        for difference in differences { Terminal.error("[Schema Integrity] \(difference.cliDescription)") }
                        if force { return true }
                        return Terminal.confirm("There are differences in schema between the source and destination, and the data listed above will be lost. Are you sure you want to continue?") ?? false
                    },
                    progress: printer.report
                )
            }
        } catch {
            printer.finish()
            Terminal.error("Import process failed.")
            throw error
        }
        printer.finish()
        print(summary.table())
        for line in summary.skipped { Terminal.error("warning: skipped \(line)") }
        print("Import process has been completed successfully!")
    }
}
