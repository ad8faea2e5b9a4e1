/// At most `limit` operations at once (`--parallel`, `COMPOSE_PARALLEL_LIMIT`); nil lets everything through.
public actor ConcurrencyLimit {
    private let limit: Int?
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(_ limit: Int?) {
        self.limit = limit
    }

    /// Waits for a free slot; `release()` gives it back.
    public func acquire() async {
        guard let limit else { return }
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    public func release() {
        guard limit != nil else { return }
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
