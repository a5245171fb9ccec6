package io.stratusmail.lmtp.connection;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.stratusmail.lmtp.protocol.LmtpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the connections open at once on one LMTP server (architecture invariant 6). A connection over the limit
 * is answered {@code 421 4.3.2 ... too many connections} instead of the greeting and closed (RFC 5321 section
 * 3.1 allows a {@code 421} greeting; RFC 3463 X.3.2 "system not accepting network messages"): the MTA keeps the
 * mail queued and retries. Nothing after it in the pipeline sees the connection become active, so the session
 * never greets it.
 *
 * <p>Sits in the pipeline after the response encoder (its reply is a typed {@link LmtpResponse}) and before the
 * frame decoder. One instance shared by every channel of a server; thread-safe.
 */
@ChannelHandler.Sharable
public final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);

    /** Set on a channel refused over the limit: it was never counted. */
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf(ConnectionLimit.class, "refused");

    private final int maxConnections;
    private final LmtpResponse refusal;
    private final AtomicInteger open = new AtomicInteger();

    /**
     * @param maxConnections most connections admitted at once, at least 1
     * @param hostname       this server's name, in the refusal
     */
    public ConnectionLimit(int maxConnections, String hostname) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
        this.maxConnections = maxConnections;
        this.refusal = LmtpResponse.of(421, "4.3.2", hostname + " Too many connections, try again later");
    }

    /** Connections admitted and still open. */
    public int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        int now = open.incrementAndGet();
        if (now > maxConnections) {
            open.decrementAndGet();
            ctx.channel().attr(REFUSED).set(Boolean.TRUE);
            ctx.channel().config().setAutoRead(false);
            LOG.warn("lmtp.connection_refused remote={} limit={}", ctx.channel().remoteAddress(), maxConnections);
            ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel().attr(REFUSED).get() == null) {
            open.decrementAndGet();
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ctx.channel().attr(REFUSED).get() != null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
