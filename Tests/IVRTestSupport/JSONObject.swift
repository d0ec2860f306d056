import Foundation

/// Parses JSON text into Foundation values (nil unless it is an object).
public func jsonObject(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}
