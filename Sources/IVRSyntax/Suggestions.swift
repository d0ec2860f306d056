/// "Did you mean" support shared by every diagnostic that names something
/// unknown (fields, nodes, functions, schedules, time zones).

/// The Levenshtein distance between `a` and `b`: how many single-character
/// insertions, deletions and substitutions turn one into the other.
/// Characters are compared as extended grapheme clusters.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    // One row of the classic dynamic-programming table at a time.
    var previous = Array(0...b.count)
    var current = Array(repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The candidate closest to `name`, if it is close enough to be a plausible
/// typo: at most `max(1, name.count / 3)` edits away, ignoring case. Ties go
/// to the earlier candidate. A candidate equal to `name` is never suggested.
public func closestMatch(to name: String, in candidates: some Sequence<String>) -> String? {
    let limit = max(1, name.count / 3)
    let lowered = name.lowercased()
    var best: (candidate: String, distance: Int)?
    for candidate in candidates where candidate != name {
        // Lengths alone bound the distance from below; skip hopeless ones.
        if abs(candidate.count - name.count) > limit { continue }
        let distance = editDistance(lowered, candidate.lowercased())
        if distance <= limit, distance < (best?.distance ?? Int.max) {
            best = (candidate, distance)
        }
    }
    return best?.candidate
}
