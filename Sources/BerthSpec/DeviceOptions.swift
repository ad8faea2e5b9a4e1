/// Block-I/O weights and throttles (`blkio_config`), and requests for devices such as GPUs (`gpus`,
/// `deploy.resources.reservations.devices`), as docker compose sends them (create.go setBlkio, getDeployResources).
public struct BlkioConfig: Sendable, Hashable {
    /// One device's weight, or its rate (bytes per second, or operations per second).
    public struct Entry: Sendable, Hashable {
        public var path: String
        public var value: Int64
    }

    public var weight: Int64?
    public var weightDevice: [Entry] = []
    public var deviceReadBps: [Entry] = []
    public var deviceWriteBps: [Entry] = []
    public var deviceReadIOps: [Entry] = []
    public var deviceWriteIOps: [Entry] = []

    /// Every device path it names.
    public var paths: [String] { (weightDevice + deviceReadBps + deviceWriteBps + deviceReadIOps + deviceWriteIOps).map(\.path) }
}

/// `HostConfig.DeviceRequests` entry.
public struct DeviceRequest: Sendable, Hashable {
    public var driver: String?
    /// -1 for all devices.
    public var count: Int64?
    public var deviceIDs: [String] = []
    public var capabilities: [String] = []
    public var options: [KeyValue] = []

    /// Whether the engine needs its GPU device driver for this request.
    public var needsGPUDriver: Bool { capabilities.contains("gpu") || driver == "nvidia" }

    public init(driver: String? = nil, count: Int64? = nil, deviceIDs: [String] = [], capabilities: [String] = [], options: [KeyValue] = []) {
        self.driver = driver
        self.count = count
        self.deviceIDs = deviceIDs
        self.capabilities = capabilities
        self.options = options
    }
}
