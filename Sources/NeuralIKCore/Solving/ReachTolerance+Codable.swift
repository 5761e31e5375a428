extension ReachTolerance: Codable {
  enum CodingKeys: String, CodingKey {
    case position = "position_m"
    case rotation = "rotation_rad"
  }

  /// Reads `{"position_m": …, "rotation_rad": …}`.
  ///
  /// - Parameter decoder: the decoder.
  /// - Throws: `DecodingError` for a missing key or a value of the wrong type.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      position: try c.decode(Double.self, forKey: .position),
      rotation: try c.decode(Double.self, forKey: .rotation))
  }

  /// Writes `{"position_m": …, "rotation_rad": …}`.
  ///
  /// - Parameter encoder: the encoder.
  /// - Throws: `EncodingError` for a non-finite value.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(position, forKey: .position)
    try c.encode(rotation, forKey: .rotation)
  }
}
