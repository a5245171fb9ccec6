package io.stratusmail.imap.protocol;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.stratusmail.imap.response.ImapResponse;
import java.util.List;

/** Turns typed {@link ImapResponse}s into octets through {@link ImapWriter}. Stateless, shareable. */
@ChannelHandler.Sharable
public final class ImapResponseEncoder extends MessageToMessageEncoder<ImapResponse> {

    @Override
    protected void encode(ChannelHandlerContext ctx, ImapResponse response, List<Object> out) {
        ImapWriter writer = new ImapWriter();
        response.write(writer);
        out.add(Unpooled.wrappedBuffer(writer.toByteArray()));
    }
}
