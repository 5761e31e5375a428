/// How close the network's best head comes to held-out targets: what early stopping ranks epochs
/// by, and what the model file keeps of its final epoch.
public struct ValidationResult: Sendable, Hashable, Codable {
  /// Position error of the best head per target, millimetres: median, 95th and 99th percentile.
  public var positionMedianMillimetres: Double
  /// The 95th percentile of the position error, mm.
  public var positionP95Millimetres: Double
  /// The 99th percentile of the position error, mm.
  public var positionP99Millimetres: Double
  /// Rotation error of the best head, degrees: median and 99th percentile; `nil` for position
  /// models.
  public var rotationMedianDegrees: Double?
  /// The 99th percentile of the rotation error, degrees; `nil` for position models.
  public var rotationP99Degrees: Double?
  /// Median of the combined error `√(position² + (w · rotation)²)` in millimetres, with `w` the
  /// rotation weight of the FK loss: early stopping keeps the epoch where it is smallest, so a
  /// pose model is judged by its orientation as well as its position.
  public var rankingScore: Double

  enum CodingKeys: String, CodingKey {
    case positionMedianMillimetres = "validation_median_mm"
    case positionP95Millimetres = "validation_p95_mm"
    case positionP99Millimetres = "validation_p99_mm"
    case rotationMedianDegrees = "validation_rotation_median_deg"
    case rotationP99Degrees = "validation_rotation_p99_deg"
    case rankingScore = "validation_score_mm"
  }

  /// A validation result from its statistics.
  ///
  /// - Parameters:
  ///   - positionMedianMillimetres: median position error, mm.
  ///   - positionP95Millimetres: 95th percentile, mm.
  ///   - positionP99Millimetres: 99th percentile, mm.
  ///   - rotationMedianDegrees: median rotation error, degrees; `nil` for position models.
  ///   - rotationP99Degrees: 99th percentile, degrees; `nil` for position models.
  ///   - rankingScore: the early-stopping score, mm; `nil` for the position median (a file written
  ///     before the score existed).
  public init(
    positionMedianMillimetres: Double, positionP95Millimetres: Double, positionP99Millimetres: Double,
    rotationMedianDegrees: Double? = nil, rotationP99Degrees: Double? = nil, rankingScore: Double? = nil
  ) {
    self.positionMedianMillimetres = positionMedianMillimetres
    self.positionP95Millimetres = positionP95Millimetres
    self.positionP99Millimetres = positionP99Millimetres
    self.rotationMedianDegrees = rotationMedianDegrees
    self.rotationP99Degrees = rotationP99Degrees
    self.rankingScore = rankingScore ?? positionMedianMillimetres
  }

  /// Scores `configurations[i]` against `targets[i]` with the robot's forward kinematics.
  init(robot: RobotModel, targets: [IKTarget], configurations: [[Double]], rotationWeight: Double) {
    var positions: [Double] = []
    var rotations: [Double] = []
    var combined: [Double] = []
    for (target, q) in zip(targets, configurations) {
      // swift-format-ignore: AlwaysUseLowerCamelCase
      let T_base_tip = robot.tipPose(at: q)
      let position = (T_base_tip.translation - target.position).length
      let rotation = target.orientation.map { $0.rotation.angle(to: T_base_tip.rotation) }
      positions.append(position * 1000)
      if let rotation { rotations.append(rotation * 180 / .pi) }
      let weighted = (rotation ?? 0) * rotationWeight
      combined.append((position * position + weighted * weighted).squareRoot() * 1000)
    }
    positions.sort()
    rotations.sort()
    combined.sort()
    self.init(
      positionMedianMillimetres: Quantile.of(sorted: positions, 0.5),
      positionP95Millimetres: Quantile.of(sorted: positions, 0.95),
      positionP99Millimetres: Quantile.of(sorted: positions, 0.99),
      rotationMedianDegrees: rotations.isEmpty ? nil : Quantile.of(sorted: rotations, 0.5),
      rotationP99Degrees: rotations.isEmpty ? nil : Quantile.of(sorted: rotations, 0.99),
      rankingScore: Quantile.of(sorted: combined, 0.5))
  }

