/// The links of a URDF document as a tree, and the serial chain between two of its links.
///
/// Building one checks the tree itself: every joint names defined links, no link has two parent
/// joints, and following parents never comes back to where it started.
struct URDFTree: Sendable {
  let document: URDFDocument
  /// For each link that is some joint's child: the index of that joint in `document.joints`.
  private let parentJoint: [String: Int]
  /// For each link: the indices of the joints it is the parent of.
  private let childJoints: [String: [Int]]

  /// - Throws: ``RobotModelError`` for an unknown link, a link with two parents, or a cycle.
  init(_ document: URDFDocument) throws(RobotModelError) {
    self.document = document
    let known = Set(document.links)
    var parentJoint: [String: Int] = [:]
    var childJoints: [String: [Int]] = [:]
    for (index, joint) in document.joints.enumerated() {
      for (role, link) in [("parent", joint.parent), ("child", joint.child)] where !known.contains(link) {
        throw RobotModelError(
          field: joint.field,
          problem: "\(role) link '\(link)' is not defined; links are: \(Self.list(document.links))")
      }
      if let other = parentJoint[joint.child] {
        throw RobotModelError(
          field: "link '\(joint.child)'",
          problem: "is the child of two joints, '\(document.joints[other].name)' and '\(joint.name)'; "
            + "URDF links form a tree, so each link has at most one parent joint")
      }
      parentJoint[joint.child] = index
      childJoints[joint.parent, default: []].append(index)
    }
    self.parentJoint = parentJoint
    self.childJoints = childJoints
    try checkAcyclic()
  }

  /// The link that `link` hangs from, if any.
  private func parent(of link: String) -> String? {
    parentJoint[link].map { document.joints[$0].parent }
  }

  /// Links that are no joint's child, in document order.
  var roots: [String] { document.links.filter { parentJoint[$0] == nil } }

  /// The links below `base` (excluding it) that are no joint's parent, in document order.
  func leaves(below base: String) -> [String] {
    var below: Set<String> = []
    var pending = [base]
    while let link = pending.popLast() {
      for index in childJoints[link, default: []] {
        let child = document.joints[index].child
        below.insert(child)
        pending.append(child)
      }
    }
    return document.links.filter { below.contains($0) && childJoints[$0] == nil }
  }

  /// The base link: `name` if given and defined, otherwise the single root.
  ///
  /// - Throws: ``RobotModelError`` for an unknown name, no links, or several roots.
  func base(named name: String?) throws(RobotModelError) -> String {
    if let name { return try link(name, role: "base") }
    let roots = self.roots
    guard roots.count == 1 else {
      guard !roots.isEmpty else {
        throw RobotModelError(field: "robot", problem: "has no <link>; a chain needs links joined by joints")
      }
      throw RobotModelError(
        field: "base",
        problem: "the links form \(roots.count) separate trees with roots \(Self.list(roots)); "
          + "pass the base link to use (--base, or base: in RobotModel(urdf:))")
    }
    return roots[0]
  }

  /// The tip link: `name` if given and defined, otherwise the single leaf below `base`, or, for a
  /// base with nothing below it that hangs off the tree by fixed joints, the single other leaf
  /// below the link those joints lead up to.
  ///
  /// - Throws: ``RobotModelError`` for an unknown name, no link below the base, or several leaves.
  func tip(named name: String?, below base: String) throws(RobotModelError) -> String {
    if let name { return try link(name, role: "tip") }
    var leaves = leaves(below: base)
    if leaves.isEmpty, case let top = fixedClimb(from: base).top, top != base {
      leaves = self.leaves(below: top).filter { $0 != base }
    }
    guard leaves.count == 1 else {
      guard !leaves.isEmpty else {
        throw RobotModelError(
          field: "base", problem: "link '\(base)' has no joint below it; choose a base higher up the tree")
      }
      throw RobotModelError(
        field: "tip",
        problem: "the tree below '\(base)' ends in \(leaves.count) leaf links: \(Self.list(leaves)); "
          + "pass the tip link to use (--tip, or tip: in RobotModel(urdf:))")
    }
    return leaves[0]
  }

