/// An option given twice where it takes one value: ArgumentParser keeps the last and drops the
/// others silently, so `solve --target A --target B` solved B alone, and a repeated `--robot` or
/// `--initial` changed the answer unasked.
enum RepeatedOption {
  /// The options that take more than one value: each repetition adds one.
  static let repeatable: Set<String> = ["--lock", "--limits", "--allow-origin"]

  /// The first option (`--name`, or `--name=value`) given more than once that is not
  /// ``repeatable``; `nil` when there is none. Arguments after `--` are values, not options.
  static func first(in arguments: some Sequence<String>) -> String? {
    var seen: Set<String> = []
    for argument in arguments {
      if argument == "--" { break }
      guard argument.hasPrefix("--"), argument.count > 2 else { continue }
      let name = String(argument.prefix { $0 != "=" })
      guard !repeatable.contains(name) else { continue }
      if !seen.insert(name).inserted { return name }
    }
    return nil
  }

  /// What to tell the user about `option` given more than once.
  static func message(_ option: String) -> String {
    let several = option == "--target" ? "; for several targets, give a CSV file with --targets" : ""
    return
      "\(option) is given more than once, and only the last would count: give it once\(several) "
      + "(the options that repeat are \(repeatable.sorted().joined(separator: ", ")))"
  }
}
