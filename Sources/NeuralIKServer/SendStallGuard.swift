import Logging
import NIOCore

/// Closes a connection whose client has stopped reading what the server sends: once its answer
/// has filled the socket and the connection's write buffer (the channel is no longer writable),
/// the client has `timeout` to take some of it before the connection is closed.
///
/// Without it, an answer waiting for a client that never reads stayed in memory for as long as the
/// connection lasted: a WebSocket client that sends unsolicited pongs is never timed out, and a
/// batch's answer with every solution runs to 50 MB (four such clients held 600 MB in a trial, and
/// more clients held more). nginx's `send_timeout` is the same rule. A slow reader is not a
/// stalled one: each time it drains the buffer below its low-water mark the wait starts again.
final class SendStallGuard: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer

  private let timeout: Duration
  private let logger: Logger
  private var timer: Scheduled<Void>?

  init(timeout: Duration, logger: Logger) {
    self.timeout = timeout
    self.logger = logger
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    if context.channel.isWritable {
      cancelTimer()
    } else if timer == nil {
      timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
        self.timer = nil
        // Still not writable: the client has read nothing worth a buffer's room for `timeout`.
        guard !context.channel.isWritable, context.channel.isActive else { return }
        self.logger.info(
          "closed a connection whose client read nothing for \(self.timeout)",
          metadata: ["peer": "\(context.remoteAddress.map { "\($0)" } ?? "unknown")"])
        context.close(promise: nil)
      }
    }
    context.fireChannelWritabilityChanged()
  }

  func channelInactive(context: ChannelHandlerContext) {
    cancelTimer()
    context.fireChannelInactive()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    cancelTimer()
  }

  private func cancelTimer() {
    timer?.cancel()
    timer = nil
  }
}
