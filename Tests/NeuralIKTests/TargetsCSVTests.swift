import NeuralIK
import Testing

@Suite("The targets CSV")
struct TargetsCSVTests {
  @Test("positions and poses parse, blank lines skipped; the quaternion is normalised")
  func parses() throws {
    let positions = try TargetsCSV.parse("x,y,z\n0.1,0.2,0.5\n\n -1e-3 , 250, 0\n")
    #expect(positions.map(\.position) == [Vector3(0.1, 0.2, 0.5), Vector3(-1e-3, 250, 0)])
    let poses = try TargetsCSV.parse("x, y, z, qw, qx, qy, qz\n0.1,0.2,0.5,2,0,0,0\n")
    #expect(poses.first?.orientation == Quaternion(w: 1, x: 0, y: 0, z: 0))
  }

  @Test("a trailing comma, as spreadsheets write on every line, is read alike in the header and the rows")
  func trailingCommas() throws {
    let everywhere = try TargetsCSV.parse("x,y,z,\n0.2,0.1,0.7,\n")
    #expect(everywhere.map(\.position) == [Vector3(0.2, 0.1, 0.7)])
    let rowsOnly = try TargetsCSV.parse("x,y,z\r\n0.2,0.1,0.7 , \r\n")
    #expect(rowsOnly.map(\.position) == [Vector3(0.2, 0.1, 0.7)])
    #expect(TargetsCSV.header(of: "x,y,z,\n") == ["x", "y", "z"])
  }

  @Test("axis targets parse: the direction normalised, the tool axis 0,0,1 unless the row gives one")
  func parsesAxes() throws {
    let down = try TargetsCSV.parse("x,y,z,dx,dy,dz\n0.4,0.1,0.3,0,0,-2\n")
    #expect(down.count == 1 && down[0].kind == .axis && down[0].orientation == nil)
    #expect(down[0].axis?.direction == Vector3(0, 0, -1) && down[0].axis?.toolAxis == Vector3(0, 0, 1))
    let tool = try TargetsCSV.parse("x,y,z,dx,dy,dz,ax,ay,az\n0.4,0.1,0.3,1,0,0,0,3,0\n")
    #expect(tool[0].axis?.direction == Vector3(1, 0, 0) && tool[0].axis?.toolAxis == Vector3(0, 1, 0))
    #expect {
      try TargetsCSV.parse("x,y,z,dx,dy,dz\n0.4,0.1,0.3,0,0,0\n")
    } throws: { "\($0)".contains("line 2") }
  }

  @Test(
    "bad files are refused naming the line",
    arguments: [
      ("", "is empty"),
      ("a,b,c\n1,2,3\n", "line 1: header 'a,b,c'"),
      ("x,y,z\n1,2\n", "line 2: 2 values; the header has 3"),
      // One trailing comma is a spreadsheet's; an empty field elsewhere, or two, is no number.
      ("x,y,z\n1,,2\n", "line 2: '' is not a number"),
      ("x,y,z\n1,2,3,,\n", "line 2: 4 values; the header has 3"),
      ("x,,y,z\n1,2,3\n", "line 1: header 'x,,y,z'"),
      ("x,y,z\n\n1,2,nope\n", "line 3: 'nope' is not a number"),
      ("x,y,z\n0x1p-2,0,0.8\n", "line 2: '0x1p-2' is not a number"),
      ("x,y,z\n1,2,inf\n", "line 2: target"),
      ("x,y,z\n1e300,0,0\n", "line 2: target position"),
      ("x,y,z,qw,qx,qy,qz\n1,2,3,0,0,0,0\n", "line 2: target orientation"),
    ])
  func refuses(text: String, message: String) {
    #expect {
      try TargetsCSV.parse(text)
    } throws: { error in
      "\(error)".contains(message)
    }
  }

  @Test("a quoted excerpt keeps 60 characters, says how many there were, and escapes control characters")
  func quotedExcerpt() {
    #expect("abc".quotedExcerpt == "'abc'")
    #expect("a\u{0}\u{1B}[2J".quotedExcerpt == "'a\\0\\u{1B}[2J'")
    let long = String(repeating: "x", count: 100)
    #expect(long.quotedExcerpt == "'" + String(repeating: "x", count: 60) + "…' (100 characters)")
    #expect {
      try TargetsCSV.parse("x,y,z\n" + long + ",0,0\n")
    } throws: { "\($0)".contains("…' (100 characters) is not a number") }
  }

  @Test(
    "joint columns: a name no other column has is kept; the rest are prefixed until every column is distinct")
  func jointColumnsAreDistinct() {
    let others = ["x", "y", "z", "step"]
    let cases: [([String], [String])] = [
      (["base", "elbow"], ["base", "elbow"]),
      (["x", "y", "z"], ["joint:x", "joint:y", "joint:z"]),
      (["x", "joint:x"], ["joint:joint:x", "joint:x"]),
      (["joint:x", "x", "joint:joint:x"], ["joint:x", "joint:joint:joint:x", "joint:joint:x"]),
      (["step", "a,b"], ["joint:step", "a,b"]),
    ]
    for (names, expected) in cases {
      let columns = CSVHeader.jointColumns(names, besides: others)
      #expect(columns == expected, "\(names)")
      #expect(Set(columns + others).count == columns.count + others.count, "\(names)")
    }
    #expect(CSVHeader.field("a,b") == "\"a,b\"")
    #expect(CSVHeader.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
  }
}
