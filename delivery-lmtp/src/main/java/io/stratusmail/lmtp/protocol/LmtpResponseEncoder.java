package io.stratusmail.lmtp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/** Writes {@link LmtpResponse}s as US-ASCII reply lines (RFC 5321 section 4.2). Stateless, shareable. */
@ChannelHandler.Sharable
public final class LmtpResponseEncoder extends MessageToByteEncoder<LmtpResponse> {

    @Override
    protected void encode(ChannelHandlerContext ctx, LmtpResponse response, ByteBuf out) {
        out.writeCharSequence(response.toWire(), StandardCharsets.US_ASCII);
    }
}