  /// Reads the model header's validation keys (`validation_median_mm` and the others).
  ///
  /// - Parameter decoder: a decoder of the model file's header.
  /// - Throws: `DecodingError` for a missing position statistic or a value of the wrong type.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      positionMedianMillimetres: try c.decode(Double.self, forKey: .positionMedianMillimetres),
      positionP95Millimetres: try c.decode(Double.self, forKey: .positionP95Millimetres),
      positionP99Millimetres: try c.decode(Double.self, forKey: .positionP99Millimetres),
      rotationMedianDegrees: try c.decodeIfPresent(Double.self, forKey: .rotationMedianDegrees),
      rotationP99Degrees: try c.decodeIfPresent(Double.self, forKey: .rotationP99Degrees),
      rankingScore: try c.decodeIfPresent(Double.self, forKey: .rankingScore))
  }
}

/// What the model file records of a training run.
public struct TrainingMetrics: Sendable, Hashable, Codable {
  /// The kept epoch's validation.
  public var validation: ValidationResult
  /// Wall-clock seconds of the whole run.
  public var trainingSeconds: Double
  /// Epochs run (warm-up included).
  public var epochs: Int

  enum CodingKeys: String, CodingKey {
    case trainingSeconds = "training_seconds"
    case epochs
  }

  /// The record of a run.
  ///
  /// - Parameters:
  ///   - validation: the kept epoch's validation.
  ///   - trainingSeconds: wall-clock seconds of the whole run.
  ///   - epochs: epochs run, warm-up included.
  public init(validation: ValidationResult, trainingSeconds: Double, epochs: Int) {
    self.validation = validation
    self.trainingSeconds = trainingSeconds
    self.epochs = epochs
  }

  // Flat in the file's header, as format version 1 wrote it: one object of numbers.
  /// Reads the metrics from the model header's flat object.
  ///
  /// - Parameter decoder: a decoder of the model file's header.
  /// - Throws: `DecodingError` for a missing key, or an epoch count that is not a count.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    validation = try ValidationResult(from: decoder)
    trainingSeconds = try c.decode(Double.self, forKey: .trainingSeconds)
    let epochs = try c.decode(Double.self, forKey: .epochs)
    guard epochs.isFinite, epochs >= 0, epochs < 1e9 else {
      throw DecodingError.dataCorruptedError(
        forKey: .epochs, in: c, debugDescription: "epochs must be a count, found \(epochs)")
    }
    self.epochs = Int(epochs)
  }

  /// Writes the metrics as one flat object, the validation's keys beside these.
  ///
  /// - Parameter encoder: the model header's encoder.
  /// - Throws: `EncodingError` for a non-finite number.
  public func encode(to encoder: any Encoder) throws {
    try validation.encode(to: encoder)
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(trainingSeconds, forKey: .trainingSeconds)
    try c.encode(Double(epochs), forKey: .epochs)
  }

  /// Every metric by its file key, for reports that list them.
  public var byKey: [(key: String, value: Double)] {
    var list: [(String, Double)] = [
      ("validation_median_mm", validation.positionMedianMillimetres),
      ("validation_p95_mm", validation.positionP95Millimetres),
      ("validation_p99_mm", validation.positionP99Millimetres),
    ]
    if let r = validation.rotationMedianDegrees { list.append(("validation_rotation_median_deg", r)) }
    if let r = validation.rotationP99Degrees { list.append(("validation_rotation_p99_deg", r)) }
    list.append(("validation_score_mm", validation.rankingScore))
    list += [("training_seconds", trainingSeconds), ("epochs", Double(epochs))]
    return list
  }
}
