/// The toolchain's version, shown by `ivrc --version` and in SARIF logs.
public enum IVRCVersion {
    public static let current = "0.1.0"
}
