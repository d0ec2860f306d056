import Testing
@testable import IVRBytecode

/// The preset dictionary is part of format 2: bundles written with it
/// inflate only with the very same bytes. A change to `TextDictionary` fails
/// here first; it needs a new codec number or a new major version.
@Suite struct TextDictionaryTests {
    @Test func dictionaryBytesArePinned() {
        #expect(TextDictionary.bytes.count == 4136)
        #expect(CRC32.checksum(TextDictionary.bytes) == 0x5FEC_4ADA)
    }

    @Test func dictionaryEndsWithTheBuiltinsAsThePoolStoresThem() {
        let builtins = StringPoolCoding.encode(BuiltinVariable.allCases.map(\.rawValue))
        #expect(TextDictionary.bytes.suffix(builtins.count).elementsEqual(builtins))
        #expect(String(validating: TextDictionary.bytes.dropLast(builtins.count), as: UTF8.self) != nil)
    }
}
