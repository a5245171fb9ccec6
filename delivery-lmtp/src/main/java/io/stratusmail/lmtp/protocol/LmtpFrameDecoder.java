package io.stratusmail.lmtp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Framing: cuts the inbound byte stream into {@link LmtpFrame}s, one at a time.
 *
 * <p>After each frame the decoder waits until the session asks for the next one with
 * {@link #readCommand()} or {@link #readMessageData()}; meanwhile it stops reading from the socket
 * (back-pressure) and keeps any pipelined bytes. This gives RFC 2920 pipelining its order (one command at
 * a time, replies in order) and lets the session decide whether bytes after {@code DATA} are mail data
 * ({@code 354} sent) or the next command.
 *
 * <p>Command lines end with LF, an optional CR before it is dropped; a line longer than
 * {@code maxCommandLineLength} octets (line ending included, RFC 5321 section 4.5.3.1.6 allows 1000) is
 * discarded up to its end and reported as {@link LmtpFrame.CommandLineTooLong}. Mail data is read by a
 * {@link MessageDataDecoder}. Buffered bytes are bounded by one socket read burst plus the limits above.
 *
 * <p>One instance per channel; every method runs on the channel's event loop.
 */
public final class LmtpFrameDecoder extends ChannelInboundHandlerAdapter {

    private enum Mode { COMMAND, DATA }

    private final int maxCommandLineLength;
    private final int maxMessageSize;
    private final int maxDataLineLength;

    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private Mode mode = Mode.COMMAND;
    private MessageDataDecoder data;
    /** A frame was passed on and the session has not yet asked for the next one. */
    private boolean waiting;
    /** Inside {@link #decode()}: a re-entrant request for the next frame just clears {@link #waiting}. */
    private boolean decoding;
    /** Dropping the rest of an over-long command line. */
    private boolean discardingLine;

    /**
     * @param maxCommandLineLength longest command line, in octets including CRLF
     * @param maxMessageSize       largest message kept, in octets
     * @param maxDataLineLength    longest line of mail data, in octets including CRLF
     */
    public LmtpFrameDecoder(int maxCommandLineLength, int maxMessageSize, int maxDataLineLength) {
        this.maxCommandLineLength = maxCommandLineLength;
        this.maxMessageSize = maxMessageSize;
        this.maxDataLineLength = maxDataLineLength;
    }

    /** Asks for the next frame as a command line. Call on the event loop. */
    public void readCommand() {
        mode = Mode.COMMAND;
        resume();
    }

    /** Asks for the next frame as mail data (after a {@code 354} reply). Call on the event loop. */
    public void readMessageData() {
        mode = Mode.DATA;
        data = new MessageDataDecoder(ctx.alloc(), maxMessageSize, maxDataLineLength);
        resume();
    }

    private void resume() {
        if (!waiting) {
            throw new IllegalStateException("the next frame was already requested");
        }
        waiting = false;
        decode();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        cumulation = cumulation == null ? in
                : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        decode();
    }

    private void decode() {
        if (decoding) {
            return;
        }
        decoding = true;
        try {
            while (!waiting && cumulation != null && cumulation.isReadable() && ctx.channel().isActive()) {
                LmtpFrame frame = mode == Mode.COMMAND ? nextCommandFrame() : nextDataFrame();
                if (frame == null) {
                    break;
                }
                waiting = true;
                ctx.fireChannelRead(frame);
            }
            if (cumulation != null) {
                if (!cumulation.isReadable()) {
                    cumulation.release();
                    cumulation = null;
                } else {
                    cumulation.discardSomeReadBytes();
                }
            }
            if (ctx.channel().config().isAutoRead() == waiting) {
                ctx.channel().config().setAutoRead(!waiting);
            }
        } finally {
            decoding = false;
        }
    }

    private LmtpFrame nextCommandFrame() {
        int start = cumulation.readerIndex();
        if (discardingLine) {
            int lf = cumulation.indexOf(start, cumulation.writerIndex(), (byte) '\n');
            if (lf < 0) {
                cumulation.skipBytes(cumulation.readableBytes());
                return null;
            }
            cumulation.readerIndex(lf + 1);
            discardingLine = false;
            return new LmtpFrame.CommandLineTooLong(maxCommandLineLength);
        }
        // a line of at most maxCommandLineLength octets has its LF within that many octets
        int lf = cumulation.indexOf(start, Math.min(cumulation.writerIndex(), start + maxCommandLineLength),
                (byte) '\n');
        if (lf < 0) {
            if (cumulation.readableBytes() >= maxCommandLineLength) {
                discardingLine = true;
                cumulation.skipBytes(maxCommandLineLength);
                return nextCommandFrame();
            }
            return null;
        }
        cumulation.readerIndex(lf + 1);
        int end = lf > start && cumulation.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        return new LmtpFrame.CommandLine(cumulation.toString(start, end - start, StandardCharsets.ISO_8859_1));
    }

    private LmtpFrame nextDataFrame() {
        if (!data.decode(cumulation)) {
            return null;
        }
        LmtpFrame frame = data.finish();
        data = null;
        return frame;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }

    private void releaseAll() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        if (data != null) {
            data.release();
            data = null;
        }
    }
}
