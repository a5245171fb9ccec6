package io.stratusmail.imap.command;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.util.Attribute;
import io.stratusmail.imap.protocol.CommandFrame;
import io.stratusmail.imap.protocol.FrameError;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ContinuationData;
import io.stratusmail.imap.session.MalformedCommand;
import java.util.List;

/**
 * Parses each {@link CommandFrame} into a typed {@link io.stratusmail.imap.session.ImapCommand} (a
 * {@link MalformedCommand} when it does not follow the grammar, or for a {@link FrameError}). While the
 * session waits for a continuation line ({@link ContinuationData#EXPECTED}), the next frame is handed over
 * as {@link ContinuationData} instead.
 */
public final class CommandDecoder extends MessageToMessageDecoder<Object> {

    @Override
    protected void decode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        Attribute<Boolean> expected = ctx.channel().attr(ContinuationData.EXPECTED);
        if (Boolean.TRUE.equals(expected.get())) {
            expected.set(null);
            if (msg instanceof CommandFrame frame) {
                out.add(new ContinuationData(frame.firstLine(), null));
            } else {
                out.add(new ContinuationData(null, ((FrameError) msg).text()));
            }
            return;
        }
        if (msg instanceof FrameError error) {
            // RFC 7889: an APPEND over the limit is a NO [TOOBIG], not a syntax error.
            boolean tooBigMessage = error.code() == ResponseCode.TOOBIG && "APPEND".equals(error.command());
            out.add(new MalformedCommand(error.tag(), error.code(), error.text(),
                    tooBigMessage ? StatusResponse.Status.NO : StatusResponse.Status.BAD));
        } else {
            out.add(Commands.parse((CommandFrame) msg));
        }
    }
}
