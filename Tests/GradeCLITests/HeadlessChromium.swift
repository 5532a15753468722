import Foundation
import Testing

/// Debian's chromium without a display: a page's DOM as the browser parsed it, its console messages,
/// a screenshot, and the boxes of what it laid out.
struct HeadlessChromium {
    /// What the browser made of a page.
    struct Rendering {
        /// The DOM after parsing, serialised.
        var dom: String
        /// Every console message (the pages have no script, so any message is a fault: a blocked load, a policy violation).
        var consoleMessages: [String]
    }

    let executable: String
    let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")

    /// The browser on PATH; the set-up installs Debian's `chromium` when it is missing.
    static func find() throws -> HeadlessChromium {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return HeadlessChromium(executable: path) }
            }
        }
        throw BrowserMissing()
    }

    struct BrowserMissing: Error, CustomStringConvertible {
        var description: String { "chromium is not installed: run scripts/setup (apt-get install chromium)" }
    }

    private func run(_ arguments: [String]) throws -> (stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the browser runs, so that neither fills up.
        let stdout = Locked(Data()), stderr = Locked(Data())
        let group = DispatchGroup()
        for (pipe, sink) in [(out, stdout), (err, stderr)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                sink.set(data)
                group.leave()
            }
        }
        process.waitUntilExit()
        group.wait()
        return (String(decoding: stdout.get(), as: UTF8.self), String(decoding: stderr.get(), as: UTF8.self))
    }

    /// The page at `url` as the browser parsed it, with its console messages.
    func render(_ url: URL) throws -> Rendering {
        let (dom, log) = try run(["--dump-dom", url.absoluteString])
        return Rendering(dom: dom, consoleMessages: log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init))
    }

    /// A screenshot of the page at `url`, `width` × `height` pixels, written to `png`.
    func screenshot(_ url: URL, to png: URL, width: Int = 1000, height: Int = 2400) throws {
        _ = try run(["--window-size=\(width),\(height)", "--screenshot=\(png.path)", url.absoluteString])
    }

    /// A box as the browser laid an element out (`getBoundingClientRect`), in CSS pixels from the frame's top left.
    struct Box: Decodable, CustomStringConvertible {
        var left: Double
        var top: Double
        var right: Double
        var bottom: Double

        var width: Double { right - left }

        /// Whether the two boxes share more than `slack` pixels both across and down.
        func overlaps(_ other: Box, slack: Double = 0.5) -> Bool {
            min(right, other.right) - max(left, other.left) > slack && min(bottom, other.bottom) - max(top, other.top) > slack
        }

        /// Whether `other` lies inside this box, give or take `slack` pixels.
        func contains(_ other: Box, slack: Double = 0.5) -> Bool {
            other.left >= left - slack && other.right <= right + slack && other.top >= top - slack && other.bottom <= bottom + slack
        }

        var description: String { String(format: "[%.1f, %.1f]×[%.1f, %.1f]", left, right, top, bottom) }
    }

    /// What the browser laid out of a page shown in a frame of a given width: the boxes a reader sees.
    struct Layout: Decodable {
        /// A text element of a figure.
        struct Text: Decodable {
            var text: String
            var box: Box
        }

        /// A figure (`svg.figure`): its box, its width in its own units, and the boxes of its title's lines
        /// (`text.chart-title`), legend entries (`g.legend-entry`) and every text.
        struct Figure: Decodable {
            var title: String
            var box: Box
            var viewBoxWidth: Double
            var heading: [Box]
            var legend: [Box]
            var texts: [Text]
            /// CSS pixels per unit of the drawing.
            var scale: Double { box.width / viewBoxWidth }
        }

        /// A table: the text of its first row, the box of every cell, and the box of the nearest element
        /// around it that scrolls sideways (`overflow-x` auto or scroll), if any.
        struct Table: Decodable {
            var header: String
            var cells: [Box]
            var scroller: Box?
        }

        /// A link to a place on the page: its box, and its target's when an element has that id.
        struct Link: Decodable {
            var href: String
            var box: Box
            var target: Box?
        }

        /// The width of the frame's viewport and of what it lays out (wider when something overflows).
        var viewportWidth: Double
        var scrollWidth: Double
        var figures: [Figure]
        var tables: [Table]
        var links: [Link]
    }

    /// What the browser measures in the frame (`getBoundingClientRect` of figures, their texts, tables and
    /// links), written base64-encoded into the outer page, whose DOM the browser dumps.
    static let measuring = """
        addEventListener('load', () => {
          const page = document.querySelector('iframe').contentDocument;
          const box = (e) => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
          const all = (root, selector) => [...root.querySelectorAll(selector)];
          const layout = {
            viewportWidth: page.documentElement.clientWidth, scrollWidth: page.documentElement.scrollWidth,
            figures: all(page, 'svg.figure').map((svg) => ({
              title: svg.querySelector('title').textContent, box: box(svg), viewBoxWidth: svg.viewBox.baseVal.width,
              heading: all(svg, 'text.chart-title tspan').map(box), legend: all(svg, 'g.legend-entry').map(box),
              texts: all(svg, 'text').map((t) => ({text: t.textContent, box: box(t)})),
            })),
            tables: all(page, 'table').map((table) => {
              let scroller = table.parentElement;
              while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
              return {header: table.rows[0].textContent, cells: all(table, 'th, td').map(box), scroller: scroller ? box(scroller) : null};
            }),
            links: all(page, 'a[href^="#"]').map((a) => {
              const target = page.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
              return {href: a.getAttribute('href'), box: box(a), target: target ? box(target) : null};
            }),
          };
          let binary = '';
          for (const byte of new TextEncoder().encode(JSON.stringify(layout))) binary += String.fromCharCode(byte);
          const out = document.createElement('pre');
          out.id = 'layout';
          out.textContent = btoa(binary);
          document.body.append(out);
        });
        """

    /// The page at `page` as the browser lays it out in a frame `width` CSS pixels wide, which its media
    /// queries take for the screen (a headless window cannot be narrower than 500 pixels). The page is
    /// unchanged: the measuring script runs in the outer page, allowed to read the frame's document.
    func layout(of page: URL, width: Int) throws -> Layout {
        let frame = page.deletingLastPathComponent().appendingPathComponent("layout-\(UUID().uuidString).html")
        let source = page.lastPathComponent.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? page.lastPathComponent
        try Data("""
            <!DOCTYPE html><html><head><meta charset="utf-8"><script>\(Self.measuring)</script></head>
            <body style="margin: 0"><iframe src="\(source)" style="width: \(width)px; height: 2000px; border: 0"></iframe></body></html>
            """.utf8).write(to: frame)
        defer { try? FileManager.default.removeItem(at: frame) }
        let (dom, _) = try run(["--allow-file-access-from-files", "--window-size=\(width + 40),2100", "--dump-dom", frame.absoluteString])
        guard let start = dom.range(of: "<pre id=\"layout\">"), let end = dom[start.upperBound...].range(of: "</pre>"),
              let json = Data(base64Encoded: String(dom[start.upperBound..<end.lowerBound])) else { throw NoLayout(page: page.lastPathComponent) }
        return try JSONDecoder().decode(Layout.self, from: json)
    }

    struct NoLayout: Error, CustomStringConvertible {
        var page: String
        var description: String { "the browser measured nothing of \(page)" }
    }

    /// A small value shared with a reading thread.
    final class Locked<Value>: @unchecked Sendable {
        private var value: Value
        private let lock = NSLock()
        init(_ value: Value) { self.value = value }
        func set(_ new: Value) { lock.lock(); value = new; lock.unlock() }
        func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    }
}
