package io.stratusmail.imap.limits;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.stratusmail.imap.response.StatusResponse;

/**
 * The whole session of a connection refused by {@link ConnectionLimiter}: {@code * BYE} (RFC 3501 section
 * 7.1.5, which allows BYE instead of the greeting) and close. Input is dropped. Stateless, shareable.
 */
@ChannelHandler.Sharable
public final class TooManyConnectionsHandler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(StatusResponse.bye("Too many connections from your address; try again later"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
