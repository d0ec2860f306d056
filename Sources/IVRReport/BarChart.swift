/// An inline SVG bar chart: no scripts, no external assets, so a report page
/// opens anywhere. Every bar is a `<rect class="bar">`, and the `<svg>` says
/// how many it has (`data-bars`), which the browser test counts.
public struct BarChart: Sendable {
    /// One bar: its label, value and fill colour (CSS).
    public struct Bar: Sendable {
        public var label: String
        public var value: Int
        public var color: String
        public init(_ label: String, _ value: Int, color: String = "#3b6ea8") {
            self.label = label
            self.value = value
            self.color = color
        }
    }

    public var title: String
    public var bars: [Bar]
    /// The denominator of the percentages shown beside the bars (default: the sum).
    public var whole: Int?

    public init(title: String, bars: [Bar], whole: Int? = nil) {
        self.title = title
        self.bars = bars
        self.whole = whole
    }

    /// Horizontal bars, one row each: label, bar, `count (pct)`.
    public func horizontal() -> String {
        let row = 26, labelWidth = 130, barWidth = 300, width = 560
        let height = bars.count * row + 8
        let top = max(bars.map(\.value).max() ?? 0, 1)
        let total = whole ?? bars.reduce(0) { $0 + $1.value }
        var svg = open(width: width, height: height)
        for (i, bar) in bars.enumerated() {
            let y = 4 + i * row
            let length = bar.value == 0 ? 0 : max(1, bar.value * barWidth / top)
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 17)\" text-anchor=\"end\">\(HTML.escape(bar.label))</text>"
            svg += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"\(row - 8)\" fill=\"\(bar.color)\">"
            svg += "<title>\(HTML.escape(bar.label)): \(bar.value)</title></rect>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 17)\">\(bar.value) (\(CallStatistics.percent(bar.value, of: total)))</text>"
        }
        return svg + "</svg>"
    }

    /// Vertical bars with labels underneath (for the 24 hours of a day).
    public func vertical() -> String {
        let column = 24, plot = 160, left = 10, width = left * 2 + bars.count * column
        let height = plot + 46
        let top = max(bars.map(\.value).max() ?? 0, 1)
        var svg = open(width: width, height: height)
        for (i, bar) in bars.enumerated() {
            let x = left + i * column
            let length = bar.value == 0 ? 0 : max(1, bar.value * plot / top)
            svg += "<rect class=\"bar\" x=\"\(x + 2)\" y=\"\(16 + plot - length)\" width=\"\(column - 4)\" height=\"\(length)\" fill=\"\(bar.color)\">"
            svg += "<title>\(HTML.escape(bar.label)): \(bar.value)</title></rect>"
            svg += "<text x=\"\(x + column / 2)\" y=\"\(plot + 32)\" text-anchor=\"middle\" font-size=\"10\">\(HTML.escape(bar.label))</text>"
            if bar.value > 0 {
                svg += "<text x=\"\(x + column / 2)\" y=\"\(12 + plot - length)\" text-anchor=\"middle\" font-size=\"9\">\(bar.value)</text>"
            }
        }
        return svg + "</svg>"
    }

    private func open(width: Int, height: Int) -> String {
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" data-bars=\"\(bars.count)\" "
            + "width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
            + "aria-label=\"\(HTML.escape(title))\" font-family=\"sans-serif\" font-size=\"13\">"
            + "<title>\(HTML.escape(title))</title>"
    }
}

/// HTML text escaping: every record field is untrusted input.
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
