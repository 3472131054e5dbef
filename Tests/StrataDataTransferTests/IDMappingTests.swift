import Testing
@testable import StrataDataTransfer

@Suite("Id mapping")
struct IDMappingTests {
    @Test func runsAndScatteredIDs() {
        var mapping = IDMapping()
        for id in Int64(1)...1000 { mapping.set(id, id + 50) }          // one run
        for id in Int64(2000)...2010 { mapping.set(id, 1051 + id - 2000) }  // gap in source ids
        mapping.set(1500, 9999)                                          // out of order
        mapping.set(3000, 5)                                             // new run, lower target
        #expect(mapping[1] == 51)
        #expect(mapping[1000] == 1050)
        #expect(mapping[1001] == nil)
        #expect(mapping[1500] == 9999)
        #expect(mapping[2005] == 1056)
        #expect(mapping[3000] == 5)
        #expect(mapping[0] == nil)
        #expect(mapping[4000] == nil)
    }

    @Test func extremeSourceIDsDoNotOverflow() {
        // An archive's ids are whatever its JSON says: the largest and smallest Int64 included.
        var mapping = IDMapping()
        mapping.set(.max, 1)
        mapping.set(.max - 1, 2)
        mapping.set(.max, 3)
        mapping.set(.min, 4)
        mapping.set(.min + 1, 5)
        mapping.set(7, 6)
        #expect(mapping[.max] == 3)
        #expect(mapping[.max - 1] == 2)
        #expect(mapping[.min] == 4)
        #expect(mapping[.min + 1] == 5)
        #expect(mapping[7] == 6)
        #expect(mapping[0] == nil)
    }
}
