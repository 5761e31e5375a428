import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 channel with WebSocket upgrade, with a `RequestReadGuard` in its pipeline
/// from the connection's first byte: the upgrade channel alone neither answers a request head its
/// decoder refuses nor times out a connection before its first request.
struct GuardedUpgradeChannel: ServerChildChannel {
  struct Value: ServerChildChannelValue {
    let base: HTTP1WebSocketUpgradeChannel.Value
    /// What became of the first request: fails when the connection closes before one is handled.
    let firstRequest: EventLoopFuture<HTTP1WebSocketUpgradeChannel.UpgradeResult>
    /// Whether the client is still there, for the connection's requests to ask.
    let liveness: ConnectionLiveness
    var channel: any Channel { base.channel }
  }

  let base: HTTP1WebSocketUpgradeChannel
  let limits: ConnectionLimits
  /// The server's open connections, shared by all of them.
  let admission: ConnectionAdmission

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    let limits = self.limits
    guard admission.admit() else {
      // Closed before a byte is read; the failed setup is dropped by the accept loop.
      logger.debug("connection refused: \(admission.limit) connections are open")
      channel.close(promise: nil)
      return channel.eventLoop.makeFailedFuture(ConnectionLimitReached(limit: admission.limit))
    }
    let admission = self.admission
    channel.closeFuture.whenComplete { _ in admission.release() }
    return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
      let pipeline = channel.pipeline.syncOperations
      let upgrader = try pipeline.handler(
        type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)
      let liveness = ConnectionLiveness()
      channel.closeFuture.whenComplete { _ in liveness.close() }
      try RequestReadGuard.install(on: pipeline, limits: limits, liveness: liveness)
      // First in the pipeline, where the WebSocket upgrade leaves it.
      try pipeline.addHandler(
        SendStallGuard(timeout: limits.sendStallTimeout, logger: logger), position: .first)
      return Value(base: value, firstRequest: upgrader.upgradeResultFuture, liveness: liveness)
    }
  }

  func handle(value: Value, logger: Logger) async {
    do {
      _ = try await value.firstRequest.get()
    } catch {
      // The guard answered or timed out the connection before a first request was handled, or
      // the client left: routine, where Hummingbird would log an error for each.
      logger.debug("connection closed before a first request", metadata: ["error": "\(error)"])
      return
    }
    // What the connection's requests run may ask whether their client is still there.
    await ConnectionLiveness.$current.withValue(value.liveness) {
      await base.handle(value: value.base, logger: logger)
    }
  }
}

extension HTTPServerBuilder {
  /// HTTP/1 with WebSocket upgrade through `webSocketRouter`, every connection held to `limits`.
  static func guardedHTTP1WebSocketUpgrade(
    webSocketRouter: Router<LiveRequestContext>, limits: ConnectionLimits
  ) -> HTTPServerBuilder {
    let webSocketResponder = webSocketRouter.buildResponder()
    let admission = ConnectionAdmission(limit: limits.maxConnections)
    return HTTPServerBuilder { responder in
      GuardedUpgradeChannel(
        base: HTTP1WebSocketUpgradeChannel(
          responder: responder, webSocketResponder: webSocketResponder,
          configuration: limits.channelConfiguration),
        limits: limits, admission: admission)
    }
  }
}

/// A connection accepted while ``ConnectionLimits/maxConnections`` were open, and closed.
struct ConnectionLimitReached: Error, CustomStringConvertible {
  let limit: Int
  var description: String { "\(limit) connections are open, the most this server holds" }
}
