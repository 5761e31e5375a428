extension StringProtocol {
  /// This text as an error or an answer quotes it: in single quotes, at most 60 characters, so
  /// that a megabyte on one line does not come back as a megabyte of error, and control
  /// characters escaped, since a NUL or an escape sequence echoed raw would drive a terminal.
  package var quotedExcerpt: String {
    let shown = prefix(60).unicodeScalars.map { scalar in
      scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
    }.joined()
    return "'" + shown + (count > 60 ? "…' (\(count) characters)" : "'")
  }
}
