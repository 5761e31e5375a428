import Foundation

#if canImport(FoundationXML)
  // Linux keeps XMLParser in its own module.
  import FoundationXML
#endif

/// Parses an SVG with Foundation's XMLParser: whether it is well-formed XML, the root's name and
/// attributes, and how many elements of each name it holds.
final class SVGElementCounter: NSObject, XMLParserDelegate {
  private(set) var counts: [String: Int] = [:]
  private(set) var rootName: String?
  private(set) var rootAttributes: [String: String] = [:]
  private(set) var texts: [String] = []
  private var inText = false

  /// Parses `xml`; `nil` when it is not well-formed.
  static func parse(_ xml: String) -> SVGElementCounter? {
    let counter = SVGElementCounter()
    let parser = XMLParser(data: Data(xml.utf8))
    parser.delegate = counter
    return parser.parse() ? counter : nil
  }

  func count(_ name: String) -> Int { counts[name] ?? 0 }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    if rootName == nil {
      rootName = elementName
      rootAttributes = attributes
    }
    counts[elementName, default: 0] += 1
    if elementName == "text" {
      inText = true
      texts.append("")
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if inText, !texts.isEmpty { texts[texts.count - 1] += string }
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
  ) {
    if elementName == "text" { inText = false }
  }
}
