@testable import BerthRuntime
import BerthPlan
import BerthSpec
import BerthTestSupport
import Foundation
import Testing

/// The host scan: netlink's `sock_diag` and `/proc/net` must see the same listening sockets, and the holder of one is
/// named.
@Suite(.serialized) struct HostScanTests {
    /// Opens a socket of `type` bound on `address` (IPv4 or IPv6 text) at an ephemeral port, listening when TCP.
    func bound(_ family: Int32, _ type: Int32, _ address: String, v6only: Int32? = nil) throws -> (fd: Int32, port: Int) {
        let fd = socket(family, type, 0)
        try #require(fd >= 0)
        if var flag = v6only { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &flag, socklen_t(MemoryLayout<Int32>.size)) }
        var port = 0
        if family == AF_INET {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, address, &socketAddress.sin_addr)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            try #require(withUnsafePointer(to: &socketAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } } == 0)
            _ = withUnsafeMutablePointer(to: &socketAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            port = Int(UInt16(bigEndian: socketAddress.sin_port))
        } else {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            inet_pton(AF_INET6, address, &socketAddress.sin6_addr)
            var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            try #require(withUnsafePointer(to: &socketAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } } == 0)
            _ = withUnsafeMutablePointer(to: &socketAddress) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            port = Int(UInt16(bigEndian: socketAddress.sin6_port))
        }
        if type == Int32(SOCK_STREAM.rawValue) { listen(fd, 1) }
        return (fd, port)
    }

    @Test func netlinkAndProcAgree() throws {
        let tcp4 = try bound(AF_INET, Int32(SOCK_STREAM.rawValue), "127.0.0.1")
        let udp4 = try bound(AF_INET, Int32(SOCK_DGRAM.rawValue), "127.0.0.1")
        let tcp6 = try bound(AF_INET6, Int32(SOCK_STREAM.rawValue), "::1")
        defer { for fd in [tcp4.fd, udp4.fd, tcp6.fd] { close(fd) } }
        let fromNetlink = try #require(ListeningSocketDiag.sockets())
        let fromProc = HostPortScanner().procSockets()
        func key(_ socket: HostSocket) -> String { "\(BindAddress(socket.address))|\(socket.port)|\(socket.protocol)|\(socket.inode)" }
        #expect(Set(fromNetlink.map(key)) == Set(fromProc.map(key)))
        #expect(fromNetlink.contains { $0.port == tcp4.port && $0.protocol == "tcp" && $0.address == "127.0.0.1" })
        #expect(fromNetlink.contains { $0.port == udp4.port && $0.protocol == "udp" && $0.address == "127.0.0.1" })
        #expect(fromNetlink.contains { $0.port == tcp6.port && $0.protocol == "tcp" && BindAddress($0.address) == BindAddress("::1") })
        // The holder is found for the ports asked about, and only for those.
        let scanned = HostPortScanner().listeningSockets { $0 == tcp4.port }
        let mine = try #require(scanned.first { $0.port == tcp4.port && $0.protocol == "tcp" })
        #expect(mine.pid == Int(getpid()))
        #expect(scanned.first { $0.port == udp4.port }?.pid == nil)
    }

    /// A socket on `::` holds IPv4 too unless it is IPv6-only. Verified here: a dual-stack `::` listener makes a
    /// `127.0.0.1` publish fail, an IPv6-only one does not (docs/ports-on-the-host.md). netlink says which one it is.
    @Test func theIPv6WildcardIsDualStackUnlessV6Only() throws {
        let dual = try bound(AF_INET6, Int32(SOCK_STREAM.rawValue), "::", v6only: 0)
        let only = try bound(AF_INET6, Int32(SOCK_STREAM.rawValue), "::", v6only: 1)
        defer { close(dual.fd); close(only.fd) }
        let sockets = try #require(ListeningSocketDiag.sockets())
        let dualSocket = try #require(sockets.first { $0.port == dual.port && $0.protocol == "tcp" })
        let onlySocket = try #require(sockets.first { $0.port == only.port && $0.protocol == "tcp" })
        #expect(dualSocket.v6only == false && onlySocket.v6only == true)
        #expect(BindAddress(socket: dualSocket) == .all && BindAddress(socket: onlySocket) == .anyIPv6)
        #expect(BindAddress(socket: dualSocket).overlaps(BindAddress("127.0.0.1")))
        #expect(!BindAddress(socket: onlySocket).overlaps(BindAddress("127.0.0.1")))
        #expect(BindAddress(socket: onlySocket).overlaps(BindAddress("::1")))
    }

    /// The scan sees every listening socket, not the first 1,025: 1,500 sockets of this process are all found.
    @Test func thousandsOfSocketsAreAllSeen() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let saved = limit
        limit.rlim_cur = max(limit.rlim_cur, min(limit.rlim_max, 4096))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        defer {
            var restore = saved
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &restore)
        }
        let wanted = Int(min(1_500, limit.rlim_cur - 200))
        try #require(wanted > 1_100, "cannot open enough descriptors here")
        var opened: [(fd: Int32, port: Int)] = []
        defer { for socket in opened { close(socket.fd) } }
        for _ in 0..<wanted { opened.append(try bound(AF_INET, Int32(SOCK_STREAM.rawValue), "127.0.0.1")) }
        let ports = Set(opened.map(\.port))
        let fromNetlink = Set(try #require(ListeningSocketDiag.sockets()).filter { $0.protocol == "tcp" && $0.address == "127.0.0.1" }.map(\.port))
        let fromProc = Set(HostPortScanner().procSockets().filter { $0.protocol == "tcp" && $0.address == "127.0.0.1" }.map(\.port))
        #expect(ports.subtracting(fromNetlink).isEmpty, "netlink missed \(ports.subtracting(fromNetlink).count) of \(ports.count)")
        #expect(ports.subtracting(fromProc).isEmpty, "/proc missed \(ports.subtracting(fromProc).count) of \(ports.count)")
    }

    /// A claim over a long range is checked whole: a process bound 1,500 ports into a host-network `expose` range is
    /// found (the check used to stop after the first 1,025 ports of a range).
    @Test func longRangesAreCheckedWhole() throws {
        let socket = try bound(AF_INET, Int32(SOCK_STREAM.rawValue), "127.0.0.1")
        defer { close(socket.fd) }
        let lower = socket.port - 1_500
        try #require(lower > 1024)
        let fixture = try Fixture(["compose.yaml": "services:\n  a: {image: x, network_mode: host, expose: [\"\(lower)-\(socket.port + 10)\"]}\n"])
        let project = try #require(fixture.load().project)
        let host = HostSnapshotReader.read(scanSockets: true, project: project)
        let plan = Planner.plan(project: project, options: PlanOptions(), engine: .unreachable, host: host)
        let found = plan.diagnostics.filter { $0.code == "port-in-use" && $0.message.contains("\(socket.port)/tcp") }
        #expect(found.count == 1, "\(plan.diagnostics.map(\.message))")
    }

    /// A port held by a real listening socket is found by the scan and reported at the claim's line.
    @Test func portHeldByARealSocket() throws {
        // Bind a real listening socket on an ephemeral loopback port and check against it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        #expect(bound == 0)
        #expect(listen(fd, 1) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let yaml = """
        services:
          web: {image: x, ports: ["127.0.0.1:\(port):80"]}
          other: {image: x, ports: ["127.0.0.2:\(port):80"]}
        """
        let sockets = HostPortScanner().listeningSockets()
        let (_, diagnostics) = try check(["compose.yaml": yaml], options: .init(hostSockets: sockets))
        let inUse = diagnostics.filter { $0.code == "port-in-use" }
        #expect(inUse.count == 1, "\(inUse.map(\.message))")
        #expect(inUse.first?.service == "web")
        #expect(inUse.first?.message.contains("pid \(getpid())") == true, "\(inUse.first?.message ?? "")")
    }
}
