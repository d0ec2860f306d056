import IVRCommands

/// The `ivrc` executable: everything lives in the testable IVRCommands library.
@main
struct IVRCMain {
    static func main() async {
        await IVRC.main()
    }
}
