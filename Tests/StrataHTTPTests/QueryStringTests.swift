import StrataCore
import Testing
@testable import StrataHTTP

@Suite("qs query string decoding")
struct QueryStringTests {
    func parse(_ query: String) -> String {
        JSONWriter.string(.object(QueryString.parse(Substring(query))))
    }

    @Test("bracket nesting and percent-encoded keys", arguments: [
        ("filters[title][$eq]=x", #"{"filters":{"title":{"$eq":"x"}}}"#),
        ("filters%5Btitle%5D%5B%24eq%5D=hello%20world", #"{"filters":{"title":{"$eq":"hello world"}}}"#),
        ("a=1+2&b=%E2%9C%93", #"{"a":"1 2","b":"✓"}"#),
        ("pagination[page]=2&pagination[pageSize]=10", #"{"pagination":{"page":"2","pageSize":"10"}}"#),
    ])
    func nesting(query: String, expected: String) {
        #expect(parse(query) == expected)
    }

    @Test("arrays: indexed, pushed, repeated keys, sparse indexes compacted", arguments: [
        ("sort[0]=title&sort[1]=id", #"{"sort":["title","id"]}"#),
        ("sort=a&sort=b", #"{"sort":["a","b"]}"#),
        ("fields[]=a&fields[]=b", #"{"fields":["a","b"]}"#),
        ("a[5]=x&a[2]=y", #"{"a":["y","x"]}"#),
        ("filters[x][$in]=1&filters[x][$in]=2", #"{"filters":{"x":{"$in":["1","2"]}}}"#),
        ("filters[$or][0][a]=1&filters[$or][1][b]=2", #"{"filters":{"$or":[{"a":"1"},{"b":"2"}]}}"#),
        ("populate[0]=a&populate[1][b]=c", #"{"populate":["a",{"b":"c"}]}"#),
    ])
    func arrays(query: String, expected: String) {
        #expect(parse(query) == expected)
    }

    @Test("indexes above the array limit make an object, as in qs")
    func arrayLimit() {
        #expect(parse("sort[101]=x") == #"{"sort":{"101":"x"}}"#)
        #expect(parse("sort[100]=x") == #"{"sort":["x"]}"#)
    }

    @Test("strictNullHandling: a key without = is null, a key with = is empty")
    func nulls() {
        #expect(parse("filters[price][$null]&b=") == #"{"filters":{"price":{"$null":null}},"b":""}"#)
    }

    @Test("nesting deeper than 20 keeps the rest as one literal key")
    func depth() {
        let key = "a" + (1...22).map { "[k\($0)]" }.joined()
        let parsed = QueryString.parse(Substring(key + "=v"))
        var current = parsed["a"]
        for level in 1...20 { current = current?["k\(level)"] }
        #expect(current == .object(["[k21][k22]": "v"]))
    }

    @Test("a key starting with a bracket uses it as the root, as qs does")
    func bracketRoot() {
        #expect(parse("[a]=1") == #"{"a":"1"}"#)
    }

    @Test("malformed input never crashes", arguments: ["%", "%zz=1", "a[=1", "a]=1", "[a]=1", "=1", "&&&", "a[b]c=1", "a[][]=1&a[]=2"])
    func malformed(query: String) {
        _ = QueryString.parse(Substring(query))
    }

    @Test("the parameter limit stops after 1000 pairs")
    func parameterLimit() {
        let query = (0..<1200).map { "k\($0)=v" }.joined(separator: "&")
        #expect(QueryString.parse(Substring(query)).count == 1000)
    }
}
