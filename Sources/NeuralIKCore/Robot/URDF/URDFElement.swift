import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// One XML element of a URDF file: its name, attributes, child elements and source line.
///
/// The URDF reader works on this small tree instead of on parser callbacks, so that reading the
/// XML and interpreting it as a robot stay apart. Text content and comments are dropped: URDF
/// keeps everything it needs in attributes.
struct URDFElement: Sendable {
  let name: String
  let attributes: [String: String]
  var children: [URDFElement]
  /// The line of the start tag (1-based), for error messages.
  let line: Int

  /// The child elements called `name`, in document order.
  func children(named name: String) -> [URDFElement] {
    children.filter { $0.name == name }
  }

  /// The first child element called `name`, if any.
  func child(named name: String) -> URDFElement? {
    children.first { $0.name == name }
  }

  /// Parses XML into its root element.
  ///
  /// - Returns: the root element, or `nil` when the data holds no element at all.
  /// - Throws: ``RobotModelError`` with the line and column of the first syntax error.
  static func parse(_ data: Data) throws(RobotModelError) -> URDFElement? {
    // FoundationXML traps on some invalid UTF-8 in names: refuse such bytes before it sees them.
    guard String(data: data, encoding: .utf8) != nil else {
      throw RobotModelError(field: "", problem: "not UTF-8 text; a URDF file is XML in UTF-8")
    }
    guard data.count <= RobotLimits.fileBytes else {
      throw RobotModelError(
        field: "", problem: "\(data.count) bytes; at most \(RobotLimits.fileBytes) are read")
    }
    if let line = emptyProcessingInstructionLine(in: data) {
      throw RobotModelError(
        field: "",
        problem:
          "a processing instruction with no content (<?name?>) at line \(line); a URDF needs none but the XML declaration <?xml version=\"1.0\"?>"
      )
    }
    let parser = XMLParser(data: data)
    let builder = TreeBuilder()
    parser.delegate = builder
    // XMLParser may report success after an error (a tag mismatch, say): trust the delegate only.
    _ = parser.parse()
    if let line = builder.tooDeepAt {
      throw RobotModelError(
        field: "",
        problem: "elements nested deeper than \(RobotLimits.xmlDepth) at line \(line); a URDF nests 4 deep")
    }
    if let error = builder.firstError {
      throw RobotModelError(
        field: "",
        problem: "not valid XML at line \(error.line), column \(error.column): \(describe(code: error.code))")
    }
    return builder.root
  }

  /// The line of the first `<?` whose target runs straight into `?>` (`<?xml?>`, `<?a?>`), or
  /// `nil`. libxml2 reports such an instruction with no data at all, and FoundationXML reads that
  /// absent data as a C string: a segmentation fault (found by `FuzzURDF`). Refused before the
  /// parser sees it, also inside a comment, where a URDF has no reason to hold one.
  private static func emptyProcessingInstructionLine(in data: Data) -> Int? {
    let bytes = [UInt8](data)
    var line = 1
    var index = 0
    while index + 1 < bytes.count {
      if bytes[index] == UInt8(ascii: "\n") { line += 1 }
      if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "?") {
        var end = index + 2
        // The target: everything up to a blank, `?` or `>`.
        while end < bytes.count,
          ![UInt8(ascii: " "), 9, 10, 13, UInt8(ascii: "?"), UInt8(ascii: ">")].contains(bytes[end])
        {
          end += 1
        }
        if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "?"), bytes[end + 1] == UInt8(ascii: ">") {
          return line
        }
      }
      index += 1
    }
    return nil
  }

  /// libxml2's error codes (`xmlParserErrors`), which FoundationXML passes through, for the
  /// mistakes people make by hand; FoundationXML gives no message of its own.
  private static func describe(code: Int) -> String {
    switch code {
    case 1: return "a text or comment longer than the parser takes"
    case 4: return "no element found; a URDF file starts with <robot>"
    case 5: return "the document ends early or goes on after the root element; check that every tag is closed"
    case 9: return "a character XML does not allow (a NUL byte or another control character)"
    case 23: return "an '&' that does not start an entity; write &amp;"
    case 26: return "an undefined entity; XML predefines only &amp; &lt; &gt; &quot; &apos;"
    case 28, 29, 30:
      return
        "an entity defined outside the file (external or a parameter entity), which is not read; a URDF needs no entity definitions"
    case 88, 89, 90, 104:
      return
        "entities that expand into one another (nested too deep, or in a loop: an 'XML bomb'), which are not expanded; a URDF needs no entity definitions"
    case 31, 32: return "an encoding the XML declaration names that is not read here; a URDF is UTF-8"
    case 79:
      return "a malformed encoding name in the XML declaration; write encoding=\"UTF-8\" or leave it out"
    case 81:
      return
        "bytes that are not in the encoding the XML declaration names (encoding=\"UTF-16\" on a UTF-8 file?); a URDF is UTF-8: write encoding=\"UTF-8\" or leave it out"
    case 38: return "a '<' inside an attribute value; write &lt;"
    case 39: return "an attribute value without quotes; write name=\"value\""
    case 40:
      return
        "an attribute value that is never closed with its quote (is the file cut short?), or one that entities expand beyond what the parser takes"
    case 41: return "an attribute without a value; write name=\"value\""
    case 42: return "an attribute given twice in one tag"
    case 45: return "a comment that is never closed with -->"
    case 80: return "'--' inside a comment, which XML does not allow"
    case 68: return "a tag or attribute name is missing; check for a tag not closed with '>'"
    case 73: return "a tag not closed with '>'"
    case 76: return "a closing tag that does not match the open element"
    case 77: return "an element that is never closed"
    default: return "libxml2 error \(code) (xmlParserErrors); check the file near there"
    }
  }
}

/// Builds the element tree from XMLParser's callbacks; used for one synchronous parse only.
private final class TreeBuilder: NSObject, XMLParserDelegate {
  struct SyntaxError {
    let code: Int
    let line: Int
    let column: Int
  }

  /// Open elements, outermost first; each is appended to its parent when it closes.
  private var stack: [URDFElement] = []
  private(set) var root: URDFElement?
  private(set) var firstError: SyntaxError?
  /// The line where nesting passed ``RobotLimits/xmlDepth``; the parse stops there.
  private(set) var tooDeepAt: Int?

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
  ) {
    guard stack.count < RobotLimits.xmlDepth else {
      if tooDeepAt == nil { tooDeepAt = parser.lineNumber }
      parser.abortParsing()
      return
    }
    stack.append(
      URDFElement(name: elementName, attributes: attributeDict, children: [], line: parser.lineNumber))
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    guard let element = stack.popLast() else { return }
    if stack.isEmpty {
      root = root ?? element
    } else {
      stack[stack.count - 1].children.append(element)
    }
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
    let code = (parseError as NSError).code
    // libxml2's namespace errors (200–299, an undeclared prefix such as `gazebo:`) leave the
    // document well-formed and the parse going; URDF readers ignore namespaces, and so do we.
    guard firstError == nil, !(200..<300).contains(code) else { return }
    firstError = SyntaxError(code: code, line: parser.lineNumber, column: parser.columnNumber)
  }
}
