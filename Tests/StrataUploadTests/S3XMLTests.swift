import Foundation
import Testing
@testable import StrataUpload

@Suite("S3 XML answers")
struct S3XMLTests {
    func value(_ name: String, _ xml: String) -> String? {
        S3XML.value(of: name, in: Data(xml.utf8))
    }

    @Test("the text of the first element with that exact name")
    func element() {
        let created = #"<?xml version="1.0" encoding="UTF-8"?>\#n<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>a.png</Key><UploadId>VXBsb2FkIElE-1</UploadId></InitiateMultipartUploadResult>"#
        #expect(value("UploadId", created) == "VXBsb2FkIElE-1")
        #expect(value("Key", created) == "a.png")
        #expect(value("Upload", created) == nil)
        #expect(value("UploadId", "<A><UploadIdOld>x</UploadIdOld><UploadId>y</UploadId><UploadId>z</UploadId></A>") == "y")
    }

    @Test("entities, character references and CDATA are decoded")
    func entities() {
        let error = "<Error><Code>InvalidPart</Code><Message>Part &quot;2&quot; &amp; &lt;3&gt; isn&apos;t there &#233;&#x263A;<![CDATA[ <raw> & ]]></Message></Error>"
        #expect(value("Code", error) == "InvalidPart")
        #expect(value("Message", error) == "Part \"2\" & <3> isn't there é☺ <raw> & ")
        #expect(value("Message", "<Error><Message>a &bogus; b</Message></Error>") == "a &bogus; b")
    }

    @Test("attributes, empty elements and broken documents")
    func edges() {
        #expect(value("Code", #"<Error><Code lang="en">NoSuchKey</Code></Error>"#) == "NoSuchKey")
        #expect(value("Code", "<Error><Code/></Error>") == "")
        #expect(value("Code", "<Error><Code>never closed") == nil)
        #expect(value("Code", "<Error><Code") == nil)
        #expect(value("Code", "") == nil)
        #expect(value("Code", "not xml at all") == nil)
    }
}
