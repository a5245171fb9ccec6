package io.stratusmail.imap.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.stratusmail.imap.response.ContinuationRequest;
import io.stratusmail.imap.response.ResponseCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the client's octet stream into commands (RFC 3501 section 2.2.1): lines ending in CRLF (a bare LF
 * is accepted too) and literals announced by {@code {n}} or {@code {n+}} (RFC 7888 LITERAL+) at the end of a
 * line. Emits a {@link CommandFrame} per complete command, or a {@link FrameError} for a refused one.
 *
 * <ul>
 *   <li>Synchronizing literal within the limits: sends {@code + Ready for literal data} and reads it.</li>
 *   <li>Literal above the current literal limit ({@link #setMaxLiteralSize}), or one that would make the command exceed
 *       {@code maxCommandSize}: refused before any of it is read. For {@code {n}} no continuation is sent
 *       (the client aborts the command on the BAD); for {@code {n+}} the announced octets and the rest of the
 *       command are skipped without being buffered. Answered with {@code tag BAD [TOOBIG]} (RFC 7889).</li>
 *   <li>A line longer than {@code maxLineLength} octets: skipped up to its end (again following
 *       non-synchronizing literals), then answered with {@code BAD}; the stream resynchronises on the next
 *       line.</li>
 * </ul>
 *
 * <p>Back-pressure: {@link #pause()} stops decoding and socket reads; {@link #resume()} decodes what is
 * already buffered, then reads again. At most one read buffer plus one partial command is held. A
 * disconnect drops any partial command. Confined to the channel's event loop.
 */
public final class ImapFrameDecoder extends ChannelInboundHandlerAdapter {

    static final String CONTINUATION_TEXT = "Ready for literal data";
    private static final int TAIL = 24;

    private enum State { LINE, LITERAL, SKIP_LITERAL, DISCARD_LINE }

    private final int maxLineLength;
    private int maxLiteralSize;
    private final long maxCommandSize;

    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private State state = State.LINE;
    private boolean paused;

    private final List<byte[]> lines = new ArrayList<>();
    private final List<byte[]> literals = new ArrayList<>();
    private long commandSize;
    private byte[] literal;
    private int literalFill;
    private int literalTarget;
    private long skipRemaining;
    private FrameError pendingError;
    /** The last octets of a line being discarded, to see whether it ends with a literal announcement. */
    private final byte[] tail = new byte[TAIL];
    private int tailLength;

    /**
     * @param maxLineLength  longest line in octets, without CRLF
     * @param maxLiteralSize largest literal in octets
     * @param maxCommandSize largest command (lines plus literals) in octets
     */
    public ImapFrameDecoder(int maxLineLength, int maxLiteralSize, long maxCommandSize) {
        this.maxLineLength = maxLineLength;
        this.maxLiteralSize = maxLiteralSize;
        this.maxCommandSize = maxCommandSize;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.cumulation = ctx.alloc().buffer(Math.min(maxLineLength, 4096));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }

    private void release() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        lines.clear();
        literals.clear();
        literal = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (cumulation == null) {
                return;
            }
            cumulation.discardSomeReadBytes();
            cumulation.writeBytes(in);
        } finally {
            in.release();
        }
        decode();
    }

    /**
     * Changes the literal limit for the commands that follow, e.g. raised once the client has logged in
     * (a small limit before login keeps unauthenticated connections cheap).
     */
    public void setMaxLiteralSize(int octets) {
        this.maxLiteralSize = octets;
    }

    /** Stops emitting frames and reading from the socket until {@link #resume()}. */
    public void pause() {
        paused = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Emits the frames already buffered, then reads from the socket again unless paused meanwhile. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        decode();
        if (!paused && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private void decode() {
        while (!paused && cumulation != null && cumulation.isReadable()) {
            boolean progressed = switch (state) {
                case LINE -> readLine();
                case LITERAL -> readLiteral();
                case SKIP_LITERAL -> skipLiteral();
                case DISCARD_LINE -> discardLine();
            };
            if (!progressed) {
                return;
            }
        }
    }

    private boolean readLine() {
        int start = cumulation.readerIndex();
        int lf = cumulation.indexOf(start, cumulation.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (cumulation.readableBytes() > maxLineLength + 1) {
                startDiscarding(new FrameError(commandTag(start), null,
                        "Line too long (limit " + maxLineLength + " octets)", null));
                return true;
            }
            return false;
        }
        int length = lf - start;
        if (length > 0 && cumulation.getByte(lf - 1) == '\r') {
            length--;
        }
        if (length > maxLineLength) {
            startDiscarding(new FrameError(commandTag(start), null,
                    "Line too long (limit " + maxLineLength + " octets)", null));
            return true;
        }
        byte[] line = new byte[length];
        cumulation.readBytes(line);
        cumulation.readerIndex(lf + 1);
        onLine(line);
        return true;
    }

    private void onLine(byte[] line) {
        commandSize += line.length + 2;
        byte[] first = lines.isEmpty() ? line : lines.get(0);
        String tag = tagOf(first);
        if (commandSize > maxCommandSize) {
            pendingError = new FrameError(tag, ResponseCode.TOOBIG,
                    "Command too long (limit " + maxCommandSize + " octets)", commandOf(first));
            onDiscardedLineEnd(LiteralMarker.find(line));
            return;
        }
        LiteralMarker marker = LiteralMarker.find(line);
        lines.add(line);
        if (marker == null) {
            CommandFrame frame = new CommandFrame(lines, literals);
            resetCommand();
            ctx.fireChannelRead(frame);
            return;
        }
        if (marker.size() > maxLiteralSize || commandSize + marker.size() > maxCommandSize) {
            pendingError = new FrameError(tag, ResponseCode.TOOBIG, "Literal of " + marker.size()
                    + " octets refused (limit " + Math.min(maxLiteralSize, maxCommandSize) + " octets)",
                    commandOf(first));
            lines.clear();
            onDiscardedLineEnd(marker);
            return;
        }
        commandSize += marker.size();
        literal = new byte[(int) Math.min(marker.size(), 64 * 1024)];
        literalFill = 0;
        state = State.LITERAL;
        if (marker.synchronizing()) {
            ctx.writeAndFlush(new ContinuationRequest(CONTINUATION_TEXT));
        }
        literalTarget = (int) marker.size();
        if (literalTarget == 0) {
            finishLiteral();
        }
    }

    private boolean readLiteral() {
        int n = Math.min(cumulation.readableBytes(), literalTarget - literalFill);
        if (literalFill + n > literal.length) {
            int grown = (int) Math.min(literalTarget, Math.max((long) literal.length * 2, literalFill + n));
            literal = java.util.Arrays.copyOf(literal, grown);
        }
        cumulation.readBytes(literal, literalFill, n);
        literalFill += n;
        if (literalFill == literalTarget) {
            finishLiteral();
        }
        return true;
    }

    private void finishLiteral() {
        literals.add(literal.length == literalFill ? literal : java.util.Arrays.copyOf(literal, literalFill));
        literal = null;
        state = State.LINE;
    }

    private void startDiscarding(FrameError error) {
        pendingError = error;
        lines.clear();
        literals.clear();
        literal = null;
        tailLength = 0;
        state = State.DISCARD_LINE;
    }

    private boolean discardLine() {
        int start = cumulation.readerIndex();
        int lf = cumulation.indexOf(start, cumulation.writerIndex(), (byte) '\n');
        int end = lf < 0 ? cumulation.writerIndex() : lf;
        rememberTail(start, end);
        if (lf < 0) {
            cumulation.readerIndex(end);
            return false;
        }
        cumulation.readerIndex(lf + 1);
        int length = tailLength;
        if (length > 0 && tail[length - 1] == '\r') {
            length--;
        }
        onDiscardedLineEnd(LiteralMarker.find(tail, length));
        return true;
    }

    private void rememberTail(int start, int end) {
        int n = end - start;
        if (n >= TAIL) {
            cumulation.getBytes(end - TAIL, tail, 0, TAIL);
            tailLength = TAIL;
            return;
        }
        int keep = Math.min(tailLength, TAIL - n);
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        cumulation.getBytes(start, tail, keep, n);
        tailLength = keep + n;
    }

    /** A line of a refused command ended; a {@code {n+}} literal after it is still part of the command. */
    private void onDiscardedLineEnd(LiteralMarker marker) {
        tailLength = 0;
        lines.clear();
        literals.clear();
        if (marker != null && !marker.synchronizing()) {
            skipRemaining = marker.size();
            state = State.SKIP_LITERAL;
            if (skipRemaining == 0) {
                state = State.DISCARD_LINE;
            }
            return;
        }
        // A synchronizing literal is never sent: the client waits for a continuation and gets the BAD.
        FrameError error = pendingError;
        resetCommand();
        ctx.fireChannelRead(error);
    }

    private boolean skipLiteral() {
        int n = (int) Math.min(cumulation.readableBytes(), skipRemaining);
        cumulation.skipBytes(n);
        skipRemaining -= n;
        if (skipRemaining == 0) {
            state = State.DISCARD_LINE;
        }
        return true;
    }

    private void resetCommand() {
        lines.clear();
        literals.clear();
        literal = null;
        commandSize = 0;
        pendingError = null;
        tailLength = 0;
        state = State.LINE;
    }

    /** The tag of the command being read: from its first line, which may be the one starting at {@code start}. */
    private String commandTag(int start) {
        if (!lines.isEmpty()) {
            return tagOf(lines.get(0));
        }
        byte[] head = new byte[Math.min(cumulation.writerIndex() - start, CommandReader.MAX_TAG_LENGTH + 1)];
        cumulation.getBytes(start, head);
        return tagOf(head);
    }

    /**
     * Whether octets of a next command are already buffered or partly read. After STARTTLS this must be false:
     * anything the client sent before the TLS handshake is plaintext and must not be taken as protected
     * (RFC 3501 section 6.2.1, RFC 7817 section 3).
     */
    public boolean hasBufferedInput() {
        return (cumulation != null && cumulation.isReadable()) || !lines.isEmpty() || state != State.LINE;
    }

    /** The command name (the atom after the tag) of a first command line, upper case, or null. */
    static String commandOf(byte[] line) {
        String tag = tagOf(line);
        if (tag == null) {
            return null;
        }
        int start = tag.length() + 1;
        int i = start;
        while (i < line.length && i - start < 32 && CommandReader.isAtomChar(line[i] & 0xff)) {
            i++;
        }
        return i == start ? null
                : new String(line, start, i - start, java.nio.charset.StandardCharsets.US_ASCII)
                        .toUpperCase(java.util.Locale.ROOT);
    }

    /** The tag at the start of a command line when it is a valid tag followed by SP, else null. */
    static String tagOf(byte[] line) {
        int i = 0;
        while (i < line.length && i <= CommandReader.MAX_TAG_LENGTH && CommandReader.isTagChar(line[i])) {
            i++;
        }
        if (i == 0 || i > CommandReader.MAX_TAG_LENGTH || i >= line.length || line[i] != ' ') {
            return null;
        }
        return new String(line, 0, i, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
