import Foundation

/// Path arithmetic shared by the build, the bundle loader and the commands.
public enum FilePaths {
    /// `path` made absolute against `cwd`, with `.` and `..` resolved.
    public static func absolute(_ path: String, cwd: String) -> String {
        let joined = path.hasPrefix("/") ? path : (cwd as NSString).appendingPathComponent(path)
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}
