extension Double {
  /// A number written in decimal, as robot files, CSV files and command lines write them.
  ///
  /// `Double(String)` also reads C's hexadecimal floats (`0x10` is 16, `0x1p-2` a quarter): a
  /// typo there would load a robot with a 16 m link, so they are refused. `nan` and `inf` are
  /// read, for the caller's finiteness check to name.
  ///
  /// - Parameter text: the number, without surrounding spaces.
  public init?(decimal text: some StringProtocol) {
    let unsigned = text.drop { $0 == "+" || $0 == "-" }
    if unsigned.hasPrefix("0x") || unsigned.hasPrefix("0X") { return nil }
    self.init(text)
  }
}
