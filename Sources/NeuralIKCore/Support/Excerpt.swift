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
    unicodeScalars.map { scalar in
      scalar.properties.generalCategory == .control || scalar.properties.isBidiControl
        ? scalar.escaped(asASCII: true) : String(scalar)
    }.joined()
  }
}
