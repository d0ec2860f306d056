/// A single-key menu (flow-language.md section 4).
public struct Menu: Sendable {
    public struct Option: Sendable {
        /// The key as written (`"1"`, `star`, `"#"`) and its range.
        public var key: Located<DTMFKey>
        public var spelling: String
        public var target: Target
        public init(key: Located<DTMFKey>, spelling: String, target: Target) {
            self.key = key
            self.spelling = spelling
            self.target = target
        }
    }

    /// `dial-by-extension: {pattern, inter-digit-timeout}`.
    public struct DialByExtension: Sendable {
        public var pattern: Located<String>
        public var interDigitTimeout: Located<Duration>?
        public var range: SourceRange
        public init(pattern: Located<String>, interDigitTimeout: Located<Duration>?, range: SourceRange) {
            self.pattern = pattern
            self.interDigitTimeout = interDigitTimeout
            self.range = range
        }
    }

    public var prompt: Prompt
    public var shortPrompt: Prompt?
    public var options: [Option]
    /// The range of the `options` mapping (or of the menu when it is missing).
    public var optionsRange: SourceRange
    public var timeout: Located<Duration>?
    public var interDigitTimeout: Located<Duration>?
    public var attempts: Located<Int>?
    public var onInvalid: Target?
    public var onTimeout: Target?
    public var onExhausted: Target?
    public var dialByExtension: DialByExtension?

    public init(prompt: Prompt, options: [Option], optionsRange: SourceRange) {
        self.prompt = prompt
        self.options = options
        self.optionsRange = optionsRange
    }

    public func option(for key: DTMFKey) -> Option? { options.first { $0.key.value == key } }
}

/// A prompt: media steps (`say`, `play`) in order.
public struct Prompt: Sendable {
    public var steps: [Step]
    public var range: SourceRange
    public init(steps: [Step], range: SourceRange) {
        self.steps = steps
        self.range = range
    }
}

/// Several digits (flow-language.md section 5.1).
public struct Capture: Sendable {
    public var prompt: Prompt?
    public var shortPrompt: Prompt?
    public var into: Located<String>
    public var min: Located<Int>?
    public var max: Located<Int>?
    /// `nil` value means `terminator: none`.
    public var terminator: Located<DTMFKey?>?
    public var timeout: Located<Duration>?
    public var interDigitTimeout: Located<Duration>?
    public var pattern: Located<String>?
    public var attempts: Located<Int>?
    public var sensitive: Located<Bool>?
    public var onInvalid: Target?
    public var onTimeout: Target?
    public var onExhausted: Target?

    public init(into: Located<String>) { self.into = into }

    public var effectiveMin: Int { min?.value ?? 1 }
    public var effectiveMax: Int { max?.value ?? 16 }
    public var effectiveTerminator: DTMFKey? { terminator == nil ? .hash : terminator!.value }
    public var isSensitive: Bool { sensitive?.value ?? false }
    public static let maxDigitsLimit = 32
}

/// The defaults of section 4 and 5.1 when neither the step nor `defaults:` set them.
public enum WaitDefaults {
    public static let timeout = Duration.seconds(5)
    public static let interDigitTimeout = Duration.seconds(3)
    public static let attempts = 3
    public static let attemptsRange = 1...10
}
