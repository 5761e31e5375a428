"""Fails when a public declaration of the library has no doc comment.

Reads the documentation-coverage.json that `docc` writes for each module when `make docs` runs it
with --experimental-documentation-coverage, and lists every symbol without an abstract (a doc
comment's summary line). What the compiler or a protocol supplies (`!=`, `hashValue`,
`init(rawValue:)`, synthesized `Codable` members, `localizedDescription` and `LocalizedError`'s
`failureReason`, `recoverySuggestion` and `helpAnchor`, `errorDescription` (``DescribedError``'s
default, documented where it is declared; DocC shows it undocumented on the conforming types of
another module), the "…-Implementations"
groups) has no source to document and is left out, as are the pages DocC makes for extended types.

Usage: python3 Tests/docs_coverage_check.py ARCHIVE.doccarchive ...
"""

import json
import re
import sys

SUPPLIED = re.compile(
    r"(-Implementations$|/!=\(_:_:\)$|/hashValue$|/hash\(into:\)$|/init\(rawValue:\)$"
    r"|/rawValue$|/localizedDescription$|/failureReason$|/recoverySuggestion$|/helpAnchor$|/errorDescription$"
    r"|/next\(upperBound:\)$|/next\(\)-\w+$"
    r"|/init\(from:\)$|/encode\(to:\)$)"
)


def undocumented(path):
    with open(path + "/documentation-coverage.json") as file:
        entries = json.load(file)
    return [
        entry["referencePath"]
        for entry in entries
        if entry.get("isSymbol", entry["kind"].get("isSymbol"))
        and not entry["kind"]["name"].startswith("Extended")
        and not entry.get("hasAbstract")
        and not SUPPLIED.search(entry["referencePath"])
    ]


def main(archives):
    missing = [reference for archive in archives for reference in undocumented(archive)]
    for reference in missing:
        print("no doc comment:", reference)
    if missing:
        print(f"{len(missing)} public symbols have no doc comment; document each (STYLE.md, habit 9)")
        return 1
    print(f"every public symbol of {len(archives)} modules has a doc comment")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
