extension StringProtocol {
  /// This text as an error or an answer quotes it: in single quotes, at most 60 characters, so
  /// that a megabyte on one line does not come back as a megabyte of error, and control
  /// characters and bidirectional text controls escaped, since a NUL or an escape sequence echoed
  /// raw would drive a terminal, and a right-to-left override would reverse the text after it.
  package var quotedExcerpt: String {
    "'" + String(prefix(60)).escapingControls + (count > 60 ? "…' (\(count) characters)" : "'")
  }

  /// This text with its control characters and bidirectional text controls escaped (`\n`,
  /// `\u{202E}`), the rest as it is.
  package var escapingControls: String {
    unicodeScalars.map { $0.isControlOrBidiControl ? $0.escaped(asASCII: true) : String($0) }.joined()
  }
}

extension Unicode.Scalar {
  /// Whether this is a control character (Unicode category Cc: line breaks, tabs, escapes) or a
  /// bidirectional text control (U+202E and its kin): either would make a name, and the text after
  /// it on a terminal line or in a CSV header, print otherwise than it is stored.
  package var isControlOrBidiControl: Bool {
    properties.generalCategory == .control || properties.isBidiControl
  }
}
