import Foundation

/// Reads back what an SVG drawing holds: elements by name, their attributes, and the data a series plots.
public struct DrawnSVG {
    /// The drawing's text (an `svg` element, or a page holding one).
    public let text: String

    /// The drawing `text`.
    public init(text: String) { self.text = text }

    /// The attributes of every `name` element, in order.
    public func elements(_ name: String) -> [[String: String]] {
        let pattern = try! NSRegularExpression(pattern: "<\(name)\\s([^>]*)>")
        let attribute = try! NSRegularExpression(pattern: "([a-zA-Z0-9:-]+)=\"([^\"]*)\"")
        let ns = text as NSString
        return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            let body = ns.substring(with: match.range(at: 1))
            var attributes: [String: String] = [:]
            for found in attribute.matches(in: body, range: NSRange(location: 0, length: (body as NSString).length)) {
                attributes[(body as NSString).substring(with: found.range(at: 1))] = (body as NSString).substring(with: found.range(at: 2))
            }
            return attributes
        }
    }

    /// The data points of the series named `name`, mapped back from pixels through the plot area's window.
    public func data(ofSeries name: String) -> [[(Double, Double)]] {
        guard let area = elements("rect").first(where: { $0["class"] == "plot-area" }) else { return [] }
        let (left, top) = (Double(area["x"]!)!, Double(area["y"]!)!)
        let (width, height) = (Double(area["width"]!)!, Double(area["height"]!)!)
        let xw = area["data-x-window"]!.split(separator: " ").map { Double($0)! }
        let yw = area["data-y-window"]!.split(separator: " ").map { Double($0)! }
        let (xLog, yLog) = (area["data-x-log"] == "true", area["data-y-log"] == "true")
        return elements("polyline").filter { $0["data-name"] == name }.map { line in
            line["points"]!.split(separator: " ").map { pair in
                let xy = pair.split(separator: ",").map { Double($0)! }
                let u = xw[0] + (xy[0] - left) / width * (xw[1] - xw[0])
                let v = yw[0] + (top + height - xy[1]) / height * (yw[1] - yw[0])
                return (xLog ? pow(10, u) : u, yLog ? pow(10, v) : v)
            }
        }
    }
}
