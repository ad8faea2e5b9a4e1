import BerthRuntime

/// `--quiet-pull` and `--quiet-build`: the progress events of pulls (images and their layers) or builds left out,
/// the rest shown as the style shows it.
struct ProgressFilter {
    var quietPull = false
    var quietBuild = false

    func apply(_ reporter: ProgressReporter) -> ProgressReporter {
        guard quietPull || quietBuild else { return reporter }
        let (quietPull, quietBuild) = (self.quietPull, self.quietBuild)
        return ProgressReporter { event in
            if case .resource(let resource, _, let state, _) = event.kind {
                let pulling = resource == .layer || (resource == .image && [.pulling, .pulled, .waiting, .downloading, .extracting].contains(state))
                let building = resource == .image && [.building, .built].contains(state)
                if (quietPull && pulling) || (quietBuild && building) { return }
            }
            reporter(event)
        }
    }
}
