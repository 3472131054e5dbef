import Foundation
import NIOCore
import PostgresNIO
import StrataCore
import StrataSQL

/// Strata values to and from Postgres' wire formats.
///
/// Binds go as text with no declared type, as node-postgres sends them for Strapi: the server
/// infers each parameter's type from where it appears (`"published_at" = $1` parses `$1` as a
/// timestamp, `"data" = $2` as jsonb), so one value kind fits every column type.
enum PostgresValues {
    static func append(_ value: DatabaseValue, to bindings: inout PostgresBindings) {
        switch value {
        case .null: bindings.appendNull()
        case .int(let number): bindings.append(UntypedText(String(number)))
        case .double(let number): bindings.append(UntypedText(JSONWriter.javaScriptNumber(number)))
        case .text(let text): bindings.append(UntypedText(text))
        case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
        case .bool(let flag): bindings.append(UntypedText(flag ? "true" : "false"))
        case .timestamp(let timestamp): bindings.append(UntypedText(timestamp.iso8601))
        case .json(let json): bindings.append(UntypedText(JSONWriter.string(json)))
        }
    }

    /// Microseconds between 1970-01-01 and Postgres' epoch, 2000-01-01.
    static let epochOffsetMicroseconds: Int64 = 946_684_800_000_000

    /// Reads one result cell (postgres-nio asks for binary results).
    static func value(of cell: PostgresCell) throws -> DatabaseValue {
        guard var bytes = cell.bytes else { return .null }
        if cell.format == .text {
            return .text(bytes.readString(length: bytes.readableBytes) ?? "")
        }
        switch cell.dataType {
        case .bool:
            return .bool((bytes.readInteger(as: UInt8.self) ?? 0) != 0)
        case .int2:
            return .int(Int64(bytes.readInteger(as: Int16.self) ?? 0))
        case .int4:
            return .int(Int64(bytes.readInteger(as: Int32.self) ?? 0))
        case .int8:
            return .int(bytes.readInteger(as: Int64.self) ?? 0)
        case .oid:
            return .int(Int64(bytes.readInteger(as: UInt32.self) ?? 0))
        case .float4:
            return .double(Double(Float(bitPattern: bytes.readInteger(as: UInt32.self) ?? 0)))
        case .float8:
            return .double(Double(bitPattern: bytes.readInteger(as: UInt64.self) ?? 0))
        case .numeric:
            let decimal = try cell.decode(Decimal.self)
            return Double("\(decimal)").map { .double($0) } ?? .text("\(decimal)")
        case .timestamp, .timestamptz:
            let microseconds = (bytes.readInteger(as: Int64.self) ?? 0) + epochOffsetMicroseconds
            return .timestamp(Timestamp(millisecondsSince1970: floorDivide(microseconds, 1000)))
        case .date:
            let days = Int64(bytes.readInteger(as: Int32.self) ?? 0) + 10_957
            let (year, month, day) = CivilDate.fromDays(days)
            return .text(String(format: "%04lld-%02lld-%02lld", year, month, day))
        case .time:
            let microseconds = bytes.readInteger(as: Int64.self) ?? 0
            let milliseconds = microseconds / 1000
            return .text(String(format: "%02lld:%02lld:%02lld.%03lld",
                                milliseconds / 3_600_000, milliseconds / 60_000 % 60, milliseconds / 1000 % 60, milliseconds % 1000))
        case .jsonb:
            // Binary jsonb is a version byte (1) followed by the JSON text.
            _ = bytes.readInteger(as: UInt8.self)
            return .json(try JSONParser.parse(bytes.readBytes(length: bytes.readableBytes) ?? []))
        case .json:
            return .json(try JSONParser.parse(bytes.readBytes(length: bytes.readableBytes) ?? []))
        case .bytea:
            return .blob(bytes.readBytes(length: bytes.readableBytes) ?? [])
        case .uuid:
            return .text(try cell.decode(UUID.self).uuidString.lowercased())
        default:
            return .text(bytes.readString(length: bytes.readableBytes) ?? "")
        }
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }
}

/// A text parameter with no declared type (OID 0), so the server infers it from context.
struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeString(text)
    }
}
