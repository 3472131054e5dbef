public import Hummingbird
public import StrataCore
import NIOCore

extension Response {
    /// A JSON response rendered with Strata's order-preserving writer.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = JSONWriter.serialize(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Strapi's success envelope `{"data": …, "meta": …}`.
    public static func envelope(data: JSONValue, meta: JSONObject = [:], status: HTTPResponse.Status = .ok) -> Response {
        json(.object(JSONObject(uniqueKeys: envelopeKeys, values: [data, .object(meta)])), status: status)
    }

    private static let envelopeKeys = ["data", "meta"]

    /// An empty response (204 for deletes).
    public static func noContent() -> Response {
        Response(status: .noContent)
    }
}
