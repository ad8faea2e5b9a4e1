import NIOSSL

extension DockerEndpoint {
    /// The client TLS settings of this endpoint, or nil when it speaks plain HTTP. The HTTP client and the hijacked
    /// streams both use them.
    func tlsConfiguration() throws -> TLSConfiguration? {
        guard let tls else { return nil }
        var settings = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = tls.caFile { settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca)) }
            if let cert = tls.certFile { settings.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) } }
            if let key = tls.keyFile { settings.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)) }
        } catch {
            throw DockerError.unreachable(endpoint: spoken, reason: "cannot read the TLS files of context '\(context)': \(error)")
        }
        settings.certificateVerification = tls.verify ? .fullVerification : .none
        return settings
    }
}
