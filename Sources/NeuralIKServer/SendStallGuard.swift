import Logging
import NIOCore

/// Closes a connection whose client has stopped reading what the server sends: while its answer
/// fills the socket and the connection's write buffer (the channel is not writable), the client
/// must take some of it every `timeout`, or the connection is closed.
///
/// Without it, an answer waiting for a client that never reads stayed in memory for as long as the
/// connection lasted: a WebSocket client that sends unsolicited pongs is never timed out, and a
/// batch's answer with every solution ran to tens of megabytes (four such clients held 600 MB in a
/// trial, and more clients held more). As nginx's `send_timeout`, it times the gaps between the
/// client's reads, not the whole transfer: an answer goes out as one write, and the channel turns
/// writable again only near its end, so a slow reader of a large answer is judged by whether the
/// buffered bytes went down since the last look.
final class SendStallGuard: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = ByteBuffer

  private let timeout: Duration
  private let logger: Logger
  private var timer: Scheduled<Void>?
  /// The bytes waiting in the channel when the timer was last started.
  private var buffered: Int?

  init(timeout: Duration, logger: Logger) {
    self.timeout = timeout
    self.logger = logger
  }

  func channelWritabilityChanged(context: ChannelHandlerContext) {
    if context.channel.isWritable {
      cancelTimer()
    } else if timer == nil {
      startTimer(context: context)
    }
    context.fireChannelWritabilityChanged()
  }

  private func startTimer(context: ChannelHandlerContext) {
    buffered = Self.bufferedBytes(context)
    timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
      self.timer = nil
      guard !context.channel.isWritable, context.channel.isActive else { return }
      // Fewer bytes waiting than at the last look: the client read some, and gets another period.
      if let now = Self.bufferedBytes(context), let before = self.buffered, now < before {
        self.startTimer(context: context)
        return
      }
      self.logger.info(
        "closed a connection whose client read nothing for \(self.timeout)",
        metadata: ["peer": "\(context.remoteAddress.map { "\($0)" } ?? "unknown")"])
      context.close(promise: nil)
    }
  }

  private static func bufferedBytes(_ context: ChannelHandlerContext) -> Int? {
    try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)
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
    buffered = nil
  }
}
