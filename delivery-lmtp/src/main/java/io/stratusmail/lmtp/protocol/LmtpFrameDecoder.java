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
 * {@link #readCommand()}, {@link #readMessageData()} or {@link #readChunk}; meanwhile it stops reading from
 * the socket (back-pressure) and keeps any pipelined bytes. This gives RFC 2920 pipelining its order (one
 * command at a time, replies in order) and lets the session decide whether bytes after {@code DATA} are mail
 * data ({@code 354} sent) or the next command, and whether a BDAT chunk is kept or dropped.
 *
 * <p>Command lines end with CRLF; a bare LF ends one too, unless {@code strictLineEndings} is set: then
 * such a line is discarded and reported as {@link LmtpFrame.BareLineFeed} (RFC 5321 section 2.3.8). A line
 * longer than {@code maxCommandLineLength} octets (line ending included, RFC 5321 section 4.5.3.1.6 allows
 * 1000) is discarded up to its end and reported as {@link LmtpFrame.CommandLineTooLong}. DATA is read by a
 * {@link MessageDataDecoder}; a BDAT chunk (RFC 3030) is exactly the announced number of octets, moved into
 * the session's {@link ChunkedMessage} or skipped, then reported as {@link LmtpFrame.ChunkEnd}. Buffered
 * bytes are bounded by one socket read burst plus the limits above; a discarded chunk is never buffered.
 *
 * <p>One instance per channel; every method runs on the channel's event loop.
 */
public final class LmtpFrameDecoder extends ChannelInboundHandlerAdapter {

    private enum Mode { COMMAND, DATA, CHUNK }

    private final int maxCommandLineLength;
    private final int maxMessageSize;
    private final int maxDataLineLength;
    private final boolean strictLineEndings;

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
    /** Octets of the current BDAT chunk still to read. */
    private long chunkRemaining;
    private long chunkSize;
    /** Where the current chunk goes; null to discard it. */
    private ChunkedMessage chunkTarget;

    /** A decoder with lenient line endings (a bare LF ends a command line and is kept in mail data). */
    public LmtpFrameDecoder(int maxCommandLineLength, int maxMessageSize, int maxDataLineLength) {
        this(maxCommandLineLength, maxMessageSize, maxDataLineLength, false);
    }

    /**
     * @param maxCommandLineLength longest command line, in octets including CRLF
     * @param maxMessageSize       largest message kept, in octets
     * @param maxDataLineLength    longest line of mail data, in octets including CRLF
     * @param strictLineEndings    refuse a command line ended by a bare LF, and DATA holding a bare CR or LF
     */
    public LmtpFrameDecoder(int maxCommandLineLength, int maxMessageSize, int maxDataLineLength,
                            boolean strictLineEndings) {
        this.maxCommandLineLength = maxCommandLineLength;
        this.maxMessageSize = maxMessageSize;
        this.maxDataLineLength = maxDataLineLength;
        this.strictLineEndings = strictLineEndings;
    }

    /** Asks for the next frame as a command line. Call on the event loop. */
    public void readCommand() {
        mode = Mode.COMMAND;
        resume();
    }

    /** Asks for the next frame as mail data (after a {@code 354} reply). Call on the event loop. */
    public void readMessageData() {
        mode = Mode.DATA;
        data = new MessageDataDecoder(ctx.alloc(), maxMessageSize, maxDataLineLength, strictLineEndings);
        resume();
    }

    /**
     * Asks for the next frame as the data of a BDAT chunk: exactly {@code size} octets, appended to
     * {@code target} or, when it is null, read and dropped (RFC 3030 section 2: a refused chunk is still
     * read). Call on the event loop.
     *
     * @param size   the chunk size in octets, 0 or more; when {@code target} is given it must
     *               {@link ChunkedMessage#fits fit}
     * @param target the message to append to, or null to discard the chunk
     */
    public void readChunk(long size, ChunkedMessage target) {
        if (size < 0 || (target != null && !target.fits(size))) {
            throw new IllegalArgumentException("chunk of " + size + " octets does not fit");
        }
        mode = Mode.CHUNK;
        chunkSize = size;
        chunkRemaining = size;
        chunkTarget = target;
        resume();
    }

    /**
     * Drops every octet received but not yet framed. Called at STARTTLS (RFC 3207 section 4.2): plaintext
     * the client pipelined after the command must not be taken as a command sent over TLS. Call on the event
     * loop before asking for the next frame.
     */
    public void discardBufferedInput() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        discardingLine = false;
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
            while (!waiting && ctx.channel().isActive()) {
                LmtpFrame frame = switch (mode) {
                    case COMMAND -> nextCommandFrame();
                    case DATA -> nextDataFrame();
                    case CHUNK -> nextChunkFrame();
                };
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

    private boolean hasInput() {
        return cumulation != null && cumulation.isReadable();
    }

    private LmtpFrame nextCommandFrame() {
        if (!hasInput()) {
            return null;
        }
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
        boolean crlf = lf > start && cumulation.getByte(lf - 1) == '\r';
        if (!crlf && strictLineEndings) {
            return new LmtpFrame.BareLineFeed();
        }
        int end = crlf ? lf - 1 : lf;
        return new LmtpFrame.CommandLine(cumulation.toString(start, end - start, StandardCharsets.ISO_8859_1));
    }

    private LmtpFrame nextChunkFrame() {
        if (chunkRemaining > 0) {
            if (!hasInput()) {
                return null;
            }
            int n = (int) Math.min(chunkRemaining, cumulation.readableBytes());
            if (chunkTarget != null) {
                chunkTarget.append(cumulation, n);
            } else {
                cumulation.skipBytes(n);
            }
            chunkRemaining -= n;
            if (chunkRemaining > 0) {
                return null;
            }
        }
        chunkTarget = null;
        mode = Mode.COMMAND;
        return new LmtpFrame.ChunkEnd(chunkSize);
    }

    private LmtpFrame nextDataFrame() {
        if (!hasInput()) {
            return null;
        }
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
