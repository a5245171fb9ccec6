package io.stratusmail.imap.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.stratusmail.imap.literal.LiteralSpool;
import io.stratusmail.imap.literal.SpooledLiteral;
import io.stratusmail.imap.response.ContinuationRequest;
import io.stratusmail.imap.response.ResponseCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Large APPEND literals (above {@link LiteralSpool#threshold()}, given a spool) are not collected in memory:
 * they are written to a {@link SpooledLiteral} file in buffers of {@value LiteralSpool#WRITE_BUFFER} octets, and
 * socket reads stop while a buffer is being written (back-pressure: the client's TCP window closes instead of
 * the heap filling up). A connection has at most one spool file at a time: a second large literal (pipelined
 * APPENDs) is not read, nor its continuation sent, until the first is released. The frame carries the spooled
 * literal; one that no command {@link SpooledLiteral#claim() claimed} while the frame was handled is released
 * at once, and a disconnect releases them all. A spool write that fails (disk full) refuses the command with
 * {@code BAD [UNAVAILABLE]} after skipping the rest of it.
 *
 * <p>Back-pressure: {@link #pause()} stops decoding and socket reads; {@link #resume()} decodes what is
 * already buffered, then reads again. At most one read buffer plus one partial command is held (for a spooled
 * literal: one write buffer). A disconnect drops any partial command. Confined to the channel's event loop.
 */
public final class ImapFrameDecoder extends ChannelInboundHandlerAdapter {

    static final String CONTINUATION_TEXT = "Ready for literal data";
    private static final int TAIL = 24;

    private enum State { LINE, LITERAL, SKIP_LITERAL, DISCARD_LINE, SPOOL_LITERAL, AWAIT_SPOOL }

    private static final Logger LOG = LoggerFactory.getLogger(ImapFrameDecoder.class);
    private static final byte[] SPOOLED = new byte[0];

    private final int maxLineLength;
    private final LiteralSpool spool;
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

    /** The connection's spool file, from creation until released (by its command, or here). */
    private SpooledLiteral live;
    /** The spooled literal of the command being read, complete or being written; null if none. */
    private SpooledLiteral commandSpool;
    private int spooledIndex = -1;
    private long spoolRemaining;
    private ByteBuf writeBuffer;
    private boolean writing;
    /** The announcement of a large literal waiting for the connection's spool file to be released. */
    private LiteralMarker waitingMarker;

    /**
     * @param maxLineLength  longest line in octets, without CRLF
     * @param maxLiteralSize largest literal in octets
     * @param maxCommandSize largest command (lines plus literals) in octets
     */
    public ImapFrameDecoder(int maxLineLength, int maxLiteralSize, long maxCommandSize) {
        this(maxLineLength, maxLiteralSize, maxCommandSize, null);
    }

    /**
     * @param maxLineLength  longest line in octets, without CRLF
     * @param maxLiteralSize largest literal in octets
     * @param maxCommandSize largest command (lines plus literals) in octets
     * @param spool          where APPEND literals above its threshold go, or null to read every literal into memory
     */
    public ImapFrameDecoder(int maxLineLength, int maxLiteralSize, long maxCommandSize, LiteralSpool spool) {
        this.maxLineLength = maxLineLength;
        this.maxLiteralSize = maxLiteralSize;
        this.maxCommandSize = maxCommandSize;
        this.spool = spool;
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
        if (writeBuffer != null) {
            writeBuffer.release();
            writeBuffer = null;
        }
        releaseSpools();
    }

    /** Deletes the connection's spool files: the one being written and one a command may still hold. */
    private void releaseSpools() {
        if (commandSpool != null) {
            commandSpool.release();
            commandSpool = null;
        }
        if (live != null) {
            live.release();
            live = null;
        }
        spooledIndex = -1;
        waitingMarker = null;
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
        updateAutoRead();
    }

    /** Emits the frames already buffered, then reads from the socket again unless paused meanwhile. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        decode();
        updateAutoRead();
    }

    /** Socket reads go on unless paused, a spool write is pending or a large literal waits for the spool. */
    private void updateAutoRead() {
        if (!ctx.channel().isActive()) {
            return;
        }
        boolean read = !blocked();
        boolean was = ctx.channel().config().isAutoRead();
        ctx.channel().config().setAutoRead(read);
        if (read && !was) {
            ctx.read();
        }
    }

    private boolean blocked() {
        return paused || writing || state == State.AWAIT_SPOOL;
    }

    private void decode() {
        while (!blocked() && cumulation != null && cumulation.isReadable()) {
            boolean progressed = switch (state) {
                case LINE -> readLine();
                case LITERAL -> readLiteral();
                case SKIP_LITERAL -> skipLiteral();
                case DISCARD_LINE -> discardLine();
                case SPOOL_LITERAL -> spoolLiteral();
                case AWAIT_SPOOL -> false;
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
            CommandFrame frame = new CommandFrame(lines, literals, spooledIndex, commandSpool);
            SpooledLiteral spooled = commandSpool;
            commandSpool = null;
            resetCommand();
            ctx.fireChannelRead(frame);
            if (spooled != null && !spooled.claimed()) {
                spooled.release(); // the command was malformed: nobody will use the literal
            }
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
        if (spool != null && marker.size() > spool.threshold() && commandSpool == null
                && "APPEND".equals(commandOf(first))) {
            if (live != null) {
                waitingMarker = marker;
                state = State.AWAIT_SPOOL;
                updateAutoRead();
                return;
            }
            startSpool(marker);
            return;
        }
        literal = new byte[(int) Math.min(marker.size(), 64 * 1024)];
        buffered(literal.length);
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
            buffered(grown);
        }
        cumulation.readBytes(literal, literalFill, n);
        literalFill += n;
        if (literalFill == literalTarget) {
            finishLiteral();
        }
        return true;
    }

    private void buffered(long octets) {
        if (spool != null) {
            spool.buffered(octets);
        }
    }

    /** Creates the spool file of a large literal and asks for its octets. */
    private void startSpool(LiteralMarker marker) {
        SpooledLiteral created;
        try {
            created = spool.create(marker.size(), () -> ctx.executor().execute(this::spoolReleased));
        } catch (IOException e) {
            LOG.warn("event=imap.literal.spool_failed directory={} error={}", spool.directory(), e.toString());
            byte[] first = lines.get(0);
            pendingError = new FrameError(tagOf(first), ResponseCode.UNAVAILABLE,
                    "Cannot take a message now, try again later", commandOf(first));
            lines.clear();
            onDiscardedLineEnd(marker);
            return;
        }
        live = created;
        commandSpool = created;
        spoolRemaining = marker.size();
        state = State.SPOOL_LITERAL;
        if (marker.synchronizing()) {
            ctx.writeAndFlush(new ContinuationRequest(CONTINUATION_TEXT));
        }
    }

    /** On the event loop after a spool file was released: a large literal waiting for it may now be read. */
    private void spoolReleased() {
        if (live != null && live.released()) {
            live = null;
        }
        if (live != null || state != State.AWAIT_SPOOL || cumulation == null) {
            return;
        }
        LiteralMarker marker = waitingMarker;
        waitingMarker = null;
        state = State.LINE;
        startSpool(marker);
        decode();
        updateAutoRead();
    }

    private boolean spoolLiteral() {
        if (writeBuffer == null) {
            writeBuffer = ctx.alloc().directBuffer((int) Math.min(LiteralSpool.WRITE_BUFFER, spoolRemaining));
            buffered(writeBuffer.capacity());
        }
        int n = (int) Math.min(cumulation.readableBytes(), Math.min(spoolRemaining, writeBuffer.writableBytes()));
        cumulation.readBytes(writeBuffer, n);
        spoolRemaining -= n;
        if (!writeBuffer.isWritable() || spoolRemaining == 0) {
            ByteBuf chunk = writeBuffer;
            writeBuffer = null;
            writing = true;
            updateAutoRead();
            SpooledLiteral target = commandSpool;
            target.write(chunk).whenComplete((v, error) -> ctx.executor().execute(() -> written(target, error)));
        }
        return true;
    }

    /** A spool write finished: go on reading the literal, or end it, or refuse the command when it failed. */
    private void written(SpooledLiteral target, Throwable error) {
        writing = false;
        if (cumulation == null || target != commandSpool) {
            return; // the connection closed meanwhile
        }
        if (error != null) {
            LOG.warn("event=imap.literal.write_failed directory={} error={}", spool.directory(), error.toString());
            byte[] first = lines.get(0);
            FrameError refused = new FrameError(tagOf(first), ResponseCode.UNAVAILABLE,
                    "Cannot take a message now, try again later", commandOf(first));
            target.release();
            commandSpool = null;
            lines.clear();
            literals.clear();
            pendingError = refused;
            skipRemaining = spoolRemaining;
            state = skipRemaining > 0 ? State.SKIP_LITERAL : State.DISCARD_LINE;
        } else if (spoolRemaining == 0) {
            target.finish();
            literals.add(SPOOLED);
            spooledIndex = literals.size() - 1;
            state = State.LINE;
        }
        decode();
        updateAutoRead();
    }

    private void finishLiteral() {
        literals.add(literal.length == literalFill ? literal : java.util.Arrays.copyOf(literal, literalFill));
        literal = null;
        state = State.LINE;
    }

    private void startDiscarding(FrameError error) {
        dropCommandSpool();
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
        dropCommandSpool();
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

    /** The command being read is refused: its spooled literal, if any, will never be used. */
    private void dropCommandSpool() {
        if (commandSpool != null) {
            commandSpool.release();
            commandSpool = null;
        }
        spooledIndex = -1;
    }

    private void resetCommand() {
        dropCommandSpool();
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
        return (cumulation != null && cumulation.isReadable()) || !lines.isEmpty() || state != State.LINE
                || commandSpool != null;
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
