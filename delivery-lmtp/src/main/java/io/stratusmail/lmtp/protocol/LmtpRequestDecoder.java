package io.stratusmail.lmtp.protocol;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Parsing: turns command-line frames into {@link LmtpRequest}s with {@link LmtpRequestParser}; mail data
 * and chunk frames pass through untouched. Stateless, shareable.
 */
@ChannelHandler.Sharable
public final class LmtpRequestDecoder extends MessageToMessageDecoder<LmtpFrame> {

    @Override
    public boolean acceptInboundMessage(Object msg) {
        return msg instanceof LmtpFrame.CommandLine || msg instanceof LmtpFrame.CommandLineTooLong
                || msg instanceof LmtpFrame.BareLineFeed;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, LmtpFrame frame, List<Object> out) {
        if (frame instanceof LmtpFrame.CommandLine line) {
            out.add(LmtpRequestParser.parse(line.text()));
        } else if (frame instanceof LmtpFrame.CommandLineTooLong tooLong) {
            out.add(LmtpRequestParser.lineTooLong(tooLong.limit()));
        } else if (frame instanceof LmtpFrame.BareLineFeed) {
            out.add(LmtpRequestParser.bareLineFeed());
        }
    }
}
