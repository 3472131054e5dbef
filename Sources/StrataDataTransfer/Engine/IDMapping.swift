/// Source id → new id for one type, in memory that does not grow with the number of rows in the
/// usual case: archives list rows in id order and the import hands out ids in order, so the
/// mapping is a few runs of consecutive ids. Out-of-order ids fall back to a dictionary.
struct IDMapping {
    private struct Run {
        var source: Int64
        var target: Int64
        var count: Int64
        var sourceEnd: Int64 { source + count }
    }

    private var runs: [Run] = []
    private var scattered: [Int64: Int64] = [:]

    mutating func set(_ source: Int64, _ target: Int64) {
        // A run ends one past its last id: ids at `Int64.max` (only a crafted archive has them)
        // stay out of runs, so no run's end overflows.
        guard source < .max, target < .max else {
            scattered[source] = target
            return
        }
        if let last = runs.last {
            if source == last.sourceEnd && target == last.target + last.count {
                runs[runs.count - 1].count += 1
                return
            }
            if source >= last.sourceEnd {
                runs.append(Run(source: source, target: target, count: 1))
                return
            }
            scattered[source] = target
        } else {
            runs.append(Run(source: source, target: target, count: 1))
        }
    }

    subscript(source: Int64) -> Int64? {
        if let target = scattered[source] { return target }
        var low = 0, high = runs.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let run = runs[middle]
            if source < run.source {
                high = middle - 1
            } else if source >= run.sourceEnd {
                low = middle + 1
            } else {
                return run.target + (source - run.source)
            }
        }
        return nil
    }
}
