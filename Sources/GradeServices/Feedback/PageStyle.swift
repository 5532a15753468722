import Plot

/// What every page the grader writes shares: a self-contained document (inline style, no script, font or
/// file from elsewhere, which its security policy also forbids), readable on a phone and printed.
enum PageStyle {
    /// The document around `body`, titled `title`.
    static func document(title: String, _ body: [Node<HTML.BodyContext>]) -> String {
        let html = HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .meta(.attribute(named: "http-equiv", value: "Content-Security-Policy"),
                      .content("default-src 'none'; style-src 'unsafe-inline'; img-src data:")),
                // The element alone: Plot's `.title` also writes social-media meta tags, whose attributes it does not escape.
                .element(named: "title", text: title),
                .style(css)
            ),
            .body(.main(.group(body)))
        )
        return html.render()
    }

    static let css = """
        :root { color-scheme: light; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #212529; background: #f8f9fa; }
        main { max-width: 920px; margin: 0 auto; padding: 16px; background: #ffffff; }
        h1 { font-size: 1.5em; margin: 0.2em 0; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #dee2e6; }
        h3 { font-size: 1.02em; margin: 1.2em 0 0.4em; }
        .subtitle, .note, figcaption, footer { color: #495057; font-size: 0.92em; }
        table { border-collapse: collapse; width: 100%; margin: 0.4em 0; }
        th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #e9ecef; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; } td.number { white-space: nowrap; }
        .table-scroll { overflow-x: auto; } tr.task-row th { background: #f1f3f5; }
        tr.total td { font-weight: 600; border-top: 2px solid #adb5bd; }
        .verdict { white-space: nowrap; font-weight: 600; }
        .verdict.accepted { color: #2b8a3e; } .verdict.failed { color: #c92a2a; }
        .badge { display: inline-block; min-width: 1.4em; text-align: center; border-radius: 4px; padding: 0 4px; color: #ffffff; }
        .badge.ok { background: #2b8a3e; } .badge.failing { background: #c92a2a; }
        .kind { color: #868e96; font-weight: normal; font-size: 0.9em; }
        pre { white-space: pre-wrap; word-break: break-word; background: #f1f3f5; padding: 8px; border-radius: 4px; font-size: 0.88em; }
        .message, .inputs { word-break: break-word; }
        .inputs { color: #495057; font-size: 0.88em; }
        figure { margin: 0.8em 0; } svg.figure { max-width: 100%; height: auto; display: block; }
        .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
        .bars { display: flex; align-items: flex-end; gap: 2px; height: 60px; }
        @media (max-width: 600px) { main { padding: 8px; } th, td { padding: 3px 4px; } .figures { grid-template-columns: 1fr; } }
        @media print { body { background: #ffffff; } main { max-width: none; padding: 0; } figure, tr { break-inside: avoid; } }
        """
}
