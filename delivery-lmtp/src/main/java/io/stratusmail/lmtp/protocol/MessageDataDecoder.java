package io.stratusmail.lmtp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;
import io.stratusmail.lmtp.protocol.LmtpFrame.MessageData;

/**
 * Reads the mail data of one DATA command (RFC 5321 sections 4.1.1.4 and 4.5.2) incrementally.
 *
 * <p>Data ends at the first {@code CRLF.CRLF}; a line starting with a period loses that period (dot
 * unstuffing). Only CRLF ends a line: a bare CR or LF is an ordinary octet, kept as received and never
 * taken for the end of data (so {@code LF.LF} or {@code LF.CRLF} cannot smuggle a second message).
 * Every octet, 8-bit ones included, is kept unchanged; whether the header section holds one is reported
 * ({@link HeaderSection}). With {@code strictLineEndings} a bare CR or LF is
 * refused instead (RFC 5321 section 2.3.8: CR and LF occur only together): the data is read on to its end
 * and discarded, as {@link MessageData.Status#BARE_LINE_ENDING}.
 *
 * <p>Limits: the unstuffed content is buffered up to {@code maxMessageSize} octets; a larger message, or
 * one with a line (CRLF and a stuffing period included) longer than {@code maxLineLength} octets, is
 * read on to its end and discarded, and {@link #finish()} reports why. Not thread-safe: one instance per
 * transfer, used on the channel's event loop.
 */
public final class MessageDataDecoder {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';
    private static final int INITIAL_CAPACITY = 16 * 1024;

    private enum State {
        /** At the start of a line. */
        LINE_START,
        /** After a period at the start of a line. */
        DOT,
        /** After {@code .CR} at the start of a line: an LF now ends the data. */
        DOT_CR,
        /** Inside a line. */
        TEXT,
        /** After a CR inside a line: an LF now ends the line. */
        CR
    }

    private final long maxMessageSize;
    private final int maxLineLength;
    private final boolean strictLineEndings;
    private ByteBuf content;
    private State state = State.LINE_START;
    private long octets;
    private long lineLength;
    private MessageData.Status status = MessageData.Status.COMPLETE;
    private final HeaderSection header = new HeaderSection();
    private boolean ended;

    /**
     * @param alloc          where the content buffer comes from (heap memory)
     * @param maxMessageSize largest content kept, in octets
     * @param maxLineLength  longest line accepted, in octets including CRLF
     */
    public MessageDataDecoder(ByteBufAllocator alloc, int maxMessageSize, int maxLineLength) {
        this(alloc, maxMessageSize, maxLineLength, false);
    }

    /**
     * @param alloc             where the content buffer comes from (heap memory)
     * @param maxMessageSize    largest content kept, in octets
     * @param maxLineLength     longest line accepted, in octets including CRLF
     * @param strictLineEndings refuse the data when it holds a CR or LF outside a CRLF
     */
    public MessageDataDecoder(ByteBufAllocator alloc, int maxMessageSize, int maxLineLength,
                              boolean strictLineEndings) {
        this.maxMessageSize = maxMessageSize;
        this.maxLineLength = maxLineLength;
        this.strictLineEndings = strictLineEndings;
        this.content = alloc.heapBuffer(Math.min(INITIAL_CAPACITY, maxMessageSize), maxMessageSize);
    }

    /**
     * Consumes octets from {@code in} up to the end of the data, leaving what follows (pipelined commands)
     * in {@code in}.
     *
     * @return true once the end of data has been read
     */
    public boolean decode(ByteBuf in) {
        if (ended) {
            throw new IllegalStateException("data already ended");
        }
        while (in.isReadable()) {
            switch (state) {
                case TEXT -> {
                    int start = in.readerIndex();
                    // lenient: only a CR can start a line ending; strict: an LF alone must be seen too
                    int stop = strictLineEndings ? in.forEachByte(start, in.readableBytes(), ByteProcessor.FIND_CRLF)
                            : in.indexOf(start, in.writerIndex(), CR);
                    int end = stop < 0 ? in.writerIndex() : stop + 1;
                    append(in, start, end - start);
                    in.readerIndex(end);
                    if (stop >= 0) {
                        if (in.getByte(stop) == CR) {
                            state = State.CR;
                        } else {
                            bareLineEnding();
                        }
                    }
                }
                case CR -> {
                    byte b = in.readByte();
                    appendByte(b);
                    if (b == LF) {
                        lineLength = 0;
                        state = State.LINE_START;
                    } else {
                        bareLineEnding();
                        if (b != CR) {
                            state = State.TEXT;
                        }
                    }
                }
                case LINE_START -> {
                    if (in.getByte(in.readerIndex()) == DOT) {
                        in.skipBytes(1);
                        countLine(1);
                        state = State.DOT;
                    } else {
                        state = State.TEXT;
                    }
                }
                case DOT -> {
                    if (in.getByte(in.readerIndex()) == CR) {
                        in.skipBytes(1);
                        countLine(1);
                        state = State.DOT_CR;
                    } else {
                        // a stuffed period: dropped, the rest of the line is text
                        state = State.TEXT;
                    }
                }
                case DOT_CR -> {
                    if (in.getByte(in.readerIndex()) == LF) {
                        in.skipBytes(1);
                        ended = true;
                        return true;
                    }
                    // ".CR" followed by more text: the period was stuffing, the CR is content
                    bareLineEnding();
                    octets++;
                    store(CR);
                    state = State.CR;
                }
            }
        }
        return false;
    }

    /**
     * The result, once {@link #decode} returned true; releases the buffer. The content is copied out of
     * the buffer once, into an array of exactly its size.
     */
    public MessageData finish() {
        if (!ended) {
            throw new IllegalStateException("data has not ended");
        }
        byte[] bytes = status == MessageData.Status.COMPLETE ? ByteBufUtil.getBytes(content) : new byte[0];
        release();
        return new MessageData(status, bytes, octets, header.eightBit());
    }

    /** Frees the buffer (on disconnect mid-transfer). Safe to call more than once. */
    public void release() {
        if (content != null) {
            content.release();
            content = null;
        }
    }

    private void bareLineEnding() {
        if (strictLineEndings && status == MessageData.Status.COMPLETE) {
            status = MessageData.Status.BARE_LINE_ENDING;
            discard();
        }
    }

    private void countLine(long n) {
        lineLength += n;
        if (lineLength > maxLineLength && status == MessageData.Status.COMPLETE) {
            status = MessageData.Status.LINE_TOO_LONG;
            discard();
        }
    }

    private void append(ByteBuf in, int index, int length) {
        header.update(in, index, length);
        countLine(length);
        octets += length;
        if (status == MessageData.Status.COMPLETE && checkSize()) {
            content.writeBytes(in, index, length);
        }
    }

    private void appendByte(byte b) {
        countLine(1);
        octets++;
        store(b);
    }

    private void store(byte b) {
        header.update(b);
        if (status == MessageData.Status.COMPLETE && checkSize()) {
            content.writeByte(b);
        }
    }

    private boolean checkSize() {
        if (octets > maxMessageSize) {
            status = MessageData.Status.TOO_LARGE;
            discard();
            return false;
        }
        return true;
    }

    private void discard() {
        // keep counting, stop holding memory for a message that will be refused
        content.release();
        content = Unpooled.EMPTY_BUFFER;
    }
}