  /// The fixed joints above `base`, walked upwards (each ``URDFJoint/reversed``), and the link
  /// they lead up to: `base` itself when its parent joint moves or it is a root.
  private func fixedClimb(from base: String) -> (joints: [URDFJoint], top: String) {
    var joints: [URDFJoint] = []
    var top = base
    while let index = parentJoint[top], document.joints[index].kind == .fixed {
      joints.append(document.joints[index].reversed)
      top = document.joints[index].parent
    }
    return (joints, top)
  }

  /// Whether `tip` hangs below `link` (not at it).
  private func hangs(_ tip: String, below link: String) -> Bool {
    var current = tip
    while let index = parentJoint[current] {
      current = document.joints[index].parent
      if current == link { return true }
    }
    return false
  }

  /// The joints from `base` out to `tip`, in chain order. A base that hangs off the chain by fixed
  /// joints (a frame such as UR's `base`, the controller's, yawed π from `base_link`) starts with
  /// those joints walked upwards, so that targets are in its frame.
  ///
  /// - Throws: ``RobotModelError`` when `tip` is the base or does not hang below it, nor below
  ///   the link the base's fixed joints lead up to.
  func chain(from base: String, to tip: String) throws(RobotModelError) -> [URDFJoint] {
    guard tip != base else {
      throw RobotModelError(field: "tip", problem: "link '\(tip)' is the base itself; choose a link below it")
    }
    if !hangs(tip, below: base) {
      let climb = fixedClimb(from: base)
      // The links the climb reaches, in order: the first the tip is, or hangs below, is where the
      // chain turns down (a tip that is one of them lies a fixed offset from the base).
      let reached = climb.joints.map(\.child)
      if reached.contains(tip) {
        throw RobotModelError(
          field: "tip",
          problem: "link '\(tip)' lies above base '\(base)' through fixed joints only, so no joint moves it; "
            + "choose a base nearer the root or a tip further out")
      }
      if let through = reached.firstIndex(where: { hangs(tip, below: $0) }) {
        return Array(climb.joints[...through]) + (try chain(from: reached[through], to: tip))
      }
    }
    var joints: [URDFJoint] = []
    var ancestors: [String] = []
    var link = tip
    while link != base {
      guard let index = parentJoint[link] else {
        throw RobotModelError(
          field: "tip",
          problem: "link '\(tip)' is not on a chain below base '\(base)'; "
            + "its chain from the root is: \(Self.path(([tip] + ancestors).reversed()))")
      }
      joints.append(document.joints[index])
      link = document.joints[index].parent
      ancestors.append(link)
    }
    return joints.reversed()
  }

  private func link(_ name: String, role: String) throws(RobotModelError) -> String {
    guard document.links.contains(name) else {
      throw RobotModelError(
        field: role, problem: "unknown link '\(name)'; links are: \(Self.list(document.links))")
    }
    return name
  }

  /// Follows parents up from every link; a walk that meets itself is a cycle.
  private func checkAcyclic() throws(RobotModelError) {
    // Links known to lead up to a root; each is walked at most once more.
    var settled: Set<String> = []
    for start in document.links where !settled.contains(start) {
      var path: [String] = []
      var link: String? = start
      while let current = link, !settled.contains(current) {
        if let loopStart = path.firstIndex(of: current) {
          // path runs child → parent; print the loop parent → child, as the file nests it.
          let loop = [current] + path[loopStart...].reversed()
          throw RobotModelError(
            field: "link '\(current)'",
            problem: "is its own ancestor: \(Self.path(loop)); URDF links must form a tree")
        }
        path.append(current)
        link = parent(of: current)
      }
      settled.formUnion(path)
    }
  }

  /// Names in an error, sorted: the first ``listed`` of them and how many more, so that a file of
  /// 50,000 links gets a line, not hundreds of kilobytes.
  static func list(_ names: [String]) -> String {
    let sorted = names.sorted()
    guard sorted.count > listed else { return sorted.joined(separator: ", ") }
    return sorted.prefix(listed).joined(separator: ", ") + ", … and \(sorted.count - listed) more"
  }

  /// A chain of links in an error, its ends kept when it is long.
  static func path(_ links: [String]) -> String {
    guard links.count > listed else { return links.joined(separator: " → ") }
    let half = listed / 2
    return (links.prefix(half) + ["… \(links.count - 2 * half) more …"] + links.suffix(half)).joined(
      separator: " → ")
  }

  static let listed = 20
}
