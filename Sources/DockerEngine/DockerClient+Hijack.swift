import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The engine's hijacked connections: `POST` with `Upgrade: tcp`, a `101` head, then raw bytes both ways on the same
/// socket. AsyncHTTPClient cannot hand a connection over, so these speak HTTP/1.1 on a SwiftNIO channel of their own.
extension DockerClient {
    /// Sends the request, then streams: `input` (when given) is written to the process and the write side closed at
    /// its end; what comes back goes to `output`, split by stream when `multiplexed`. Returns when the engine closes
    /// the connection (the process ended, or the container stopped). `upgraded` runs once the stream is open and
    /// before anything is read from it (`run` starts its container there, so that no output is missed).
    func hijack(_ path: String, query: [(String, String)] = [], body: JSONValue?, multiplexed: Bool,
                input: (any StreamInput)?, upgraded: (() async throws -> Void)? = nil,
                output: (DockerStreamDemultiplexer.Stream, [UInt8]) -> Void) async throws {
        let uri = try await versionedURI(path, query: query)
        let payload = try body.map { Array(try $0.encoded()) } ?? []
        var head = "POST \(uri) HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: berth/hijack\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
        if body != nil { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(payload.count)\r\n\r\n"
        let channel = try await connectRaw()
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: Array(head.utf8) + payload))
            var iterator = inbound.makeAsyncIterator()
            var received: [UInt8] = []
            var headLength: Int?
            while headLength == nil {
                guard let chunk = try await iterator.next() else {
                    throw DockerError.invalidResponse("the engine closed the connection before answering POST \(path)")
                }
                received.append(contentsOf: chunk.readableBytesView)
                headLength = HijackHead.length(received)
            }
            let answer = HijackHead(received[..<headLength!])
            var rest = Array(received[headLength!...])
            guard answer.status == 101 || answer.status == 200 else {
                // The error's body: by its length, chunked to its last chunk, or (neither) to the connection's end.
                while !answer.complete(rest), let chunk = try await iterator.next() { rest.append(contentsOf: chunk.readableBytesView) }
                if answer.chunked { rest = HijackHead.unchunked(rest) }
                let message = (try? JSONValue.parse(Data(rest)))?["message"]?.string ?? String(decoding: rest, as: UTF8.self)
                throw DockerError.engine(status: answer.status, message: message.trimmingCharacters(in: .whitespacesAndNewlines),
                                         method: "POST", path: path)
            }
            try await upgraded?()
            let pump = input.map { input in
                Task {
                    while let chunk = await input.next() {
                        if Task.isCancelled { return }
                        if chunk.isEmpty { continue }
                        try await outbound.write(ByteBuffer(bytes: chunk))
                    }
                    outbound.finish()
                }
            }
            defer { pump?.cancel() }
            var demultiplexer = DockerStreamDemultiplexer()
            func deliver(_ bytes: [UInt8]) {
                guard multiplexed else { return output(.stdout, bytes) }
                for (stream, frame) in demultiplexer.feed(bytes) { output(stream, frame) }
            }
            if !rest.isEmpty { deliver(rest) }
            do {
                while let chunk = try await iterator.next() { deliver(Array(chunk.readableBytesView)) }
            } catch let error as NIOSSLError where error == .uncleanShutdown {
                // The engine closes a TLS stream without close_notify when the process ends.
            } catch let error as ChannelError where error == .eof || error == .ioOnClosedChannel {
            }
        }
    }

    /// The Host header: the engine needs one, and a unix socket has no host.
    private var hostHeader: String {
        switch endpoint.transport {
        case .unix: "docker"
        case .tcp(let host, let port): "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }

    /// Whether a host is an IPv4 or IPv6 address (no server name to send).
    static func isAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// A raw byte channel to the engine, with TLS when the endpoint has it.
    private func connectRaw() async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let context = try endpoint.tlsConfiguration().map { try NIOSSLContext(configuration: $0) }
        var serverName: String?
        if case .tcp(let host, _) = endpoint.transport, !Self.isAddress(host) { serverName = host }
        let name = serverName
        let initializer: @Sendable (Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                if let context {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: name))
                }
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            }
        }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(.seconds(10))
        do {
            switch endpoint.transport {
            case .unix(let path): return try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
            case .tcp(let host, let port): return try await bootstrap.connect(host: host, port: port, channelInitializer: initializer)
            }
        } catch {
            throw DockerError.unreachable(endpoint: endpoint.spoken, reason: Self.reason(error))
        }
    }
}

/// The head of the engine's answer to a hijack request: its status and length.
struct HijackHead {
    var status: Int
    var contentLength: Int?
    var chunked = false

    init(_ bytes: ArraySlice<UInt8>) {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let words = (lines.first ?? "").split(separator: " ")
        status = words.count > 1 ? Int(words[1]) ?? 500 : 500
        contentLength = lines.dropFirst().lazy.compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first
        chunked = lines.dropFirst().contains { $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked") }
    }

    /// Whether an error body has all arrived.
    func complete(_ body: [UInt8]) -> Bool {
        if let contentLength { return body.count >= contentLength }
        if chunked { return body.count >= 5 && Array(body.suffix(5)) == Array("0\r\n\r\n".utf8) }
        return false
    }

    /// A chunked body's data.
    static func unchunked(_ body: [UInt8]) -> [UInt8] {
        var data: [UInt8] = []
        var index = 0
        while index < body.count, let end = (index..<(body.count - 1)).first(where: { body[$0] == 13 && body[$0 + 1] == 10 }) {
            guard let size = Int(String(decoding: body[index..<end], as: UTF8.self).split(separator: ";").first ?? "", radix: 16), size > 0,
                  end + 2 + size <= body.count else { break }
            data += body[(end + 2)..<(end + 2 + size)]
            index = end + 2 + size + 2
        }
        return data
    }

    /// The length of the head with its blank line, once all of it has arrived.
    static func length(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count where bytes[index - 3] == 13 && bytes[index - 2] == 10 && bytes[index - 1] == 13 && bytes[index] == 10 {
            return index + 1
        }
        return nil
    }
}
